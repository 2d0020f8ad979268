"""Dynamics of a region x activity table: specialisation change between two periods.

:func:`specialisation_change` -- per region x activity between two
periods: absolute change, annual growth, change in LQ, and the entry or
exit of a specialisation (``LQ >= threshold``). The related measures live in
their own modules and are importable from here too:

* :func:`~ris3.measures.entry_exit.entry_exit` -- the same summed per
  region: how many specialisations were gained and lost.
* :func:`shift_share` (:mod:`ris3.measures._shift_share`) -- decomposition of each region's change into
  national, industry-mix and competitive effects, classic (two periods) or
  dynamic (yearly components summed, Barff and Knight 1988), per activity
  and summed per region; returns a :class:`ShiftShare`.

Missing is never zero across years: every comparison uses the cells
*comparable* in the periods compared — observed in each of them and, by
default, without a break in series — and the reference totals and region
totals are sums over those cells only (rules in
:mod:`ris3.measures._comparable`). A cell missing in either period (a
confidential cell dropped with ``missing="drop"``, or a region absent from
a period) is still listed, with its observed values, an undefined (NaN)
change, ``transition="unknown"`` and a ``status`` saying why; it is never
an entry, an exit or a change from or to 0.

The reference area (all regions by default, a named aggregate row, a list
of regions or a mapping region -> its reference) is described in
:mod:`ris3.measures._reference`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import short_list
from ris3.errors import DegenerateDataWarning
from ris3.kernels.specialisation import location_quotient
from ris3.measures._common import (
    annual_growth,
    check_presence_args,
    interval_years,
    period_index,
    when,
)
from ris3.measures._comparable import (
    STATUSES,
    BreakPolicy,
    Comparable,
    check_flag_column,
    comparable,
    comparable_reference_totals,
)
from ris3.measures._hierarchy import HierarchyLike
from ris3.measures._reference import ReferenceArea, check_reference_options, reference_area
from ris3.measures._shift_share import ShiftShare, shift_share
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["STATUSES", "ShiftShare", "entry_exit", "shift_share", "specialisation_change"]


def _lq(
    ct: CodedTable, t: int, ref: ReferenceArea, xc: sp.csr_matrix
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return the LQ of period ``t`` on the comparable cells ``xc`` and a region mask.

    The mask marks the regions whose reference area has no comparable value
    (their LQs are undefined; warned).
    """
    ref_x, ref_tot = comparable_reference_totals(ct, t, ref, xc)
    empty = ref_tot <= 0
    if empty.any():
        warnings.warn(
            f"reference area(s) {short_list([ref.labels[g] for g in np.flatnonzero(empty)])} "
            f"have no value{when(ct, t)} in the cells comparable across the periods; the "
            "LQs measured against them are undefined (NaN)",
            DegenerateDataWarning,
            stacklevel=3,
        )
    totals = np.asarray(xc.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(ref_tot[:, None] > 0, ref_x / ref_tot[:, None], 0.0)
        lq = location_quotient(xc, reference_shares=shares, groups=ref.group, region_totals=totals)
    return lq, empty[ref.group]


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
    flag: str | None = None,
    breaks: BreakPolicy = "exclude",
) -> pd.DataFrame:
    """Growth and change in specialisation of every region x activity.

    Only cells comparable in both periods enter the comparison: observed in
    both (not missing, region and activity present) and, with ``flag`` and
    ``breaks="exclude"``, without a break in series in between. The LQs at
    the start and the end are both computed on those cells (region totals
    and reference shares included), so that a cell missing in one year
    counts in neither.

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
        time); its totals are used as given.
    threshold : float, default 1.0
        A region is specialised in an activity when ``LQ >= threshold``
        (``>`` with ``strict=True``).
    years : float, optional
        Length of the interval for the annual rate; default ``end - start``.
    missing : {"raise", "drop", "zero"}, default "raise"
        See :func:`ris3.encode`. With ``"drop"`` a missing cell is left out
        of the comparison (``status`` says so), never counted as 0.
    flag : str, optional
        Column of the value's flags (e.g. Eurostat's ``"b"``, ``"c"``,
        ``"bc"``). A ``"b"`` in a period after ``start`` up to ``end`` marks
        a break in series.
    breaks : {"exclude", "include"}, default "exclude"
        Cells with a break in series: left out of the comparison (change
        undefined, ``status="break"``) or compared as observed; either way
        ``break_in_series`` is True.

    Returns
    -------
    DataFrame
        One row per region x activity with a value, or a missing value, in
        either period: region, activity, ``value_start``, ``value_end`` (the
        observed values; NaN where missing), ``change``, ``growth``
        (``(end / start) ** (1 / years) - 1``; NaN when the start is 0),
        ``lq_start``, ``lq_end``, ``lq_change``, ``specialised_start``,
        ``specialised_end``, ``transition`` — ``"entry"`` (specialised at
        the end only), ``"exit"`` (at the start only), ``"kept"`` (both),
        ``"none"`` (neither) or ``"unknown"`` (not comparable) —,
        ``break_in_series`` (boolean; NA without ``flag``) and ``status``:
        ``"observed"``, ``"missing_start"``, ``"missing_end"``,
        ``"missing_both"`` or ``"break"``. Change, growth and LQ columns are
        NaN unless ``status == "observed"``. ``attrs["n_left_out"]`` counts
        the rows that are not comparable, ``attrs["n_breaks"]`` those with a
        break in series.

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

    A confidential cell at the end is not an exit:

    >>> df.loc[4, "emp"] = None
    >>> out = specialisation_change(df, region="geo", activity="nace", value="emp",
    ...                             time="year", start=2010, end=2014, missing="drop")
    >>> out[["geo", "nace", "value_end", "change", "transition", "status"]].head(2)
      geo nace  value_end  change transition       status
    0   A    C        NaN     NaN    unknown  missing_end
    1   A    J       60.0    20.0       kept     observed
    """
    check_presence_args(threshold, strict)
    check_reference_options(reference, hierarchy, reference_table)
    check_flag_column(data, flag, value)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    t0, t1 = period_index(ct, start, "start"), period_index(ct, end, "end")
    n_years = interval_years(start, end, years)
    ref = reference_area(ct, reference, hierarchy=hierarchy, reference_table=reference_table)
    cmp = comparable(ct, [t0, t1], data=data, flag=flag, breaks=breaks)
    x0, x1 = ct.matrix(t0), ct.matrix(t1)
    xc0, xc1 = cmp.restrict(x0), cmp.restrict(x1)
    (lq0, bad0), (lq1, bad1) = _lq(ct, t0, ref, xc0), _lq(ct, t1, ref, xc1)
    rows, cols = _cells(ct, ref, cmp, [x0, x1])
    status = cmp.status(rows, cols)
    ok = status == "observed"

    def at(m: sp.csr_matrix, observed: np.ndarray) -> np.ndarray:
        v = np.asarray(m[rows, cols]).ravel().astype(np.float64)
        v[~observed] = np.nan
        return v

    v0 = at(x0, cmp.observed_at(0, rows, cols))
    v1 = at(x1, cmp.observed_at(1, rows, cols))
    l0, l1 = at(lq0, ok & ~bad0[rows]), at(lq1, ok & ~bad1[rows])
    out = pd.DataFrame(
        {region: ct.regions[rows].to_numpy(), activity: ct.activities[cols].to_numpy()}
    )
    out["value_start"] = v0
    out["value_end"] = v1
    out["change"] = np.where(ok, v1 - v0, np.nan)
    out["growth"] = np.where(ok, annual_growth(v0, v1, n_years), np.nan)
    out["lq_start"] = l0
    out["lq_end"] = l1
    out["lq_change"] = l1 - l0
    with np.errstate(invalid="ignore"):
        s0 = l0 > threshold if strict else l0 >= threshold
        s1 = l1 > threshold if strict else l1 >= threshold
    out["specialised_start"] = pd.array(s0, dtype="boolean")
    out["specialised_end"] = pd.array(s1, dtype="boolean")
    out.loc[np.isnan(l0), "specialised_start"] = pd.NA
    out.loc[np.isnan(l1), "specialised_end"] = pd.NA
    trans = np.select([s1 & ~s0, s0 & ~s1, s0 & s1], ["entry", "exit", "kept"], "none").astype(
        object
    )
    trans[~ok | np.isnan(l0) | np.isnan(l1)] = "unknown"
    out["transition"] = trans
    out["break_in_series"] = _break_column(cmp, rows, cols)
    out["status"] = status
    out.attrs["n_left_out"] = int((~ok).sum())
    out.attrs["n_breaks"] = int(out["break_in_series"].fillna(False).sum())
    return out


def _cells(
    ct: CodedTable, ref: ReferenceArea, cmp: Comparable, mats: list[sp.csr_matrix]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the region x activity cells to list, sorted.

    A cell is listed when it has a value in any period or a missing value in one;
    regions only (reference-only rows left out).
    """
    keep = sp.diags(ref.is_region.astype(np.float64))
    union = sp.csr_matrix((ct.n_regions, ct.n_activities))
    for m in mats:
        union = union + abs(m)
    for u in cmp.unobserved:
        union = union + u.astype(np.float64)
    pattern = sp.coo_matrix(keep @ union)
    pattern.sum_duplicates()
    nz = pattern.data != 0
    r, c = pattern.row[nz], pattern.col[nz]
    order = np.lexsort((c, r))
    return r[order].astype(np.int64), c[order].astype(np.int64)


def _break_column(cmp: Comparable, rows: np.ndarray, cols: np.ndarray) -> pd.arrays.BooleanArray:
    brk = cmp.break_at(rows, cols)
    if brk is None:
        return pd.array([pd.NA] * len(rows), dtype="boolean")
    return pd.array(brk, dtype="boolean")


from ris3.measures.entry_exit import entry_exit  # noqa: E402  (0.1 path: ris3.measures.dynamics)
