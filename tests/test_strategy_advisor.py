"""The cluster-policy advisor: one test per rule, quotations checked against the report."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from ris3.errors import InputError
from ris3.strategy.advisor import ADVISOR_RULES, STAGE_TOOL_GROUPS, advise, region_stage
from ris3.strategy.contradictions import FLAGS, advisor_flags

REPORT = (
    Path(__file__).resolve().parents[1].parent / "shared" / "docs" / "clusters-and-s3-report.txt"
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().lower()


def _passage(lines: str) -> str:
    if not REPORT.is_file():
        pytest.fail(f"the report {REPORT} is not found")
    text = REPORT.read_text(encoding="utf-8").splitlines()
    out = []
    for part in lines.split(","):
        a, _, b = part.strip().partition("-")
        out.extend(text[int(a) - 1 : int(b or a)])
    return _norm(" ".join(out))


@pytest.mark.parametrize("rule", ADVISOR_RULES, ids=lambda r: str(r["rule"]))
def test_every_rule_quotes_its_lines(rule):
    assert _norm(str(rule["quotation"])) in _passage(str(rule["lines"]))


@pytest.mark.parametrize("flag", FLAGS, ids=lambda f: f[0])
def test_every_flag_quotes_its_lines(flag):
    assert _norm(flag[3]) in _passage(flag[2])


def _rules(stage=None, stars=None, region=None) -> list[str]:
    c = pd.DataFrame({"priority": ["p"], "stage": [stage], "stars": [stars]})
    return advise(c, region_stage=region)["rule"].tolist()


# one case per rule: facts under which it applies, and facts under which it does not
CASES = {
    "mature_collaboration": ({"stage": "mature"}, {"stage": "emerging"}),
    "mature_coordination": ({"stage": "growing"}, {"stage": "declining"}),
    "mature_targeted_investment": ({"stage": "mature"}, {"stage": "marginal"}),
    "emerging_process_support": ({"stage": "emerging"}, {"stage": "mature"}),
    "emerging_less_money_exit": ({"stage": "emerging"}, {"stage": "growing"}),
    "emerging_no_large_infrastructure": ({"stage": "emerging"}, {"stage": None}),
    "weak_performance_benchmarks": ({"stars": 1}, {"stars": 2}),
    "declining_exit_review": ({"stage": "declining"}, {"stage": "mature"}),
    "strong_leverage": ({"stars": 3}, {"stars": 0}),
    "advanced_organising_principle": ({"region": "advanced"}, {"region": "lagging"}),
    "lagging_capacity_programmes": ({"region": "lagging"}, {"region": "advanced"}),
    "lagging_interest_groups": ({"region": "lagging"}, {}),
    "lagging_social_capital": ({"region": "lagging"}, {"stage": "mature"}),
}


def test_cases_cover_every_rule():
    assert sorted(CASES) == sorted(str(r["rule"]) for r in ADVISOR_RULES)
    assert len(ADVISOR_RULES) == 13


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_applies_exactly_when_its_condition_holds(rule):
    yes, no = CASES[rule]
    assert rule in _rules(**yes)
    assert rule not in _rules(**no)


def test_missing_stars_give_no_strength_rule():
    got = _rules(stage="mature", stars=math.nan)
    assert "weak_performance_benchmarks" not in got and "strong_leverage" not in got


def test_stage_needs_come_from_the_rules():
    assert STAGE_TOOL_GROUPS == {
        "mature": ("collaborative_actions", "business_environment"),
        "growing": ("collaborative_actions", "business_environment"),
        "emerging": ("cluster_organisations",),
    }


def test_region_stage_hand_worked():
    g = pd.DataFrame({"geo": ["A", "B", "C", "D"], "idx": [74.9, 75.0, 130.0, None]})
    out = region_stage(g, region="geo", value="idx")
    assert out["region_stage"].iloc[:3].tolist() == ["lagging", "advanced", "advanced"]
    assert pd.isna(out["region_stage"].iloc[3])  # missing is not lagging
    with pytest.raises(InputError, match="eu_average must be a number > 0; got 0"):
        region_stage(g, region="geo", value="idx", eu_average=0)
    with pytest.raises(InputError, match="region_stage must be one of advanced, lagging"):
        advise(pd.DataFrame({"priority": ["p"], "stage": ["mature"]}), region_stage="rich")


def _register():
    return pd.DataFrame(
        {
            "instrument": ["Platform", "Joint R&D", "Test centre", "Call"],
            "level": ["regional", "regional", "regional", "national"],
            "tool_group": [
                "cluster_organisations",
                "collaborative_actions",
                "business_environment",
                "generic",
            ],
            "priorities": ["e-health", "e-health;tourism", "e-health", "e-health"],
            "exit_benchmark": ["20 members paying fees by 2026", "", "", ""],
        }
    )


_BUD = pd.DataFrame(
    {
        "instrument": ["Platform", "Joint R&D", "Joint R&D", "Test centre", "Call"],
        "year": [2024, 2024, 2025, 2024, 2024],
        "budget_eur": [0.2e6, 0.5e6, 1.5e6, 5e6, 9e6],
    }
)
_PRI = pd.DataFrame(
    {"priority": ["e-health", "tourism"], "stage": ["emerging", "mature"], "stars": [0, 3]}
)


def test_flags_hand_worked():
    f = advisor_flags(_register(), _BUD, _PRI)
    got = sorted(map(tuple, f[["instrument", "priority", "flag"]].values))
    # Joint R&D: 1.5 M in 2025 (its largest year) >= 1 M, collaborative, no exit benchmark.
    # Test centre: 5 M business environment. The platform has a benchmark; the generic
    # call is not a cluster tool. Tourism is mature and strong: nothing to flag.
    assert got == [
        ("Joint R&D", "e-health", "no_exit_benchmark"),
        ("Joint R&D", "e-health", "same_tools_mature_emerging"),
        ("Test centre", "e-health", "large_infrastructure_emerging"),
        ("Test centre", "e-health", "no_exit_benchmark"),
        ("Test centre", "e-health", "same_tools_mature_emerging"),
    ]


def test_flags_benchmark_threshold_and_lagging():
    reg = _register()
    reg.loc[1, "exit_benchmark"] = "three joint projects by 2026"
    f = advisor_flags(reg, _BUD, _PRI, large_budget_eur=2e6, region_stage="lagging")
    got = sorted(map(tuple, f[["instrument", "flag"]].values))
    assert got == [
        ("Test centre", "lagging_large_investment"),
        ("Test centre", "large_infrastructure_emerging"),
        ("Test centre", "no_exit_benchmark"),
        ("Test centre", "same_tools_mature_emerging"),
    ]


def test_flags_weak_cluster_and_unknown_budget():
    pri = pd.DataFrame(
        {"priority": ["e-health", "tourism"], "stage": ["mature", "mature"], "stars": [3, 1]}
    )
    bud = _BUD[_BUD["instrument"] != "Test centre"]
    f = advisor_flags(_register(), bud, pri)
    # tourism is weak (1 star): Joint R&D lacks an exit benchmark there; no size flags
    assert f[["instrument", "priority", "flag"]].values.tolist() == [
        ["Joint R&D", "tourism", "no_exit_benchmark"]
    ]
