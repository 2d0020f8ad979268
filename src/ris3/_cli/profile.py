r"""``ris3 profile REGION``: a region's smart-specialisation profile as an offline HTML report.

Without ``--data`` a bundled dataset is used: ``--dataset eu-sbs`` (Eurostat,
NUTS-2 regions, the default) or ``--dataset us-cbp`` (US metro areas)::

    ris3 profile AT33 --out out/AT33
    ris3 profile AT33 --year 2014 --compare-year 2010 --format html,png,pdf
    ris3 profile NL13 --estimate-suppressed
    ris3 profile AT33 --clusters divisions
    ris3 profile 41860 --dataset us-cbp
    ris3 profile ES53 --data own.csv --region nuts --activity nace --value emp --time year
    ris3 profile R1 --data own.csv --region code --activity sector --value jobs \
        --names names.csv --geometry regions.geojson

The folder gets ``index.html`` (opens offline), ``figures/`` (PNG/SVG),
``tables/`` (CSV at full precision) and, with ``pdf``, ``profile.pdf``. A run
that fails leaves no file behind.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from ris3._cli.profile_inputs import read_geometry, read_names
from ris3.errors import InputError

# ris3 0.1 spellings: still accepted (hidden) with a warning naming the new option
OLD_OPTIONS = {
    "--region-col": "--region",
    "--activity-col": "--activity",
    "--value-col": "--value",
    "--time-col": "--time",
}


def _formats(text: str) -> list[str]:
    from ris3._validation import check_option
    from ris3.report.write import REPORT_FORMATS

    parts = [p.strip().lower() for p in text.split(",") if p.strip()]
    if not parts:
        raise InputError(f"--format must list some of {', '.join(REPORT_FORMATS)}; got {text!r}")
    return [check_option("--format", p, REPORT_FORMATS) for p in parts]


def _columns(new: dict[str, str | None], old: dict[str, str | None]) -> dict[str, str | None]:
    """Column options, the 0.1 spellings mapped onto the new ones with a warning."""
    out = dict(new)
    for name, value in old.items():
        if value is None:
            continue
        key = OLD_OPTIONS[name].lstrip("-")
        print(
            f"ris3: warning: {name} is renamed {OLD_OPTIONS[name]}; {name} will be removed",
            file=sys.stderr,
        )
        if out[key] is not None and out[key] != value:
            raise InputError(f"give {OLD_OPTIONS[name]} or its old name {name}, not both")
        out[key] = value
    return out


# what write_profile writes into its folder (stale copies are replaced)
PROFILE_ENTRIES = ("index.html", "tables", "figures", "profile.pdf")


def register(app: typer.Typer) -> None:
    @app.command("profile")
    def profile_cmd(
        target: str = typer.Argument(
            ...,
            metavar="REGION",
            help="Code or exact name of the region: a NUTS-2 code (AT33), a US metro area "
            "(41860 with --dataset us-cbp) or a region code of --data.",
        ),
        dataset: str = typer.Option(
            "eu-sbs", "--dataset", help="Bundled dataset: eu-sbs (Europe) or us-cbp (US metros)."
        ),
        data: Path | None = typer.Option(
            None, "--data", help="Own tidy table (CSV/Parquet) instead of the bundled dataset."
        ),
        region: str | None = typer.Option(
            None, "--region", help="Region column of --data (default geo)."
        ),
        activity: str | None = typer.Option(
            None, "--activity", help="Activity column of --data (default nace_r2)."
        ),
        value: str | None = typer.Option(
            None, "--value", help="Employment column of --data (default persons_employed)."
        ),
        time_: str | None = typer.Option(
            None,
            "--time",
            help="Year column of --data (default year; a table without it is one period).",
        ),
        names: Path | None = typer.Option(
            None, "--names", help="Region names for --data: a table with columns code,name."
        ),
        geometry: Path | None = typer.Option(
            None,
            "--geometry",
            help="Region boundaries for --data: a GeoJSON FeatureCollection whose features "
            "carry the region code in a property (default: the bundled NUTS 2021 boundaries "
            "when the codes are NUTS).",
        ),
        region_col: str | None = typer.Option(None, "--region-col", hidden=True),
        activity_col: str | None = typer.Option(None, "--activity-col", hidden=True),
        value_col: str | None = typer.Option(None, "--value-col", hidden=True),
        time_col: str | None = typer.Option(None, "--time-col", hidden=True),
        year: int | None = typer.Option(None, "--year", help="Year profiled (default: latest)."),
        compare_year: int | None = typer.Option(
            None, "--compare-year", help="Earlier year for growth (default: up to 5 years before)."
        ),
        map_activity: str | None = typer.Option(
            None, "--map-activity", help="Activity on the LQ map (default: top LQ)."
        ),
        peers: int = typer.Option(10, "--peers", help="Number of peer regions."),
        out: Path | None = typer.Option(
            None, "-o", "--out", help="Output folder (default: out/REGION)."
        ),
        fmt: str = typer.Option(
            "html,png,svg", "--format", help="Comma-separated: html, png, svg, pdf."
        ),
        estimate: bool = typer.Option(
            False,
            "--estimate-suppressed/--no-estimate-suppressed",
            help="Estimate confidential cells within the published section and national "
            "totals (eu-sbs only); estimates are marked estimated=True in every table.",
        ),
        clusters: str | None = typer.Option(
            None,
            "--clusters",
            help="categories (cluster categories: European ones for NACE divisions, the US "
            "benchmark clusters for us-cbp) or divisions (each activity its own cluster; "
            "default for other codes).",
        ),
    ) -> None:
        """Write the smart-specialisation profile of REGION (maps, charts, tables)."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from ris3._cli.common import Outputs, _stderr_console, read_input
        from ris3.report.region_profile import STAGES, profile
        from ris3.report.write import write_profile

        cols = _columns(
            {"region": region, "activity": activity, "value": value, "time": time_},
            {
                "--region-col": region_col,
                "--activity-col": activity_col,
                "--value-col": value_col,
                "--time-col": time_col,
            },
        )
        if data is None:
            given = [o for o, v in (("--names", names), ("--geometry", geometry)) if v]
            given += [f"--{k}" for k, v in cols.items() if v is not None]
            if given:
                raise InputError(
                    f"{', '.join(given)} describe(s) a table of your own: give it with --data "
                    f"(or leave them out to use --dataset {dataset})"
                )
        formats = _formats(fmt)
        if out is None:
            out = Path("out") / (target.strip().upper() if data is None else target.strip())
        outs = Outputs(inputs=[data, names, geometry])
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
                region_names = geo = None
                if data is not None:
                    from ris3.tidy import check_keys, check_periods

                    rcol = cols["region"] or "geo"
                    acol = cols["activity"] or "nace_r2"
                    tcol = cols["time"] or "year"
                    table = read_input(data, [rcol, acol])
                    for opt, col in (("--region", rcol), ("--activity", acol)):
                        if col not in table.columns:
                            raise InputError(
                                f"{opt}: --data {str(data)!r} has no column {col!r}; its columns: "
                                f"{', '.join(map(str, table.columns[:12]))}"
                            )
                    if cols["time"] is not None and tcol not in table.columns:
                        raise InputError(
                            f"--time: --data {str(data)!r} has no column {tcol!r}; leave --time "
                            "out for a table of one period"
                        )
                    keys = [c for c in (rcol, acol, tcol) if c in table.columns]
                    check_keys(table, keys)
                    if tcol in table.columns:
                        check_periods(table, tcol)
                    codes = set(table[rcol].astype(str))
                    if names is not None:
                        region_names = read_names(names, codes)
                    if geometry is not None:
                        geo = read_geometry(geometry, codes)
                prof = profile(
                    target.strip().upper() if data is None else target.strip(),
                    dataset=dataset,
                    data=table,
                    names=region_names,
                    geometry=geo,
                    region=cols["region"] if data is not None else None,
                    activity=cols["activity"],
                    value=cols["value"],
                    time=cols["time"],
                    year=year,
                    compare_year=compare_year,
                    map_activity=map_activity,
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
