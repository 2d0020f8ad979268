"""``ris3 evaluate PANEL --config evaluation.toml``: evaluate a cluster programme.

The configuration is a TOML file (read with :mod:`tomllib`)::

    # evaluation.toml
    [columns]                  # required: the panel's column names
    firm = "firm_id"
    region = "region"
    activity = "activity"
    time = "year"              # the year column ("year =" before ris3 0.2)
    entry_year = "entry_year"  # year the firm joined; empty for non-members
    value_added = "value_added"  # optional raw columns the outcomes use:
    employment = "employment"    # value_added, employment, wages, turnover,
    turnover = "turnover"        # profit, exports

    [evaluation]               # all optional
    outcomes = ["value_added", "employment"]   # default: all computable
    peer_regions = ["R02", "R03"]              # reference group (b)
    estimators = ["did_twfe", "did_staggered", "naive"]
    event_window = [5, 5]
    productivity = true
    policy = ["rd", "certified"]
    controls = ["age", "size_class"]
    fixed_effects = "activity + year"
    region_rule = "raise"      # raise | first | last | drop
    nonpositive = "raise"      # raise | drop
    missing = "raise"          # raise | drop (missing raw values)
    alpha = 0.05

    [engine]                   # optional
    engine = "duckdb"          # duckdb | spark
    memory_limit = "8GB"       # further options of ris3.engines.backend.connect

    [output]                   # optional
    charts = "html"            # html | json | svg | png

The key columns and the missing-value policy can also be given on the
command line (``--firm --region --activity --time --entry-year --missing``),
which takes precedence over the file.

PANEL is a Parquet file, folder or glob (read on the engine, out of core) or
a CSV file. The command writes ``estimates.csv``, ``verdict.csv``,
``event_study.csv``, ``pretrends.csv``, ``productivity.csv``,
``trends.csv``, ``summary.txt`` and ``charts/`` into ``--out``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ris3.errors import DataFileError, InputError

_COLUMN_KEYS = ("firm", "region", "activity", "time", "entry_year")
#: [columns] keys of ris3 0.1, read as their new names with a warning
_OLD_COLUMN_KEYS = {"year": "time"}
_RAW_KEYS = ("value_added", "employment", "wages", "turnover", "profit", "exports")
# [evaluation] key -> (check, what it must be)
_LIST_OF_TEXT = (
    lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "a list of strings",
)
_TEXT = (lambda v: isinstance(v, str), "a string")
_EVAL_TYPES: dict[str, tuple[Any, str]] = {
    "outcomes": _LIST_OF_TEXT,
    "peer_regions": _LIST_OF_TEXT,
    "estimators": _LIST_OF_TEXT,
    "event_window": (
        lambda v: (
            isinstance(v, list)
            and len(v) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v)
        ),
        "two integers >= 0, e.g. [5, 5]",
    ),
    "productivity": (lambda v: isinstance(v, bool), "true or false"),
    "policy": _LIST_OF_TEXT,
    "controls": _LIST_OF_TEXT,
    "fixed_effects": _TEXT,
    "region_rule": _TEXT,
    "nonpositive": _TEXT,
    "missing": _TEXT,
    "alpha": (
        lambda v: isinstance(v, float | int) and not isinstance(v, bool) and 0 < v < 1,
        "a number between 0 and 1",
    ),
}
_EVAL_KEYS = tuple(_EVAL_TYPES)
_OUTPUT_KEYS = ("charts",)
_CHART_FORMATS = ("html", "json", "svg", "png")


def _toml_type(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)  # fmt: skip


# what EvaluationResult.save writes into its folder (stale copies are replaced)
EVALUATION_ENTRIES = (
    "estimates.csv",
    "verdict.csv",
    "event_study.csv",
    "pretrends.csv",
    "productivity.csv",
    "trends.csv",
    "summary.txt",
    "charts",
)


def read_config(path: Path, overrides: dict[str, str] | None = None) -> dict[str, Any]:
    """Read and check an evaluation TOML file; return keyword arguments and options.

    Returns a dict with ``kwargs`` (for ``evaluate_programme``), ``engine``
    (dict for ``connect``) and ``charts`` (chart format). ``overrides`` are
    [columns] keys (and ``missing``) given on the command line; they take
    precedence over the file.
    """
    import tomllib

    if not path.is_file():
        raise DataFileError(f"config file {str(path)!r} does not exist")
    try:
        cfg = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"config file {str(path)!r} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"config file {str(path)!r} is not valid TOML: {exc}") from exc
    for section in ("columns", "evaluation", "engine", "output"):
        if section in cfg and not isinstance(cfg[section], dict):
            raise InputError(
                f"config [{section}] must be a table of keys; got {_toml_type(cfg[section])}"
            )
    unknown = sorted(set(cfg) - {"columns", "evaluation", "engine", "output"})
    if unknown:
        raise InputError(
            f"config sections must be among [columns], [evaluation], [engine], [output]; "
            f"got [{'], ['.join(unknown)}]"
        )
    overrides = dict(overrides or {})
    missing_policy = overrides.pop("missing", None)
    cols = cfg.get("columns", {} if overrides else None)
    if not isinstance(cols, dict):
        raise InputError("config needs a [columns] section naming the panel's columns")
    cols = dict(cols)
    for old, new in _OLD_COLUMN_KEYS.items():
        if old in cols and new not in cols:
            typer.echo(
                f"warning: config [columns] {old} is now {new}; the old key will be removed "
                "in the next release",
                err=True,
            )
            cols[new] = cols.pop(old)
    cols.update(overrides)
    missing = [k for k in _COLUMN_KEYS if k not in cols]
    if missing:
        flags = " ".join("--" + k.replace("_", "-") for k in missing)
        raise InputError(
            f"config [columns] must name {', '.join(missing)} (or give {flags} on the command line)"
        )
    bad = sorted(set(cols) - set(_COLUMN_KEYS) - set(_RAW_KEYS))
    if bad:
        raise InputError(
            f"config [columns] keys must be among {', '.join(_COLUMN_KEYS + _RAW_KEYS)}; "
            f"got {', '.join(bad)}"
        )
    for key, val in cols.items():
        if not isinstance(val, str):
            raise InputError(
                f"config [columns] {key} must be a column name (a string); got {_toml_type(val)} "
                f"{val!r}"
            )
    ev = cfg.get("evaluation", {})
    bad = sorted(set(ev) - set(_EVAL_KEYS))
    if bad:
        raise InputError(
            f"config [evaluation] keys must be among {', '.join(_EVAL_KEYS)}; got {', '.join(bad)}"
        )
    for key, val in ev.items():
        ok, want = _EVAL_TYPES[key]
        if not ok(val):
            raise InputError(f"config [evaluation] {key} must be {want}; got {val!r}")
    output = cfg.get("output", {})
    bad = sorted(set(output) - set(_OUTPUT_KEYS))
    if bad:
        raise InputError(
            f"config [output] keys must be among {', '.join(_OUTPUT_KEYS)}; got {', '.join(bad)}"
        )
    charts = output.get("charts", "html")
    if charts not in _CHART_FORMATS:
        raise InputError(
            f"config [output] charts must be one of {', '.join(_CHART_FORMATS)}; got {charts!r}"
        )
    engine = dict(cfg.get("engine", {}))
    if not isinstance(engine.get("engine", "duckdb"), str):
        raise InputError(
            f"config [engine] engine must be duckdb or spark; got {engine['engine']!r}"
        )
    if missing_policy is not None:
        ev = {**ev, "missing": missing_policy}
    kwargs = {**cols, **ev}
    if "event_window" in kwargs:
        kwargs["event_window"] = tuple(kwargs["event_window"])
    return {"kwargs": kwargs, "engine": engine, "charts": charts}


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command to the ``ris3`` app."""

    @app.command("evaluate")
    def evaluate(
        panel: Path = typer.Argument(..., help="Firm-year panel: Parquet file/folder/glob or CSV."),
        config: Path = typer.Option(..., "--config", "-c", help="evaluation.toml (see docs)."),
        out: Path = typer.Option(Path("evaluation"), "--out", "-o", help="Output folder."),
        firm: str | None = typer.Option(None, "--firm", help="Firm column (else [columns])."),
        region: str | None = typer.Option(None, "--region", help="Region column."),
        activity: str | None = typer.Option(None, "--activity", help="Activity column."),
        time: str | None = typer.Option(None, "--time", help="Year column."),
        entry_year: str | None = typer.Option(
            None, "--entry-year", help="Column of the year the firm joined."
        ),
        missing: str | None = typer.Option(
            None, "--missing", help="Missing raw values: raise or drop (else [evaluation])."
        ),
    ) -> None:
        """Did the cluster programme work? DiD against two reference groups.

        TOML config tables: "columns" (firm, region, activity, time, entry_year
        and the raw columns value_added, employment, wages, turnover, profit,
        exports); optional "evaluation" (outcomes, peer_regions, estimators,
        event_window, productivity, policy, controls, fixed_effects,
        region_rule, nonpositive, missing, alpha), "engine" (engine = "duckdb" or
        "spark", plus connect options) and "output" (charts = "html", "json",
        "svg" or "png"). Writes CSV tables, summary.txt and charts/ to --out.
        """
        from ris3._cli.common import Outputs
        from ris3.engines.backend import connect
        from ris3.evaluation import evaluate_programme

        given = {"firm": firm, "region": region, "activity": activity, "time": time}
        given |= {"entry_year": entry_year, "missing": missing}
        cfg = read_config(config, {k: v for k, v in given.items() if v is not None})
        outs = Outputs(inputs=[panel, config])
        stage = outs.folder("--out", out, managed=EVALUATION_ENTRIES)
        with outs:
            opts = dict(cfg["engine"])
            backend = connect(opts.pop("engine", "duckdb"), **opts)
            data: Any = panel
            if str(panel).lower().endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".xlsx")):
                from ris3._cli.common import read_input
                from ris3.tidy import numeric_values

                kw = cfg["kwargs"]
                data = read_input(panel, [kw["firm"], kw["region"], kw["activity"]])
                # numbers are checked here, where file lines are known
                for key in ("time", "entry_year", *_RAW_KEYS):
                    if key in kw and kw[key] in data.columns:
                        numeric_values(data, kw[key], key)
            result = evaluate_programme(data, backend=backend, **cfg["kwargs"])
            written = result.save(stage, chart_format=cfg["charts"])
        typer.echo(result.verdict()[["outcome", "verdict"]].to_string(index=False))
        typer.echo(f"wrote {len(written)} files to {out}")
