"""CLI commands ``ris3 read`` and ``ris3 datasets``.

``ris3 read INPUT --format eurostat|cbp|bres --out FILE`` reads a published
file into a tidy table and prints its data-quality summary on stderr;
``--quality FILE`` also writes the per-region and per-activity completeness.

``ris3 datasets`` lists the bundled datasets; ``ris3 datasets NAME`` shows
source, licence, attribution and tables; ``--table T --out FILE`` exports one
table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ris3._cli import common

READ_FORMATS = ("eurostat", "cbp", "bres")


def register(app: typer.Typer) -> None:
    """Add the data commands to ``app``."""
    app.command("read")(read_command)
    app.command("datasets")(datasets_command)


def _filters(items: list[str]) -> dict[str, list[str]]:
    from ris3.errors import InputError

    out: dict[str, list[str]] = {}
    for item in items:
        key, sep, codes = item.partition("=")
        if not sep or not key or not codes:
            raise InputError(f"--filter must look like KEY=CODE[,CODE...]; got {item!r}")
        out.setdefault(key.strip(), []).extend(c.strip() for c in codes.split(","))
    return out


def read_command(
    input: Path = typer.Argument(..., help="Published file (.tsv.gz, .csv, .csv.gz)."),
    format: str = typer.Option(
        ..., "--format", help="eurostat (bulk TSV or SDMX-CSV), cbp or bres."
    ),
    out: Path = typer.Option(..., "-o", "--out", help="Output tidy table (.csv/.parquet)."),
    filter: list[str] = typer.Option(  # noqa: B006
        [], "--filter", help="Eurostat key filter KEY=CODE[,CODE...]; repeatable."
    ),
    years: str | None = typer.Option(None, "--years", help="Eurostat periods, e.g. 2013,2014."),
    nuts_level: int | None = typer.Option(None, "--nuts-level", help="Eurostat: keep one level."),
    level: int = typer.Option(6, "--level", help="CBP: NAICS digits (2-6)."),
    quality: Path | None = typer.Option(
        None, "--quality", help="Write per-region/activity completeness here."
    ),
) -> None:
    """Read a published file into a tidy table; print its data-quality summary."""
    from ris3._validation import check_option
    from ris3.data import read_bres, read_cbp, read_eurostat_tsv

    check_option("--format", format, READ_FORMATS)
    outs = common.Outputs(inputs=[input])
    outs.file("--out", out)
    outs.file("--quality", quality)
    if format == "eurostat":
        year_list = None if years is None else [y.strip() for y in years.split(",") if y.strip()]
        res = read_eurostat_tsv(
            input, filters=_filters(filter), years=year_list, nuts_level=nuts_level
        )
    elif format == "cbp":
        res = read_cbp(input, level=level)
    else:
        res = read_bres(input)
    with outs:
        outs.write("--out", res.data)
        if quality is not None:
            outs.write("--quality", res.quality.tidy())
    print(res.quality.summary(), file=sys.stderr)


def datasets_command(
    name: str | None = typer.Argument(None, help="A bundled dataset; omit to list them."),
    table: str | None = typer.Option(None, "--table", help="Table to export (with --out)."),
    out: Path | None = typer.Option(
        None, "-o", "--out", help="Write the table here (.csv/.parquet)."
    ),
) -> None:
    """List the bundled datasets, describe one, or export one of its tables."""
    from ris3 import datasets
    from ris3.errors import InputError

    if name is None:
        if table is not None or out is not None:
            raise InputError("--table and --out need a dataset NAME")
        for n in datasets.list_datasets():
            typer.echo(f"{n}\t{datasets.info(n).get('title', '')}")
        return
    meta = datasets.info(name)
    if out is not None:
        with common.Outputs() as outs:
            outs.file("--out", out)
            outs.write("--out", datasets.load(name, table))
        return
    if table is not None:
        raise InputError("--table needs --out FILE to write the table to")
    typer.echo(f"{meta['name']}: {meta.get('title', '')}")
    for key in ("source", "licence", "attribution"):
        typer.echo(f"{key}: {meta[key]}")
    typer.echo("tables:")
    for t, spec in meta["tables"].items():
        default = " (default)" if t == meta.get("default_table") else ""
        typer.echo(f"  {t}{default}: {spec['rows']:,} rows; {', '.join(spec['columns'])}")
    layers = [k for k, v in (meta.get("geometry") or {}).items() if isinstance(v, dict)]
    if layers:
        typer.echo(f"geometry layers: {', '.join(layers)}")
