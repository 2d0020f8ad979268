"""Open calls: published agreement examples, hand-worked rankings, SMAA, assignment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import InputError
from ris3.strategy.calls import (
    assign_evaluators,
    call_agreement,
    call_ranking,
    call_robustness,
    icc,
    krippendorff_alpha_interval,
)

nan = np.nan

# Shrout and Fleiss (1979), Psychological Bulletin 86(2), Table 2: 6 targets x 4 judges.
# Published (Table 4): ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)

# Krippendorff (2011), Computing Krippendorff's alpha-reliability: 4 observers x 12 units,
# published alpha: interval 0.849.
KRIPP = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
).T


def test_icc_shrout_fleiss_table():
    assert icc(SHROUT_FLEISS, "1") == pytest.approx(0.17, abs=0.005)
    assert icc(SHROUT_FLEISS, "2,1") == pytest.approx(0.29, abs=0.005)
    assert icc(SHROUT_FLEISS, "3,1") == pytest.approx(0.71, abs=0.005)
    # exact values from the mean squares BMS=11.24, WMS=6.26, JMS=32.49, EMS=1.02
    assert icc(SHROUT_FLEISS, "1") == pytest.approx(0.1657, abs=1e-4)
    with pytest.raises(InputError, match="form= must be"):
        icc(SHROUT_FLEISS, "2")


def test_icc_unbalanced_one_way_hand_worked():
    # targets a: (5, 4), b: (2, 2, 3), c: (4,) -> the one-way ANOVA with unequal groups
    x = np.array([[5, 4, nan], [2, 2, 3], [4, nan, nan]])
    # N = 6, means 4.5, 2.333, 4; grand 20/6 = 3.333
    # BMS = (2*1.1667^2 + 3*1^2 + 1*0.6667^2) / 2 = (2.7222 + 3 + 0.4444) / 2 = 3.0833
    # WMS = (0.5 + 0.6667 + 0) / (6 - 3) = 0.3889; k0 = (6 - (4 + 9 + 1) / 6) / 2 = 1.8333
    bms, wms, k0 = 3.083333, 0.388889, 1.833333
    assert icc(x, "1") == pytest.approx((bms - wms) / (bms + (k0 - 1) * wms), abs=1e-5)
    assert np.isnan(icc(x, "2,1"))  # two-way forms need the complete design


def test_alpha_krippendorff_published():
    assert krippendorff_alpha_interval(KRIPP) == pytest.approx(0.849, abs=5e-4)
    # perfect agreement is 1, whatever the missing cells
    assert krippendorff_alpha_interval(np.array([[1, 1, nan], [3, nan, 3], [2, 2, 2]])) == 1.0


@pytest.fixture
def panel() -> pd.DataFrame:
    # two evaluators, three proposals, two criteria; ana is lenient, bo harsh
    rows = [
        ("p1", "ana", "impact", 9), ("p1", "ana", "team", 8),
        ("p2", "ana", "impact", 7), ("p2", "ana", "team", 9),
        ("p3", "ana", "impact", 8), ("p3", "ana", "team", 7),
        ("p1", "bo", "impact", 3), ("p1", "bo", "team", 4),
        ("p2", "bo", "impact", 5), ("p2", "bo", "team", 2),
        ("p3", "bo", "impact", 1), ("p3", "bo", "team", 3),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["proposal", "evaluator", "criterion", "score"])


def test_call_ranking_hand_worked(panel):
    r = call_ranking(panel, {"impact": 3, "team": 1}).set_index("proposal")
    # raw means: p1 impact 6, team 6 -> 6; p2 6, 5.5 -> 0.75*6+0.25*5.5 = 5.875; p3 4.5, 5 -> 4.625
    assert r.loc["p1", "weighted_score"] == pytest.approx(6.0)
    assert r.loc["p2", "weighted_score"] == pytest.approx(5.875)
    assert r.loc["p3", "weighted_score"] == pytest.approx(4.625)
    # z within evaluator x criterion: ana impact (9,7,8) -> (1,-1,0); bo impact (3,5,1) -> (0,1,-1)
    # ana team (8,9,7) -> (0,1,-1); bo team (4,2,3) -> (1,-1,0)
    # p1: impact 0.5, team 0.5 -> 0.5; p2: impact 0, team 0 -> 0; p3: -0.5, -0.5 -> -0.5
    assert r["weighted_z"].to_dict() == pytest.approx({"p1": 0.5, "p2": 0.0, "p3": -0.5})
    assert r["rank"].tolist() == [1, 2, 3] and r["rank_z"].tolist() == [1, 2, 3]
    assert not r["z_incomplete"].any()
    with pytest.raises(InputError, match="no weight for criteria 'team'"):
        call_ranking(panel, {"impact": 1})
    # p3 without any team score: an error naming it, not a zero
    partial = panel[~((panel["proposal"] == "p3") & (panel["criterion"] == "team"))]
    with pytest.raises(InputError, match="proposals 'p3' have no score on some criterion"):
        call_ranking(partial, {"impact": 3, "team": 1})


def test_call_ranking_lenient_rater_correction():
    # p1 and p2 each met one evaluator only: p1 the lenient one (all 8-9), p2 the harsh one
    rows = [
        ("p1", "len", "q", 9),
        ("p3", "len", "q", 8),
        ("p2", "harsh", "q", 4),
        ("p4", "harsh", "q", 2),
    ]
    r = call_ranking(
        pd.DataFrame(rows, columns=["proposal", "evaluator", "criterion", "score"]), {"q": 1}
    )
    r = r.set_index("proposal")
    assert r.loc["p1", "rank"] == 1 and r.loc["p2", "rank"] == 3
    # standardised, the best of each evaluator ties at the top
    assert r.loc["p1", "weighted_z"] == pytest.approx(r.loc["p2", "weighted_z"])
    assert r.loc["p2", "rank_z"] == 1 and r.loc["p2", "rank_change"] == 2


def test_call_agreement_hand_worked():
    s = pd.DataFrame(
        {
            "proposal": ["a", "a", "b", "b", "c", "c"],
            "evaluator": ["x", "y"] * 3,
            "criterion": "impact",
            "score": [5, 4, 2, 2, 4, 5],
        }
    )
    r = call_agreement(s).iloc[0]
    # BMS = 4.1667, WMS = 1/3 -> ICC(1) = 3.8333/4.5; D_o = 4/6, D_e = 112/30 -> alpha = 1 - 0.6667/3.7333
    assert r["icc1"] == pytest.approx(3.833333 / 4.5, abs=1e-5)
    assert r["alpha_interval"] == pytest.approx(1 - (4 / 6) / (112 / 30))
    # ICC(2,1): JMS = 0, EMS = 0.5 -> 3.6667 / (4.1667 + 0.5 - 2*0.5/3)
    assert r["icc2_1"] == pytest.approx(3.666667 / (4.166667 + 0.5 - 1 / 3), abs=1e-5)


def test_call_robustness_three_proposals(panel):
    # impact means p1 6, p2 6, p3 4.5; team means 6, 5.5, 5. p1 >= p2 on both: p1 always first
    r = call_robustness(panel, {"impact": 0.5, "team": 0.5}, top_k=1, draws=500, seed=0)
    r = r.set_index("proposal")
    assert r.loc["p1", "p_selected"] == 1.0 and not r["depends_on_weights"].any()
    assert r.loc["p1", "score"] == pytest.approx(6.0)
    # top 2 of three: p2 (6, 5.5) beats p3 (4.5, 5) for every weight: stable again
    r2 = call_robustness(panel, {"impact": 0.5, "team": 0.5}, top_k=2, draws=500).set_index(
        "proposal"
    )
    assert r2["p_selected"].tolist() == [1.0, 1.0, 0.0]
    # standardised means: p1 (0.5, 0.5), p2 (0, 0), p3 (-0.5, -0.5): the same set
    r3 = call_robustness(panel, {"impact": 1, "team": 1}, top_k=2, standardised=True, draws=100)
    assert r3["proposal"].tolist()[:2] == ["p1", "p2"]


def test_assignment_conflicts_and_balance():
    props = [f"p{i}" for i in range(1, 8)]
    evs = ["ana", "bo", "cy", "di"]
    conflicts = pd.DataFrame({"proposal": ["p1", "p1", "p2"], "evaluator": ["ana", "bo", "cy"]})
    a = assign_evaluators(props, evs, 2, conflicts)
    assert len(a) == 14
    assert a.groupby("proposal").size().eq(2).all()
    pairs = set(zip(a["proposal"], a["evaluator"]))
    assert not pairs & {("p1", "ana"), ("p1", "bo"), ("p2", "cy")}
    assert sorted(a.loc[a["proposal"] == "p1", "evaluator"]) == ["cy", "di"]
    # 14 assignments over 4 evaluators: the best possible maximum load is 4
    assert a.groupby("evaluator").size().max() == 4
    assert (a["load"] == a["evaluator"].map(a.groupby("evaluator").size())).all()


def test_assignment_infeasible_names_the_proposal():
    conflicts = pd.DataFrame({"proposal": ["p2", "p2"], "evaluator": ["ana", "bo"]})
    with pytest.raises(
        InputError,
        match="proposal 'p2' has 1 evaluators without a conflict of interest, fewer than k=2",
    ):
        assign_evaluators(["p1", "p2"], ["ana", "bo", "cy"], 2, conflicts)
    with pytest.raises(InputError, match="unknown proposals 'p9'"):
        assign_evaluators(
            ["p1"], ["ana"], 1, pd.DataFrame({"proposal": ["p9"], "evaluator": ["ana"]})
        )


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12), st.integers(2, 6), st.integers(1, 3), st.data())
def test_assignment_properties(n_p, n_e, k, data):
    k = min(k, n_e - 1) if n_e > 1 else 1
    props = [f"p{i}" for i in range(n_p)]
    evs = [f"e{j}" for j in range(n_e)]
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from(props), st.sampled_from(evs)), max_size=n_p, unique=True)
    )
    conflicts = pd.DataFrame(pairs, columns=["proposal", "evaluator"])
    eligible = {p: n_e - sum(1 for q, _ in pairs if q == p) for p in props}
    if min(eligible.values()) < k:
        with pytest.raises(InputError, match="fewer than k="):
            assign_evaluators(props, evs, k, conflicts)
        return
    a = assign_evaluators(props, evs, k, conflicts)
    assert a.groupby("proposal").size().reindex(props).eq(k).all()
    assert not set(zip(a["proposal"], a["evaluator"])) & set(pairs)
    assert not a.duplicated(["proposal", "evaluator"]).any()
    if not pairs:  # without conflicts the load is as even as it can be
        loads = a.groupby("evaluator").size().reindex(evs, fill_value=0)
        assert loads.max() == -(-n_p * k // n_e)
