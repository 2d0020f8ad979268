"""A panel's whole result: hand-worked aggregation, a 3-proposal SMAA case, assignment optimality."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from ris3.errors import InputError
from ris3.strategy.calls import assign_evaluators, call_results, orient_scores


def _criteria(rows):
    return pd.DataFrame(
        rows, columns=["criterion", "weight", "direction", "scale_min", "scale_max"]
    )


def _scores(rows):
    return pd.DataFrame(rows, columns=["proposal", "evaluator", "criterion", "score"])


# quality: weight 3, 0-10, more is better; risk: weight 1, 0-5, less is better
CRITERIA = _criteria([("quality", 3, "benefit", 0, 10), ("risk", 1, "cost", 0, 5)])
SCORES = _scores(
    [
        ("p1", "e1", "quality", 8),
        ("p1", "e1", "risk", 1),
        ("p1", "e2", "quality", 6),
        ("p1", "e2", "risk", 2),
        ("p2", "e1", "quality", 7),
        ("p2", "e1", "risk", 4),
        ("p2", "e2", "quality", 9),
        ("p2", "e2", "risk", 3),
    ]
)


def test_results_hand_worked_raw_standardised_funded_and_agreement():
    res = call_results(SCORES, CRITERIA, {"p1": 60, "p2": 50}, 100, draws=4000, seed=3)
    r = res["ranking"].set_index("proposal")
    # risk mirrored on 0-5: p1 (4, 3) -> 3.5, p2 (1, 2) -> 1.5; quality means p1 7, p2 8
    # weights 3:1 -> 0.75, 0.25: p1 = 5.25 + 0.875 = 6.125; p2 = 6 + 0.375 = 6.375
    assert r.loc["p1", "weighted_score"] == pytest.approx(6.125)
    assert r.loc["p2", "weighted_score"] == pytest.approx(6.375)
    assert r.loc["p2", "rank"] == 1 and r.loc["p1", "rank"] == 2
    # z per evaluator and criterion: quality cancels out (e1: +.707/-.707, e2: -.707/+.707);
    # risk (oriented) e1 (4, 1) and e2 (3, 2): p1 +0.7071 from both -> 0.25 * 0.7071
    z = 0.25 * np.sqrt(0.5)
    assert r.loc["p1", "weighted_z"] == pytest.approx(z)
    assert r.loc["p2", "weighted_z"] == pytest.approx(-z)
    assert r.loc["p1", "rank_z"] == 1 and r.loc["p1", "rank_change"] == 1
    # budget 100: p2 (50) first, then p1 would make 110: only p2 is funded
    assert bool(r.loc["p2", "funded"]) and not bool(r.loc["p1", "funded"])
    assert r.loc["p1", "requested"] == 60.0
    # p2 is ahead iff 8w + 1.5(1 - w) > 7w + 3.5(1 - w), i.e. w_quality > 2/3;
    # w_quality ~ Beta(75, 25) (concentration 100 x weights 0.75, 0.25)
    p2 = 1 - beta.cdf(2 / 3, 75, 25)
    se = np.sqrt(p2 * (1 - p2) / 4000)
    assert r.loc["p2", "p_funded"] == pytest.approx(p2, abs=4 * se)
    assert r.loc["p1", "p_funded"] + r.loc["p2", "p_funded"] == pytest.approx(1.0)
    # P(w > 2/3) = 0.97 under Beta(75, 25): outside the 5-95% band, so neither is flagged
    assert p2 > 0.95 and not r["depends_on_weights"].any()
    # with a looser spread (concentration 10: Beta(7.5, 2.5)) the funding flips often enough
    loose = call_results(SCORES, CRITERIA, {"p1": 60, "p2": 50}, 100, concentration=10, draws=4000)
    lp = loose["ranking"].set_index("proposal")
    p2_loose = 1 - beta.cdf(2 / 3, 7.5, 2.5)
    assert 0.05 < p2_loose < 0.95
    assert lp.loc["p2", "p_funded"] == pytest.approx(
        p2_loose, abs=4 * np.sqrt(p2_loose * (1 - p2_loose) / 4000)
    )
    assert lp["depends_on_weights"].all()
    # agreement on quality: means 7 and 8, grand 7.5; BMS = 2 (0.25 + 0.25) = 1, WMS = 4 / 2 = 2
    a = res["agreement"].set_index("criterion")
    assert a.loc["quality", "icc1"] == pytest.approx((1 - 2) / (1 + 2))


def test_smaa_three_proposals_budget_constrained_hand_worked():
    # A (10, 0) costs 2, B (0, 10) and C (4, 4) cost 1; money 2; weights (0.5, 0.5), concentration 20
    crit = _criteria([("x", 0.5, "benefit", 0, 10), ("y", 0.5, "benefit", 0, 10)])
    s = _scores(
        [
            ("A", "e", "x", 10),
            ("A", "e", "y", 0),
            ("B", "e", "x", 0),
            ("B", "e", "y", 10),
            ("C", "e", "x", 4),
            ("C", "e", "y", 4),
        ]
    )
    draws = 8000
    r = call_results(s, crit, {"A": 2, "B": 1, "C": 1}, 2, concentration=20, draws=draws, seed=11)[
        "ranking"
    ].set_index("proposal")
    # w = weight of x ~ Beta(10, 10). w > .5: A first, nothing else fits -> {A}.
    # .4 < w < .5: B first, then A (10w > 4) does not fit and nothing is skipped -> {B}.
    # w < .4: B, then C (4 > 10w) fits -> {B, C}.
    want = {"A": 1 - beta.cdf(0.5, 10, 10), "B": beta.cdf(0.5, 10, 10), "C": beta.cdf(0.4, 10, 10)}
    for p, prob in want.items():
        se = np.sqrt(prob * (1 - prob) / draws)
        assert r.loc[p, "p_funded"] == pytest.approx(prob, abs=4 * se), p
    assert r.loc["A", "p_funded"] + r.loc["B", "p_funded"] == pytest.approx(1.0)
    # at the published weights A and B tie at 5; the table's order funds A
    assert r["funded"].to_dict() == {"A": True, "B": False, "C": False}
    assert r["depends_on_weights"].all()
    # the same seed gives the same numbers
    again = call_results(
        s, crit, {"A": 2, "B": 1, "C": 1}, 2, concentration=20, draws=draws, seed=11
    )
    assert again["ranking"].set_index("proposal")["p_funded"].equals(r["p_funded"])


def test_orient_scores_refuses_out_of_scale_and_unknown():
    with pytest.raises(InputError, match="score 7 on 'risk' is outside its scale 0-5"):
        orient_scores(_scores([("p", "e", "risk", 7)]), CRITERIA)
    with pytest.raises(InputError, match="criteria 'team' that the call does not have"):
        orient_scores(_scores([("p", "e", "team", 1)]), CRITERIA)


def _best_max_load(props, evs, k, blocked):
    """Brute force over every feasible assignment: the smallest (max load, sum of squared loads)."""
    options = [
        [c for c in itertools.combinations(evs, k) if not any((p, e) in blocked for e in c)]
        for p in props
    ]
    best = None
    for choice in itertools.product(*options):
        loads = {e: 0 for e in evs}
        for c in choice:
            for e in c:
                loads[e] += 1
        key = (max(loads.values()), sum(v * v for v in loads.values()))
        best = key if best is None else min(best, key)
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(2, 4), st.integers(1, 2), st.data())
def test_assignment_load_is_the_brute_force_optimum(n_p, n_e, k, data):
    props = [f"p{i}" for i in range(n_p)]
    evs = [f"e{j}" for j in range(n_e)]
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from(props), st.sampled_from(evs)), max_size=4, unique=True)
    )
    best = _best_max_load(props, evs, k, set(pairs))
    conflicts = pd.DataFrame(pairs, columns=["proposal", "evaluator"])
    if best is None:
        with pytest.raises(InputError, match="fewer than k="):
            assign_evaluators(props, evs, k, conflicts)
        return
    a = assign_evaluators(props, evs, k, conflicts)
    loads = a.groupby("evaluator").size().reindex(evs, fill_value=0)
    assert (loads.max(), int((loads**2).sum())) == best
    assert not set(zip(a["proposal"], a["evaluator"])) & set(pairs)
    assert a.groupby("proposal").size().reindex(props).eq(k).all()
