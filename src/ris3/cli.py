"""The ``ris3`` command line.

Each group of commands lives in a module of :mod:`ris3._cli` that exposes
``register(app)``; this file only assembles them and turns ris3 errors into a
one-line message and a non-zero exit (``--debug`` shows the traceback).
"""

from __future__ import annotations

import importlib
import sys

import typer

from ris3 import __version__

app = typer.Typer(
    name="ris3",
    help="Evidence for Smart Specialisation Strategies and cluster policy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# modules in ris3._cli that add commands; each defines register(app)
COMMAND_MODULES: list[str] = [
    "ris3._cli.measures_network",
    "ris3._cli.measures_basic",
    "ris3._cli.evaluate",
    "ris3._cli.profile",
    "ris3._cli.clusters",
    "ris3._cli.cluster_ratings",
    "ris3._cli.diversification",
    "ris3._cli.classifications",
    "ris3._cli.linkages",
    "ris3._cli.data",
    "ris3.workspace.cli",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ris3 {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """ris3: evidence for Smart Specialisation Strategies and cluster policy."""
    from ris3._cli import common

    common.STATE["debug"] = debug


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from ris3._cli.common import run_app

    return run_app(app, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
