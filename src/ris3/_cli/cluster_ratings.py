"""CLI commands ``ris3 stars`` and ``ris3 portfolio``.

Both map a tidy region x activity table onto clusters first (as ``ris3
clusters`` does): with ``--definition FILE`` (one row per activity code), or
by default onto the European benchmark clusters by NACE Rev. 2 division
(:func:`ris3.eu_benchmark_clusters`, codes such as ``C29``).

``ris3 stars INPUT ... --out FILE`` writes :func:`ris3.cluster_stars`: the
size, specialisation and focus stars of every region x cluster [x period].

``ris3 portfolio INPUT ... --time COL --start T0 --end T1 --out FILE``
writes :func:`ris3.portfolio`: LQ, growth, quadrant and stage of every
region x cluster between two periods (``--target REGION``: one region).

The employment column is ``--value``, as in every other command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ris3._cli import common

if TYPE_CHECKING:
    from ris3.clusters.mapping import ClusterMap


def register(app: typer.Typer) -> None:
    """Add the stars and portfolio commands to ``app``."""
    app.command("stars")(stars_command)
    app.command("portfolio")(portfolio_command)


_DEFINITION = typer.Option(
    None,
    "--definition",
    help="Activity -> cluster table (columns activity, cluster[, cluster_type]); "
    "default: the European benchmark clusters by NACE Rev. 2 division.",
)


def _map(
    input: Path,
    definition: Path | None,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None,
    missing: str,
) -> ClusterMap:
    from ris3.clusters.definitions import ClusterDefinition
    from ris3.clusters.eu_definitions import eu_benchmark_clusters
    from ris3.clusters.mapping import map_clusters

    if definition is None:
        d = eu_benchmark_clusters()
    else:
        table = common.read_input(definition, ["activity"])
        d = ClusterDefinition.from_frame(
            table,
            activity="activity",
            cluster="cluster",
            cluster_type="cluster_type" if "cluster_type" in table.columns else None,
            name=definition.name,
        )
    return map_clusters(
        common.read_input(input, [region, activity]),
        d,
        region=region,
        activity=activity,
        value=value,
        time=time,
        missing=missing,  # type: ignore[arg-type]
    )


def stars_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV, Parquet or Excel)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Employment column."),
    out: Path = typer.Option(
        ..., "-o", "--out", help="Stars per region x cluster (.csv/.parquet)."
    ),
    definition: Path | None = _DEFINITION,
    time: str | None = typer.Option(None, "--time", help="Time column (rated per period)."),
    size_top_share: float = typer.Option(
        0.1, "--size-top-share", help="Size star: the top share of regions by employment."
    ),
    specialisation_lq: float = typer.Option(
        2.0, "--specialisation-lq", help="Specialisation star: LQ at least this."
    ),
    focus_top_share: float = typer.Option(
        0.1, "--focus-top-share", help="Focus star: the top share of regions by focus."
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
) -> None:
    """Cluster stars (size, specialisation, focus) of every region x cluster."""
    from ris3._validation import check_option
    from ris3.clusters.stars import cluster_stars
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    with common.Outputs(inputs=[input, definition]) as outs:
        outs.file("--out", out)
        cm = _map(
            input,
            definition,
            region=region,
            activity=activity,
            value=value,
            time=time,
            missing=missing,
        )
        outs.write(
            "--out",
            cluster_stars(
                cm,
                size_top_share=size_top_share,
                specialisation_lq=specialisation_lq,
                focus_top_share=focus_top_share,
            ),
        )


def portfolio_command(
    input: Path = typer.Argument(..., help="Tidy table with two periods or more."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Employment column."),
    time: str = typer.Option(..., "--time", help="Time column."),
    start: int = typer.Option(..., "--start", help="First period compared."),
    end: int = typer.Option(..., "--end", help="Last period compared."),
    out: Path = typer.Option(..., "-o", "--out", help="Portfolio per region x cluster."),
    definition: Path | None = _DEFINITION,
    target: str | None = typer.Option(
        None, "--target", help="One region (a region code); default every region."
    ),
    growth: str = typer.Option(
        "value", "--growth", help="Horizontal axis: value (CAGR, growth) or lq (lq_change)."
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
) -> None:
    """Cluster portfolio: LQ against growth, quadrant and life-cycle stage."""
    from ris3._validation import check_option
    from ris3.clusters.portfolio import portfolio
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    with common.Outputs(inputs=[input, definition]) as outs:
        outs.file("--out", out)
        cm = _map(
            input,
            definition,
            region=region,
            activity=activity,
            value=value,
            time=time,
            missing=missing,
        )
        table = portfolio(cm, start=start, end=end, target=target, growth=growth)  # type: ignore[arg-type]
        outs.write("--out", table)
