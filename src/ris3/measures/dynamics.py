"""Dynamics of a region x activity table: growth, specialisation change, shift-share.

* :func:`specialisation_change` — per region x activity between two
  periods: absolute change, annual growth, change in LQ, and the entry or
  exit of a specialisation (presence ``LQ >= threshold``).
* :func:`entry_exit` — the same summed per region: how many
  specialisations were gained and lost.
* :func:`shift_share` — decomposition of each region's change into
  national, industry-mix and competitive effects, classic (two periods) or
  dynamic (yearly components summed, Barff and Knight 1988), per activity
  and summed per region; returns a :class:`ShiftShare`.

The reference area (all regions by default, a named aggregate row, a list
of regions or a mapping region -> its reference) is described in
:mod:`ris3.measures._reference`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_option, short_list
from ris3.errors import DegenerateDataWarning, InputError
from ris3.kernels.dynamics import shift_share_components
from ris3.kernels.specialisation import location_quotient
from ris3.measures._common import (
    annual_growth,
    check_presence_args,
    interval_years,
    period_index,
    plain,
    when,
)
from ris3.measures._hierarchy import HierarchyLike
from ris3.measures._reference import ReferenceArea, check_reference_options, reference_area
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["ShiftShare", "entry_exit", "shift_share", "specialisation_change"]

ShiftShareMethod = Literal["classic", "dynamic"]
Unbalanced = Literal["raise", "drop"]


def _lq(ct: CodedTable, t: int, ref: ReferenceArea) -> sp.csr_matrix:
    x = ct.matrix(t)
    totals = np.asarray(x.sum(axis=1)).ravel()
    ref_x, ref_tot = ref.period_totals(ct, t)
    if (ref_tot <= 0).any():
        bad = [ref.labels[g] for g in np.flatnonzero(ref_tot <= 0)]
        raise InputError(
            f"reference area(s) {short_list(bad)} have no value{when(ct, t)}; "
            "LQs need a positive reference total"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        return location_quotient(
            x, reference_shares=ref_x / ref_tot[:, None], groups=ref.group, region_totals=totals
        )


def specialisation_change(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    start: Hashable,
    end: Hashable,
    reference: object = None,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    years: float | None = None,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Growth and change in specialisation of every region x activity.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity x period.
    region, activity, value, time : str
        Column names (keyword only).
    start, end : period labels
        The two periods compared.
    reference : None, str, list or mapping, default None
        Reference area of the LQ: the options of
        :func:`ris3.location_quotient` (all regions, a named aggregate row,
        a list of regions summed, a mapping region -> reference row, or with
        ``hierarchy`` a parent mode).
    hierarchy : DataFrame (columns child, parent), dict or Series, optional
        Region -> parent region, to compare each region with its parent.
    reference_table : DataFrame, optional
        External reference table (activity and value columns, optionally
        time).
    threshold : float, default 1.0
        A region is specialised in an activity when ``LQ >= threshold``
        (``>`` with ``strict=True``).
    years : float, optional
        Length of the interval for the annual rate; default ``end - start``.
    missing : {"raise", "drop", "zero"}, default "raise"
        See :func:`ris3.encode`.

    Returns
    -------
    DataFrame
        One row per region x activity with a value in either period:
        region, activity, ``value_start``, ``value_end``, ``change``,
        ``cagr`` (``(end / start) ** (1 / years) - 1``; NaN when the start is
        0), ``lq_start``, ``lq_end``, ``lq_change``, ``specialised_start``,
        ``specialised_end`` and ``transition``: ``"entry"`` (specialised at
        the end only), ``"exit"`` (at the start only), ``"kept"`` (both) or
        ``"none"`` (neither). A region absent from one period has NaN values
        for it and ``transition`` NaN (missing, not zero).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2010] * 4 + [2014] * 4, "geo": ["A", "A", "B", "B"] * 2,
    ...                    "nace": ["C", "J"] * 4, "emp": [60.0, 40, 40, 60, 40, 60, 60, 40]})
    >>> out = specialisation_change(df, region="geo", activity="nace", value="emp",
    ...                             time="year", start=2010, end=2014)
    >>> out[["geo", "nace", "lq_start", "lq_end", "transition"]]
      geo nace  lq_start  lq_end transition
    0   A    C       1.2     0.8       exit
    1   A    J       0.8     1.2      entry
    2   B    C       0.8     1.2      entry
    3   B    J       1.2     0.8       exit
    """
    check_presence_args(threshold, strict)
    check_reference_options(reference, hierarchy, reference_table)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    t0, t1 = period_index(ct, start, "start"), period_index(ct, end, "end")
    n_years = interval_years(start, end, years)
    ref = reference_area(ct, reference, hierarchy=hierarchy, reference_table=reference_table)
    x0, x1 = ct.matrix(t0), ct.matrix(t1)
    lq0, lq1 = _lq(ct, t0, ref), _lq(ct, t1, ref)
    keep = sp.diags(ref.is_region.astype(np.float64))
    pattern = (keep @ (abs(x0) + abs(x1))).tocoo()
    order = np.lexsort((pattern.col, pattern.row))
    rows, cols = pattern.row[order].astype(np.int64), pattern.col[order].astype(np.int64)

    def at(m: sp.csr_matrix, t: int) -> np.ndarray:
        v = np.asarray(m[rows, cols]).ravel().astype(np.float64)
        v[~ct.present_regions(t)[rows]] = np.nan
        return v

    v0, v1 = at(x0, t0), at(x1, t1)
    l0, l1 = at(lq0, t0), at(lq1, t1)
    out = pd.DataFrame(
        {region: ct.regions[rows].to_numpy(), activity: ct.activities[cols].to_numpy()}
    )
    out["value_start"] = v0
    out["value_end"] = v1
    out["change"] = v1 - v0
    out["cagr"] = annual_growth(v0, v1, n_years)
    out["lq_start"] = l0
    out["lq_end"] = l1
    out["lq_change"] = l1 - l0
    with np.errstate(invalid="ignore"):
        s0 = l0 > threshold if strict else l0 >= threshold
        s1 = l1 > threshold if strict else l1 >= threshold
    both_known = ~np.isnan(l0) & ~np.isnan(l1)
    out["specialised_start"] = pd.array(s0, dtype="boolean")
    out["specialised_end"] = pd.array(s1, dtype="boolean")
    out.loc[np.isnan(l0), "specialised_start"] = pd.NA
    out.loc[np.isnan(l1), "specialised_end"] = pd.NA
    trans = np.select([s1 & ~s0, s0 & ~s1, s0 & s1], ["entry", "exit", "kept"], "none").astype(
        object
    )
    trans[~both_known] = np.nan
    out["transition"] = trans
    return out


def entry_exit(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    start: Hashable,
    end: Hashable,
    reference: object = None,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Specialisations gained and lost by each region between two periods.

    Same parameters as :func:`specialisation_change`.

    Returns
    -------
    DataFrame
        One row per region present in both periods: region,
        ``n_specialised_start``, ``n_specialised_end``, ``n_entries``,
        ``n_exits``, ``n_kept``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2010] * 4 + [2014] * 4, "geo": ["A", "A", "B", "B"] * 2,
    ...                    "nace": ["C", "J"] * 4, "emp": [60.0, 40, 40, 60, 40, 60, 60, 40]})
    >>> entry_exit(df, region="geo", activity="nace", value="emp", time="year",
    ...            start=2010, end=2014)
      geo  n_specialised_start  n_specialised_end  n_entries  n_exits  n_kept
    0   A                    1                  1          1        1       0
    1   B                    1                  1          1        1       0
    """
    ch = specialisation_change(
        data,
        region=region,
        activity=activity,
        value=value,
        time=time,
        start=start,
        end=end,
        reference=reference,
        hierarchy=hierarchy,
        reference_table=reference_table,
        threshold=threshold,
        strict=strict,
        years=1.0,
        missing=missing,
    )
    ch = ch[ch["transition"].notna()]
    tr = ch["transition"]
    counts = pd.DataFrame(
        {
            region: ch[region].to_numpy(),
            "n_specialised_start": ch["specialised_start"].astype(int).to_numpy(),
            "n_specialised_end": ch["specialised_end"].astype(int).to_numpy(),
            "n_entries": (tr == "entry").astype(int).to_numpy(),
            "n_exits": (tr == "exit").astype(int).to_numpy(),
            "n_kept": (tr == "kept").astype(int).to_numpy(),
        }
    )
    return counts.groupby(region, sort=True).sum().reset_index()


@dataclass
class ShiftShare:
    """A shift-share decomposition; read it with :meth:`tidy` and :meth:`by_region`.

    Attributes
    ----------
    method : str
        ``"classic"`` or ``"dynamic"``.
    start, end : period labels
    periods : list
        The periods used (all periods from start to end for ``"dynamic"``).
    reference : str
        Description of the reference area.
    dropped_regions : list
        Regions left out with ``unbalanced="drop"``.
    columns : dict
        The caller's column names.
    """

    method: str
    start: object
    end: object
    periods: list[object]
    reference: str
    dropped_regions: list[object]
    columns: dict[str, str | None]
    _table: pd.DataFrame

    def tidy(self) -> pd.DataFrame:
        """One row per region x activity with a value in any period used.

        Columns: region, activity (caller's names), ``value_start``,
        ``value_end``, ``change`` (``value_end - value_start``),
        ``national_effect``, ``industry_mix_effect``, ``competitive_effect``.
        The three effects add up to ``change``.
        """
        return self._table.copy()

    def by_region(self) -> pd.DataFrame:
        """The decomposition summed over activities, one row per region.

        Columns: region, ``value_start``, ``value_end``, ``change``,
        ``national_effect``, ``industry_mix_effect``, ``competitive_effect``,
        ``n_activities``.
        """
        rcol = self.columns["region"]
        num = [
            "value_start",
            "value_end",
            "change",
            "national_effect",
            "industry_mix_effect",
            "competitive_effect",
        ]
        g = self._table.groupby(rcol, sort=True)
        out = g[num].sum(min_count=1)
        out["n_activities"] = g.size()
        return out.reset_index()

    def summary(self) -> str:
        """One line: method, periods, reference, totals of the effects."""
        t = self._table
        return (
            f"ShiftShare ({self.method}, {self.start} -> {self.end}, reference: {self.reference}): "
            f"{t[self.columns['region']].nunique()} regions, change {t['change'].sum():,.1f} = "
            f"national {t['national_effect'].sum():,.1f} + industry mix "
            f"{t['industry_mix_effect'].sum():,.1f} + competitive "
            f"{t['competitive_effect'].sum():,.1f}"
        )


def shift_share(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    start: Hashable | None = None,
    end: Hashable | None = None,
    method: ShiftShareMethod = "classic",
    reference: object = None,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
    unbalanced: Unbalanced = "raise",
    missing: MissingPolicy = "raise",
) -> ShiftShare:
    """Shift-share decomposition of each region's change.

    For region r and activity i with reference growth ``G`` (all activities)
    and ``G_i`` (activity i), between two periods:
    ``national = x0 * G``, ``industry_mix = x0 * (G_i - G)``,
    ``competitive = (x1 - x0) - national - industry_mix``
    (``= x0 * (g_ri - G_i)``; the whole change for an activity new to the
    region). The classic method uses ``start`` and ``end`` only; the dynamic
    method (Barff and Knight 1988) computes the components for each pair of
    consecutive periods from ``start`` to ``end`` with that year's base and
    sums them. Either way the three effects add up to the actual change.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity x period.
    region, activity, value, time : str
        Column names (keyword only).
    start, end : period labels, optional
        Default the first and last period.
    method : {"classic", "dynamic"}, default "classic"
    reference : None, str, list or mapping, default None
        The reference area whose growth is the benchmark: all regions
        (default), a named aggregate row (e.g. the country total, left out of
        the results), a list of regions, a mapping region -> reference row,
        or with ``hierarchy`` a parent mode; the options of
        :func:`ris3.location_quotient`.
    hierarchy : DataFrame (columns child, parent), dict or Series, optional
        Region -> parent region: each region's benchmark is its parent.
    reference_table : DataFrame, optional
        External reference (activity and value columns, and the time
        column): its growth per activity and over all of its activities.
    unbalanced : {"raise", "drop"}, default "raise"
        What to do with regions absent from a period used (their change is
        undefined): stop with an error naming them, or leave them out (and
        out of the "all regions" reference), listed in ``dropped_regions``.
    missing : {"raise", "drop", "zero"}, default "raise"
        See :func:`ris3.encode`. With ``"drop"``, a cell missing in one
        period counts as 0 there.

    Returns
    -------
    ShiftShare

    Warns
    -----
    DegenerateDataWarning
        The reference area has no value of an activity in a base period
        while a region has: that cell's industry-mix and competitive effects
        are NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2008] * 4 + [2014] * 4, "geo": ["A", "A", "B", "B"] * 2,
    ...                    "nace": ["C", "J"] * 4, "emp": [50.0, 50, 50, 50, 40, 90, 60, 60]})
    >>> ss = shift_share(df, region="geo", activity="nace", value="emp", time="year")
    >>> ss.by_region()[["geo", "change", "national_effect", "industry_mix_effect",
    ...                 "competitive_effect"]]
      geo  change  national_effect  industry_mix_effect  competitive_effect
    0   A    30.0             25.0                  0.0                 5.0
    1   B    20.0             25.0                  0.0                -5.0
    >>> ss.tidy()[["geo", "nace", "industry_mix_effect", "competitive_effect"]]
      geo nace  industry_mix_effect  competitive_effect
    0   A    C                -12.5               -10.0
    1   A    J                 12.5                15.0
    2   B    C                -12.5                10.0
    3   B    J                 12.5               -15.0
    """
    check_option("method", method, ("classic", "dynamic"))
    check_option("unbalanced", unbalanced, ("raise", "drop"))
    check_reference_options(reference, hierarchy, reference_table)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    if ct.times is None or ct.n_times < 2:
        raise InputError(
            f"shift_share needs at least two periods in column {time!r}; got "
            f"{0 if ct.times is None else ct.n_times}"
        )
    t0 = 0 if start is None else period_index(ct, start, "start")
    t1 = period_index(ct, end, "end")
    if t1 <= t0:
        raise InputError(
            f"end must come after start; got start={plain(ct.times[t0])!r}, "
            f"end={plain(ct.times[t1])!r}"
        )
    used = list(range(t0, t1 + 1)) if method == "dynamic" else [t0, t1]
    if reference_table is not None and time not in getattr(reference_table, "columns", ()):
        raise InputError(
            f"reference_table needs the column {time!r}: its growth between periods is "
            "the benchmark of a shift-share"
        )
    ref = reference_area(ct, reference, hierarchy=hierarchy, reference_table=reference_table)

    present_all = np.logical_and.reduce([ct.present_regions(t) for t in used])
    absent = np.flatnonzero(~present_all)
    dropped: list[object] = []
    if absent.size:
        ref_rows_absent = absent[~ref.is_region[absent]]
        if ref_rows_absent.size:
            raise InputError(
                f"reference region(s) {short_list(ct.regions[ref_rows_absent])} are absent from "
                f"some of the periods {short_list([ct.times[t] for t in used])}"
            )
        if unbalanced == "raise":
            raise InputError(
                f"{absent.size} region(s) in column {region!r} are absent from some of the "
                f"periods {short_list([ct.times[t] for t in used])}: "
                f"{short_list(ct.regions[absent])}; their change is undefined. Remove them or "
                "pass unbalanced='drop'"
            )
        dropped = ct.regions[absent].tolist()
    keep_rows = sp.diags((present_all & ref.is_region).astype(np.float64))
    mats = {t: keep_rows @ ct.matrix(t) for t in used}
    # the "all regions" reference sums only the regions kept
    refs = {t: ref.period_totals(ct, t, rows=present_all) for t in used}
    n_r, n_a = ct.n_regions, ct.n_activities
    total_ne = sp.csr_matrix((n_r, n_a))
    total_im = sp.csr_matrix((n_r, n_a))
    total_ce = sp.csr_matrix((n_r, n_a))
    undefined = 0
    for a, b in zip(used[:-1], used[1:]):
        rows, cols, ne, im, ce = shift_share_components(
            mats[a], mats[b], refs[a][0], refs[b][0], ref.group, refs[a][1], refs[b][1]
        )
        undefined += int(np.isnan(im).sum())
        total_ne = total_ne + _coo(rows, cols, ne, (n_r, n_a))
        total_im = total_im + _coo(rows, cols, im, (n_r, n_a))
        total_ce = total_ce + _coo(rows, cols, ce, (n_r, n_a))
    pattern = sum((abs(mats[t]) for t in used), sp.csr_matrix((n_r, n_a))).tocoo()
    order = np.lexsort((pattern.col, pattern.row))
    rows, cols = pattern.row[order].astype(np.int64), pattern.col[order].astype(np.int64)

    def at(m: Any) -> np.ndarray:
        return np.asarray(sp.csr_matrix(m)[rows, cols]).ravel()

    table = pd.DataFrame(
        {region: ct.regions[rows].to_numpy(), activity: ct.activities[cols].to_numpy()}
    )
    v0, v1 = at(mats[t0]), at(mats[t1])
    table["value_start"] = v0
    table["value_end"] = v1
    table["change"] = v1 - v0
    table["national_effect"] = at(total_ne)
    table["industry_mix_effect"] = at(total_im)
    table["competitive_effect"] = at(total_ce)
    if undefined:
        bad = table[table["industry_mix_effect"].isna()]
        warnings.warn(
            f"the reference area has no {value!r} in {undefined} base-period cell(s) where a "
            f"region has (e.g. {short_list(bad[activity].unique()[:5])}); their industry-mix "
            "and competitive effects are undefined (NaN)",
            DegenerateDataWarning,
            stacklevel=2,
        )
    return ShiftShare(
        method=method,
        start=ct.times[t0],
        end=ct.times[t1],
        periods=[ct.times[t] for t in used],
        reference=ref.description,
        dropped_regions=dropped,
        columns={"region": region, "activity": activity, "value": value, "time": time},
        _table=table,
    )


def _coo(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shape: tuple[int, int]
) -> sp.csr_matrix:
    """Sparse matrix keeping explicit zeros and NaNs of ``vals``."""
    return sp.csr_matrix((vals, (rows, cols)), shape=shape)
