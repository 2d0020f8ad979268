"""Self-assessments: checklists from the report and the regulation, and their scoring."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from ris3.errors import ConventionError, InputError
from ris3.strategy.assessment import (
    ENABLING_CONDITION_CRITERIA,
    GOOD_PRACTICE_RULES,
    score_assessment,
)

REPORT = (
    Path(__file__).resolve().parents[1].parent / "shared" / "docs" / "clusters-and-s3-report.txt"
)


def _passage(lines: str) -> str:
    text = REPORT.read_text(encoding="utf-8").splitlines()
    out = []
    for part in lines.split(","):
        a, _, b = part.strip().partition("-")
        out.extend(text[int(a) - 1 : int(b or a)])
    return re.sub(r"\s+", " ", " ".join(out).replace("\u2019", "'")).lower()


@pytest.mark.parametrize("rule", GOOD_PRACTICE_RULES, ids=lambda r: r[0])
def test_good_practice_quotes_the_report(rule):
    _, _, _, lines, quotation = rule
    # the quotation is within the first cited passage (Table 2 or the closing list)
    first = lines.split(",")[0]
    assert re.sub(r"\s+", " ", quotation.lower()) in _passage(first)


def test_checklists_are_complete():
    assert len(GOOD_PRACTICE_RULES) == 12
    assert {g for _, g, *_ in GOOD_PRACTICE_RULES} == {
        "activities",
        "organisation",
        "policy_context",
    }
    assert len(ENABLING_CONDITION_CRITERIA) == 7
    assert [ref[-1] for _, _, ref in ENABLING_CONDITION_CRITERIA] == list("1234567")


def test_scoring_hand_worked_two_programmes():
    s = pd.DataFrame(
        {
            "subject": ["Tirol clusters"] * 3 + ["Vorarlberg clusters"],
            "criterion": [
                "businesses_driving_seat",
                "professional_management",
                "functional_region",
                "tracking_goals",
            ],
            "score": [4, 5, 0, 3],
            "evidence": ["board minutes 2024;statutes", ["https://example.org/audit"], "", ""],
        }
    )
    crit, summ = score_assessment(s)
    assert len(crit) == 2 * 12
    t = crit[crit["subject"] == "Tirol clusters"].set_index("criterion")
    assert t.loc["businesses_driving_seat", "n_evidence"] == 2
    assert t.loc["functional_region", "note"] == ""  # a 0 needs no evidence
    assert math.isnan(t.loc["innovation_at_core", "score"])
    summ = summ.set_index("subject")
    assert summ.loc["Tirol clusters", "mean_score"] == 3.0  # (4 + 5 + 0) / 3
    assert summ.loc["Tirol clusters", "weakest"] == "functional_region"
    assert summ.loc["Vorarlberg clusters", "n_without_evidence"] == 1
    assert not summ["complete"].any()


def test_complete_enabling_condition():
    keys = [k for k, _, _ in ENABLING_CONDITION_CRITERIA]
    s = pd.DataFrame({"criterion": keys, "score": [3, 4, 2, 5, 3, 2, 1], "evidence": ["doc"] * 7})
    _, summ = score_assessment(s, checklist="enabling_condition")
    row = summ.iloc[0]
    assert row["complete"] and row["mean_score"] == pytest.approx(20 / 7)
    assert row["weakest"] == "international_cooperation" and row["min_score"] == 1


def test_scoring_errors():
    with pytest.raises(InputError, match="unknown criteria 'charisma'"):
        score_assessment(pd.DataFrame({"criterion": ["charisma"], "score": [3], "evidence": [""]}))
    with pytest.raises(InputError, match="score must be an integer from 0 to 5 or empty; got 6"):
        score_assessment(
            pd.DataFrame({"criterion": ["tracking_goals"], "score": [6], "evidence": [""]})
        )
    with pytest.raises(InputError, match="got 'good'"):
        score_assessment(
            pd.DataFrame({"criterion": ["tracking_goals"], "score": ["good"], "evidence": [""]})
        )
    two = pd.DataFrame({"criterion": ["tracking_goals"] * 2, "score": [1, 2], "evidence": ["", ""]})
    with pytest.raises(InputError, match="scores a criterion twice"):
        score_assessment(two)
    with pytest.raises(ConventionError, match="checklist must be one of"):
        score_assessment(two, checklist="wheel")
