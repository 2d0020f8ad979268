"""Tidy long tables in, integer-coded sparse matrices inside, tidy tables out.

This is the one adapter between labelled data and the array kernels. A tidy
table has one row per region x activity [x time] and a numeric value; the
caller names its columns by keyword. :func:`encode` validates the table and
turns it into integer codes; :class:`CodedTable` builds the
regions x activities CSR matrices (one per period) and maps kernel results
back to labelled rows.

Conventions
-----------
* A (region, activity) pair absent from the table counts as 0 in the matrix,
  as in every published implementation of these measures; a row present with
  a missing value (NaN) is *not* zero: the ``missing`` policy decides.
* Regions and activities are the union over all periods; a region with no
  row in a period is absent from that period (it is not a zero-total region).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._table_io import TABLE_SUFFIXES, read_table, row_ref
from ris3._validation import check_flag, check_option, short_list
from ris3._values import (
    _show,
    check_keys,
    check_periods,
    check_sums,
    numeric_values,
    warn_negative,
)
from ris3.errors import InputError

__all__ = [
    "MissingPolicy",
    "MissingReport",
    "CodedTable",
    "encode",
    "read_table",
    "row_ref",
    "numeric_values",
    "check_sums",
    "check_keys",
    "check_periods",
    "warn_negative",
    "TABLE_SUFFIXES",
]

MissingPolicy = Literal["raise", "drop", "zero"]
MISSING_POLICIES: tuple[str, ...] = ("raise", "drop", "zero")


@dataclass(frozen=True)
class MissingReport:
    """What the ``missing`` policy did to cells whose value was missing.

    Attributes
    ----------
    policy : str
        The policy applied: ``"raise"``, ``"drop"`` or ``"zero"``.
    missing_cells : int
        Rows whose value was NaN/None in the input.
    dropped : int
        Rows removed because of the policy.
    zeroed : int
        Rows whose missing value was replaced by 0 because of the policy.
    keys : DataFrame or None
        The key columns (time, region, activity) of the rows whose value was
        missing, so that a dropped cell stays distinguishable from a cell
        that was absent from the input (a real zero); None when nothing was
        missing.
    """

    policy: str
    missing_cells: int = 0
    dropped: int = 0
    zeroed: int = 0
    keys: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return (
            f"missing={self.policy!r}: {self.missing_cells} missing cells, "
            f"{self.dropped} dropped, {self.zeroed} set to zero"
        )


@dataclass
class CodedTable:
    """A validated tidy table as integer codes, ready for the kernels.

    Attributes
    ----------
    regions, activities : pandas.Index
        Sorted unique labels; code ``i`` means ``regions[i]``.
    times : pandas.Index or None
        Sorted unique periods, or None when the table has no time column.
    region_code, activity_code, time_code : ndarray of int
        One entry per kept input row (``time_code`` is all 0 without time).
    values : ndarray of float64
        The value of each kept row.
    keys : DataFrame
        The key columns of the kept rows, in input order, index reset.
    columns : dict
        The caller's column names under ``"region"``, ``"activity"``,
        ``"value"`` and ``"time"`` (None when absent).
    missing : MissingReport
        What the ``missing`` policy touched.
    """

    regions: pd.Index
    activities: pd.Index
    times: pd.Index | None
    region_code: np.ndarray
    activity_code: np.ndarray
    time_code: np.ndarray
    values: np.ndarray
    keys: pd.DataFrame
    columns: dict[str, str | None]
    missing: MissingReport
    _matrices: list[sp.csr_matrix] | None = field(default=None, repr=False)

    @property
    def n_regions(self) -> int:
        """Number of regions."""
        return len(self.regions)

    @property
    def n_activities(self) -> int:
        """Number of activities."""
        return len(self.activities)

    @property
    def n_times(self) -> int:
        """Number of periods (1 without a time column)."""
        return 1 if self.times is None else len(self.times)

    def matrices(self) -> list[sp.csr_matrix]:
        """One CSR matrix (regions x activities, float64) per period."""
        if self._matrices is None:
            shape = (self.n_regions, self.n_activities)
            out = []
            for t in range(self.n_times):
                rows = self.time_code == t
                m = sp.csr_matrix(
                    (self.values[rows], (self.region_code[rows], self.activity_code[rows])),
                    shape=shape,
                    dtype=np.float64,
                )
                m.sum_duplicates()
                m.eliminate_zeros()
                out.append(m)
            self._matrices = out
        return self._matrices

    def matrix(self, t: int = 0) -> sp.csr_matrix:
        """Return the CSR matrix of period code ``t``."""
        return self.matrices()[t]

    def stacked(self) -> sp.csr_matrix:
        """All periods stacked: row ``t * n_regions + r`` is region r in period t."""
        rows = self.time_code * self.n_regions + self.region_code
        m = sp.csr_matrix(
            (self.values, (rows, self.activity_code)),
            shape=(self.n_times * self.n_regions, self.n_activities),
            dtype=np.float64,
        )
        m.sum_duplicates()
        m.eliminate_zeros()
        return m

    def present_regions(self, t: int = 0) -> np.ndarray:
        """Boolean mask of regions with at least one row in period ``t``."""
        mask = np.zeros(self.n_regions, dtype=bool)
        mask[self.region_code[self.time_code == t]] = True
        return mask

    def missing_matrix(self, t: int = 0) -> sp.csr_matrix:
        """Return the boolean regions x activities matrix of period ``t``'s missing cells.

        A cell is marked when its input row had a missing value (dropped or zeroed
        by the ``missing`` policy).

        Labels that occur only in missing rows have no code and are left out.
        """
        shape = (self.n_regions, self.n_activities)
        keys = self.missing.keys
        if keys is None or len(keys) == 0:
            return sp.csr_matrix(shape, dtype=bool)
        rcol, acol, tcol = self.columns["region"], self.columns["activity"], self.columns["time"]
        r = self.regions.get_indexer(keys[rcol])
        a = self.activities.get_indexer(keys[acol])
        ok = (r >= 0) & (a >= 0)
        if tcol is not None and self.times is not None:
            ok &= self.times.get_indexer(keys[tcol]) == t
        m = sp.csr_matrix(
            (np.ones(int(ok.sum()), dtype=bool), (r[ok], a[ok])), shape=shape, dtype=bool
        )
        m.sum_duplicates()
        return m

    def present_activities(self, t: int = 0) -> np.ndarray:
        """Boolean mask of activities with at least one row in period ``t``."""
        mask = np.zeros(self.n_activities, dtype=bool)
        mask[self.activity_code[self.time_code == t]] = True
        return mask

    def period_label(self, t: int) -> object:
        """Return the label of period code ``t`` (None without time), for messages."""
        return None if self.times is None else self.times[t]

    def zero_totals(
        self, measure: str, *, warn: bool = True, of: str = "both"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Regions and activities whose rows all sum to 0, per period.

        A region or activity with nothing has undefined shares: the measures
        give NaN for it (presence False) and go on with the rest. With
        ``warn`` a :class:`~ris3.errors.DegenerateDataWarning` names them
        (only the regions with ``of="regions"``, only the activities with
        ``of="activities"``, for measures the other side does not affect).
        Only regions and activities that have rows in a period count there.

        Returns
        -------
        (ndarray, ndarray)
            Boolean masks of shape ``(n_times, n_regions)`` and
            ``(n_times, n_activities)``: True where the total is 0.

        Examples
        --------
        >>> import warnings, pandas as pd
        >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"],
        ...                    "emp": [1.0, 2.0, 0.0]})
        >>> ct = encode(df, region="geo", activity="nace", value="emp")
        >>> with warnings.catch_warnings(record=True) as w:
        ...     warnings.simplefilter("always")
        ...     zr, za = ct.zero_totals("the location quotient")
        >>> zr.tolist(), za.tolist()
        ([[False, True]], [[False, False]])
        >>> print(w[0].message)
        the location quotient is undefined for 1 region(s) in column 'geo' whose values sum to 0: 'B'; their results are NaN
        """
        import warnings

        from ris3.errors import DegenerateDataWarning

        zr = np.zeros((self.n_times, self.n_regions), dtype=bool)
        za = np.zeros((self.n_times, self.n_activities), dtype=bool)
        for t in range(self.n_times):
            m = self.matrix(t)
            zr[t] = self.present_regions(t) & (np.asarray(m.sum(axis=1)).ravel() <= 0)
            za[t] = self.present_activities(t) & (np.asarray(m.sum(axis=0)).ravel() <= 0)
        if not warn:
            return zr, za
        for mask, labels, what, col in (
            (zr, self.regions, "region(s)", self.columns["region"]),
            (za, self.activities, "activit(ies)", self.columns["activity"]),
        ):
            if (of != "both" and not what.startswith(of[:6])) or not mask.any():
                continue
            when = ""
            if self.times is not None:
                periods = [
                    t.item() if isinstance(t, np.generic) else t
                    for t in self.times[np.flatnonzero(mask.any(axis=1))]
                ]
                when = f" in {self.columns['time']}=" + (
                    repr(periods[0]) if len(periods) == 1 else short_list(periods)
                )
            warnings.warn(
                f"{measure} is undefined for {int(mask.any(axis=0).sum())} {what} in column "
                f"{col!r} whose values sum to 0{when}: "
                f"{short_list(labels[np.flatnonzero(mask.any(axis=0))])}; their results are NaN",
                DegenerateDataWarning,
                stacklevel=3,
            )
        return zr, za

    def require_positive_totals(self, measure: str) -> None:
        """Raise InputError naming regions/activities whose rows all sum to 0.

        Only regions and activities that have rows in a period are checked in
        that period, so a region absent from a year is not an error.
        """
        for t in range(self.n_times):
            m = self.matrix(t)
            when = (
                "" if self.times is None else f" in {self.columns['time']}={_show(self.times[t])}"
            )
            rs = np.asarray(m.sum(axis=1)).ravel()
            bad_r = np.flatnonzero(self.present_regions(t) & (rs <= 0))
            if bad_r.size:
                raise InputError(
                    f"{measure} needs every region to have a positive total; "
                    f"{bad_r.size} region(s) in column {self.columns['region']!r} sum to 0"
                    f"{when}: {short_list(self.regions[bad_r])}. Remove them or "
                    "check the values."
                )
            cs = np.asarray(m.sum(axis=0)).ravel()
            bad_a = np.flatnonzero(self.present_activities(t) & (cs <= 0))
            if bad_a.size:
                raise InputError(
                    f"{measure} needs every activity to have a positive total; "
                    f"{bad_a.size} activit(ies) in column {self.columns['activity']!r} "
                    f"sum to 0{when}: {short_list(self.activities[bad_a])}. Remove them "
                    "or check the values."
                )

    def gather(self, per_period: Sequence[np.ndarray | sp.spmatrix]) -> np.ndarray:
        """Pick, for every kept input row, its cell from per-period matrices.

        ``per_period[t]`` is a regions x activities array (dense or sparse);
        the result has one float per kept row, in input order.
        """
        out = np.empty(len(self.values), dtype=np.float64)
        for t, arr in enumerate(per_period):
            rows = np.flatnonzero(self.time_code == t)
            r, a = self.region_code[rows], self.activity_code[rows]
            if sp.issparse(arr):
                out[rows] = np.asarray(sp.csr_matrix(arr)[r, a]).ravel()
            else:
                out[rows] = np.asarray(arr)[r, a]
        return out

    def full_grid(self, t: int | None = None) -> pd.DataFrame:
        """Key columns of every region x activity [x period] combination.

        Rows are ordered by period, then region, then activity, so that a
        C-ordered ``(n_times, n_regions, n_activities)`` array ``.ravel()``
        lines up with them. Only regions and activities present in a period
        are listed for that period.
        """
        frames = []
        periods = range(self.n_times) if t is None else [t]
        rcol, acol, tcol = self.columns["region"], self.columns["activity"], self.columns["time"]
        for p in periods:
            rr = np.flatnonzero(self.present_regions(p))
            aa = np.flatnonzero(self.present_activities(p))
            df = pd.DataFrame(
                {
                    rcol: np.repeat(self.regions[rr].to_numpy(), aa.size),
                    acol: np.tile(self.activities[aa].to_numpy(), rr.size),
                }
            )
            if tcol is not None and self.times is not None:
                df.insert(0, tcol, self.times[p])
            frames.append(df)
        return pd.concat(frames, ignore_index=True)


def _as_frame(data: object, what: str, keys: Sequence[str | None] = ()) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        if not data.columns.is_unique:
            dup = data.columns[data.columns.duplicated()].unique()
            raise InputError(
                f"{what} has duplicated column names: {short_list(map(str, dup))}; "
                "every column needs its own name"
            )
        return data
    if isinstance(data, str | Path):
        return read_table(data, keys=[k for k in keys if isinstance(k, str)])
    raise InputError(
        f"{what} must be a pandas DataFrame (or a path to a CSV/Parquet/Excel file); "
        f"got {type(data).__name__}"
    )


def encode(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    missing: MissingPolicy = "raise",
    allow_negative: bool = False,
    what: str = "data",
) -> CodedTable:
    """Validate a tidy table and encode it as integer codes.

    Parameters
    ----------
    data : DataFrame or path
        One row per region x activity [x time].
    region, activity, value : str
        Column names (keyword only).
    time : str, optional
        Column of periods; without it the table is one period.
    missing : {"raise", "drop", "zero"}, default "raise"
        What to do with rows whose value is missing. ``"raise"`` stops with an
        error naming the rows; ``"drop"`` removes them; ``"zero"`` treats them
        as 0. The returned :class:`MissingReport` counts what was touched.
    allow_negative : bool, default False
        Accept negative values (e.g. for growth rates). Measures of size
        (employment, exports) never do.
    what : str
        How to call the table in messages.

    Returns
    -------
    CodedTable

    Raises
    ------
    InputError
        Not a table, empty, a named column absent, non-numeric, negative or
        infinite values, missing keys, duplicated keys, or missing values under
        ``missing="raise"``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"],
    ...                    "emp": [1.0, 2.0, 3.0]})
    >>> ct = encode(df, region="geo", activity="nace", value="emp")
    >>> ct.matrix().toarray()
    array([[1., 2.],
           [3., 0.]])
    """
    check_option("missing", missing, MISSING_POLICIES)
    check_flag("allow_negative", allow_negative)
    df = _as_frame(data, what, (region, activity, time))
    cols = {"region": region, "activity": activity, "value": value, "time": time}
    for role, col in cols.items():
        if col is None and role == "time":
            continue
        if not isinstance(col, str):
            raise InputError(f"{role}= must be a column name (str); got {col!r}")
        if col not in df.columns:
            raise InputError(
                f"{what} has no column {col!r} (given as {role}=); "
                f"available columns: {short_list(map(str, df.columns), 20)}"
            )
    key_cols = [c for c in (time, region, activity) if c is not None]
    if len(set(key_cols + [value])) != len(key_cols) + 1:
        raise InputError(
            f"region=, activity=, value= and time= must name different columns; got {cols}"
        )
    if len(df) == 0:
        raise InputError(f"{what} is empty: it has no rows")

    vals = numeric_values(df, value)

    check_keys(df, key_cols)
    if time is not None:
        check_periods(df, time)

    nan = np.isnan(vals)
    n_missing = int(nan.sum())
    keep = np.ones(len(df), dtype=bool)
    dropped = zeroed = 0
    if n_missing:
        if missing == "raise":
            idx = np.flatnonzero(nan)
            ex = ", ".join(row_ref(df, int(i)) for i in idx[:3])
            raise InputError(
                f"column {value!r} has {n_missing} missing value(s), e.g. {ex}; "
                "missing is not zero: choose missing='drop' to leave them out or "
                "missing='zero' to count them as 0"
            )
        if missing == "drop":
            keep = ~nan
            dropped = n_missing
        else:
            vals = np.where(nan, 0.0, vals)
            zeroed = n_missing
    if not allow_negative:
        neg = (vals < 0) & keep
        if neg.any():
            idx = np.flatnonzero(neg)
            raise InputError(
                f"column {value!r} must be >= 0; {idx.size} row(s) are negative, "
                f"e.g. {row_ref(df, int(idx[0]))} = {_show(vals[idx[0]])}"
            )
    groups = df[time].to_numpy() if time is not None else None
    check_sums(df, value, np.where(keep, vals, 0.0), groups)

    dup = df.duplicated(subset=key_cols, keep=False).to_numpy()
    if dup.any():
        ex = df.loc[dup, key_cols].drop_duplicates().head(3).to_dict("records")
        first = ", ".join(row_ref(df, int(i)) for i in np.flatnonzero(dup)[:2])
        raise InputError(
            f"{what} has {int(dup.sum())} rows with duplicated keys {key_cols}, e.g. "
            f"{_show(ex)} ({first}); each (region, activity[, time]) must appear once: "
            "aggregate first"
        )

    kept = df.loc[keep, key_cols].reset_index(drop=True)
    vals = vals[keep]
    if len(kept) == 0:
        raise InputError(f"{what} has no rows left after missing={missing!r}")
    r_code, regions = pd.factorize(kept[region], sort=True)
    a_code, activities = pd.factorize(kept[activity], sort=True)
    if time is not None:
        t_code, times = pd.factorize(kept[time], sort=True)
    else:
        t_code, times = np.zeros(len(kept), dtype=np.int64), None
    return CodedTable(
        regions=pd.Index(regions),
        activities=pd.Index(activities),
        times=None if times is None else pd.Index(times),
        region_code=np.asarray(r_code, dtype=np.int64),
        activity_code=np.asarray(a_code, dtype=np.int64),
        time_code=np.asarray(t_code, dtype=np.int64),
        values=np.ascontiguousarray(vals, dtype=np.float64),
        keys=kept,
        columns=cols,
        missing=MissingReport(
            missing,
            n_missing,
            dropped,
            zeroed,
            keys=df.loc[nan, key_cols].reset_index(drop=True) if n_missing else None,
        ),
    )
