"""``ris3 profile REGION``: a region's smart-specialisation profile as an offline HTML report.

Without ``--data`` the bundled Eurostat dataset (``--dataset eu-sbs``) is used::

    ris3 profile AT33 --out out/AT33
    ris3 profile AT33 --year 2014 --compare-year 2010 --format html,png,pdf
    ris3 profile NL13 --estimate-suppressed
    ris3 profile AT33 --clusters divisions
    ris3 profile XX11 --data my_table.csv --region-col nuts --activity-col nace \\
        --value-col employees --time-col year

The folder gets ``index.html`` (opens offline), ``figures/`` (PNG/SVG),
``tables/`` (CSV at full precision) and, with ``pdf``, ``profile.pdf``.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ris3.errors import InputError


def _formats(text: str) -> list[str]:
    from ris3._validation import check_option
    from ris3.report.write import REPORT_FORMATS

    parts = [p.strip().lower() for p in text.split(",") if p.strip()]
    if not parts:
        raise InputError(f"--format must list some of {', '.join(REPORT_FORMATS)}; got {text!r}")
    return [check_option("--format", p, REPORT_FORMATS) for p in parts]


# what write_profile writes into its folder (stale copies are replaced)
PROFILE_ENTRIES = ("index.html", "tables", "figures", "profile.pdf")


def register(app: typer.Typer) -> None:
    @app.command("profile")
    def profile_cmd(
        region: str = typer.Argument(..., help="NUTS code of the region, e.g. AT33."),
        dataset: str = typer.Option("eu-sbs", "--dataset", help="Bundled dataset to use."),
        data: Path | None = typer.Option(
            None, "--data", help="Own tidy table (CSV/Parquet) instead of the bundled dataset."
        ),
        region_col: str = typer.Option("geo", "--region-col", help="Region column of --data."),
        activity_col: str = typer.Option(
            "nace_r2", "--activity-col", help="Activity column of --data."
        ),
        value_col: str = typer.Option(
            "persons_employed", "--value-col", help="Employment column of --data."
        ),
        time_col: str = typer.Option("year", "--time-col", help="Year column of --data."),
        year: int | None = typer.Option(None, "--year", help="Year profiled (default: latest)."),
        compare_year: int | None = typer.Option(
            None, "--compare-year", help="Earlier year for growth (default: up to 5 years before)."
        ),
        activity: str | None = typer.Option(
            None, "--map-activity", help="Activity on the map of Europe (default: top LQ)."
        ),
        peers: int = typer.Option(10, "--peers", help="Number of peer regions."),
        out: Path | None = typer.Option(None, "--out", help="Output folder (default: out/REGION)."),
        fmt: str = typer.Option(
            "html,png,svg", "--format", help="Comma-separated: html, png, svg, pdf."
        ),
        estimate: bool = typer.Option(
            False,
            "--estimate-suppressed",
            help="Estimate confidential cells within the published section and national "
            "totals (bundled data only); estimates are marked estimated=True in every table.",
        ),
        clusters: str | None = typer.Option(
            None,
            "--clusters",
            help="categories (European cluster categories; default for NACE divisions) or "
            "divisions (each activity its own cluster; default for other codes).",
        ),
    ) -> None:
        """Write the smart-specialisation profile of REGION (maps, charts, tables)."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from ris3._cli.common import Outputs, _stderr_console, read_input
        from ris3.report.region_profile import STAGES, profile
        from ris3.report.write import write_profile

        formats = _formats(fmt)
        if out is None and data is None:
            out = Path("out") / region.strip().upper()
        elif out is None:
            out = Path("out") / region
        outs = Outputs(inputs=[data])
        stage = outs.folder("--out", out, managed=PROFILE_ENTRIES)
        t0 = time.perf_counter()
        steps = list(STAGES) + ["build charts", "write HTML"]
        steps += [
            s
            for s, f in (("export figures", ("png", "svg")), ("print PDF", ("pdf",)))
            if any(x in formats for x in f)
        ]
        with outs:
            with Progress(
                TextColumn("{task.description:<22}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=_stderr_console(),
                transient=True,
            ) as bar:
                task = bar.add_task("profile", total=len(steps))
                seen: list[str] = []

                def step(name: str) -> None:
                    if seen:
                        bar.advance(task)
                    seen.append(name)
                    bar.update(task, description=name)

                table = None
                if data is not None:
                    from ris3.tidy import check_keys, check_periods

                    table = read_input(data, [region_col, activity_col])
                    keys = [c for c in (region_col, activity_col, time_col) if c in table.columns]
                    check_keys(table, keys)
                    if time_col in table.columns:
                        check_periods(table, time_col)
                prof = profile(
                    region.strip().upper() if data is None else region,
                    dataset=dataset,
                    data=table,
                    region_col=region_col,
                    activity_col=activity_col,
                    value_col=value_col,
                    time_col=time_col,
                    year=year,
                    compare_year=compare_year,
                    map_activity=activity,
                    n_peers=peers,
                    progress=step,
                    estimate_suppressed=estimate,
                    clusters=clusters,  # type: ignore[arg-type]
                )
                written = write_profile(prof, stage, formats=formats, progress=step)
                bar.advance(task)
        written = {k: out / v.relative_to(stage) for k, v in written.items()}
        typer.echo(prof.summary())
        for key in ("html", "pdf", "figures", "tables"):
            if key in written:
                typer.echo(f"{key}: {written[key]}")
        if prof.unavailable:
            typer.echo("not shown: " + "; ".join(f"{k} ({v})" for k, v in prof.unavailable.items()))
        typer.echo(f"done in {time.perf_counter() - t0:.1f} s")
