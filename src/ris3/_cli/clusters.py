"""CLI commands ``ris3 clusters`` and ``ris3 shift-share``.

``ris3 clusters INPUT --definition FILE ... --out FILE`` maps a tidy region x
activity table onto the clusters of a definition table (one row per activity
code) and writes :meth:`ris3.ClusterMap.tidy`; ``--stars``, ``--strong``,
``--regions`` and ``--uncovered`` write the star ratings, strong-cluster
flags, region coverage and the activities the definition does not cover.
``--us-benchmark`` reads the definition file as the US Cluster Mapping
crosswalk (``naics2012_to_cluster.csv``).

Activity codes of both files are compared as text, so ``"0111"`` and
``111`` read from CSV as numbers still match when both files agree.

``ris3 shift-share INPUT ... --out FILE`` writes the shift-share
decomposition per region x activity (``--by-region FILE``: summed per region).

Both take the reference options of ``ris3 specialisation``: ``--reference
LABEL``, ``--hierarchy FILE`` (with ``--reference parent|parent_rows|parent_sum``)
or ``--reference-table FILE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ris3._cli import common

if TYPE_CHECKING:
    import pandas as pd


def register(app: typer.Typer) -> None:
    """Add the clusters and shift-share commands to ``app``."""
    app.command("clusters")(clusters_command)
    app.command("shift-share")(shift_share_command)


def clusters_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    definition: Path = typer.Option(
        ..., "--definition", help="Activity -> cluster table (CSV or Parquet)."
    ),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str | None = typer.Option(
        None, "--value", help="Value column mapped to clusters (employment)."
    ),
    out: Path = typer.Option(..., "-o", "--out", help="Cluster map (.csv/.parquet)."),
    establishments: str | None = typer.Option(
        None, "--establishments", help="Establishments column (needed for --strong)."
    ),
    wages: str | None = typer.Option(None, "--wages", help="Wages column."),
    time: str | None = typer.Option(None, "--time", help="Time column."),
    us_benchmark: bool = typer.Option(
        False,
        "--us-benchmark/--no-us-benchmark",
        help="The definition file is the US Cluster Mapping crosswalk.",
    ),
    def_activity: str = typer.Option(
        "activity", "--definition-activity", help="Activity code column of the definition."
    ),
    def_cluster: str = typer.Option(
        "cluster", "--definition-cluster", help="Cluster column of the definition."
    ),
    def_type: str | None = typer.Option(
        None, "--definition-type", help="Traded/local column of the definition."
    ),
    def_subcluster: str | None = typer.Option(
        None, "--definition-subcluster", help="Subcluster column of the definition."
    ),
    reference: str | None = typer.Option(
        None,
        "--reference",
        help="Reference area of the LQs: a label of the region column (e.g. EU28); with "
        "--hierarchy: parent, parent_rows or parent_sum. Default: all regions.",
    ),
    hierarchy: Path | None = typer.Option(
        None, "--hierarchy", help="Region -> parent table (columns child, parent)."
    ),
    reference_table: Path | None = typer.Option(
        None,
        "--reference-table",
        help="External reference: a table with the activity and employment columns "
        "(and the time column when it varies by period).",
    ),
    traded_only_lq: bool = typer.Option(
        False,
        "--traded-only-lq/--no-traded-only-lq",
        help="LQ of traded clusters on traded employment.",
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
    stars: Path | None = typer.Option(None, "--stars", help="Write cluster stars here."),
    strong: Path | None = typer.Option(None, "--strong", help="Write strong-cluster flags here."),
    regions_out: Path | None = typer.Option(
        None, "--regions", help="Write region totals and coverage here."
    ),
    uncovered: Path | None = typer.Option(
        None, "--uncovered", help="Write activities not covered by the definition here."
    ),
    employment: str | None = typer.Option(
        None, "--employment", hidden=True, help="Old spelling of --value."
    ),
) -> None:
    """Cluster mapping: employment, shares, LQs and ranks per region x cluster."""
    from ris3._validation import check_option
    from ris3.clusters.definitions import ClusterDefinition, us_benchmark_clusters
    from ris3.clusters.mapping import map_clusters
    from ris3.clusters.stars import cluster_stars, strong_clusters
    from ris3.errors import InputError
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    column = common.renamed_option(value, employment, new="--value", old="--employment")
    if column is None:
        raise InputError("--value is required: the column of values mapped to clusters")
    outs = common.Outputs(inputs=[input, definition, hierarchy, reference_table])
    for option, path in (
        ("--out", out),
        ("--stars", stars),
        ("--strong", strong),
        ("--regions", regions_out),
        ("--uncovered", uncovered),
    ):
        outs.file(option, path)
    with outs:
        if us_benchmark:
            d = us_benchmark_clusters(definition)
        else:
            d = ClusterDefinition.from_frame(
                common.read_input(definition, [def_activity]),
                activity=def_activity,
                cluster=def_cluster,
                cluster_type=def_type,
                subcluster=def_subcluster,
                name=definition.name,
            )
        data = common.read_input(input, [region, activity])
        ref_table = (
            None if reference_table is None else common.read_input(reference_table, [activity])
        )
        cm = map_clusters(
            data,
            d,
            region=region,
            activity=activity,
            value=column,
            establishments=establishments,
            wages=wages,
            time=time,
            reference=reference,
            hierarchy=None
            if hierarchy is None
            else common.read_input(hierarchy, ["child", "parent"]),
            reference_table=ref_table,
            traded_only_lq=traded_only_lq,
            missing=missing,  # type: ignore[arg-type]
        )
        outs.write("--out", cm.tidy())
        if stars is not None:
            outs.write("--stars", cluster_stars(cm))
        if strong is not None:
            outs.write("--strong", strong_clusters(cm, traded_only=d.has_types))
        if regions_out is not None:
            outs.write("--regions", cm.regions())
        if uncovered is not None:
            outs.write("--uncovered", cm.uncovered)
    typer.echo(cm.summary(), err=True)


def shift_share_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (employment...)."),
    time: str = typer.Option(..., "--time", help="Time column."),
    out: Path = typer.Option(..., "-o", "--out", help="Decomposition per region x activity."),
    start: int | None = typer.Option(None, "--start", help="First period (default: earliest)."),
    end: int | None = typer.Option(None, "--end", help="Last period (default: latest)."),
    method: str = typer.Option("classic", "--method", help="classic or dynamic."),
    reference: str | None = typer.Option(
        None,
        "--reference",
        help="Reference area: a label of the region column (e.g. a country total); with "
        "--hierarchy: parent, parent_rows or parent_sum. Default: all regions.",
    ),
    hierarchy: Path | None = typer.Option(
        None, "--hierarchy", help="Region -> parent table (columns child, parent)."
    ),
    reference_table: Path | None = typer.Option(
        None,
        "--reference-table",
        help="External reference: a table with the activity, value and time columns.",
    ),
    unbalanced: str = typer.Option(
        "raise", "--unbalanced", help="Regions absent from a period: raise or drop."
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
    by_region: Path | None = typer.Option(None, "--by-region", help="Write sums per region here."),
    flag: str | None = typer.Option(
        None,
        "--flag",
        help="Column of the value's flags (Eurostat b, c...); a b after --start marks a break "
        "in series.",
    ),
    breaks: str = typer.Option(
        "exclude", "--breaks", help="Cells with a break in series: exclude or include."
    ),
) -> None:
    """Shift-share decomposition: national, industry-mix and competitive effects.

    Only cells observed in every period used (and, by default, without a break in
    series) are decomposed; the others are written with empty effects and a status.
    """
    from ris3.measures.dynamics import shift_share

    outs = common.Outputs(inputs=[input, hierarchy, reference_table])
    outs.file("--out", out)
    outs.file("--by-region", by_region)
    data = common.read_input(input, [region, activity])
    result = shift_share(
        data,
        region=region,
        activity=activity,
        value=value,
        time=time,
        start=start,
        end=end,
        method=method,  # type: ignore[arg-type]
        reference=reference,
        hierarchy=None if hierarchy is None else common.read_input(hierarchy, ["child", "parent"]),
        reference_table=None
        if reference_table is None
        else common.read_input(reference_table, [activity]),
        unbalanced=unbalanced,  # type: ignore[arg-type]
        missing=missing,  # type: ignore[arg-type]
        flag=flag,
        breaks=breaks,  # type: ignore[arg-type]
    )
    tidy = result.tidy()
    _warn_left_out(data, tidy, region, reference)
    with outs:
        outs.write("--out", tidy)
        if by_region is not None:
            outs.write("--by-region", result.by_region())
    typer.echo(result.summary(), err=True)


def _warn_left_out(
    data: pd.DataFrame, tidy: pd.DataFrame, region: str, reference: str | None
) -> None:
    """Warn about input regions without a row in the decomposition (e.g. zero totals)."""
    import warnings

    from ris3._validation import short_list
    from ris3.errors import DataQualityWarning

    if region not in tidy.columns:
        return
    given = set(data[region].dropna())
    gone = sorted(given - set(tidy[region]) - ({reference} if reference else set()), key=str)
    if gone:
        warnings.warn(
            f"{len(gone)} region(s) of --region {region!r} have no row in the decomposition "
            f"(e.g. a zero total in the start period): {short_list(gone)}",
            DataQualityWarning,
            stacklevel=2,
        )
