"""Shared plumbing for CLI commands: reading, writing, errors, progress."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import typer

from ris3.errors import DataFileError, Ris3Error

STATE: dict[str, Any] = {"debug": False}
T = TypeVar("T")

OUTPUT_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq")


def read_input(path: Path) -> pd.DataFrame:
    """Read CSV or Parquet by extension (ris3 errors on bad files)."""
    from ris3.tidy import read_table

    return read_table(path)


def write_output(df: pd.DataFrame, path: Path) -> None:
    """Write CSV or Parquet by extension; create the folder if needed."""
    name = path.name.lower()
    if not name.endswith(OUTPUT_SUFFIXES):
        raise DataFileError(
            f"--out {str(path)!r} has an unknown extension; allowed: {', '.join(OUTPUT_SUFFIXES)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith((".parquet", ".pq")):
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)


def progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """Iterate with a rich progress bar on stderr when there is more than one item."""
    if total <= 1:
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the typer app; turn ris3 errors into a one-line message, exit code 2."""
    debug = "--debug" in argv
    try:
        app(args=argv, standalone_mode=False)
    except Ris3Error as exc:
        if debug:
            traceback.print_exc()
        print(f"ris3: error: {exc}", file=sys.stderr)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print("ris3: aborted", file=sys.stderr)
        return 1
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        if debug:
            raise
        print(
            f"ris3: error: {type(exc).__name__}: {exc} (run with --debug for details)",
            file=sys.stderr,
        )
        return 1
    return 0
