"""CLI commands for knowledge linkages.

``ris3 skill-relatedness FLOWS --origin O --destination D --count N --out FILE``
writes :func:`ris3.skill_relatedness` (``origin, destination, flow,
expected_flow, sr_ratio, sr_directed, skill_relatedness``).

``ris3 job-flows SPELLS --worker W --industry I --start S --end E --out FILE``
writes :func:`ris3.job_spells_to_flows` (``origin, destination, count``).

``ris3 relatedness-network PAIRS --source A --target B --weight W
--nodes-out NODES --edges-out EDGES`` writes the two tables of
:func:`ris3.relatedness_network`.

Parquet inputs (a file, a folder or a quoted glob such as ``'spells/*.parquet'``)
are read by the engine out of core; CSV files are read into memory first.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from ris3._cli import common


def register(app: typer.Typer) -> None:
    """Add the knowledge-linkage commands to ``app``."""
    app.command("skill-relatedness")(skill_relatedness_command)
    app.command("job-flows")(job_flows_command)
    app.command("relatedness-network")(relatedness_network_command)


def _source(text: str, keys: list[str]) -> Any:
    """Pass a Parquet file, folder or glob to the engine as is; read CSV here."""
    from ris3.errors import DataFileError

    path = Path(text)
    lower = text.lower()
    if path.is_dir() or lower.endswith((".parquet", ".pq")) or glob.has_magic(text):
        return text
    if not path.exists():
        raise DataFileError(f"input file {text!r} does not exist")
    return common.read_input(path, keys)


def _dates_from_text(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """CSV has no date type: parse text spell bounds as ISO dates (YYYY-MM-DD)."""
    from ris3.errors import InputError
    from ris3.tidy import row_ref

    out = table
    for col in columns:
        if col not in table.columns or pd.api.types.is_numeric_dtype(table[col]):
            continue
        parsed = pd.to_datetime(table[col], format="ISO8601", errors="coerce")
        bad = (parsed.isna() & table[col].notna()).to_numpy()
        if bad.any():
            i = int(bad.argmax())
            raise InputError(
                f"column {col!r} must hold numbers or dates (YYYY-MM-DD); "
                f"{row_ref(table, i)} is {table[col].iloc[i]!r}"
            )
        out = out.assign(**{col: parsed})
    out.attrs = dict(table.attrs)
    return out


def skill_relatedness_command(
    flows: str = typer.Argument(..., help="Flow table: CSV, Parquet file, folder or glob."),
    origin: str = typer.Option(..., "--origin", help="Origin industry column."),
    destination: str = typer.Option(..., "--destination", help="Destination industry column."),
    count: str = typer.Option(..., "--count", help="Column with the number of moves."),
    out: Path = typer.Option(..., "-o", "--out", help="Table to write (.csv/.parquet)."),
    complete: bool = typer.Option(
        False, "--complete/--no-complete", help="Every pair of industries."
    ),
    symmetrise: str = typer.Option(
        "mean", "--symmetrise", help="mean (NaN if a direction is undefined) or mean_available."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
) -> None:
    """Skill relatedness (Neffke and Henning 2013) between industries from labour flows."""
    from ris3.clusters.linkages import skill_relatedness

    outs = common.Outputs(inputs=[flows])
    outs.file("--out", out)
    result = skill_relatedness(
        _source(flows, [origin, destination]),
        origin=origin,
        destination=destination,
        count=count,
        complete=complete,
        symmetrise=symmetrise,  # type: ignore[arg-type]
        engine=engine,  # type: ignore[arg-type]
    )
    with outs:
        outs.write("--out", result)


def job_flows_command(
    spells: str = typer.Argument(..., help="Job spells: CSV, Parquet file, folder or glob."),
    worker: str = typer.Option(..., "--worker", help="Worker id column."),
    industry: str = typer.Option(..., "--industry", help="Industry column."),
    start: str = typer.Option(..., "--start", help="Spell start column (number or date)."),
    end: str = typer.Option(..., "--end", help="Spell end column (number or date)."),
    out: Path = typer.Option(..., "-o", "--out", help="Flow table to write (.csv/.parquet)."),
    max_gap: float | None = typer.Option(
        None, "--max-gap", help="Longest break between spells (numeric start/end)."
    ),
    max_gap_days: int | None = typer.Option(
        None, "--max-gap-days", help="Longest break between spells in days (date start/end)."
    ),
    overlap: str = typer.Option("raise", "--overlap", help="raise, skip or count."),
    count: str = typer.Option("moves", "--count", help="moves or workers."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
) -> None:
    """Industry-to-industry flows from worker-level job spells."""
    import datetime as dt

    from ris3.clusters.linkages import job_spells_to_flows
    from ris3.errors import InputError

    outs = common.Outputs(inputs=[spells])
    outs.file("--out", out)
    if max_gap is not None and max_gap_days is not None:
        raise InputError("give --max-gap (numbers) or --max-gap-days (dates), not both")
    gap: Any = max_gap
    if max_gap_days is not None:
        gap = dt.timedelta(days=max_gap_days)
    source = _source(spells, [worker, industry])
    if isinstance(source, pd.DataFrame):
        source = _dates_from_text(source, [start, end])
    result = job_spells_to_flows(
        source,
        worker=worker,
        industry=industry,
        start=start,
        end=end,
        max_gap=gap,
        overlap=overlap,  # type: ignore[arg-type]
        count=count,  # type: ignore[arg-type]
        engine=engine,  # type: ignore[arg-type]
    )
    with outs:
        outs.write("--out", result)


def relatedness_network_command(
    pairs: Path = typer.Argument(..., help="Pair table (CSV or Parquet)."),
    source: str = typer.Option("activity_from", "--source", help="First node column."),
    target: str = typer.Option("activity_to", "--target", help="Second node column."),
    weight: str = typer.Option("proximity", "--weight", help="Weight column."),
    nodes_out: Path = typer.Option(..., "--nodes-out", help="Node table to write."),
    edges_out: Path = typer.Option(..., "--edges-out", help="Edge table to write."),
    threshold: float | None = typer.Option(None, "--threshold", help="Keep links >= this."),
    max_extra_edges: int | None = typer.Option(
        None, "--max-extra-edges", help="Keep at most this many links besides the tree."
    ),
    combine: str = typer.Option("mean", "--combine", help="mean, max or min of both directions."),
    layout: str = typer.Option("spring", "--layout", help="spring or kamada_kawai."),
    seed: int = typer.Option(0, "--seed", help="Seed of the spring layout."),
    dropna: bool = typer.Option(
        False,
        "--dropna/--no-dropna",
        help="Leave out pairs whose weight is missing (otherwise an error).",
    ),
) -> None:
    """Maximum spanning tree plus strongest links, laid out for drawing."""
    from ris3.clusters.networks import relatedness_network

    outs = common.Outputs(inputs=[pairs])
    outs.file("--nodes-out", nodes_out)
    outs.file("--edges-out", edges_out)
    table = common.read_input(pairs, [source, target])
    if dropna and weight in table.columns:
        table = table.dropna(subset=[weight])
    net = relatedness_network(
        table,
        source=source,
        target=target,
        weight=weight,
        threshold=threshold,
        max_extra_edges=max_extra_edges,
        combine=combine,  # type: ignore[arg-type]
        layout=layout,  # type: ignore[arg-type]
        seed=seed,
    )
    with outs:
        outs.write("--nodes-out", net.nodes)
        outs.write("--edges-out", net.edges)
