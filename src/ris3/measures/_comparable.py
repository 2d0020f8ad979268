"""Which cells can be compared across periods: observed in every period, no break.

Every comparison across years in ris3 (change, growth, entry and exit,
shift-share, LQ change) uses the *comparable* cells only:

* a cell is **observed** in a period when its region and its activity have
  rows in that period and the cell's own row did not carry a missing value
  (confidential or not available) that ``missing="drop"`` removed. A cell
  with no row at all in a period whose region and activity have rows counts
  as 0, as everywhere in ris3 (:mod:`ris3.tidy`);
* a cell has a **break in series** when its flag column (Eurostat flags,
  e.g. ``"b"`` or ``"bc"``) contains ``"b"`` in a period after the first
  one compared, up to and including the last. Eurostat puts ``b`` on the
  first observation of the new series, so a ``b`` on the first period
  itself marks a break *before* the comparison and is not counted;
* a cell is **comparable** when it is observed in every period compared and,
  unless breaks are included, has no break in series.

Reference totals (the benchmark growth, the reference shares of an LQ) and
the regions' own totals are sums over comparable cells only, so that a cell
missing in one year counts in neither year.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_option, short_list
from ris3.errors import InputError
from ris3.measures._common import when
from ris3.measures._reference import ReferenceArea
from ris3.tidy import CodedTable

BreakPolicy = Literal["exclude", "include"]
BREAK_POLICIES: tuple[str, ...] = ("exclude", "include")

#: Values of the ``status`` column of the dynamics outputs.
STATUSES: tuple[str, ...] = (
    "observed",
    "missing_start",
    "missing_end",
    "missing_both",
    "missing_between",
    "break",
)


@dataclass(frozen=True)
class Comparable:
    """Masks of one comparison between periods (regions x activities).

    Attributes
    ----------
    unobserved : list of csr_matrix (bool)
        Per period compared: True where the cell's row carried a missing
        value (regions or activities without rows are in ``region_ok`` and
        ``activity_ok``).
    region_ok, activity_ok : list of ndarray of bool
        Per period compared: the region (activity) has rows in that period.
    breaks : csr_matrix (bool) or None
        Cells with a break in series inside the interval; None without a
        flag column.
    exclude_breaks : bool
        Whether cells with a break are left out.
    """

    unobserved: list[sp.csr_matrix]
    region_ok: list[np.ndarray]
    activity_ok: list[np.ndarray]
    breaks: sp.csr_matrix | None
    exclude_breaks: bool

    def left_out(self) -> sp.csr_matrix:
        """Boolean matrix of the cells with a missing row or a break (not comparable)."""
        m = self.unobserved[0]
        for u in self.unobserved[1:]:
            m = m + u
        if self.breaks is not None and self.exclude_breaks:
            m = m + self.breaks
        return sp.csr_matrix(m, dtype=bool)

    def keep_rows(self) -> np.ndarray:
        return np.logical_and.reduce(self.region_ok)

    def keep_cols(self) -> np.ndarray:
        return np.logical_and.reduce(self.activity_ok)

    def restrict(self, x: sp.csr_matrix) -> sp.csr_matrix:
        """Return ``x`` with every non-comparable cell removed.

        Non-comparable: regions or activities absent from a period, cells missing
        in a period, breaks if excluded.
        """
        rows = sp.diags(self.keep_rows().astype(np.float64))
        cols = sp.diags(self.keep_cols().astype(np.float64))
        y = sp.csr_matrix(rows @ sp.csr_matrix(x, dtype=np.float64) @ cols)
        drop = self.left_out()
        if drop.nnz:
            y = sp.csr_matrix(y - y.multiply(drop.astype(np.float64)))
        y.eliminate_zeros()
        return y

    def observed_at(self, i: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether each cell (rows, cols) is observed in the ``i``-th period compared."""
        miss = np.asarray(self.unobserved[i][rows, cols]).ravel().astype(bool)
        return self.region_ok[i][rows] & self.activity_ok[i][cols] & ~miss

    def break_at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
        if self.breaks is None:
            return None
        return np.asarray(self.breaks[rows, cols]).ravel().astype(bool)

    def status(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """One of :data:`STATUSES` per cell (first vs last period compared)."""
        obs = [self.observed_at(i, rows, cols) for i in range(len(self.unobserved))]
        first, last = obs[0], obs[-1]
        between = np.logical_and.reduce(obs[1:-1]) if len(obs) > 2 else np.ones_like(first)
        status = np.full(rows.shape, "observed", dtype=object)
        brk = self.break_at(rows, cols)
        if brk is not None and self.exclude_breaks:
            status[brk] = "break"
        # observed at both ends but not in a period between (dynamic shift-share)
        status[~between] = "missing_between"
        status[~last] = "missing_end"
        status[~first] = "missing_start"
        status[~first & ~last] = "missing_both"
        return status


def comparable(
    ct: CodedTable,
    periods: Sequence[int],
    *,
    data: pd.DataFrame | None = None,
    flag: str | None = None,
    breaks: BreakPolicy = "exclude",
) -> Comparable:
    """Masks of the cells comparable across the period codes ``periods``.

    ``data`` and ``flag`` (the caller's table and its flag column) give the
    breaks in series; missing rows come from the coded table's missing
    report (only under ``missing="drop"``: with ``"zero"`` the caller chose
    to count them as 0).
    """
    check_option("breaks", breaks, BREAK_POLICIES)
    shape = (ct.n_regions, ct.n_activities)
    if ct.missing.policy == "drop":
        unobserved = [ct.missing_matrix(t) for t in periods]
    else:
        unobserved = [sp.csr_matrix(shape, dtype=bool) for _ in periods]
    brk = None
    if flag is not None:
        if data is None:  # pragma: no cover - internal misuse
            raise InputError("flag= needs the data table")
        brk = break_matrix(ct, data, flag, periods)
    return Comparable(
        unobserved=unobserved,
        region_ok=[ct.present_regions(t) for t in periods],
        activity_ok=[ct.present_activities(t) for t in periods],
        breaks=brk,
        exclude_breaks=breaks == "exclude",
    )


def check_flag_column(data: object, flag: str | None, value: str) -> None:
    """InputError unless ``flag`` is None or a column of ``data`` different from ``value``."""
    if flag is None:
        return
    if not isinstance(flag, str):
        raise InputError(f"flag= must be a column name (str) or None; got {flag!r}")
    cols = getattr(data, "columns", ())
    if flag not in cols:
        raise InputError(
            f"data has no column {flag!r} (given as flag=); e.g. {value + '_flag'!r} in the "
            "bundled Eurostat tables"
        )
    if flag == value:
        raise InputError(f"flag= and value= must name different columns; got {flag!r} for both")


def break_matrix(
    ct: CodedTable, data: pd.DataFrame, flag: str, periods: Sequence[int]
) -> sp.csr_matrix:
    """Return the boolean matrix of cells with a break flag (``"b"``) between periods.

    A cell is marked when its flag holds ``"b"`` in a period after the first of
    ``periods`` up to the last (see the module docstring).
    """
    rcol, acol, tcol = ct.columns["region"], ct.columns["activity"], ct.columns["time"]
    shape = (ct.n_regions, ct.n_activities)
    if tcol is None or ct.times is None:
        return sp.csr_matrix(shape, dtype=bool)
    lo, hi = periods[0], periods[-1]
    within: list[Hashable] = [ct.times[t] for t in range(lo + 1, hi + 1)]
    flags = data[flag]
    has_b = flags.notna().to_numpy() & flags.astype(str).str.contains("b", regex=False).to_numpy()
    sel = has_b & data[tcol].isin(within).to_numpy()
    if not sel.any():
        return sp.csr_matrix(shape, dtype=bool)
    r = ct.regions.get_indexer(data.loc[sel, rcol])
    a = ct.activities.get_indexer(data.loc[sel, acol])
    ok = (r >= 0) & (a >= 0)
    m = sp.csr_matrix((np.ones(int(ok.sum()), dtype=bool), (r[ok], a[ok])), shape=shape, dtype=bool)
    m.sum_duplicates()
    return m


def comparable_reference_totals(
    ct: CodedTable,
    t: int,
    ref: ReferenceArea,
    xc: sp.csr_matrix,
    *,
    rows: np.ndarray | None = None,
    require_positive: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Return reference totals of period ``t`` over the comparable cells ``xc``.

    ``rows`` (bool per region) restricts the regions summed. An external
    reference table keeps its own totals (it is the caller's benchmark, not
    cells of the data). With ``require_positive``, a reference area with no
    value at all in period ``t`` is an InputError.
    """
    by_act, total = ref.period_totals(ct, t)  # also checks the reference rows exist
    if ref.external is not None:
        return by_act, total
    if require_positive and (total <= 0).any():
        bad = [ref.labels[g] for g in np.flatnonzero(total <= 0)]
        raise InputError(
            f"reference area(s) {short_list(bad)} have no value{when(ct, t)}; "
            "LQs need a positive reference total"
        )
    x = xc if rows is None else sp.csr_matrix(sp.diags(rows.astype(np.float64)) @ xc)
    by_act = ref.totals(x, ct.present_regions(t))
    return by_act, by_act.sum(axis=1)
