"""Concentration, specialisation and inequality indices on a tidy table.

Each function returns a tidy table with one row per region [x time] (indices
of a region's activity profile) or per activity [x time] (indices of an
activity's spread across regions). Every period is computed on the regions
and activities that have rows in that period; the reference is all regions
of that period. With ``s[r, a] = x[r, a] / x[r, .]`` and
``S[a] = x[., a] / x[., .]``:

==============================  ========  =========================================
function                        per       formula
==============================  ========  =========================================
herfindahl(by="region")         region    ``sum_a s[r, a]**2``
herfindahl(by="activity")       activity  ``sum_r (x[r, a] / x[., a])**2``
krugman_index                   region    ``sum_a |s[r, a] - S[a]|`` (0..2);
                                          ``halved=True`` gives half of it (0..1)
coefficient_of_specialisation   region    ``0.5 * sum_a |s[r, a] - S[a]|``
hoover_index                    activity  ``0.5 * sum_r |x[r, a]/x[., a] - x[r, .]/x[., .]|``
gini_specialisation             region    Gini of the region's LQs (or shares)
locational_gini                 activity  Krugman (1991) locational Gini
==============================  ========  =========================================

The reference shares ``S`` include the region itself (all regions of the
period), as in most applied work; results are not rescaled or rounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_flag, check_option
from ris3.kernels import concentration as kc
from ris3.kernels import specialisation as ks
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = [
    "herfindahl",
    "krugman_index",
    "coefficient_of_specialisation",
    "hoover_index",
    "gini_specialisation",
    "locational_gini",
]


def _per_period(
    ct: CodedTable,
    by: str,
    kernel: Callable[[sp.csr_matrix], np.ndarray],
    column: str,
) -> pd.DataFrame:
    """Run ``kernel`` on each period's present regions x activities; label the result.

    ``kernel`` gets a regions x activities CSR matrix and returns one value
    per region (``by="region"``) or per activity (``by="activity"``).
    """
    frames = []
    label_col = ct.columns["region"] if by == "region" else ct.columns["activity"]
    tcol = ct.columns["time"]
    zero_r, zero_a = ct.zero_totals("", warn=False)
    for t in range(ct.n_times):
        rr = np.flatnonzero(ct.present_regions(t))
        aa = np.flatnonzero(ct.present_activities(t))
        # regions and activities with a zero total have undefined shares: NaN rows
        ok_r, ok_a = ~zero_r[t, rr], ~zero_a[t, aa]
        m = ct.matrix(t)[rr[ok_r]][:, aa[ok_a]]
        ok = ok_r if by == "region" else ok_a
        values = np.full(ok.size, np.nan)
        if m.shape[0] and m.shape[1]:
            values[ok] = kernel(m)
        labels = ct.regions[rr] if by == "region" else ct.activities[aa]
        df = pd.DataFrame({label_col: labels.to_numpy(), column: values})
        if tcol is not None and ct.times is not None:
            df.insert(0, tcol, ct.times[t])
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out.attrs["missing"] = str(ct.missing)
    return out


def _encode(
    data: pd.DataFrame,
    region: str,
    activity: str,
    value: str,
    time: str | None,
    missing: MissingPolicy,
    measure: str,
) -> CodedTable:
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    ct.zero_totals(measure)  # warns; the zero rows come out NaN
    return ct


def herfindahl(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    by: Literal["region", "activity"] = "region",
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Herfindahl-Hirschman index of a region's activity shares or an activity's regional shares.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time], values >= 0.
    region, activity, value, time : str
        Column names (``time`` optional).
    by : {"region", "activity"}, default "region"
        ``"region"``: ``H[r] = sum_a (x[r, a] / x[r, .])**2`` (concentration of
        the region's economy in few activities, 1/n_activities..1).
        ``"activity"``: ``H[a] = sum_r (x[r, a] / x[., a])**2`` (geographic
        concentration of the activity).
    missing : {"raise", "drop", "zero"}
        Policy for missing values; see :func:`ris3.encode`.

    Returns
    -------
    DataFrame
        Columns ``[time,] region|activity, herfindahl``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"],
    ...                    "emp": [1.0, 1.0, 3.0]})
    >>> herfindahl(df, region="geo", activity="nace", value="emp")
      geo  herfindahl
    0   A         0.5
    1   B         1.0
    """
    check_option("by", by, ("region", "activity"))
    ct = _encode(data, region, activity, value, time, missing, "the Herfindahl index")
    if by == "region":
        return _per_period(ct, by, kc.herfindahl, "herfindahl")
    return _per_period(ct, by, lambda m: kc.herfindahl(m.T), "herfindahl")


def krugman_index(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    halved: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Krugman specialisation index of every region.

    ``K[r] = sum_a |x[r, a] / x[r, .] - x[., a] / x[., .]|``, between 0 (same
    structure as all regions together) and 2; with ``halved=True`` the index
    is divided by 2 (0..1), which equals the coefficient of specialisation.

    Parameters
    ----------
    data, region, activity, value, time, missing
        As in :func:`herfindahl`.
    halved : bool, default False
        Return ``K / 2``.

    Returns
    -------
    DataFrame
        Columns ``[time,] region, krugman_index``.

    References
    ----------
    Krugman, P. (1991). Geography and Trade. MIT Press.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "B"], "nace": ["x", "y"], "emp": [1.0, 1.0]})
    >>> krugman_index(df, region="geo", activity="nace", value="emp")
      geo  krugman_index
    0   A            1.0
    1   B            1.0
    """
    check_flag("halved", halved)
    ct = _encode(data, region, activity, value, time, missing, "the Krugman index")
    factor = 0.5 if halved else 1.0

    def kernel(m: sp.csr_matrix) -> np.ndarray:
        return factor * kc.share_gap(m, ks.activity_shares(m))

    return _per_period(ct, "region", kernel, "krugman_index")


def coefficient_of_specialisation(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Coefficient of specialisation, ``0.5 * sum_a |s[r, a] - S[a]|`` (0..1).

    The halved Krugman index; 0 when the region's structure equals that of
    all regions together.

    Returns
    -------
    DataFrame
        Columns ``[time,] region, coefficient_of_specialisation``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "y"],
    ...                    "emp": [2.0, 2.0, 4.0]})
    >>> coefficient_of_specialisation(df, region="geo", activity="nace", value="emp")
      geo  coefficient_of_specialisation
    0   A                           0.25
    1   B                           0.25
    """
    ct = _encode(data, region, activity, value, time, missing, "the coefficient of specialisation")

    def kernel(m: sp.csr_matrix) -> np.ndarray:
        return 0.5 * kc.share_gap(m, ks.activity_shares(m))

    return _per_period(ct, "region", kernel, "coefficient_of_specialisation")


def hoover_index(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Hoover coefficient of localisation of every activity.

    ``0.5 * sum_r |x[r, a] / x[., a] - x[r, .] / x[., .]|``: the share of the
    activity that would have to move for it to be spread like total value
    (0 = spread like the whole economy).

    Returns
    -------
    DataFrame
        Columns ``[time,] activity, hoover_index``.

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization. Review
    of Economics and Statistics, 18(4), 162-171.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "y"],
    ...                    "emp": [2.0, 2.0, 4.0]})
    >>> hoover_index(df, region="geo", activity="nace", value="emp")
      nace  hoover_index
    0    x      0.500000
    1    y      0.166667
    """
    ct = _encode(data, region, activity, value, time, missing, "the Hoover index")
    return _per_period(ct, "activity", kc.hoover_localisation, "hoover_index")


def gini_specialisation(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    of: Literal["lq", "shares"] = "lq",
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Gini coefficient of each region's activity profile.

    ``G = sum_i (2 i - n - 1) y_(i) / (n sum y)`` over the ``n`` activities
    with rows in the period (absent pairs count as 0), values sorted
    ascending. ``of="lq"`` (default) takes the region's location quotients
    against all regions, so a region structured like the whole economy scores
    0; ``of="shares"`` takes its activity shares, so a region spread evenly
    over all activities scores 0. The maximum is ``(n - 1) / n``.

    Returns
    -------
    DataFrame
        Columns ``[time,] region, gini``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "nace": ["x", "y", "x", "y"],
    ...                    "emp": [1.0, 3.0, 1.0, 3.0]})
    >>> gini_specialisation(df, region="geo", activity="nace", value="emp")
      geo  gini
    0   A   0.0
    1   B   0.0
    >>> gini_specialisation(df, region="geo", activity="nace", value="emp", of="shares")
      geo  gini
    0   A  0.25
    1   B  0.25
    """
    check_option("of", of, ("lq", "shares"))
    ct = _encode(data, region, activity, value, time, missing, "the Gini coefficient")

    def kernel(m: sp.csr_matrix) -> np.ndarray:
        profile = ks.location_quotient(m) if of == "lq" else kc.row_shares(m)
        return kc.gini_rows(profile.toarray())

    return _per_period(ct, "region", kernel, "gini")


def locational_gini(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Locational Gini of every activity across regions (Krugman 1991).

    Regions are ordered by increasing location quotient in the activity; the
    Lorenz curve plots the cumulative share of the activity's value against
    the cumulative share of total value; ``G = 1 - sum_k (X_k - X_{k-1})
    (Y_k + Y_{k-1})``. 0 when the activity is spread like total value, near
    1 when it sits in one small region.

    Returns
    -------
    DataFrame
        Columns ``[time,] activity, locational_gini``.

    References
    ----------
    Krugman, P. (1991). Geography and Trade. MIT Press.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "B"], "nace": ["x", "y"], "emp": [1.0, 1.0]})
    >>> locational_gini(df, region="geo", activity="nace", value="emp")
      nace  locational_gini
    0    x              0.5
    1    y              0.5
    """
    ct = _encode(data, region, activity, value, time, missing, "the locational Gini")
    return _per_period(ct, "activity", kc.locational_gini, "locational_gini")
