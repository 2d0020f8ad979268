"""Proximity between activities and relatedness density of regions.

Presence ``M[r, a]`` (region r is specialised in activity a) comes from the
location quotient, ``LQ >= threshold`` (``>`` with ``strict=True``), with
all regions of the period as the reference; or, with ``binary=True``, the
value column already *is* presence (0/1) and no LQ is computed.
Co-occurrences ``C = M'M`` are normalised into a proximity ``phi`` (methods
in :mod:`ris3.kernels.relatedness`) and relatedness density is
``d[r, a] = sum_q M[r, q] phi[q, a] / sum_q phi[q, a]``, the activity's
self-proximity excluded unless ``include_diagonal=True``.

Regions or activities whose values all sum to 0 in a period have no LQ:
they are left out of that period's computation, with a
:class:`~ris3.errors.DegenerateDataWarning` naming them, and their rows
carry NaN.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._compat import renamed_parameters
from ris3._validation import check_flag, check_number, check_option, short_list
from ris3.errors import DataQualityWarning, DegenerateDataWarning, InputError
from ris3.kernels import relatedness as kr
from ris3.kernels import specialisation as ks
from ris3.kernels.relatedness import ProximityMethod
from ris3.measures._kernel_warnings import warn_constant_rca, warn_unrelated
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["proximity", "relatedness_density", "relatedness_tables", "specialised_array"]


@dataclass
class PeriodPresence:
    """Presence of one period, on the regions and activities present in it.

    ``regions``/``activities`` index into the CodedTable labels; ``valid_*``
    mark those with a positive total (always all True with ``binary``);
    ``m`` and ``rca`` cover only the valid ones (``rca`` is None with
    ``binary``).
    """

    t: int
    regions: np.ndarray
    activities: np.ndarray
    valid_regions: np.ndarray
    valid_activities: np.ndarray
    m: sp.csr_matrix
    rca: sp.csr_matrix | None
    when: str
    small_regions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    small_totals: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def n_network_regions(self) -> int:
        """Regions the proximity and complexity of this period rest on."""
        return int(self.valid_regions.sum())


def _when(ct: CodedTable, t: int) -> str:
    if ct.times is None:
        return ""
    label = ct.times[t]
    label = label.item() if isinstance(label, np.generic) else label
    return f"in {ct.columns['time']}={label!r}"


def check_presence_options(threshold: float, strict: bool, binary: bool) -> None:
    """Validate the presence options shared by relatedness and complexity."""
    check_number("threshold", threshold, low=0, low_inclusive=False)
    check_flag("strict", strict)
    check_flag("binary", binary)


#: proximity and complexity resting on fewer regions than this draw a DataQualityWarning
MIN_NETWORK_REGIONS = 50


def check_min_value(min_value: float | None) -> None:
    """Validate the size filter ``min_value`` (None or a number >= 0)."""
    if min_value is not None:
        check_number("min_value", min_value, low=0)


def warn_few_regions(pp: PeriodPresence, what: str, stacklevel: int = 3) -> None:
    """DataQualityWarning when ``what`` rests on fewer than MIN_NETWORK_REGIONS regions."""
    n = pp.n_network_regions
    if n < MIN_NETWORK_REGIONS:
        sfx = f" {pp.when}" if pp.when else ""
        warnings.warn(
            f"{what} rests on {n} region(s){sfx}, fewer than {MIN_NETWORK_REGIONS}: proximities "
            "between activities come from few co-occurrences, so a few regions (or one small "
            "one) can make two activities look related; read the ranking with care",
            DataQualityWarning,
            stacklevel=stacklevel,
        )


def period_presence(
    ct: CodedTable,
    t: int,
    *,
    threshold: float,
    strict: bool,
    binary: bool,
    min_total: float | None = None,
) -> PeriodPresence:
    """Presence matrix of period ``t`` (with warnings naming zero-total rows).

    With ``min_total``, regions whose total in the period is below it are
    left out like zero-total ones (a DataQualityWarning names them) and
    recorded in ``small_regions``/``small_totals``.
    """
    rr = np.flatnonzero(ct.present_regions(t))
    aa = np.flatnonzero(ct.present_activities(t))
    x = ct.matrix(t)[rr][:, aa]
    when = _when(ct, t)
    vcol = ct.columns["value"]
    if binary:
        if x.nnz and not np.all(x.data == 1.0):
            bad = np.unique(x.data[x.data != 1.0])[:3]
            raise InputError(
                f"binary=True needs column {vcol!r} to hold only 0 and 1 (presence); "
                f"got values such as {bad.tolist()}" + (f" {when}" if when else "")
            )
        ok_r = np.ones(rr.size, dtype=bool)
        ok_a = np.ones(aa.size, dtype=bool)
        return PeriodPresence(t, rr, aa, ok_r, ok_a, sp.csr_matrix(x), None, when)
    rs = np.asarray(x.sum(axis=1)).ravel()
    ok_r = rs > 0
    ok_a = np.asarray(x.sum(axis=0)).ravel() > 0
    sfx = f" {when}" if when else ""
    small = np.zeros(rr.size, dtype=bool)
    if min_total is not None:
        small = ok_r & (rs < float(min_total))
        if small.any():
            warnings.warn(
                f"{int(small.sum())} region(s) in column {ct.columns['region']!r} have a total "
                f"below min_value={min_total:g}{sfx} and are left out of the computation: "
                f"{short_list(ct.regions[rr[small]])}",
                DataQualityWarning,
                stacklevel=3,
            )
    if not ok_r.all():
        warnings.warn(
            f"{int((~ok_r).sum())} region(s) in column {ct.columns['region']!r} have a total of "
            f"0{sfx}, so their location quotients are undefined; they are left out and "
            f"their rows are NaN: {short_list(ct.regions[rr[~ok_r]])}",
            DegenerateDataWarning,
            stacklevel=3,
        )
    if not ok_a.all():
        warnings.warn(
            f"{int((~ok_a).sum())} activit(ies) in column {ct.columns['activity']!r} have a "
            f"total of 0{sfx}, so their location quotients are undefined; they are left "
            f"out and their rows are NaN: {short_list(ct.activities[aa[~ok_a]])}",
            DegenerateDataWarning,
            stacklevel=3,
        )
    if small.any():
        ok_r = ok_r & ~small
        # activities found only in the small regions have nothing left
        ok_a = ok_a & (np.asarray(x[np.flatnonzero(ok_r)].sum(axis=0)).ravel() > 0)
    xv = x[np.flatnonzero(ok_r)][:, np.flatnonzero(ok_a)]
    lq = ks.location_quotient(xv)
    m = ks.presence(lq, threshold=threshold, strict=strict)
    return PeriodPresence(t, rr, aa, ok_r, ok_a, m, lq, when, rr[small].astype(np.int64), rs[small])


def expand(pp: PeriodPresence, values: np.ndarray, fill: float = np.nan) -> np.ndarray:
    """Put a (valid regions x valid activities) array on the period's full grid."""
    if pp.valid_regions.all() and pp.valid_activities.all():
        return np.asarray(values, dtype=np.float64)
    out = np.full((pp.regions.size, pp.activities.size), fill, dtype=np.float64)
    out[np.ix_(pp.valid_regions, pp.valid_activities)] = values
    return out


def grid_keys(ct: CodedTable, periods: list[PeriodPresence]) -> dict[str, object]:
    """Key columns of each period's region x activity grid (time, region, activity order).

    Returned as arrays by column name, to build a DataFrame without copies.
    """
    r_codes = np.concatenate([np.repeat(p.regions, p.activities.size) for p in periods])
    a_codes = np.concatenate([np.tile(p.activities, p.regions.size) for p in periods])
    out: dict[str, object] = {}
    tcol = ct.columns["time"]
    if tcol is not None and ct.times is not None:
        t_codes = np.concatenate(
            [np.full(p.regions.size * p.activities.size, p.t) for p in periods]
        )
        out[tcol] = ct.times.take(t_codes).array
    out[str(ct.columns["region"])] = ct.regions.take(r_codes).array
    out[str(ct.columns["activity"])] = ct.activities.take(a_codes).array
    return out


def _encode(
    data: pd.DataFrame | str | Path,
    region: str,
    activity: str,
    value: str,
    time: str | None,
    missing: MissingPolicy,
    threshold: float,
    strict: bool,
    binary: bool,
) -> CodedTable:
    check_presence_options(threshold, strict, binary)
    return encode(data, region=region, activity=activity, value=value, time=time, missing=missing)


def _check_method(method: str) -> None:
    check_option("proximity_method", method, kr.PROXIMITY_METHODS)


def _period_proximity(
    pp: PeriodPresence, method: str, labels: pd.Index, normalisation: str = "ubiquity"
) -> np.ndarray:
    if method == "rca_correlation" and pp.rca is None:
        raise InputError(
            "proximity_method='rca_correlation' needs location quotients; it cannot be used with binary=True"
        )
    names = list(labels[pp.activities[pp.valid_activities]])
    phi = kr.proximity(pp.m, method=method, rca=pp.rca, normalisation=normalisation)  # type: ignore[arg-type]
    if method == "rca_correlation":
        warn_constant_rca(pp.rca, names, pp.when, stacklevel=4)
    return phi


@renamed_parameters(method="proximity_method")
def proximity(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    proximity_method: ProximityMethod = "hidalgo",
    normalisation: str = "ubiquity",
    threshold: float = 1.0,
    strict: bool = False,
    binary: bool = False,
    self_pairs: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Proximity between every pair of activities, from co-location.

    Parameters
    ----------
    data : DataFrame or path
        Tidy table, one row per region x activity [x time].
    region, activity, value : str
        Column names (keyword only).
    time : str, optional
        Column of periods; proximity is computed per period.
    proximity_method : {"hidalgo", "cosine", "jaccard", "association", "probability", \
"rca_correlation"}, default "hidalgo"
        Normalisation of co-occurrences (formulas in
        :mod:`ris3.kernels.relatedness`): Hidalgo et al. (2007) minimum
        conditional probability, cosine, Jaccard, association strength and
        EconGeo's probability index, or ``(1 + r) / 2`` with ``r`` the
        Pearson correlation of RCA across regions.
    normalisation : {"ubiquity", "econgeo"}, default "ubiquity"
        For ``"cosine"`` and ``"jaccard"``: divide co-occurrences by ubiquity
        (the textbook form) or, with ``"econgeo"``, by the row sums of the
        co-occurrence matrix without its diagonal, as EconGeo's
        ``relatedness()`` does (formulas in :mod:`ris3.kernels.relatedness`).
    threshold : float, default 1.0
        Presence is ``LQ >= threshold``.
    strict : bool, default False
        Use ``LQ > threshold`` instead.
    binary : bool, default False
        The value column already holds presence (0/1); no LQ is computed.
    self_pairs : bool, default False
        Also list each activity with itself.
    missing : {"raise", "drop", "zero"}, default "raise"
        Policy for missing values (see :func:`ris3.tidy.encode`).

    Returns
    -------
    DataFrame
        Columns ``[time,] activity_from, activity_to, proximity``: every
        ordered pair of activities with a positive total in the period.

    Raises
    ------
    InputError
        Bad table or option values (see :func:`ris3.tidy.encode`).
    ConventionError
        Unknown ``proximity_method``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "region": ["r1", "r1", "r2", "r2", "r3", "r3"],
    ...     "activity": ["a", "b", "a", "c", "b", "c"],
    ...     "present": [1, 1, 1, 1, 1, 1]})
    >>> proximity(df, region="region", activity="activity", value="present", binary=True)
      activity_from activity_to  proximity
    0             a           b        0.5
    1             a           c        0.5
    2             b           a        0.5
    3             b           c        0.5
    4             c           a        0.5
    5             c           b        0.5
    """
    _check_method(proximity_method)
    check_flag("self_pairs", self_pairs)
    ct = _encode(data, region, activity, value, time, missing, threshold, strict, binary)
    prox, _ = relatedness_tables(
        ct,
        method=proximity_method,
        normalisation=normalisation,
        threshold=threshold,
        strict=strict,
        binary=binary,
        density=False,
        self_pairs=bool(self_pairs),
    )
    return prox


def relatedness_tables(
    ct: CodedTable,
    *,
    method: str,
    threshold: float,
    strict: bool,
    binary: bool,
    density: bool,
    include_diagonal: bool = False,
    self_pairs: bool = False,
    iterate: Callable[[Iterable[int], int], Iterator[int]] | None = None,
    normalisation: str = "ubiquity",
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Proximity table and (optionally) density table of an encoded table."""
    periods: Iterable[int] = range(ct.n_times)
    if iterate is not None:
        periods = iterate(periods, ct.n_times)
    prox_frames, pres, dens, pps = [], [], [], []
    for t in periods:
        pp = period_presence(ct, t, threshold=threshold, strict=strict, binary=binary)
        phi = _period_proximity(pp, method, ct.activities, normalisation)
        prox_frames.append(_proximity_frame(ct, pp, phi, self_pairs))
        if density:
            names = list(ct.activities[pp.activities[pp.valid_activities]])
            d = kr.relatedness_density(pp.m, phi, include_diagonal=include_diagonal)
            warn_unrelated(d, names, pp.when, stacklevel=3)
            pres.append(expand(pp, pp.m.toarray()).ravel())
            dens.append(expand(pp, d).ravel())
            pps.append(pp)
    prox = pd.concat(prox_frames, ignore_index=True)
    if not density:
        return prox, None
    cols = grid_keys(ct, pps)
    cols["specialised"] = specialised_array(np.concatenate(pres))
    cols["density"] = np.concatenate(dens)
    return prox, pd.DataFrame(cols, copy=False)


def specialised_array(m: np.ndarray) -> pd.arrays.BooleanArray:
    """0/1 presence values (NaN where undefined) as a nullable boolean column.

    Examples
    --------
    >>> specialised_array(np.array([1.0, 0.0, np.nan])).tolist()
    [True, False, <NA>]
    """
    values = np.asarray(m, dtype=np.float64)
    return pd.arrays.BooleanArray(values > 0, np.isnan(values))


def _proximity_frame(
    ct: CodedTable, pp: PeriodPresence, phi: np.ndarray, self_pairs: bool
) -> pd.DataFrame:
    labels = ct.activities[pp.activities[pp.valid_activities]].to_numpy()
    n = labels.size
    i, j = np.divmod(np.arange(n * n), n)
    keep = slice(None) if self_pairs else (i != j)
    df = pd.DataFrame(
        {
            "activity_from": labels[i[keep]],
            "activity_to": labels[j[keep]],
            "proximity": phi.ravel()[keep],
        }
    )
    tcol = ct.columns["time"]
    if tcol is not None and ct.times is not None:
        df.insert(0, tcol, ct.times[pp.t])
    return df


@renamed_parameters(method="proximity_method")
def relatedness_density(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    proximity_method: ProximityMethod = "hidalgo",
    normalisation: str = "ubiquity",
    threshold: float = 1.0,
    strict: bool = False,
    binary: bool = False,
    include_diagonal: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Relatedness density of every region around every activity.

    ``density[r, a] = sum_q M[r, q] phi[q, a] / sum_q phi[q, a]``: the
    proximity-weighted share of activity ``a``'s related activities in which
    region ``r`` is specialised (0 to 1). The activity's proximity to itself
    is left out unless ``include_diagonal``.

    Parameters
    ----------
    data, region, activity, value, time, proximity_method, normalisation, threshold, strict, binary, missing
        As in :func:`proximity`.
    include_diagonal : bool, default False
        Keep ``phi[a, a]`` in the sums (the Python ``ecomplexity`` package
        does; the Stata package and ris3 by default do not).

    Returns
    -------
    DataFrame
        Columns ``[time,] region, activity, specialised, density`` (the
        caller's column names for the keys), one row per region x activity
        present in the period, ordered by time, region, activity.
        ``specialised`` is True or False (a nullable boolean); rows of
        zero-total regions or activities are missing (NA and NaN).

    Warns
    -----
    DegenerateDataWarning
        Zero-total regions/activities, or activities without any proximity
        to others (their density is NaN), named.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "region": ["r1", "r1", "r2", "r2", "r3", "r3"],
    ...     "activity": ["a", "b", "a", "c", "b", "c"],
    ...     "present": [1, 1, 1, 1, 1, 1]})
    >>> out = relatedness_density(df, region="region", activity="activity",
    ...                           value="present", binary=True)
    >>> out[out.region == "r1"]
      region activity  specialised  density
    0     r1        a         True      0.5
    1     r1        b         True      0.5
    2     r1        c        False      1.0
    """
    _check_method(proximity_method)
    check_flag("include_diagonal", include_diagonal)
    ct = _encode(data, region, activity, value, time, missing, threshold, strict, binary)
    _, out = relatedness_tables(
        ct,
        method=proximity_method,
        normalisation=normalisation,
        threshold=threshold,
        strict=strict,
        binary=binary,
        density=True,
        include_diagonal=bool(include_diagonal),
    )
    if out is None:  # pragma: no cover - density=True always returns the table
        raise RuntimeError("density table missing")
    return out
