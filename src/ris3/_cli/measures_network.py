"""CLI commands ``ris3 relatedness`` and ``ris3 complexity``.

``ris3 relatedness INPUT ... --out PROXIMITY [--density DENSITY]`` writes the
proximity table (``[time,] activity_from, activity_to, proximity``) and, when
``--density`` names a second file, the relatedness density of every region
around every activity (``[time,] region, activity, specialised, density``) from
the same presence matrices.

``ris3 complexity INPUT ... --out FILE`` writes
:meth:`ris3.ComplexityResult.tidy`: the key columns then ``lq, specialised,
density, diversity, ubiquity, eci, pci, coi, cog``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ris3._cli import common

_METHODS = "hidalgo, cosine, jaccard, association, probability, rca_correlation"


def register(app: typer.Typer) -> None:
    """Add the relatedness and complexity commands to ``app``."""
    app.command("relatedness")(relatedness_command)
    app.command("complexity")(complexity_command)


def relatedness_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (or 0/1 with --binary)."),
    out: Path = typer.Option(..., "-o", "--out", help="Proximity table to write (.csv/.parquet)."),
    time: str | None = typer.Option(None, "--time", help="Time column (computed per period)."),
    proximity_method: str | None = typer.Option(
        None, "--proximity-method", help=f"Proximity: {_METHODS} (default hidalgo)."
    ),
    threshold: float = typer.Option(1.0, "--threshold", help="Specialised is LQ >= threshold."),
    strict: bool = typer.Option(
        False, "--strict/--no-strict", help="Specialised is LQ > threshold."
    ),
    binary: bool = typer.Option(
        False, "--binary/--no-binary", help="The value column is specialised (0/1)."
    ),
    density: Path | None = typer.Option(
        None, "--density", help="Also write relatedness density per region x activity here."
    ),
    include_diagonal: bool = typer.Option(
        False, "--include-diagonal/--no-include-diagonal", help="Keep self-proximity in density."
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
    method: str | None = typer.Option(
        None, "--method", hidden=True, help="Old spelling of --proximity-method."
    ),
) -> None:
    """Proximity between activities (and relatedness density with --density)."""
    from ris3._validation import check_option
    from ris3.kernels.relatedness import PROXIMITY_METHODS
    from ris3.measures.relatedness import check_presence_options, relatedness_tables
    from ris3.tidy import MISSING_POLICIES, encode

    chosen = common.renamed_option(
        proximity_method, method, new="--proximity-method", old="--method"
    )
    chosen = "hidalgo" if chosen is None else chosen
    check_option("--proximity-method", chosen, PROXIMITY_METHODS)
    check_option("--missing", missing, MISSING_POLICIES)
    check_presence_options(threshold, strict, binary)
    with common.Outputs(inputs=[input]) as outs:
        outs.file("--out", out)
        outs.file("--density", density)
        ct = encode(
            common.read_input(input, [region, activity]),
            region=region,
            activity=activity,
            value=value,
            time=time,
            missing=missing,  # type: ignore[arg-type]
        )
        prox, dens = relatedness_tables(
            ct,
            method=chosen,
            threshold=threshold,
            strict=strict,
            binary=binary,
            density=density is not None,
            include_diagonal=include_diagonal,
            iterate=lambda it, n: common.progress(it, n, "relatedness"),
        )
        outs.write("--out", prox)
        if density is not None and dens is not None:
            outs.write("--density", dens)


def complexity_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV or Parquet)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (or 0/1 with --binary)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output table (.csv/.parquet)."),
    time: str | None = typer.Option(None, "--time", help="Time column (computed per period)."),
    threshold: float = typer.Option(1.0, "--threshold", help="Specialised is LQ >= threshold."),
    strict: bool = typer.Option(
        False, "--strict/--no-strict", help="Specialised is LQ > threshold."
    ),
    binary: bool = typer.Option(
        False, "--binary/--no-binary", help="The value column is specialised (0/1)."
    ),
    method: str = typer.Option(
        "eigenvector", "--method", help="eigenvector, reflections or fitness."
    ),
    standardise: str = typer.Option(
        "rows", "--standardise", help="rows (Stata ecomplexity) or regions (Python ecomplexity)."
    ),
    self_proximity: bool = typer.Option(
        False,
        "--self-proximity/--no-self-proximity",
        help="Keep self-proximity in density and COG.",
    ),
    proximity_method: str = typer.Option(
        "hidalgo", "--proximity-method", help=f"Proximity: {_METHODS}."
    ),
    iterations: int = typer.Option(20, "--iterations", help="Steps of the method of reflections."),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
    summary: bool = typer.Option(
        False, "--summary/--no-summary", help="Print a summary to stderr."
    ),
) -> None:
    """ECI, PCI, density, COI and COG per region x activity [x time]."""
    import sys

    from ris3._validation import check_option
    from ris3.measures.complexity import ComplexityOptions, _check_options, complexity_coded
    from ris3.measures.relatedness import check_presence_options
    from ris3.tidy import MISSING_POLICIES, encode

    check_option("--missing", missing, MISSING_POLICIES)
    check_presence_options(threshold, strict, binary)
    _check_options(method, standardise, self_proximity, proximity_method, iterations, 1e-12)
    with common.Outputs(inputs=[input]) as outs:
        outs.file("--out", out)
        ct = encode(
            common.read_input(input, [region, activity]),
            region=region,
            activity=activity,
            value=value,
            time=time,
            missing=missing,  # type: ignore[arg-type]
        )
        options = ComplexityOptions(
            threshold,
            strict,
            binary,
            method,
            standardise,
            self_proximity,
            proximity_method,
            iterations,
            1e-12,
        )
        result = complexity_coded(
            ct, options, iterate=lambda it, n: common.progress(it, n, "complexity")
        )
        outs.write("--out", result.tidy())
    if summary:
        print(result.summary(), file=sys.stderr)
