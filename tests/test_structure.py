"""The named steps of opportunities and prepare_panel, renamed parameters, errors that propagate."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3 import datasets
from ris3.diversification import _opportunity_steps as step
from ris3.diversification.opportunities import opportunities
from ris3.errors import DegenerateDataError, InputError, OptionalDependencyError

SRC = Path(__file__).resolve().parents[1] / "src" / "ris3"


@pytest.fixture
def small() -> pd.DataFrame:
    # LQ >= 1: A{x}, B{x, y}, C{y, z}, D{z}; phi(x,y) = phi(y,z) = 1/2, phi(x,z) = 0
    return pd.DataFrame(
        {
            "geo": list("AAABBBCCCDDD"),
            "act": ["x", "y", "z"] * 4,
            "emp": [5, 1, 0, 4, 4, 1, 0, 3, 6, 1, 0, 7],
        }
    )


def _quiet(fn, *args, **kw):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ris3.DataQualityWarning)
        return fn(*args, **kw)


# --- the source holds what it promises ------------------------------------------


def test_no_catch_all_in_the_source() -> None:
    hits = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"except\s*(\(?\s*(Exception|BaseException)\b|:)", line)
    ]
    assert hits == []


def _function_lines(path: Path, name: str) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
    body = fn.body[1:] if ast.get_docstring(fn) else fn.body
    return fn.end_lineno - body[0].lineno + 1  # type: ignore[operator]


def test_public_functions_are_short_orchestrators() -> None:
    assert _function_lines(SRC / "diversification" / "opportunities.py", "opportunities") <= 60
    assert _function_lines(SRC / "evaluation" / "panel.py", "prepare_panel") <= 45


def test_one_growth_formula_and_one_did_you_mean() -> None:
    text = {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}
    growth = [p for p, t in text.items() if re.search(r"\*\* \(1(\.0)? / \w+\) - 1(\.0)?,", t)]
    assert [p.relative_to(SRC).as_posix() for p in growth] == ["measures/_common.py"]
    wording = [p for p, t in text.items() if re.search(r"f\"; did you mean", t)]
    assert [p.relative_to(SRC).as_posix() for p in wording] == ["_validation.py"]


def test_the_three_suggestions_use_one_wording(small: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"; did you mean 'A'\?"):
        _quiet(opportunities, small, region="geo", activity="act", value="emp", target="AA")
    with pytest.raises(InputError, match=r"; did you mean 'A'"):
        ris3.peers(small, region="geo", activity="act", value="emp", target="AA")
    with pytest.raises(InputError, match=r"; did you mean 'AT33 Tirol'"):
        ris3.profile("Tiro")


def test_report_growth_uses_the_one_formula() -> None:
    from ris3.measures._common import annual_growth

    # 100 -> 121 in two years is 10 % a year; the start 0 makes growth undefined
    np.testing.assert_allclose(annual_growth(np.array([100.0, 0.0]), np.array([121.0, 5.0]), 2),
                               [0.1, np.nan])  # fmt: skip
    prof = ris3.profile("AT33", compare_year=2010)
    spec = prof.specialisation.dropna(subset=["growth"]).iloc[0]
    assert spec["growth"] == pytest.approx(
        (spec["employment"] / spec["employment_start"]) ** (1 / (prof.year - 2010)) - 1, rel=1e-12
    )


# --- opportunities: the named steps --------------------------------------------


def test_key_column_keeps_the_callers_name(small: pd.DataFrame) -> None:
    res = _quiet(opportunities, small, region="geo", activity="act", value="emp", target="A")
    assert res.tidy().columns[0] == "act" and "activity" not in res.tidy().columns
    assert list(res.evidence.columns[:2]) == ["act", "supporting_act"]
    with pytest.raises(InputError, match="activity='share' is also an output column"):
        opportunities(
            small.rename(columns={"act": "share"}),
            region="geo",
            activity="share",
            value="emp",
            target="A",
        )


def test_quadrants_step_by_hand() -> None:
    # densities of 4 regions around 2 activities; region 0 is specialised in activity 0 only
    d = np.array([[0.2, 0.6], [0.4, 0.1], [0.1, 0.2], [0.5, np.nan]])
    q, med = step.quadrants(d, 0, np.array([True, False]), np.arange(4))
    np.testing.assert_allclose(med, [0.3, 0.2])  # NaN of region 3 left out of the median
    assert q.tolist() == ["weakness", "opportunity"]
    q, _ = step.quadrants(d, 0, np.array([True, False]), np.array([2]))
    assert q.tolist() == ["strength", "opportunity"]


def test_strategy_scores_step_ranks_among_candidates_only() -> None:
    feas = np.array([0.9, 0.1, 0.5, 0.3])
    attr = np.array([0.0, 1.0, 0.2, 0.8])
    cand = np.array([False, True, True, True])
    s = step.strategy_scores(feas, attr, cand)
    # candidates: feasibility ranks (0, 1, 0.5), attractiveness ranks (1, 0, 0.5)
    np.testing.assert_allclose(s["low_hanging_fruit"][1:], [0.25, 0.75, 0.5])
    np.testing.assert_allclose(s["long_jumps"][1:], [0.75, 0.25, 0.5])
    assert np.isnan(s["balanced"][0])
    only_f = step.strategy_scores(feas, np.full(4, np.nan), cand)
    np.testing.assert_allclose(only_f["balanced"][1:], [0.0, 1.0, 0.5])


def test_attractiveness_and_weights_steps() -> None:
    comp = {"pci": np.array([3.0, 1.0, 2.0]), "wage": np.array([10.0, np.nan, 30.0])}
    w = step.component_weights({"pci": 3.0, "wage": 1.0}, list(comp))
    # pci ranks (1, 0, 0.5), wage ranks (0, nan, 1): (3*1 + 0) / 4, pci alone, (1.5 + 1) / 4
    np.testing.assert_allclose(step.attractiveness(comp, w, 3), [0.75, 0.0, 0.625])
    with pytest.warns(FutureWarning, match="weights key 'complexity' is now 'pci'"):
        assert step.component_weights({"complexity": 1.0}, ["pci"]) == {"pci": 1.0}
    with pytest.raises(InputError, match="'activity_growth' but that component is not available"):
        step.component_weights({"activity_growth": 1.0}, ["pci"])


def test_evidence_steps(small: pd.DataFrame) -> None:
    res = _quiet(opportunities, small, region="geo", activity="act", value="emp", target="B")
    ev = res.evidence
    # B is specialised in x and y; z is related to y (1/2) only, y to x (1/2)
    assert ev[["act", "supporting_act", "proximity"]].values.tolist() == [
        ["x", "y", 0.5],
        ["y", "x", 0.5],
        ["z", "y", 0.5],
    ]
    assert step.evidence_strings(ev, "act", 1).to_dict() == {
        "x": "y (0.50)",
        "y": "x (0.50)",
        "z": "y (0.50)",
    }
    assert step.evidence_strings(ev.iloc[:0], "act", 3).empty


def test_pci_step_lets_a_bug_raise(small: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only DegenerateDataError means 'PCI undefined'; any other error propagates."""

    def broken(m: object) -> object:
        raise ZeroDivisionError("a bug in the complexity kernel")

    monkeypatch.setattr(step, "economic_complexity", broken)
    with pytest.raises(ZeroDivisionError, match="a bug"):
        _quiet(opportunities, small, region="geo", activity="act", value="emp", target="A")

    def undefined(m: object) -> object:
        raise DegenerateDataError("no second eigenvector")

    monkeypatch.setattr(step, "economic_complexity", undefined)
    with pytest.warns(ris3.DegenerateDataWarning, match="pci could not be computed"):
        res = _quiet(opportunities, small, region="geo", activity="act", value="emp", target="A")
    assert res.unavailable == {"pci": "no second eigenvector"} and res.components == []


# --- renamed parameters keep working one release --------------------------------


def test_proximity_method_is_one_name(small: pd.DataFrame) -> None:
    """opportunities and backtest name the proximity measure as proximity and complexity do."""
    kw = {"region": "geo", "activity": "act", "value": "emp", "target": "A"}
    cos = _quiet(opportunities, small, proximity_method="cosine", **kw)
    phi = ris3.proximity(small, region="geo", activity="act", value="emp",
                         proximity_method="cosine")  # fmt: skip
    pairs = phi.set_index([phi.columns[0], phi.columns[1]])["proximity"]
    ev = cos.evidence
    for _, row in ev.iterrows():
        assert row["proximity"] == pytest.approx(pairs[(row["supporting_act"], row["act"])])
    with pytest.raises(ris3.Ris3Error, match="proximity_method must be one of"):
        _quiet(opportunities, small, proximity_method="euclid", **kw)
    panel = pd.DataFrame(
        {
            "y": [1] * 9 + [2] * 9,
            "r": list("AAABBBCCC") * 2,
            "a": list("xyz") * 6,
            "v": [5, 1, 1, 4, 4, 1, 1, 3, 6, 5, 4, 1, 4, 4, 1, 1, 3, 6],
        }
    )
    bt = {"region": "r", "activity": "a", "value": "v", "time": "y", "start": 1, "end": 2}
    with pytest.raises(ris3.Ris3Error, match="proximity_method must be one of"):
        ris3.backtest(panel, proximity_method="euclid", **bt)
    b = ris3.backtest(panel, proximity_method="jaccard", **bt)
    assert b.n_entries == 1


def test_backtest_default_is_missing_raise() -> None:
    sbs = datasets.load("eu-sbs")
    kw = {"region": "geo", "activity": "nace_r2", "value": "persons_employed", "time": "year"}
    with pytest.raises(InputError, match="missing"):
        ris3.backtest(sbs, start=2008, end=2014, **kw)


def test_evaluation_time_and_old_year() -> None:
    from ris3.evaluation.panel import prepare_panel

    panel = ris3.simulate_panel(200, 5, seed=4)
    keys = {"firm": "firm_id", "region": "region", "activity": "activity"}
    new = prepare_panel(
        panel, **keys, time="year", entry_year="entry_year", value_added="value_added"
    )
    with pytest.warns(FutureWarning, match="year= is renamed time="):
        old = prepare_panel(panel, **keys, year="year", entry_year="entry_year",
                            value_added="value_added")  # fmt: skip
    order = ["firm", "year"]  # the engine returns rows in no particular order
    pd.testing.assert_frame_equal(
        old.sample.sort_values(order).reset_index(drop=True),
        new.sample.sort_values(order).reset_index(drop=True),
    )
    with pytest.raises(TypeError, match="time"):
        prepare_panel(panel, **keys, entry_year="entry_year", value_added="value_added")
    with pytest.warns(
        FutureWarning, match=r"ris3.engines.panel.prepare_panel is now ris3.evaluation"
    ):
        from ris3.engines.panel import prepare_panel as moved
    assert moved is prepare_panel


def test_cli_old_flag_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ris3.cli import main

    d = datasets.load("eu-sbs")
    d = d[d["year"] == 2014][["geo", "nace_r2", "persons_employed"]]
    csv = tmp_path / "sbs.csv"
    d.to_csv(csv, index=False)
    args = ["opportunities", str(csv), "--region", "geo", "--activity", "nace_r2"]
    args += ["--value", "persons_employed", "--target", "AT33", "--missing", "drop"]
    assert main([*args, "--proximity-method", "cosine", "-o", str(tmp_path / "a.csv")]) == 0
    assert main([*args, "-o", str(tmp_path / "b.csv")]) == 0
    # the same option name as `ris3 relatedness` and `ris3 complexity`, and it changes the result
    assert not pd.read_csv(tmp_path / "a.csv").equals(pd.read_csv(tmp_path / "b.csv"))
    assert main([*args, "--proximity", "cosine", "-o", str(tmp_path / "c.csv")]) == 2
    assert not (tmp_path / "c.csv").exists()


# --- report inputs: a missing extra is named, a broken import is a bug -------------


def test_report_stage_keeps_missing_extras_apart_from_bugs() -> None:
    from ris3.report._inputs import _Stage

    prof: dict = {"timings": {}, "unavailable": {}}
    with _Stage(prof, "maps", "maps", None):
        raise OptionalDependencyError(
            "maps need the extra ris3[report]: pip install 'ris3[report]'"
        )
    assert "ris3[report]" in prof["unavailable"]["maps"]
    with pytest.raises(ModuleNotFoundError), _Stage(prof, "charts", "charts", None):
        import ris3.no_such_module  # noqa: F401  (a broken import inside ris3 is a bug)
    assert "charts" not in prof["unavailable"]
