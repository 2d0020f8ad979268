"""Monitoring: intervention-logic checks, the scorecard rule, computed indicators."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ris3
from ris3.errors import InputError
from ris3.strategy.computed import domain_observations
from ris3.strategy.monitoring import (
    check_intervention_logic,
    decimal_year,
    scorecard,
    scorecard_summary,
)


def _framework():
    ind = pd.DataFrame(
        {
            "indicator": ["firms", "coop", "co2", "emp", "visits"],
            "priority": ["tourism", "tourism", "tourism", "tourism", "tourism"],
            "type": ["output", "result", "result", "context", "output"],
            "objective": ["more cooperation", None, "greener tourism", None, None],
            "baseline_year": [2020, 2020, 2020, 2020, None],
            "baseline_value": [0.0, 100.0, 50.0, 49708.0, None],
        }
    )
    tgt = pd.DataFrame(
        {
            "indicator": ["firms", "firms", "coop", "co2"],
            "year": [2022, 2026, 2024, 2030],
            "value": [20.0, 60.0, 140.0, 30.0],
        }
    )
    obs = pd.DataFrame(
        {
            "indicator": ["firms", "firms", "coop", "co2", "co2", "emp"],
            "date": ["2022-01-01", "2024-01-01", "2022-01-01", 2025, "2026-01-01", 2021],
            "value": [18.0, 30.0, 115.0, 41.0, None, 50100.0],
            "provenance": ["entered", "entered", "imported", "entered", "entered", "computed"],
        }
    )
    return ind, tgt, obs


def test_scorecard_hand_worked():
    ind, tgt, obs = _framework()
    card = scorecard(*_framework()).set_index("indicator")
    # firms: path 0 (2020) -> 20 (2022) -> 60 (2026); at 2024 the plan is 40; 30 of 40 = 0.75
    assert card.loc["firms", "expected_value"] == 40.0
    assert card.loc["firms", "progress"] == 0.75 and card.loc["firms", "status"] == "at_risk"
    # coop: plan 120 at 2022, observed 115: 15 / 20 = 0.75
    assert card.loc["coop", "progress"] == 0.75
    # co2 falls: plan 40 at 2025 (50 -> 30 over ten years), observed 41: -9 / -10 = 0.9;
    # the later observation is empty and does not count
    assert card.loc["co2", "expected_value"] == 40.0
    assert card.loc["co2", "progress"] == pytest.approx(0.9)
    assert card.loc["co2", "status"] == "on_track"
    assert card.loc["emp", "status"] == "no_data" and "context" in card.loc["emp", "note"]
    assert card.loc["visits", "status"] == "no_data" and card.loc["visits", "note"] == "no baseline"
    # stricter thresholds move the same numbers
    strict = scorecard(ind, tgt, obs, on_track=0.95, at_risk=0.8).set_index("indicator")
    assert strict.loc["co2", "status"] == "at_risk" and strict.loc["firms", "status"] == "off_track"
    # as_of keeps the 2022 observation of firms: plan 20, observed 18 = 0.9
    early = scorecard(ind, tgt, obs, as_of="2023-01-01").set_index("indicator")
    assert early.loc["firms", "progress"] == pytest.approx(0.9)


def test_scorecard_summary_by_priority_and_instrument():
    ind, tgt, obs = _framework()
    ind["instrument"] = ["platform", "platform", "green call", None, "platform"]
    ind.loc[4, "priority"] = "wood"
    card = scorecard(ind, tgt, obs)
    by_p = scorecard_summary(card).set_index("priority")
    # tourism: firms at_risk, coop at_risk, co2 on_track, emp no_data; wood: visits no_data
    assert by_p.loc["tourism"].tolist() == [1, 2, 0, 1, 4]
    assert by_p.loc["wood"].tolist() == [0, 0, 0, 1, 1]
    by_i = scorecard_summary(card, by="instrument").set_index("instrument")
    assert by_i.loc["platform", "at_risk"] == 2 and by_i.loc["green call", "on_track"] == 1
    assert by_i.loc["(no instrument)", "no_data"] == 1
    with pytest.raises(InputError, match="has no column 'instrument'"):
        scorecard_summary(card.drop(columns="instrument"), by="instrument")


def test_scorecard_no_change_planned_and_beyond_last_target():
    ind = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "priority": ["p", "p"],
            "type": ["result", "result"],
            "baseline_year": [2020, 2020],
            "baseline_value": [10.0, 10.0],
        }
    )
    tgt = pd.DataFrame({"indicator": ["a", "b"], "year": [2022, 2022], "value": [10.0, 20.0]})
    obs = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "date": [2021, 2030],
            "value": [9.0, 21.0],
            "provenance": ["entered"] * 2,
        }
    )
    card = scorecard(ind, tgt, obs).set_index("indicator")
    assert card.loc["a", "status"] == "off_track"  # keep 10: 9 is below
    assert card.loc["b", "expected_value"] == 20.0 and card.loc["b", "progress"] == pytest.approx(
        1.1
    )


def test_scorecard_errors():
    ind, tgt, obs = _framework()
    bad = obs.copy()
    bad.loc[0, "provenance"] = "guessed"
    with pytest.raises(InputError, match="unknown provenance values 'guessed'"):
        scorecard(ind, tgt, bad)
    with pytest.raises(InputError, match="at_risk must be a number >= 0 and <= 0.5; got 0.6"):
        scorecard(ind, tgt, obs, on_track=0.5)
    with pytest.raises(InputError, match="names unknown indicators 'ghost'"):
        scorecard(ind, pd.DataFrame({"indicator": ["ghost"], "year": [2024], "value": [1]}), obs)


@settings(max_examples=80, deadline=None)
@given(
    b=st.floats(-1e3, 1e3),
    delta=st.floats(1, 1e3),
    frac=st.floats(0.05, 1),
    achieved=st.floats(-2, 3),
)
def test_status_follows_progress(b, delta, frac, achieved):
    # a target ten years out, observed at a fraction of the way, achieving a share of the plan
    ind = pd.DataFrame(
        {
            "indicator": ["x"],
            "priority": ["p"],
            "type": ["result"],
            "baseline_year": [2020],
            "baseline_value": [b],
        }
    )
    tgt = pd.DataFrame({"indicator": ["x"], "year": [2030], "value": [b + delta]})
    value = b + achieved * frac * delta
    obs = pd.DataFrame(
        {
            "indicator": ["x"],
            "date": [2020 + 10 * frac],
            "value": [value],
            "provenance": ["entered"],
        }
    )
    row = scorecard(ind, tgt, obs).iloc[0]
    progress = (value - b) / (frac * delta)
    assert row["progress"] == pytest.approx(progress, rel=1e-6, abs=1e-9)
    expected = "on_track" if progress >= 0.9 else "at_risk" if progress >= 0.6 else "off_track"
    if abs(progress - 0.9) > 1e-6 and abs(progress - 0.6) > 1e-6:
        assert row["status"] == expected


def test_intervention_logic_flags():
    ind, tgt, _ = _framework()
    problems = check_intervention_logic(ind, tgt, priorities=["tourism", "wood"], max_indicators=3)
    got = sorted(map(tuple, problems[["priority", "indicator", "problem"]].values))
    assert got == [
        ("tourism", "", "too_many_indicators"),  # 4 output and result indicators > 3
        ("tourism", "visits", "no_target"),
        ("wood", "", "no_indicators"),
    ]
    ind.loc[1, "baseline_value"] = None
    tgt.loc[2, "year"] = 2019
    problems = check_intervention_logic(ind, tgt)
    assert sorted(problems["problem"]) == ["no_baseline", "no_target", "target_before_baseline"]


def test_decimal_year_errors():
    assert decimal_year("2024-01-01") == 2024.0
    with pytest.raises(InputError, match="date must be a date or a year; got 'soon'"):
        decimal_year("soon")


# ---- computed indicators on the bundled SBS data ------------------------------


@pytest.fixture(scope="module")
def sbs():
    return ris3.datasets.load("eu-sbs")


def test_domain_observations_at33_tourism(sbs):
    dom = pd.DataFrame(
        {
            "priority": ["tourism", "tourism", "pharma", "pharma"],
            "activity": ["I55", "I56", "C21", "C20"],
        }
    )
    obs, ev = domain_observations(
        sbs,
        dom,
        region="geo",
        activity="nace_r2",
        value="persons_employed",
        time="year",
        year=2014,
        target="AT33",
    )
    val = obs.set_index("indicator")["value"]
    # AT33 2014: I55 32,624 + I56 17,084 (the table's own cells)
    assert val["tourism:employment"] == 49708.0
    one = sbs[(sbs["year"] == 2014) & sbs["persons_employed"].notna()]
    tour = one["nace_r2"].isin(["I55", "I56"])
    at = one["geo"] == "AT33"
    lq = (one.loc[at & tour, "persons_employed"].sum() / one.loc[at, "persons_employed"].sum()) / (
        one.loc[tour, "persons_employed"].sum() / one["persons_employed"].sum()
    )
    assert val["tourism:lq"] == pytest.approx(lq, rel=1e-12)
    assert val["tourism:lq"] > 2 and val["tourism:stars"] >= 1  # specialisation star at least
    # C21 is confidential in AT33 in 2014: the pharma domain is unknown, not smaller
    assert math.isnan(val["pharma:employment"]) and math.isnan(val["pharma:stars"])
    assert (
        obs.set_index("indicator").loc["pharma:lq", "note"] == "missing or confidential cells: C21"
    )
    assert set(obs["provenance"]) == {"computed"}
    assert ev["parameters"]["domains"] == {"pharma": ["C20", "C21"], "tourism": ["I55", "I56"]}
    assert ev["missing_cells_left_out"] == int(
        sbs.loc[sbs["year"] == 2014, "persons_employed"].isna().sum()
    )


def test_domain_observations_errors(sbs):
    dom = pd.DataFrame({"priority": ["x"], "activity": ["Z99"]})
    kw = dict(
        region="geo", activity="nace_r2", value="persons_employed", time="year", target="AT33"
    )
    with pytest.raises(InputError, match="activities not in the data: 'Z99'"):
        domain_observations(sbs, dom, year=2014, **kw)
    with pytest.raises(InputError, match="no rows for year = 2030"):
        domain_observations(sbs, dom, year=2030, **kw)
