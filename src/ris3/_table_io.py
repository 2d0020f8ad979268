"""Reading tables from files: one policy for key columns, rows named by file line.

Key columns (region, activity codes) are read from CSV, TSV and Excel as
text, always, so ``"011"`` keeps its leading zero and ``"011"`` and ``"11"``
stay two codes. :func:`row_ref` names a row for messages by its file line
when the table came from a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ris3._foreign_errors import parser_error_types
from ris3.errors import InputError

__all__ = ["TABLE_SUFFIXES", "read_table", "row_ref"]

TABLE_SUFFIXES = (".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz", ".parquet", ".pq", ".xlsx")


def read_table(
    path: str | Path,
    *,
    keys: Sequence[str] = (),
    dtype: dict[str, object] | None = None,
) -> pd.DataFrame:
    r"""Read a CSV, TSV, Parquet or Excel (.xlsx) file into a DataFrame, by extension.

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
    >>> _ = p.write_text("nace,emp\n011,5\n11,7\n")
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
    except parser_error_types() as exc:  # parsers (pandas, pyarrow, openpyxl) raise their own
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
