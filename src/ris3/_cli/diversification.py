"""CLI commands ``ris3 opportunities``, ``ris3 peers`` and ``ris3 backtest``.

``ris3 opportunities INPUT ... --target REGION --out FILE`` writes
:meth:`ris3.OpportunityResult.tidy`: one row per activity with feasibility
(relatedness density), attractiveness, their components, the quadrant and
the evidence (the region's related specialisations); ``--top FILE`` also
writes the ``--n`` best activities of ``--strategy``.

``ris3 peers INPUT ... --target REGION --out FILE`` writes the ``--n``
regions most similar to the target (:func:`ris3.peers`).

``ris3 backtest INPUT ... --time COL --start T0 --end T1 --out FILE`` writes
one row per candidate cell (density and LQ at the start, whether it became a
specialisation by the end) and prints the AUCs; ``--by-decile FILE`` writes
the entry rate per density decile.

Region and activity codes are read as text, so ``"011"`` stays ``"011"``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ris3._cli import common

_PROXIMITY = "hidalgo, cosine, jaccard, association, probability, rca_correlation"


def _renamed_flag(old: str, new: str, old_value: str | None, new_value: str) -> str:
    """Return the value of ``new``, or of its old name ``old`` with a warning on stderr."""
    if old_value is None:
        return new_value
    typer.echo(
        f"warning: {old} is now {new}; the old name will be removed in the next release",
        err=True,
    )
    return old_value


def register(app: typer.Typer) -> None:
    """Add the opportunities, peers and backtest commands to ``app``."""
    app.command("opportunities")(opportunities_command)
    app.command("peers")(peers_command)
    app.command("backtest")(backtest_command)


def opportunities_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV, Parquet or Excel)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (employment...)."),
    target: str = typer.Option(..., "--target", help="The region analysed (a region code)."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Opportunities per activity (.csv/.parquet)."
    ),
    time: str | None = typer.Option(None, "--time", help="Time column."),
    period: int | None = typer.Option(
        None, "--period", help="Period analysed (needs --time; default: the latest)."
    ),
    compare: int | None = typer.Option(
        None, "--compare", help="Earlier period: adds the growth component (needs --time)."
    ),
    threshold: float = typer.Option(1.0, "--threshold", help="Presence is LQ >= threshold."),
    strict: bool = typer.Option(False, "--strict/--no-strict", help="Presence is LQ > threshold."),
    proximity_method: str = typer.Option(
        "hidalgo", "--proximity-method", help=f"Proximity: {_PROXIMITY}."
    ),
    n_evidence: int = typer.Option(
        3, "--n-evidence", help="Related specialisations listed as evidence."
    ),
    unknown_feasibility: bool = typer.Option(
        False,
        "--unknown-feasibility/--no-unknown-feasibility",
        help="Also report the feasibility of the target's missing (confidential) cells.",
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
    top: Path | None = typer.Option(None, "--top", help="Also write the --n best here."),
    n: int = typer.Option(10, "--n", help="Rows of --top."),
    strategy: str = typer.Option("balanced", "--strategy", help="Ranking of --top."),
) -> None:
    """Diversification opportunities of one region: feasibility and attractiveness."""
    from ris3._validation import check_number, check_option
    from ris3.diversification.opportunities import STRATEGIES, opportunities
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    check_option("--strategy", strategy, tuple(STRATEGIES))
    check_number("--n", n, low=1, integer=True)
    with common.Outputs(inputs=[input]) as outs:
        outs.file("--out", out)
        outs.file("--top", top)
        result = opportunities(
            common.read_input(input, [region, activity]),
            region=region,
            activity=activity,
            value=value,
            target=target,
            time=time,
            period=period,
            compare=compare,
            threshold=threshold,
            strict=strict,
            proximity_method=proximity_method,
            n_evidence=n_evidence,
            missing=missing,  # type: ignore[arg-type]
            unknown_feasibility=unknown_feasibility,
        )
        outs.write("--out", result.tidy())
        if top is not None:
            outs.write("--top", result.top(n, strategy=strategy))
    typer.echo(result.summary(), err=True)


def peers_command(
    input: Path = typer.Argument(..., help="Tidy table (CSV, Parquet or Excel)."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (employment...)."),
    target: str = typer.Option(..., "--target", help="The region whose peers are sought."),
    out: Path = typer.Option(..., "--out", "-o", help="Peers table (.csv/.parquet)."),
    time: str | None = typer.Option(None, "--time", help="Time column."),
    period: int | None = typer.Option(
        None, "--period", help="Period compared (with --time; default: the latest)."
    ),
    n: int = typer.Option(10, "--n", help="Number of peers."),
    basis: str = typer.Option("shares", "--basis", help="Profiles compared: shares or lq."),
    exclude: list[str] | None = typer.Option(
        None, "--exclude", help="Region to leave out of the peers (repeatable)."
    ),
    missing: str = typer.Option("raise", "--missing", help="Missing values: raise, drop, zero."),
) -> None:
    """Structural peers: the regions whose activity profile is most like the target's."""
    from ris3._validation import check_option
    from ris3.diversification.peers import peers
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    with common.Outputs(inputs=[input]) as outs:
        outs.file("--out", out)
        table = peers(
            common.read_input(input, [region, activity]),
            region=region,
            activity=activity,
            value=value,
            target=target,
            n=n,
            basis=basis,  # type: ignore[arg-type]
            time=time,
            period=period,
            missing=missing,  # type: ignore[arg-type]
            exclude=exclude or None,
        )
        outs.write("--out", table)


def backtest_command(
    input: Path = typer.Argument(..., help="Tidy table with two periods or more."),
    region: str = typer.Option(..., "--region", help="Region column."),
    activity: str = typer.Option(..., "--activity", help="Activity column."),
    value: str = typer.Option(..., "--value", help="Value column (employment...)."),
    time: str = typer.Option(..., "--time", help="Time column."),
    start: int = typer.Option(..., "--start", help="Period of the prediction."),
    end: int = typer.Option(..., "--end", help="Period of the outcome."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="One row per candidate cell (.csv/.parquet)."
    ),
    threshold: float = typer.Option(1.0, "--threshold", help="Presence is LQ >= threshold."),
    strict: bool = typer.Option(False, "--strict/--no-strict", help="Presence is LQ > threshold."),
    proximity_method: str = typer.Option(
        "hidalgo", "--proximity-method", help=f"Proximity: {_PROXIMITY}."
    ),
    missing: str = typer.Option(
        "raise", "--missing", help="Missing values: raise, drop (left out, counted), zero."
    ),
    by_decile: Path | None = typer.Option(
        None, "--by-decile", help="Also write the entry rate per density decile here."
    ),
) -> None:
    """Backtest whether relatedness density at --start predicts new specialisations at --end."""
    from ris3._validation import check_option
    from ris3.diversification.backtest import backtest
    from ris3.tidy import MISSING_POLICIES

    check_option("--missing", missing, MISSING_POLICIES)
    with common.Outputs(inputs=[input]) as outs:
        outs.file("--out", out)
        outs.file("--by-decile", by_decile)
        result = backtest(
            common.read_input(input, [region, activity]),
            region=region,
            activity=activity,
            value=value,
            time=time,
            start=start,
            end=end,
            threshold=threshold,
            strict=strict,
            proximity_method=proximity_method,
            missing=missing,  # type: ignore[arg-type]
        )
        outs.write("--out", result.tidy())
        if by_decile is not None:
            outs.write("--by-decile", result.by_decile("density"))
    typer.echo(result.summary(), err=True)
