"""One translator from engine errors (DuckDB, Ibis, Spark) to ris3 errors.

Engines report bad input in their own words, often with the SQL they ran
echoed over several lines. :func:`translate_engine_error` turns the common
cases into one-line :class:`~ris3.errors.DataFileError` or
:class:`~ris3.errors.InputError` messages that say which file, which
column, which value and what is allowed; :func:`engine_errors` applies it
around a block of engine work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from ris3._foreign_errors import engine_error_types
from ris3.errors import DataFileError, InputError, Ris3Error

__all__ = ["translate_engine_error", "engine_errors", "is_engine_error"]

_ENGINE_MODULES = ("duckdb", "_duckdb", "ibis", "pyspark", "py4j", "sqlglot")

_TYPES = {
    "DOUBLE": "a number",
    "FLOAT": "a number",
    "DECIMAL": "a number",
    "BIGINT": "an integer",
    "INTEGER": "an integer",
    "INT": "an integer",
    "SMALLINT": "an integer",
    "TINYINT": "an integer",
    "HUGEINT": "an integer",
    "DATE": "a date (YYYY-MM-DD)",
    "TIMESTAMP": "a date and time",
    "BOOLEAN": "true or false",
}


def is_engine_error(exc: BaseException) -> bool:
    """Return True when ``exc`` was raised by an engine library rather than by ris3."""
    if isinstance(exc, Ris3Error):
        return False
    return any(k.__module__.split(".")[0] in _ENGINE_MODULES for k in type(exc).__mro__)


def _first_line(text: str) -> str:
    # engines echo the SQL after "LINE 1:"; keep what comes before
    head = re.split(r"\bLINE \d+:", text, maxsplit=1)[0]
    head = re.sub(r"^[A-Za-z ]*(Error|Exception):\s*", "", head.strip())
    return " ".join(head.split())


def translate_engine_error(exc: BaseException, source: str | None = None) -> Ris3Error | None:
    r"""Return a one-line ris3 error for an engine error, or None when it is not one.

    Examples
    --------
    >>> class ConversionException(Exception):
    ...     __module__ = "duckdb"
    >>> e = ConversionException("Conversion Error: Could not convert string 'c' to DOUBLE "
    ...                         "when casting from source column v\nLINE 1: SELECT ...")
    >>> print(translate_engine_error(e, "panel.parquet"))
    panel.parquet: column 'v' must hold a number in every row; got 'c'
    """
    if not is_engine_error(exc):
        return None
    text = str(exc)
    where = f"{source}: " if source else ""
    m = re.search(
        r"Could not convert string '(?P<val>[^']*)' to '?(?P<type>[A-Z0-9_]+)'?"
        r"(?:.*?source column (?P<col>[\w.]+))?",
        text,
        re.S,
    )
    if m:
        col = m.group("col")
        want = _TYPES.get(m.group("type").split("(")[0], f"type {m.group('type')}")
        what = f"column {col!r}" if col else "a column"
        return InputError(f"{where}{what} must hold {want} in every row; got {m.group('val')!r}")
    m = re.search(r"File '(?P<file>[^']+)' too small to be a Parquet file", text) or re.search(
        r"No magic bytes found at end of file '(?P<file>[^']+)'", text
    )
    if m:
        return DataFileError(
            f"cannot read {m.group('file')!r}: not a Parquet file, or truncated "
            "(Parquet files end with the bytes PAR1)"
        )
    m = re.search(r"No files found that match the pattern \"(?P<pat>[^\"]+)\"", text)
    if m:
        return DataFileError(f"no file matches {m.group('pat')!r}")
    m = re.search(r"[Rr]eferenced column \"?(?P<col>[^\"\s]+)\"? not found", text)
    if m:
        return InputError(f"{where}no column {m.group('col')!r} in the data")
    m = re.search(r"Out of Memory Error: (?P<msg>[^\n]+)", text)
    if m:
        return InputError(
            f"the engine ran out of memory ({_first_line(m.group('msg'))}); raise "
            "memory_limit or give a temp_directory to spill to"
        )
    kind = type(exc).__name__
    return DataFileError(
        f"{where}the {_engine_name(exc)} engine could not run: {kind}: {_first_line(text)}"
    )


def _engine_name(exc: BaseException) -> str:
    mod = type(exc).__module__.split(".")[0].lstrip("_")
    return {"pyspark": "Spark", "py4j": "Spark", "duckdb": "DuckDB", "ibis": "Ibis"}.get(mod, mod)


@contextmanager
def engine_errors(source: str | None = None) -> Iterator[None]:
    """Re-raise engine errors inside the block as one-line ris3 errors."""
    try:
        yield
    except engine_error_types() as exc:  # only the engines' own errors; a bug propagates
        err = translate_engine_error(exc, source)
        if err is None:
            raise
        raise err from exc
