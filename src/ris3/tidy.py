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

from ris3._validation import check_option, short_list
from ris3.errors import InputError

__all__ = ["MissingPolicy", "MissingReport", "CodedTable", "encode", "read_table"]

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
    """

    policy: str
    missing_cells: int = 0
    dropped: int = 0
    zeroed: int = 0

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
        return len(self.regions)

    @property
    def n_activities(self) -> int:
        return len(self.activities)

    @property
    def n_times(self) -> int:
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
        """The CSR matrix of period code ``t``."""
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

    def present_activities(self, t: int = 0) -> np.ndarray:
        """Boolean mask of activities with at least one row in period ``t``."""
        mask = np.zeros(self.n_activities, dtype=bool)
        mask[self.activity_code[self.time_code == t]] = True
        return mask

    def period_label(self, t: int) -> object:
        """The label of period code ``t`` (None without time), for messages."""
        return None if self.times is None else self.times[t]

    def require_positive_totals(self, measure: str) -> None:
        """Raise InputError naming regions/activities whose rows all sum to 0.

        Only regions and activities that have rows in a period are checked in
        that period, so a region absent from a year is not an error.
        """
        for t in range(self.n_times):
            m = self.matrix(t)
            when = "" if self.times is None else f" in {self.columns['time']}={self.times[t]!r}"
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


TABLE_SUFFIXES = (".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz", ".parquet", ".pq", ".xlsx")


def read_table(
    path: str | Path,
    *,
    keys: Sequence[str] = (),
    dtype: dict[str, object] | None = None,
) -> pd.DataFrame:
    """Read a CSV, TSV, Parquet or Excel (.xlsx) file into a DataFrame, by extension.

    Key columns named in ``keys`` are read from CSV, TSV and Excel as text,
    always: codes such as ``"011"`` keep their leading zeros and ``"011"``
    and ``"11"`` stay two codes (an Excel cell holding the number 11 becomes
    ``"11"``); Parquet files keep the types they store. ``dtype``
    (CSV/TSV only) maps further column names to types; names absent from the
    file are ignored. Rows of a CSV or Excel file can be named by their file
    line in messages (see :func:`row_ref`).

    Raises :class:`~ris3.errors.DataFileError` for a missing, empty or corrupt
    file, or an extension other than .csv, .csv.gz, .txt, .tsv, .tsv.gz,
    .parquet, .pq, .xlsx.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("nace,emp\\n011,5\\n11,7\\n")
    >>> read_table(p, keys=["nace"])["nace"].tolist()
    ['011', '11']
    """
    from ris3.errors import DataFileError

    if not isinstance(path, str | Path):
        raise InputError(f"path must be a file path (str or Path); got {type(path).__name__}")
    if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
        raise InputError(f"keys must be a list of column names; got {keys!r}")
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"input file {str(p)!r} does not exist")
    if p.is_dir():
        raise DataFileError(f"input {str(p)!r} is a folder; give a file")
    name = p.name.lower()
    types: dict[str, object] = {**(dtype or {}), **{k: str for k in keys}}
    first_line: int | None = None
    try:
        if name.endswith((".parquet", ".pq")):
            df = pd.read_parquet(p)  # Parquet stores its types: keys stay as written
        elif name.endswith((".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz")):
            sep = "\t" if name.endswith((".tsv", ".tsv.gz")) else ","
            df = pd.read_csv(p, sep=sep, dtype=types or None)  # type: ignore[arg-type]
            first_line = 2
        elif name.endswith(".xlsx"):
            df = pd.read_excel(p, dtype={k: object for k in keys} or None)
            for k in keys:
                if k in df.columns:
                    df[k] = _as_text(df[k])
            first_line = 2
        else:
            raise DataFileError(
                f"input file {str(p)!r} has an unknown extension; allowed: "
                f"{', '.join(TABLE_SUFFIXES)}"
            )
    except DataFileError:
        raise
    except pd.errors.EmptyDataError as exc:
        raise DataFileError(f"input file {str(p)!r} is empty") from exc
    except Exception as exc:  # parsers (pandas, pyarrow, openpyxl) raise their own types
        msg = " ".join(str(exc).split())
        raise DataFileError(f"cannot read {str(p)!r}: {msg}") from exc
    df.attrs["source"] = p.name
    if first_line is not None:
        df.attrs["first_line"] = first_line
        df.attrs["n_rows"] = len(df)
    return df


def _as_text(col: pd.Series) -> pd.Series:
    """Key values as text: 11.0 from a numeric cell is "11", NaN stays missing."""

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and v != v):
            return np.nan
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, np.generic):
            return str(v.item())
        return str(v)

    return col.map(one).astype(object)


def row_ref(df: pd.DataFrame, position: int) -> str:
    """Name a row for a message: ``line 5 of data.csv`` when read from a file.

    Falls back to the row's index label (``row 3``) for tables built in
    Python or reshaped after reading.

    Examples
    --------
    >>> import pandas as pd
    >>> row_ref(pd.DataFrame({"a": [1, 2]}), 1)
    'row 1'
    """
    first = df.attrs.get("first_line")
    if (
        first is not None
        and df.attrs.get("n_rows") == len(df)
        and isinstance(df.index, pd.RangeIndex)
        and df.index.start == 0
        and df.index.step == 1
    ):
        return f"line {position + int(first)} of {df.attrs.get('source', 'the file')}"
    label = df.index[position]
    return f"row {label.item() if isinstance(label, np.generic) else label}"


def _show(v: object) -> str:
    """repr without numpy wrappers: 2008 rather than np.int64(2008)."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_show(k)}: {_show(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    return repr(v)


def _is_bad_scalar(v: object) -> bool:
    return isinstance(v, bool | np.bool_ | complex | np.complexfloating | np.timedelta64) or (
        isinstance(v, pd.Timedelta | pd.Timestamp | np.datetime64)
    )


def numeric_values(df: pd.DataFrame, value: str, role: str = "value") -> np.ndarray:
    """The value column as float64, refusing anything that is not a real number.

    Booleans, timedeltas, dates and complex numbers are refused (they would
    silently become 0/1, nanoseconds or a real part); so are infinities and
    nonzero values too small for a share to be computed (subnormal floats).
    Missing values come back as NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> numeric_values(pd.DataFrame({"v": [1, None]}), "v")
    array([ 1., nan])
    """
    raw = df[value]
    dt = raw.dtype
    kind = getattr(dt, "kind", "O")
    if pd.api.types.is_bool_dtype(raw) or kind in "bmMc":
        what = {"b": "true/false", "m": "durations", "M": "dates", "c": "complex numbers"}
        raise InputError(
            f"column {value!r} ({role}=) must hold real numbers; it holds "
            f"{what.get(kind, 'true/false')} ({dt})"
        )
    if not pd.api.types.is_numeric_dtype(raw):
        odd = raw.map(_is_bad_scalar).to_numpy(dtype=bool)
        if odd.any():
            i = int(np.flatnonzero(odd)[0])
            raise InputError(
                f"column {value!r} ({role}=) must hold real numbers; {row_ref(df, i)} "
                f"is {_show(raw.iloc[i])} ({type(raw.iloc[i]).__name__})"
            )
        coerced = pd.to_numeric(raw, errors="coerce")
        bad = (raw.notna() & coerced.isna()).to_numpy()
        if bad.any():
            idx = np.flatnonzero(bad)
            raise InputError(
                f"column {value!r} ({role}=) must be numeric; {idx.size} row(s) are not, "
                f"e.g. {row_ref(df, int(idx[0]))} = {_show(raw.iloc[idx[0]])}. Convert or "
                "remove them (Eurostat flags such as ':' or 'c' are read by "
                "ris3.data.read_eurostat_tsv)"
            )
        raw = coerced
    vals = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    inf = np.isinf(vals)
    if inf.any():
        i = int(np.flatnonzero(inf)[0])
        raise InputError(
            f"column {value!r} must be finite; {int(inf.sum())} row(s) are not, e.g. "
            f"{row_ref(df, i)} = {_show(vals[i])}"
        )
    tiny = (vals != 0) & (np.abs(vals) < np.finfo(np.float64).tiny)
    if tiny.any():
        i = int(np.flatnonzero(tiny)[0])
        raise InputError(
            f"column {value!r} has {int(tiny.sum())} nonzero value(s) below "
            f"{np.finfo(np.float64).tiny:.3g} in magnitude, e.g. {row_ref(df, i)} = "
            f"{_show(vals[i])}; shares of such values cannot be computed: rescale the column"
        )
    return vals


def check_sums(
    df: pd.DataFrame, value: str, vals: np.ndarray, groups: np.ndarray | None = None
) -> None:
    """Raise InputError when the values (per period) sum beyond float64.

    Totals, shares and LQs need the sum of all values; when it overflows
    every result would be inf or 0, so the largest cells are named instead.
    """
    mags = np.abs(np.nan_to_num(vals, nan=0.0))
    with np.errstate(over="ignore", invalid="ignore"):
        if groups is None:
            ok = bool(np.isfinite(mags.sum()))
        else:
            totals = pd.Series(mags).groupby(pd.Series(groups).to_numpy()).sum()
            ok = bool(np.isfinite(totals.to_numpy()).all())
    if not ok:
        top = np.argsort(-mags, kind="stable")[:3]
        cells = ", ".join(f"{row_ref(df, int(i))} = {_show(vals[i])}" for i in top)
        raise InputError(
            f"column {value!r}: the values sum beyond the largest float "
            f"({np.finfo(np.float64).max:.3g}), so totals and shares cannot be computed; "
            f"largest cells: {cells}. Rescale the column (e.g. to thousands)"
        )


def check_keys(df: pd.DataFrame, key_cols: Sequence[str]) -> None:
    """Raise InputError naming the first row whose key (region, activity, time) is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> check_keys(pd.DataFrame({"geo": ["A", "B"]}), ["geo"])
    """
    for c in key_cols:
        nk = df[c].isna().to_numpy()
        if nk.any():
            raise InputError(
                f"column {c!r} has {int(nk.sum())} missing key(s), e.g. "
                f"{row_ref(df, int(np.flatnonzero(nk)[0]))}; every row needs a {c!r}"
            )


def warn_negative(df: pd.DataFrame, value: str, vals: np.ndarray, action: str) -> None:
    """Warn (DataQualityWarning) that ``value`` has negative entries, naming one."""
    import warnings

    from ris3.errors import DataQualityWarning

    neg = np.flatnonzero(vals < 0)
    if neg.size:
        warnings.warn(
            f"column {value!r} has {neg.size} negative value(s), e.g. "
            f"{row_ref(df, int(neg[0]))} = {_show(vals[neg[0]])}; {action}",
            DataQualityWarning,
            stacklevel=3,
        )


def check_periods(df: pd.DataFrame, time: str) -> None:
    """Raise InputError when a time column mixes numbers with other text.

    ``2013`` next to ``2013a`` is a typo, not a period of its own.
    """
    col = df[time]
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        return
    text = col.dropna().astype(str).str.strip()
    numeric = pd.to_numeric(text, errors="coerce").notna().to_numpy()
    if numeric.any() and not numeric.all():
        pos = int(np.flatnonzero(~numeric)[0])
        i = int(df.index.get_indexer([text.index[pos]])[0])
        raise InputError(
            f"column {time!r} (time=) mixes years with other text: {row_ref(df, i)} is "
            f"{_show(text.iloc[pos])} while other rows are numbers; fix the typo or "
            "use one format for every period"
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
    if not isinstance(allow_negative, bool | np.bool_):
        raise InputError(f"allow_negative must be True or False; got {allow_negative!r}")
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
        missing=MissingReport(missing, n_missing, dropped, zeroed),
    )
