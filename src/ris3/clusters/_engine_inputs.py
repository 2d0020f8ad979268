"""Engine and input-column checks shared by skill relatedness and job-spell flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ris3._validation import check_option, short_list
from ris3.errors import (
    ConventionError,
    InputError,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

__all__ = ["_backend", "_require_columns"]


def _backend(engine: str, backend: BaseBackend | None) -> BaseBackend:
    from ris3.engines.backend import ENGINES, backend_name, connect

    check_option("engine", engine, ENGINES)
    if backend is None:
        return connect(engine)  # type: ignore[arg-type]
    if backend_name(backend) != engine and engine != "duckdb":
        raise ConventionError(
            f"engine={engine!r} conflicts with the backend given "
            f"({backend_name(backend)!r}); pass one or the other"
        )
    return backend


def _require_columns(table: ir.Table, what: str, wanted: dict[str, str]) -> None:
    for keyword, column in wanted.items():
        if not isinstance(column, str):
            raise InputError(f"{keyword} must be a column name (str); got {column!r}")
    missing = [c for c in wanted.values() if c not in table.columns]
    if missing:
        raise InputError(
            f"{what} has no column {short_list(missing)}; "
            f"its columns are {short_list(list(table.columns))}"
        )
