"""The exception types other libraries raise on bad input, named so ris3 catches only those.

ris3 turns a damaged file or an engine's complaint into a one-line ris3
error; anything else (a bug) must propagate. Parsers (pandas, pyarrow,
openpyxl, zipfile) and engines (DuckDB, Ibis, Spark) raise their own types:
the functions below list them. Optional libraries are included only when
they are already imported -- a library that was never imported raised
nothing -- so listing them costs no import.
"""

from __future__ import annotations

import csv
import sys
import zipfile

__all__ = ["engine_error_types", "parser_error_types"]

#: (module, class) of the base exception of each engine library
_ENGINE_BASES = (
    ("duckdb", "Error"),
    ("ibis.common.exceptions", "IbisError"),
    ("sqlglot.errors", "SqlglotError"),
    ("py4j.protocol", "Py4JError"),
    ("pyspark.errors", "PySparkException"),
)
#: (module, class) of the file-format errors of optional parsers
_PARSER_BASES = (
    ("pyarrow", "ArrowException"),
    ("openpyxl.utils.exceptions", "InvalidFileException"),
)
#: what the standard library and pandas raise on a malformed file (pandas'
#: ParserError and EmptyDataError are ValueErrors)
_BUILTIN_PARSER_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    EOFError,
    OSError,
    UnicodeError,
    csv.Error,
    zipfile.BadZipFile,
)


def _loaded(bases: tuple[tuple[str, str], ...]) -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    for module, name in bases:
        mod = sys.modules.get(module)
        cls = getattr(mod, name, None) if mod is not None else None
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


def engine_error_types() -> tuple[type[BaseException], ...]:
    """Return the base exception classes of the engine libraries in use (for ``except``).

    Examples
    --------
    >>> import duckdb
    >>> duckdb.Error in engine_error_types()
    True
    """
    return _loaded(_ENGINE_BASES)


def parser_error_types() -> tuple[type[BaseException], ...]:
    """Exception classes a table parser raises on a malformed or damaged file.

    Examples
    --------
    >>> issubclass(zipfile.BadZipFile, parser_error_types())
    True
    >>> issubclass(AttributeError, parser_error_types())  # a bug is not a bad file
    False
    """
    return _BUILTIN_PARSER_ERRORS + _loaded(_PARSER_BASES)
