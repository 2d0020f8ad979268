"""Readers for generic tables (CSV, Parquet, Excel) and shared file plumbing.

Every reader in :mod:`ris3.data` returns a :class:`~ris3.data.quality.ReadResult`
(the tidy table and its :class:`~ris3.data.quality.QualityReport`) and raises
:class:`~ris3.errors.DataFileError` for files it cannot read, naming the file
and, where there is one, the line or code at fault.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ris3._foreign_errors import parser_error_types
from ris3._validation import short_list
from ris3.data.quality import ReadResult, assess
from ris3.errors import DataFileError, InputError

__all__ = ["read_checked", "read_table", "nuts_levels"]

_NUTS_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
# Eurostat aggregates look like NUTS codes but are not regions.
_AGGREGATE_PREFIXES = ("EU", "EA", "EEA", "EFTA")


def nuts_levels(codes: pd.Series | pd.Index | list[str]) -> np.ndarray:
    """NUTS level of each code: 0 (country) to 3, or -1 for non-NUTS codes.

    A NUTS code is two capital letters followed by up to three letters or
    digits; the level is the number of characters after the country part.
    Eurostat aggregates (EU28, EA19, ...) are not NUTS codes.

    Examples
    --------
    >>> nuts_levels(["AT", "AT3", "AT33", "AT332", "EU28", "x1"]).tolist()
    [0, 1, 2, 3, -1, -1]
    """
    code, uniq = pd.factorize(pd.Index(codes).astype(str))
    s = pd.Series(uniq, dtype=object)
    ok = s.str.match(_NUTS_RE.pattern) & ~s.str.startswith(_AGGREGATE_PREFIXES)
    levels = np.where(ok.to_numpy(dtype=bool), s.str.len().to_numpy() - 2, -1).astype(np.int64)
    return levels[code] if len(code) else np.zeros(0, dtype=np.int64)


def check_path(path: Any, what: str = "input file") -> Path:
    """Return ``path`` as a Path to an existing file, else DataFileError."""
    if not isinstance(path, str | Path):
        raise InputError(f"path must be a str or pathlib.Path; got {type(path).__name__}")
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{what} {str(p)!r} does not exist")
    if not p.is_file():
        raise DataFileError(f"{what} {str(p)!r} is not a file")
    return p


def read_text(path: Path) -> str:
    """Return the text of a plain or gzip-compressed file (UTF-8), with typed errors.

    Raises DataFileError for a corrupt or truncated gzip stream, undecodable
    bytes or an empty file.
    """
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b" or path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except EOFError as exc:
            raise DataFileError(
                f"{str(path)!r} is a truncated gzip file (the compressed stream ends early); "
                "download it again"
            ) from exc
        except (OSError, zlib.error) as exc:
            raise DataFileError(f"{str(path)!r} is not a valid gzip file: {exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(
            f"{str(path)!r} is not UTF-8 text: undecodable byte at line {line}"
        ) from exc
    if not text.strip():
        raise DataFileError(f"{str(path)!r} is empty")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataFileError(f"{str(path)!r} is not a text table: NUL byte at line {line}")
    return text


def _read_any(p: Path, sheet: str | int | None, codes: list[str]) -> pd.DataFrame:
    """Read by extension; the ``codes`` columns stay text (``"01"`` is not 1)."""
    from ris3.tidy import read_table as read_plain

    dtype: dict[str, object] = {c: str for c in codes}
    name = p.name.lower()
    if not name.endswith((".xlsx", ".xlsm", ".xls")):
        if sheet is not None:
            raise InputError(
                f"sheet= applies to Excel files only; got sheet={sheet!r} for {p.name!r}"
            )
        return read_plain(p, dtype=dtype)
    try:
        df = pd.read_excel(p, sheet_name=0 if sheet is None else sheet, dtype=dtype)  # type: ignore[arg-type]
    except ValueError as exc:
        if "not found" in str(exc) or "Worksheet" in str(exc):
            raise DataFileError(f"Excel file {str(p)!r} has no sheet {sheet!r}: {exc}") from exc
        raise DataFileError(f"cannot read Excel file {str(p)!r}: {exc}") from exc
    except parser_error_types() as exc:  # openpyxl/zipfile raise their own types
        raise DataFileError(f"cannot read Excel file {str(p)!r}: {exc}") from exc
    df = df.dropna(how="all")
    if df.empty:
        raise DataFileError(
            f"Excel file {str(p)!r} (sheet {0 if sheet is None else sheet!r}) has no data rows"
        )
    return df


def read_checked(
    path: str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    sheet: str | int | None = None,
    rename: Mapping[str, str] | None = None,
    nuts_level: int | None = None,
    flag: str | None = None,
    known_regions: Any = None,
    known_activities: Any = None,
) -> ReadResult:
    r"""Read a CSV, Parquet or Excel table with named columns, plus a quality report.

    Parameters
    ----------
    path : str or Path
        ``.csv``, ``.csv.gz``, ``.tsv``, ``.parquet``/``.pq`` or ``.xlsx``.
    region, activity, value : str
        Column names after ``rename`` (keyword only).
    time : str, optional
        Column of periods.
    sheet : str or int, optional
        Excel sheet (name or 0-based position); default the first.
    rename : mapping, optional
        ``{old: new}`` column names applied right after reading.
    nuts_level : int, optional
        Require every region code to be a NUTS code of this level (0-3).
    flag : str, optional
        Column of Eurostat-style flag letters (``"c"`` = confidential).
    known_regions, known_activities : set, list, Series or classification, optional
        Codes to check the table against; unknown codes are listed in the report.

    Returns
    -------
    ReadResult
        ``data`` keeps every column of the file (renamed); the value column is
        numeric (float64) with missing cells as NaN.

    Raises
    ------
    DataFileError
        The file is missing, empty, corrupt, or an Excel sheet has no data.
    InputError
        A named column is absent, values are not numeric, keys are duplicated,
        or region codes are not all at ``nuts_level``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "emp.csv"
    >>> _ = p.write_text("nuts,nace,emp\nAT33,C,10\nAT33,F,\nAT34,C,5\n")
    >>> res = read_checked(p, region="nuts", activity="nace", value="emp", nuts_level=2)
    >>> res.data["emp"].tolist()
    [10.0, nan, 5.0]
    >>> res.quality.missing_cells
    1
    """
    from ris3.tidy import encode

    p = check_path(path)
    original = (
        {new: old for old, new in dict(rename or {}).items()} if isinstance(rename, Mapping) else {}
    )
    df = _read_any(p, sheet, [original.get(c, c) for c in (region, activity) if isinstance(c, str)])
    if rename is not None:
        if not isinstance(rename, Mapping):
            raise InputError(f"rename must be a mapping {{old: new}}; got {type(rename).__name__}")
        absent = [k for k in rename if k not in df.columns]
        if absent:
            raise InputError(
                f"rename names column(s) {short_list(absent)} that {p.name!r} does not have; "
                f"available columns: {short_list(map(str, df.columns), 20)}"
            )
        df = df.rename(columns=dict(rename))
    df = df.copy()
    # encode() checks columns, numeric values and duplicated keys; negative
    # values are reported as anomalies instead of refused.
    encode(
        df,
        region=region,
        activity=activity,
        value=value,
        time=time,
        missing="drop",
        allow_negative=True,
        what=f"table {p.name!r}",
    )
    df[value] = pd.to_numeric(df[value]).astype(np.float64)
    if flag is not None and flag not in df.columns:
        raise InputError(
            f"table {p.name!r} has no column {flag!r} (given as flag=); "
            f"available columns: {short_list(map(str, df.columns), 20)}"
        )
    if nuts_level is not None:
        check_nuts_level(df[region], nuts_level, column=region, source=p.name)
    quality = assess(
        df,
        region=region,
        activity=activity,
        value=value,
        time=time,
        flag=flag,
        known_regions=known_regions,
        known_activities=known_activities,
        source=str(p),
    )
    return ReadResult(
        data=df,
        quality=quality,
        columns={"region": region, "activity": activity, "value": value, "time": time},
    )


def check_nuts_level(codes: pd.Series, level: int, *, column: str, source: str) -> None:
    """Raise InputError unless every code is a NUTS code of ``level``."""
    from ris3._validation import check_number

    check_number("nuts_level", level, low=0, high=3, integer=True)
    levels = nuts_levels(codes)
    bad = levels != level
    if bad.any():
        found = pd.Series(levels[bad]).value_counts().sort_index()
        kinds = ", ".join(
            f"{n} at level {lv}" if int(lv) >= 0 else f"{n} not NUTS codes"  # type: ignore[call-overload]
            for lv, n in found.items()
        )
        examples = pd.unique(codes.astype(str).to_numpy()[bad])
        raise InputError(
            f"column {column!r} of {source!r} must hold NUTS level {level} codes only "
            f"(nuts_level={level}); it mixes levels: {kinds}, e.g. {short_list(examples, 5)}"
        )


def read_table(*args: Any, **kwargs: Any) -> ReadResult:
    """Call :func:`read_checked` under its deprecated name; emit a FutureWarning.

    ``ris3.read_table`` reads a plain DataFrame; this reader returns a
    :class:`~ris3.data.quality.ReadResult` and is now called ``read_checked``.
    """
    import warnings

    warnings.warn(
        "ris3.data.read_table is renamed ris3.data.read_checked (it returns a ReadResult; "
        "ris3.read_table returns a DataFrame); the old name will be removed in 0.3",
        FutureWarning,
        stacklevel=2,
    )
    return read_checked(*args, **kwargs)
