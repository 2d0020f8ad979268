"""CLI commands ``ris3 specialisation`` and ``ris3 diversity``.

``ris3 specialisation INPUT ... --out FILE`` (reference: all regions, ``--reference
LABEL``, ``--hierarchy FILE`` or ``--reference-table FILE``) writes one row per
input row:
the key columns, the value, ``share``, ``reference_share``, ``lq`` and
``specialised`` (see :func:`ris3.location_quotient`).

``ris3 diversity INPUT ... --out FILE`` writes one row per region [x time]:
``diversity`` (activities with LQ >= threshold), ``entropy`` and, with
``--hierarchy FILE`` (columns child, parent), ``unrelated_variety`` and
``related_variety``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ris3._cli import common


def register(app: typer.Typer) -> None:
    """Add the specialisation and diversity commands to ``app``."""
    app.command("specialisation")(specialisation_command)
    app.command("diversity")(diversity_command)


def specialisation_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (employment, exports...)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output table (.csv/.parquet)."),
    time: str | None = typer.Option(None, "--time", help="Time column (computed per period)."),
    reference: str | None = typer.Option(
        None,
        "--reference",
        help="Reference area: a label of the region column (e.g. EU28, World); "
        "with --hierarchy: parent, parent_rows or parent_sum. Default: all regions.",
    ),
    hierarchy: Path | None = typer.Option(
        None, "--hierarchy", help="Region -> parent table (columns child, parent)."
    ),
    reference_table: Path | None = typer.Option(
        None,
        "--reference-table",
        help="External reference: a table with the activity and value columns "
        "(and the time column when it varies by period).",
    ),
    threshold: float = typer.Option(1.0, "--threshold", help="Specialised is LQ >= threshold."),
    strict: bool = typer.Option(
        False, "--strict/--no-strict", help="Specialised is LQ > threshold."
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
) -> None:
    """Location quotient (RCA, RTA) and specialisation of every region x activity row."""
    from ris3._validation import check_option
    from ris3.measures.specialisation import location_quotient
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    with common.Outputs(inputs=[input, hierarchy, reference_table]) as outs:
        outs.file("--out", out)
        hier = None if hierarchy is None else common.read_input(hierarchy, ["child", "parent"])
        ref = None if reference_table is None else common.read_input(reference_table, [activity])
        result = location_quotient(
            common.read_input(input, [region, activity]),
            region=region,
            activity=activity,
            value=value,
            time=time,
            reference=reference,
            hierarchy=hier,
            reference_table=ref,
            threshold=threshold,
            strict=strict,
            missing=missing,  # type: ignore[arg-type]
        )
        outs.write("--out", result)


def diversity_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column."),
    out: Path = typer.Option(..., "-o", "--out", help="Output table (.csv/.parquet)."),
    time: str | None = typer.Option(None, "--time", help="Time column (computed per period)."),
    hierarchy: Path | None = typer.Option(
        None,
        "--hierarchy",
        help="Activity -> group table (columns child, parent) for related/unrelated variety.",
    ),
    threshold: float = typer.Option(1.0, "--threshold", help="Specialised is LQ >= threshold."),
    strict: bool = typer.Option(
        False, "--strict/--no-strict", help="Specialised is LQ > threshold."
    ),
    base: float = typer.Option(2.0, "--base", help="Base of the logarithm of entropy."),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
) -> None:
    """Diversity, entropy (and variety with --hierarchy) per region and period."""
    from ris3._validation import check_option
    from ris3.measures.diversity import diversity, entropy, variety
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    with common.Outputs(inputs=[input, hierarchy]) as outs:
        outs.file("--out", out)
        data = common.read_input(input, [region, activity])
        kw = {"region": region, "activity": activity, "value": value, "time": time}
        keys = [c for c in (time, region) if c is not None]
        div = diversity(data, **kw, threshold=threshold, strict=strict, missing=missing)  # type: ignore[arg-type]
        if hierarchy is None:
            spread = entropy(data, **kw, base=base, missing=missing)  # type: ignore[arg-type]
        else:
            spread = variety(
                data,
                **kw,  # type: ignore[arg-type]
                hierarchy=common.read_input(hierarchy, ["child", "parent"]),
                base=base,
                missing=missing,  # type: ignore[arg-type]
            )
        outs.write("--out", div.merge(spread, on=keys, how="outer", validate="one_to_one"))
