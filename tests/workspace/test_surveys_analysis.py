"""Survey analysis against hand computations: means, gap, weights, reweighting,
perception against the evidence, small groups hidden on the page, in exports and criteria."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from survey_support import make_survey, matrix_answers

from ris3.strategy.surveys import perceived_strength, strength_report
from ris3.workspace import services as core
from ris3.workspace.models import Domain, DomainEvidence
from ris3.workspace.surveys import services
from ris3.workspace.surveys.analysis import report_tables
from ris3.workspace.surveys.criteria import CRITERIA
from ris3.workspace.surveys.document import sections
from ris3.workspace.surveys.models import Survey

# (helix, sector, rating of A, rating of B or None) for 12 respondents; everybody rates C = 2
PEOPLE = [
    ("government", "public", 5, 4), ("government", "public", 4, 4), ("government", "public", 5, 3),
    ("research", "public", 4, 5), ("research", "public", 5, None), ("research", "public", 4, None),
    ("business", "private", 3, None), ("business", "private", 2, None), ("business", "private", 3, None),
    ("business", "private", 3, None), ("business", "private", 2, None), ("business", "private", 3, None),
]  # fmt: skip


@pytest.fixture
def rated(world: dict[str, Any], db: None) -> dict[str, Any]:
    owner = world["users"]["owner"]
    strategy = world["strategy"]
    a = world["domain"]
    b = Domain.objects.create(strategy=strategy, title="Wood", codes="C16", origin="test")
    c = Domain.objects.create(strategy=strategy, title="Mechatronics", codes="C28", origin="test")
    ev = world["evidence"]
    DomainEvidence.objects.create(
        domain=a, evidence=ev, metrics={"lq_europe": 0.5, "stars": 0, "growth": -0.01}
    )
    DomainEvidence.objects.create(
        domain=c, evidence=ev, metrics={"lq_europe": 4.0, "stars": 3, "growth": 0.05}
    )
    s = make_survey(
        owner, strategy, target_mix={"business": 0.25, "government": 0.5, "research": 0.25}
    )
    text_q = s.questions.get(code="remarks")
    for helix, sector, ra, rb in PEOPLE:
        ratings = {a.pk: ra, c.pk: 2} | ({b.pk: rb} if rb is not None else {})
        answers = matrix_answers(s, ratings) + [(text_q, "", "Secret remark of one person")]
        services.submit(s, helix=helix, sector=sector, answers=answers)
    return {"survey": s, "a": a, "b": b, "c": c}


def test_report_values_by_hand(rated: dict[str, Any]) -> None:
    s, a, b, c = rated["survey"], rated["a"], rated["b"], rated["c"]
    tables, result = report_tables(s)
    assert result["respondents"] == 12
    overall = tables["overall"].set_index("domain")
    assert overall.loc[str(a.pk), "mean"] == pytest.approx(43 / 12)
    assert overall.loc[str(c.pk), "mean"] == pytest.approx(2.0)
    assert str(b.pk) not in overall.index  # 4 raters < 5
    # the interval: close to mean +- 1.96 sd / sqrt(n) (population sd, as the bootstrap sees it)
    ra = np.array([p[2] for p in PEOPLE], dtype=float)
    se = ra.std() / np.sqrt(len(ra))
    lo, hi = overall.loc[str(a.pk), ["ci_low", "ci_high"]]
    assert lo < 43 / 12 < hi
    assert (hi - lo) == pytest.approx(2 * 1.96 * se, rel=0.25)
    assert c.pk and overall.loc[str(c.pk), ["ci_low", "ci_high"]].tolist() == [2.0, 2.0]
    # by helix: business only (government and research have 3 each)
    assert tables["by_helix"][["domain", "helix"]].values.tolist() == [
        [str(a.pk), "business"], [str(c.pk), "business"]
    ]  # fmt: skip
    assert tables["by_helix"]["mean"].tolist() == pytest.approx([16 / 6, 2.0])
    # the gap: public 27/6 - private 16/6
    gap = tables["gap"].set_index("domain")
    assert gap.loc[str(a.pk), "gap"] == pytest.approx(27 / 6 - 16 / 6)
    assert bool(gap.loc[str(a.pk), "significant"]) is True
    assert gap.loc[str(c.pk), "gap"] == pytest.approx(0.0)
    # weights = target share / sample share: business .25/.5, government .5/.25, research .25/.25
    w = tables["weights"].set_index("helix")["weight"]
    assert w.to_dict() == pytest.approx({"business": 0.5, "government": 2.0, "research": 1.0})
    rew = tables["reweighted"].set_index("domain")
    assert rew.loc[str(a.pk), "mean"] == pytest.approx(
        (0.5 * 16 + 2 * 14 + 1 * 13) / (0.5 * 6 + 2 * 3 + 1 * 3)
    )
    # perception: A is perceived strongest but measured weakest, C the other way round
    per = tables["perception"].set_index("domain")
    assert per.loc[str(a.pk), "flag"] == "perceived stronger"
    assert per.loc[str(c.pk), "flag"] == "measured stronger"
    assert per.loc[str(a.pk), "lq"] == 0.5 and per.loc[str(c.pk), "stars"] == 3
    # what is hidden, and why
    hidden = tables["hidden"]
    assert sorted(map(tuple, hidden[["table", "domain", "group"]].values.tolist())) == sorted([
        ("overall", str(b.pk), ""), ("by_helix", str(a.pk), "government"),
        ("by_helix", str(a.pk), "research"), ("by_helix", str(b.pk), "government"),
        ("by_helix", str(b.pk), "research"), ("by_helix", str(c.pk), "government"),
        ("by_helix", str(c.pk), "research"), ("by_sector", str(b.pk), "public"),
        ("gap", str(b.pk), ""), ("reweighted", str(b.pk), ""),
    ])  # fmt: skip
    assert set(hidden["reason"]) == {
        "fewer than 5 respondents", "fewer than 5 public or private respondents"
    }  # fmt: skip


def test_report_is_seeded(rated: dict[str, Any]) -> None:
    one, _ = report_tables(rated["survey"])
    two, _ = report_tables(rated["survey"])
    for name in one:
        pd.testing.assert_frame_equal(one[name], two[name])


def test_threshold_is_a_survey_setting(rated: dict[str, Any], world: dict[str, Any]) -> None:
    s = rated["survey"]
    s = core.update(
        world["users"]["owner"], Survey.objects.get(pk=s.pk), s.version, {"min_respondents": 3}
    )
    tables, _ = report_tables(s)
    helix = tables["by_helix"]
    gov = helix[(helix["domain"] == str(rated["a"].pk)) & (helix["helix"] == "government")]
    assert gov["mean"].tolist() == pytest.approx([14 / 3])
    assert str(rated["b"].pk) in set(tables["overall"]["domain"])


def test_reweighting_to_the_sample_mix_changes_nothing() -> None:
    rng = np.random.default_rng(5)
    r = pd.DataFrame({"respondent": np.repeat(np.arange(30), 2), "domain": ["x", "y"] * 30,
                      "rating": rng.integers(1, 6, 60), "helix": np.repeat(["business"] * 18 + ["research"] * 12, 2),
                      "sector": np.repeat(["private"] * 18 + ["public"] * 12, 2)})  # fmt: skip
    rep = strength_report(r, target={"business": 0.6, "research": 0.4}, n_boot=200)
    assert rep.weights is not None and rep.weights["weight"].tolist() == pytest.approx([1.0, 1.0])
    assert rep.reweighted is not None
    assert rep.reweighted["mean"].tolist() == pytest.approx(rep.overall["mean"].tolist())


def test_page_and_exports_hide_small_groups(rated: dict[str, Any], world: dict[str, Any]) -> None:
    s, b = rated["survey"], rated["b"]
    c = Client()
    c.force_login(world["users"]["observer"])
    base = f"/strategies/{world['strategy'].pk}/surveys/{s.pk}"
    html = c.get(f"{base}/analysis/").content.decode()
    assert "No breakdown with fewer than 5 respondents is shown or exported" in html
    assert "Hidden breakdowns" in html and "fewer than 5 public or private respondents" in html
    assert "Secret remark" not in html
    csv = pd.read_csv(io.BytesIO(c.get(f"{base}/export/?format=csv").content))
    shown = csv[csv["table"].isin(["overall", "by_helix", "by_sector", "gap", "reweighted"])]
    assert b.pk not in set(shown["domain"].dropna().astype(int))
    # every shown breakdown has at least 5 respondents; the hidden table gives no counts
    counts = pd.concat([shown["respondents"].dropna(), csv["public_respondents"].dropna(),
                        csv["private_respondents"].dropna()])  # fmt: skip
    assert counts.min() >= 5
    assert csv.loc[csv["table"] == "hidden", "respondents"].isna().all()
    assert "Secret remark" not in c.get(f"{base}/export/?format=csv").content.decode()
    xl = pd.read_excel(io.BytesIO(c.get(f"{base}/export/?format=xlsx").content), sheet_name=None)
    assert set(xl) >= {"about", "overall", "by_helix", "gap", "weights", "perception", "hidden"}
    assert xl["overall"]["mean"].tolist() == pytest.approx(
        csv.loc[csv["table"] == "overall", "mean"].tolist()
    )


def test_criteria_and_document(rated: dict[str, Any], world: dict[str, Any]) -> None:
    [(key, label, direction, fn)] = [c for c in CRITERIA if c[0] == "survey_strength"]
    assert direction == "benefit" and label
    got = fn(world["strategy"])
    assert got == {rated["a"].pk: pytest.approx(43 / 12), rated["b"].pk: None, rated["c"].pk: 2.0}
    [sec] = sections(world["strategy"])
    assert not sec.illustrative and "12 responses" in sec.paragraphs[0]
    assert "Secret remark" not in str(sec.tables) and str(rated["b"].pk) not in set(
        sec.tables["Perceived strength by domain"]["domain"]
    )


def test_perceived_strength_mean_is_the_plain_mean() -> None:
    r = pd.DataFrame({"respondent": range(7), "domain": "d", "rating": [1, 2, 2, 3, 5, 5, 4]})
    assert perceived_strength(r, n_boot=10)["mean"].item() == pytest.approx(22 / 7)


def test_free_text_for_builders_only_and_never_exported(
    rated: dict[str, Any], world: dict[str, Any]
) -> None:
    base = f"/strategies/{world['strategy'].pk}/surveys/{rated['survey'].pk}"
    for visitor, shown in (
        ("owner", True),
        ("facilitator", True),
        ("evaluator", False),
        ("observer", False),
    ):
        c = Client()
        c.force_login(world["users"][visitor])
        html = c.get(f"{base}/analysis/").content.decode()
        assert (html.count("Secret remark of one person") == 12) is shown, visitor
        assert "Secret remark" not in c.get(f"{base}/export/?format=csv").content.decode()
    # below the threshold the texts wait
    s = rated["survey"]
    s = core.update(
        world["users"]["owner"], Survey.objects.get(pk=s.pk), s.version, {"min_respondents": 13}
    )
    c = Client()
    c.force_login(world["users"]["owner"])
    html = c.get(f"{base}/analysis/").content.decode()
    assert (
        "Secret remark" not in html
        and "Not shown while the survey has fewer than 13 responses" in html
    )


def test_likert_and_ranking_means_by_hand(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    qs = {q.code: q for q in s.questions.all()}
    likert = [5, 4, 4, 3, 2, 5]
    ranks = [(1, 2, 3), (2, 1, 3), (1, 3, 2), (1, 2, 3), (3, 2, 1), (1, 2, 3)]
    for k, (lk, rk) in enumerate(zip(likert, ranks)):
        answers = [(qs["involved"], "", str(lk))] + [
            (qs["goals"], c, str(r)) for c, r in zip(qs["goals"].choices, rk)
        ]
        if k == 5:
            answers = answers[1:]  # the last one skips the Likert question: 5 answers
        services.submit(s, helix="business", sector="private", answers=answers)
    tables, _ = report_tables(s)
    got = {(q, i): (n, m) for q, i, n, m in tables["scales"].itertuples(index=False)}
    assert got == {
        ("involved", ""): (5, pytest.approx(18 / 5)),
        ("goals", "jobs"): (6, pytest.approx(9 / 6)),
        ("goals", "green"): (6, pytest.approx(12 / 6)),
        ("goals", "r&d"): (6, pytest.approx(15 / 6)),
    }
    s = core.update(
        world["users"]["owner"], Survey.objects.get(pk=s.pk), s.version, {"min_respondents": 6}
    )
    tables, _ = report_tables(s)
    assert set(tables["scales"]["question"]) == {"goals"}  # the Likert cell has 5 < 6
