"""Shared plumbing for CLI commands: reading, errors, warnings, progress.

Outputs are written by :class:`ris3._cli.output.Outputs` (checked before
computing, renamed into place when every output is ready).
"""

from __future__ import annotations

import re
import sys
import traceback
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import typer

from ris3._cli.output import OUTPUT_SUFFIXES, Outputs
from ris3._foreign_errors import engine_error_types
from ris3.errors import Ris3Error

__all__ = [
    "OUTPUT_SUFFIXES",
    "Outputs",
    "read_input",
    "progress",
    "renamed_option",
    "run_app",
    "STATE",
]

STATE: dict[str, Any] = {"debug": False}
T = TypeVar("T")

# Python keyword names used in library messages that differ from the CLI option
KEYWORD_ALIASES: dict[str, dict[str, str]] = {
    "profile": {
        "n_peers": "--peers",
        "data": "--data",
        "map_activity": "--map-activity",
        "target": "REGION",
        "time": "--time",
        "estimate_suppressed": "--estimate-suppressed",
    },
    "clusters": {"data": "INPUT"},
    "stars": {"data": "INPUT"},
    "portfolio": {"data": "INPUT", "region": "--region"},
    "evaluate": {
        k: f"[evaluation] {k} ="
        for k in ("missing", "nonpositive", "region_rule", "productivity", "estimators")
    },
}


def renamed_option(new_value: T | None, old_value: T | None, *, new: str, old: str) -> T | None:
    """Return the value of an option given under its new or its old (hidden) spelling.

    The old spelling works for one release and prints a warning naming the
    new one; giving both is an error.

    Examples
    --------
    >>> renamed_option("emp", None, new="--value", old="--employment")
    'emp'
    """
    if old_value is None:
        return new_value
    if new_value is not None:
        from ris3.errors import InputError

        raise InputError(f"give {new} only ({old} is its old spelling)")
    print(
        f"ris3: warning: {old} is renamed {new} in ris3 0.2.0; the old spelling stops "
        "working in 0.3.0",
        file=sys.stderr,
    )
    return old_value


def read_input(path: Path, keys: Sequence[str | None] = ()) -> pd.DataFrame:
    """Read CSV, Parquet or Excel by extension; ``keys`` columns are read as text.

    Every table a command reads must have rows: a header alone is an error.
    """
    from ris3.errors import DataFileError
    from ris3.tidy import read_table

    table = read_table(path, keys=[k for k in keys if k is not None])
    if len(table) == 0:
        raise DataFileError(f"input file {str(path)!r} has a header but no rows")
    return table


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


def _click_exception_types() -> tuple[type[Exception], ...]:
    """Click's exception classes: typer may bundle its own copy of click."""
    found: list[type[Exception]] = []
    try:
        from typer._click.exceptions import ClickException as Bundled

        found.append(Bundled)
    except ImportError:  # pragma: no cover - typer without a bundled click
        pass
    try:
        import click

        found.append(click.ClickException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(found)


def _command_name(argv: Sequence[str]) -> str | None:
    for a in argv:
        if not a.startswith("-"):
            return a
    return None


def _option_names(app: typer.Typer, command: str | None) -> dict[str, str]:
    """Python parameter name -> CLI option (``min_share`` -> ``--min-share``)."""
    if command is None:
        return {}
    try:
        group = typer.main.get_command(app)
        cmd = group.commands.get(command)  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - an app of one command has no .commands
        return {}
    names: dict[str, str] = {}
    for p in getattr(cmd, "params", []):
        opts = [o for o in getattr(p, "opts", []) if o.startswith("--")]
        if opts and p.name:
            names[p.name] = max(opts, key=len)
    names.update(KEYWORD_ALIASES.get(command, {}))
    return names


_NUMPY_REPR = re.compile(
    r"\bnp\.(?:u?int\d*|float\d*|bool_?|str_|datetime64|complex\d*)\(([^()]*)\)"
)
_KEYWORD = re.compile(r"\b([a-z][a-z0-9_]*)=('[^']*'|\"[^\"]*\"|[^\s,;:)\]]+)?")


def cli_terms(message: str, options: dict[str, str]) -> str:
    """Say a library message in CLI terms, on one line.

    ``missing='drop'`` becomes ``--missing drop``, ``(given as value=)``
    becomes ``(given as --value)``; numpy reprs such as ``np.int64(2008)``
    become ``2008``.

    Examples
    --------
    >>> cli_terms("choose missing='drop' (value=) at np.int64(2008)",
    ...           {"missing": "--missing", "value": "--value"})
    'choose --missing drop (--value) at 2008'
    """
    text = " ".join(str(message).split())
    text = _NUMPY_REPR.sub(lambda m: m.group(1), text)

    def repl(m: re.Match[str]) -> str:
        opt = options.get(m.group(1))
        if opt is None:
            return m.group(0)
        val = m.group(2)
        if not val:
            return opt
        if val == "None":
            return f"no {opt}"
        if val[0] in "'\"":
            val = val[1:-1]
        if opt.startswith("[") and val in ("True", "False"):
            val = val.lower()  # TOML spelling in config keys
        return f"{opt} {val}"

    return _KEYWORD.sub(repl, text)


def _usage_message(exc: Exception, argv: Sequence[str]) -> str:
    """One line for a click usage error: the option, what it accepts, what was given."""
    param = getattr(exc, "param", None)
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    if param is not None and type(exc).__name__ == "BadParameter":
        name = max(opts, key=len) if opts else (param.name or "").upper()
        given = None
        for i, a in enumerate(argv):
            if a in opts and i + 1 < len(argv):
                given = argv[i + 1]
            elif any(a.startswith(o + "=") for o in opts):
                given = a.split("=", 1)[1]
        want = _accepts(param)
        msg = f"{name} must be {want}" if want else f"invalid value for {name}: {exc}"
        return msg + (f"; got {given!r}" if given is not None else "")
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    return " ".join(text.split())


def _accepts(param: Any) -> str | None:
    """Return what an option accepts, from its annotation (typer) or click type name."""
    import typing

    ann = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    kinds = set(typing.get_args(ann)) | {ann}
    name = str(getattr(getattr(param, "type", None), "name", ""))
    if int in kinds or name == "integer":
        return "an integer"
    if float in kinds or name == "float":
        return "a number"
    return None


def _show_warning(options: dict[str, str]) -> Any:
    seen: set[str] = set()

    def show(message: Any, category: Any, filename: str, lineno: int, *a: Any, **k: Any) -> None:
        text = cli_terms(str(message), options)
        if text not in seen:
            seen.add(text)
            print(f"ris3: warning: {text}", file=sys.stderr)

    return show


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the typer app with one error path.

    Usage errors (unknown option, bad value, missing option) exit 2, ris3
    errors exit 2, OS errors exit 1, each as one ``ris3: error: ...`` line
    in CLI terms; warnings print as ``ris3: warning: ...``. ``--debug``
    prints the traceback as well.
    """
    debug = "--debug" in argv
    command = _command_name(argv)
    options = _option_names(app, command)
    click_errors = _click_exception_types()
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        for cat in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
            warnings.simplefilter("ignore", cat)
        warnings.showwarning = _show_warning(options)
        try:
            app(args=argv, standalone_mode=False)
        except Ris3Error as exc:
            if debug:
                traceback.print_exc()
            print(f"ris3: error: {cli_terms(str(exc), options)}", file=sys.stderr)
            return 2
        except typer.Exit as exc:
            return int(exc.exit_code or 0)
        except typer.Abort:
            print("ris3: aborted", file=sys.stderr)
            return 1
        except click_errors as exc:
            code = int(getattr(exc, "exit_code", 1))
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()  # type: ignore[attr-defined]
                return 0 if code == 0 else 2
            if debug:
                traceback.print_exc()
            hint = f" (see ris3 {command} --help)" if options else " (see ris3 --help)"
            print(f"ris3: error: {_usage_message(exc, argv)}{hint}", file=sys.stderr)
            return 2 if code in (1, 2) else code
        except KeyboardInterrupt:
            print("ris3: interrupted; no output written", file=sys.stderr)
            return 130
        except OSError as exc:
            if debug:
                traceback.print_exc()
            where = f" {exc.filename!r}" if getattr(exc, "filename", None) else ""
            print(f"ris3: error: cannot access{where}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        except engine_error_types() as exc:  # any other exception is a bug: it propagates
            if debug:
                raise
            from ris3.engines.errors import translate_engine_error

            err = translate_engine_error(exc)
            if err is None:  # pragma: no cover - every engine error has a translation
                raise
            print(f"ris3: error: {cli_terms(str(err), options)}", file=sys.stderr)
            return 2
    return 0
