"""Shift-share decomposition on the cells comparable across the periods used.

Public through :mod:`ris3.measures.dynamics` (:func:`shift_share`,
:class:`ShiftShare`).
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
from ris3.measures._common import period_index, plain
from ris3.measures._comparable import (
    BreakPolicy,
    check_flag_column,
    comparable,
    comparable_reference_totals,
)
from ris3.measures._hierarchy import HierarchyLike
from ris3.measures._reference import check_reference_options, reference_area
from ris3.tidy import MissingPolicy, encode

__all__ = ["ShiftShare", "shift_share"]

ShiftShareMethod = Literal["classic", "dynamic"]
Unbalanced = Literal["raise", "drop"]

EFFECTS = ("national_effect", "industry_mix_effect", "competitive_effect")


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
    n_left_out : int
        Region x activity cells left out of the decomposition because they
        are missing in a period used or (breaks excluded) have a break in
        series; they are listed in :meth:`tidy` with NaN effects.
    n_breaks : int
        Cells with a break in series (0 without a flag column).
    """

    method: str
    start: object
    end: object
    periods: list[object]
    reference: str
    dropped_regions: list[object]
    columns: dict[str, str | None]
    _table: pd.DataFrame
    n_left_out: int = 0
    n_breaks: int = 0

    def tidy(self) -> pd.DataFrame:
        """One row per region x activity with a value, or a missing value, in a period used.

        Columns: region, activity (caller's names), ``value_start``,
        ``value_end`` (observed values; NaN where missing), ``change``
        (``value_end - value_start``), ``national_effect``,
        ``industry_mix_effect``, ``competitive_effect``,
        ``break_in_series`` (boolean; NA without a flag column) and
        ``status`` (``"observed"``, ``"missing_start"``, ``"missing_end"``,
        ``"missing_both"``, ``"missing_between"`` — missing in a period
        between start and end, dynamic method — or ``"break"``). The three effects add up to
        ``change``; change and effects are NaN unless ``status ==
        "observed"``.
        """
        return self._table.copy()

    def by_region(self) -> pd.DataFrame:
        """Return the decomposition summed over the comparable activities, one row per region.

        Columns: region, ``value_start``, ``value_end``, ``change``,
        ``national_effect``, ``industry_mix_effect``, ``competitive_effect``
        (sums over the cells with ``status == "observed"``), ``n_activities``
        (those cells) and ``n_left_out`` (the other cells listed).
        """
        rcol = self.columns["region"]
        num = ["value_start", "value_end", "change", *EFFECTS]
        t = self._table
        ok = t["status"] == "observed"
        g = t[ok].groupby(rcol, sort=True)
        out = g[num].sum(min_count=1)
        out = out.reindex(pd.Index(sorted(pd.unique(t[rcol])), name=rcol))
        out["n_activities"] = g.size().reindex(out.index).fillna(0).astype(int)
        out["n_left_out"] = (~ok).groupby(t[rcol]).sum().reindex(out.index).astype(int)
        return out.reset_index()

    def summary(self) -> str:
        """One line: method, periods, reference, totals of the effects, cells left out."""
        t = self._table
        left = (
            f"; {self.n_left_out} cells left out (missing in a period used"
            + (f" or a break in series, {self.n_breaks} breaks" if self.n_breaks else "")
            + ")"
        )
        return (
            f"ShiftShare ({self.method}, {self.start} -> {self.end}, reference: {self.reference}): "
            f"{t[self.columns['region']].nunique()} regions, change {t['change'].sum():,.1f} = "
            f"national {t['national_effect'].sum():,.1f} + industry mix "
            f"{t['industry_mix_effect'].sum():,.1f} + competitive "
            f"{t['competitive_effect'].sum():,.1f}" + left
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
    flag: str | None = None,
    breaks: BreakPolicy = "exclude",
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

    Only cells comparable in every period used enter the decomposition and
    the reference growth: observed in each period (a confidential cell is
    not 0) and, with ``flag`` and ``breaks="exclude"``, without a break in
    series. The others are listed with NaN effects and a ``status``, and
    counted in ``n_left_out``.

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
        column): its growth per activity and over all of its activities,
        used as given.
    unbalanced : {"raise", "drop"}, default "raise"
        What to do with regions absent from a period used (their change is
        undefined): stop with an error naming them, or leave them out (and
        out of the "all regions" reference), listed in ``dropped_regions``.
    missing : {"raise", "drop", "zero"}, default "raise"
        See :func:`ris3.encode`. With ``"drop"``, a cell missing in a period
        used is left out of the decomposition (never counted as 0).
    flag : str, optional
        Column of the value's flags (Eurostat ``"b"``, ``"c"``...); a ``"b"``
        in a period after ``start`` up to ``end`` is a break in series.
    breaks : {"exclude", "include"}, default "exclude"
        Cells with a break: left out (``status="break"``) or decomposed;
        either way ``break_in_series`` is True.

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
    check_flag_column(data, flag, value)
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
    cmp = comparable(ct, used, data=data, flag=flag, breaks=breaks)
    keep = present_all & ref.is_region
    keep_rows = sp.diags(keep.astype(np.float64))
    full = {t: cmp.restrict(ct.matrix(t)) for t in used}  # comparable cells, all rows
    mats = {t: sp.csr_matrix(keep_rows @ full[t]) for t in used}
    # the "all regions" reference sums only the regions kept, on comparable cells
    refs = {
        t: comparable_reference_totals(
            ct, t, ref, full[t], rows=present_all, require_positive=False
        )
        for t in used
    }
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

    # cells listed: a value in a period used, or a missing value in one (kept regions)
    union = sp.csr_matrix((n_r, n_a))
    for t in used:
        union = union + abs(ct.matrix(t))
    for u in cmp.unobserved:
        union = union + u.astype(np.float64)
    pattern = sp.coo_matrix(keep_rows @ union)
    pattern.sum_duplicates()
    nz = pattern.data != 0
    r_, c_ = pattern.row[nz], pattern.col[nz]
    order = np.lexsort((c_, r_))
    rows, cols = r_[order].astype(np.int64), c_[order].astype(np.int64)
    status = cmp.status(rows, cols)
    ok = status == "observed"

    def at(m: Any) -> np.ndarray:
        v = np.asarray(sp.csr_matrix(m)[rows, cols]).ravel().astype(np.float64)
        v[~ok] = np.nan
        return v

    def observed(t_pos: int, t: int) -> np.ndarray:
        v = np.asarray(ct.matrix(t)[rows, cols]).ravel().astype(np.float64)
        v[~cmp.observed_at(t_pos, rows, cols)] = np.nan
        return v

    table = pd.DataFrame(
        {region: ct.regions[rows].to_numpy(), activity: ct.activities[cols].to_numpy()}
    )
    v0, v1 = observed(0, t0), observed(len(used) - 1, t1)
    table["value_start"] = v0
    table["value_end"] = v1
    table["change"] = np.where(ok, v1 - v0, np.nan)
    table["national_effect"] = at(total_ne)
    table["industry_mix_effect"] = at(total_im)
    table["competitive_effect"] = at(total_ce)
    brk = cmp.break_at(rows, cols)
    table["break_in_series"] = pd.array(
        [pd.NA] * len(rows) if brk is None else brk, dtype="boolean"
    )
    table["status"] = status
    if undefined:
        bad = table[ok & table["industry_mix_effect"].isna()]
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
        n_left_out=int((~ok).sum()),
        n_breaks=int(0 if brk is None else brk.sum()),
    )


def _coo(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shape: tuple[int, int]
) -> sp.csr_matrix:
    """Sparse matrix keeping explicit zeros and NaNs of ``vals``."""
    return sp.csr_matrix((vals, (rows, cols)), shape=shape)
