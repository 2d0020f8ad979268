"""CLI commands ``ris3 hierarchy``, ``ris3 aggregate`` and ``ris3 convert-nuts``.

``ris3 hierarchy NAME --out FILE`` writes a classification as a mapping table
(child, parent, child_level, parent_level, child_label, parent_label).

``ris3 aggregate INPUT ... --hierarchy NAME|FILE --out FILE`` sums children
to parents (see :func:`ris3.data.aggregate`).

``ris3 convert-nuts INPUT ... --from-version 2013 --out FILE`` converts NUTS-2
values to another NUTS version (see :func:`ris3.data.convert_nuts`); the
per-code report goes to ``--report FILE`` and a summary to stderr.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ris3._cli import common


def register(app: typer.Typer) -> None:
    """Add the classification commands to ``app``."""
    app.command("hierarchy")(hierarchy_command)
    app.command("aggregate")(aggregate_command)
    app.command("convert-nuts")(convert_nuts_command)


def hierarchy_command(
    name: str = typer.Argument(..., help="nuts, nace, nace_eurostat, sic, naics, hs or wipo."),
    out: Path = typer.Option(..., "-o", "--out", help="Output table (.csv/.parquet)."),
    version: str | None = typer.Option(None, "--version", help="Version (default: newest)."),
) -> None:
    """Write a classification hierarchy as a child -> parent table."""
    from ris3.data.classifications import hierarchy

    with common.Outputs() as outs:
        outs.file("--out", out)
        outs.write("--out", hierarchy(name, version))


def aggregate_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column."),
    hierarchy: str = typer.Option(
        ...,
        "--hierarchy",
        help="Hierarchy name (nace_eurostat, nuts ...) or a table file "
        "with columns child, parent, child_level, parent_level.",
    ),  # fmt: skip
    out: Path = typer.Option(..., "-o", "--out", help="Output table (.csv/.parquet)."),
    time: str | None = typer.Option(None, "--time", help="Time column."),
    version: str | None = typer.Option(None, "--version", help="Version of a named hierarchy."),
    along: str = typer.Option("activity", "--along", help="activity or region."),
    to_level: str | None = typer.Option(None, "--to-level", help="Level to sum to."),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise or drop."),
    parent_totals: Path | None = typer.Option(
        None, "--parent-totals", help="Published parent totals (same columns as INPUT)."
    ),
) -> None:
    """Sum children to parents, counting missing children and coverage of totals."""
    from ris3.data.aggregation import aggregate
    from ris3.data.classifications import HIERARCHIES

    named = hierarchy in HIERARCHIES
    outs = common.Outputs(inputs=[input, parent_totals, None if named else hierarchy])
    outs.file("--out", out)
    hier = hierarchy if named else common.read_input(Path(hierarchy), ["child", "parent"])
    keys = [region, activity, time]
    totals = None if parent_totals is None else common.read_input(parent_totals, keys)
    result = aggregate(
        common.read_input(input, [region, activity]),
        region=region,
        activity=activity,
        value=value,
        hierarchy=hier,
        time=time,
        version=version,
        along=along,  # type: ignore[arg-type]
        to_level=to_level,
        missing=missing,  # type: ignore[arg-type]
        parent_totals=totals,
    )
    with outs:
        outs.write("--out", result)


def convert_nuts_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Column of NUTS-2 codes."),
    value: str = typer.Option(..., "--value", help="Additive value column (counts, sums)."),
    from_version: int = typer.Option(..., "--from-version", help="NUTS version of the data."),
    out: Path = typer.Option(..., "-o", "--out", help="Output table (.csv/.parquet)."),
    to_version: int = typer.Option(2021, "--to-version", help="Target NUTS version."),
    weight: str = typer.Option("population", "--weight", help="population, area, ..."),
    time: str | None = typer.Option(None, "--time", help="Time column."),
    missing: str = typer.Option(
        "propagate", "--missing", help="Missing values: propagate or drop."
    ),
    unknown: str = typer.Option(
        "raise", "--unknown", help="Codes not in the matrix: raise, keep or drop."
    ),  # fmt: skip
    other_levels: str = typer.Option(
        "raise", "--other-levels", help="Non-NUTS-2 codes: raise, keep or drop."
    ),  # fmt: skip
    min_share: float = typer.Option(0.0, "--min-share", help="Ignore pieces below this share."),
    report: Path | None = typer.Option(None, "--report", help="Write the per-code report."),
) -> None:
    """Convert NUTS-2 values between NUTS versions (JRC converter matrices)."""
    from ris3.data.nuts import convert_nuts

    outs = common.Outputs(inputs=[input])
    outs.file("--out", out)
    outs.file("--report", report)
    res = convert_nuts(
        common.read_input(input, [region]),
        region=region,
        value=value,
        from_version=from_version,
        to_version=to_version,
        weight=weight,  # type: ignore[arg-type]
        time=time,
        missing=missing,  # type: ignore[arg-type]
        unknown=unknown,  # type: ignore[arg-type]
        other_levels=other_levels,  # type: ignore[arg-type]
        min_share=min_share,
    )
    with outs:
        outs.write("--out", res.table)
        if report is not None:
            outs.write("--report", res.codes)
    typer.echo(res.summary(), err=True)
