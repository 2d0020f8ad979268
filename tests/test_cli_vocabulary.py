"""The command line speaks the Python vocabulary: same names, flags as --x/--no-x, -o/--out.

Verbs owned by the profile, the evaluation and the diversification layers
(``profile``, ``evaluate``, ``opportunities``, ``peers``, ``backtest``) have
their own tests.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer

try:
    import typer._click.core as click_core  # a typer that bundles its own click
except ModuleNotFoundError:  # older typer (the lowest supported) uses the click package
    import click.core as click_core  # type: ignore[no-redef]

from ris3.cli import app, main

OWN_TESTS = {"profile", "evaluate", "opportunities", "peers", "backtest", "workspace"}
# option -> the Python parameter it stands for, by verb (the names must match)
PYTHON = {
    "relatedness": "ris3.measures.relatedness:proximity",
    "complexity": "ris3.measures.complexity:complexity",
    "specialisation": "ris3.measures.specialisation:location_quotient",
    "diversity": "ris3.measures.diversity:diversity",
    "clusters": "ris3.clusters.mapping:map_clusters",
    "shift-share": "ris3.measures.dynamics:shift_share",
    "stars": "ris3.clusters.mapping:map_clusters",
    "portfolio": "ris3.clusters.mapping:map_clusters ris3.clusters.portfolio:portfolio",
    "aggregate": "ris3.data.aggregation:aggregate",
    "convert-nuts": "ris3.data.nuts:convert_nuts",
}
VOCABULARY = ("region", "activity", "value", "time", "target", "missing")


def _verbs() -> dict[str, object]:
    group = typer.main.get_command(app)
    ctx = click_core.Context(group)
    return {
        n: group.get_command(ctx, n)  # type: ignore[attr-defined]
        for n in group.list_commands(ctx)  # type: ignore[attr-defined]
        if n not in OWN_TESTS
    }


def _options(cmd: object) -> list[object]:
    return [p for p in cmd.params if type(p).__name__.endswith("Option")]  # type: ignore[attr-defined]


def test_flags_have_a_negative_form() -> None:
    single = {
        f"{verb} {p.opts[0]}"  # type: ignore[attr-defined]
        for verb, cmd in _verbs().items()
        for p in _options(cmd)
        if p.is_flag and not p.secondary_opts and p.name != "help"  # type: ignore[attr-defined]
    }
    assert single == set()


def test_every_out_has_the_short_form() -> None:
    missing = {
        verb
        for verb, cmd in _verbs().items()
        for p in _options(cmd)
        if "--out" in p.opts and "-o" not in p.opts  # type: ignore[attr-defined]
    }
    assert missing == set()


def test_vocabulary_options_are_python_parameters() -> None:
    import importlib
    import inspect

    verbs = _verbs()
    problems = []
    for verb, target in PYTHON.items():
        params: set[str] = set()
        for one in target.split():
            module, name = one.split(":")
            fn = getattr(importlib.import_module(module), name)
            params |= set(inspect.signature(fn).parameters)
        shown = {o for p in _options(verbs[verb]) if not p.hidden for o in p.opts}  # type: ignore[attr-defined]
        for word in VOCABULARY:
            if (
                f"--{word}" in shown
                and word not in params
                and not (verb == "portfolio" and word == "region")
            ):
                problems.append(f"{verb} --{word}")
        problems += [f"{verb} {o}" for o in ("--employment", "--region-col") if o in shown]
    assert problems == []


@pytest.fixture
def table(tmp_path: Path) -> Path:
    p = tmp_path / "t.csv"
    pd.DataFrame(
        {"geo": ["A", "A", "B", "B", "C", "C"], "nace": ["x", "y"] * 3,
         "emp": [30.0, 10, 10, 50, 20, 20]}
    ).to_csv(p, index=False)  # fmt: skip
    return p


def test_flags_take_no_value(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["specialisation", str(table), "--region", "geo", "--activity", "nace", "--value", "emp"]
    out = tmp_path / "lq.csv"
    assert main([*base, "-o", str(out), "--strict", "true"]) == 2
    capsys.readouterr()
    assert main([*base, "-o", str(out), "--strict"]) == 0
    strict = pd.read_csv(out)
    assert main([*base, "-o", str(out), "--no-strict", "--threshold", "1"]) == 0
    plain = pd.read_csv(out)
    # B's y: LQ exactly 1? no: emp shares 50/60 against 80/140 -> LQ > 1 either way;
    # C's x: 20/40 against 60/140 -> 1.1667; strict only differs at LQ == threshold
    assert (plain["specialised"] == (plain["lq"] >= 1)).all()
    assert (strict["specialised"] == (strict["lq"] > 1)).all()


def test_old_option_spellings_warn_and_agree(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = ["relatedness", str(table), "--region", "geo", "--activity", "nace", "--value", "emp"]
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    assert main([*rel, "-o", str(new), "--proximity-method", "cosine"]) == 0
    assert "renamed" not in capsys.readouterr().err
    assert main([*rel, "-o", str(old), "--method", "cosine"]) == 0
    assert "--method is renamed --proximity-method" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_csv(old), pd.read_csv(new))
    assert main([*rel, "-o", str(old), "--method", "cosine", "--proximity-method", "jaccard"]) == 2
    assert "give --proximity-method only" in capsys.readouterr().err


def test_clusters_old_employment_option(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "def.csv"
    pd.DataFrame({"activity": ["x", "y"], "cluster": ["X", "Y"]}).to_csv(d, index=False)
    base = ["clusters", str(table), "--definition", str(d), "--region", "geo", "--activity", "nace"]
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    assert main([*base, "--value", "emp", "-o", str(new)]) == 0
    assert main([*base, "--employment", "emp", "-o", str(old)]) == 0
    assert "--employment is renamed --value" in capsys.readouterr().err
    got = pd.read_csv(old)
    pd.testing.assert_frame_equal(got, pd.read_csv(new))
    # A: 30 of its 40 in X; all regions: 60 of 140 in X
    a_x = got[(got["geo"] == "A") & (got["cluster"] == "X")].iloc[0]
    assert a_x["value"] == 30 and a_x["share"] == pytest.approx(0.75)
    assert a_x["lq"] == pytest.approx(0.75 / (60 / 140))
    assert main([*base, "-o", str(old)]) == 2
    assert "--value is required" in capsys.readouterr().err
