"""rank_alternatives and weight_sensitivity: a published TOPSIS example, hand computations, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import InputError
from ris3.strategy.mcda import (
    criteria_table,
    rank_alternatives,
    topsis_scores,
    weight_sensitivity,
    weighted_sum_scores,
)

# The fighter aircraft example of Hwang and Yoon (1981), Multiple Attribute Decision
# Making, Springer: four aircraft on max speed (Mach), ferry range (NM), max payload (lb),
# acquisition cost (million USD, a cost criterion), reliability and manoeuvrability
# (qualitative, scored 3 = low, 5 = average, 7 = high, 9 = very high), weights
# (0.2, 0.1, 0.1, 0.1, 0.2, 0.3). Published relative closeness: 0.643, 0.268, 0.613, 0.312.
FIGHTER = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
FIGHTER_W = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
FIGHTER_BENEFIT = np.array([True, True, True, False, True, True])
CRIT = ["speed", "range", "payload", "cost", "reliability", "manoeuvrability"]


def _tidy(x: np.ndarray, names: list[str]) -> pd.DataFrame:
    rows = [
        (f"A{i + 1}", c, float(x[i, j])) for i in range(x.shape[0]) for j, c in enumerate(names)
    ]
    return pd.DataFrame(rows, columns=["alternative", "criterion", "value"])


def test_topsis_published_fighter_example():
    c = topsis_scores(FIGHTER, FIGHTER_W, FIGHTER_BENEFIT)
    # to the published three decimals (the book rounds intermediate steps: 0.6135 -> 0.613)
    assert c.tolist() == pytest.approx([0.643, 0.268, 0.613, 0.312], abs=1e-3)
    crit = criteria_table(dict(zip(CRIT, FIGHTER_W)), {"cost": "cost"})
    r = rank_alternatives(_tidy(FIGHTER, CRIT), crit, method="topsis")
    assert r["alternative"].tolist() == ["A1", "A3", "A4", "A2"]
    assert r["score"].iloc[0] == pytest.approx(0.6433, abs=5e-5)


def test_weighted_sum_hand_worked():
    # x: 1, 3, 2 (benefit) -> 0, 1, 0.5; y: 10, 30, 20 (cost) -> 1, 0, 0.5
    x = np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 20.0]])
    s = weighted_sum_scores(x, np.array([0.75, 0.25]), np.array([True, False]))
    assert s.tolist() == pytest.approx([0.25, 0.75, 0.5])
    # a constant criterion separates nobody: everyone gets its full weight
    s2 = weighted_sum_scores(
        np.array([[1.0, 4.0], [2.0, 4.0]]), np.array([0.5, 0.5]), np.array([True, True])
    )
    assert s2.tolist() == pytest.approx([0.5, 1.0])


def test_missing_value_is_an_error_not_a_zero():
    s = _tidy(FIGHTER, CRIT).iloc[:-1]
    crit = criteria_table(dict(zip(CRIT, FIGHTER_W)))
    with pytest.raises(InputError, match="'A4' has no value for criterion 'manoeuvrability'"):
        rank_alternatives(s, crit)
    with pytest.raises(InputError, match="method= must be one of"):
        rank_alternatives(_tidy(FIGHTER, CRIT), crit, method="ahp")
    bad = crit.assign(direction=["benefit"] * 5 + ["up"])
    with pytest.raises(InputError, match="unknown direction values 'up'"):
        rank_alternatives(_tidy(FIGHTER, CRIT), bad)


def test_smaa_three_proposals_hand_worked():
    # a = (1, 0), b = (0, 1), c = (0.4, 0.4) after min-max; weights (w, 1 - w):
    # a scores w, b scores 1 - w, c 0.4. With top_k=1, a wins iff w > 0.5, so under a
    # symmetric Dirichlet(50, 50) p(a) = p(b) = 0.5 and c is never selected.
    s = pd.DataFrame(
        {
            "alternative": list("aabbcc"),
            "criterion": ["x", "y"] * 3,
            "value": [1.0, 0.0, 0.0, 1.0, 0.4, 0.4],
        }
    )
    c = criteria_table({"x": 0.5, "y": 0.5})
    r = weight_sensitivity(s, c, top_k=1, concentration=100, draws=4000, seed=3).set_index(
        "alternative"
    )
    assert r.loc["a", "p_selected"] == pytest.approx(0.5, abs=0.03)
    assert r.loc["a", "p_selected"] + r.loc["b", "p_selected"] == pytest.approx(1.0)
    assert r.loc["c", "p_selected"] == 0.0 and not r.loc["c", "depends_on_weights"]
    assert r.loc["a", "depends_on_weights"] and r.loc["b", "depends_on_weights"]
    # with top 2 selected, c (0.4) is selected iff min(w, 1 - w) < 0.4, i.e. w outside
    # (0.4, 0.6); for w ~ Beta(50, 50) that is 1 - (I_0.6 - I_0.4)(50, 50) = 0.0439
    r2 = weight_sensitivity(s, c, top_k=2, concentration=100, draws=20000, seed=4).set_index(
        "alternative"
    )
    assert r2.loc["c", "p_selected"] == pytest.approx(0.0439, abs=0.006)
    # same seed, same answer
    again = weight_sensitivity(s, c, top_k=2, concentration=100, draws=20000, seed=4).set_index(
        "alternative"
    )
    pd.testing.assert_frame_equal(r2, again)


def test_smaa_budget():
    s = pd.DataFrame({"alternative": list("abc"), "criterion": ["x"] * 3, "value": [3.0, 2.0, 1.0]})
    c = criteria_table({"x": 1.0})
    # costs 5, 5, 1 and budget 6: a is funded, b does not fit and the run stops there
    r = weight_sensitivity(s, c, budget=6, cost={"a": 5, "b": 5, "c": 1}, draws=50).set_index(
        "alternative"
    )
    assert r["selected"].tolist() == [True, False, False]
    assert r["p_selected"].tolist() == [1.0, 0.0, 0.0]
    with pytest.raises(InputError, match="exactly one of top_k"):
        weight_sensitivity(s, c)
    with pytest.raises(InputError, match="no cost for 'c'"):
        weight_sensitivity(s, c, budget=6, cost={"a": 5, "b": 5})


matrices = st.integers(2, 6).flatmap(
    lambda n: st.lists(
        st.lists(st.floats(0.1, 100, allow_nan=False), min_size=3, max_size=3),
        min_size=n,
        max_size=n,
    )
)


@settings(max_examples=60, deadline=None)
@given(matrices, st.lists(st.floats(0.05, 1), min_size=3, max_size=3), st.floats(0.1, 50))
def test_scaling_weights_keeps_the_ranking(rows, w, factor):
    x = np.array(rows)
    b = np.array([True, False, True])
    for kernel in (weighted_sum_scores, topsis_scores):
        s1 = kernel(x, np.array(w) / sum(w), b)
        s2 = kernel(x, np.array(w) * factor / (sum(w) * factor), b)
        assert np.allclose(s1, s2, equal_nan=True)
    names = ["p", "q", "r"]
    crit = pd.DataFrame(
        {"criterion": names, "weight": w, "direction": ["benefit", "cost", "benefit"]}
    )
    crit2 = crit.assign(weight=[v * factor for v in w])
    for m in ("weighted_sum", "topsis"):
        a = rank_alternatives(_tidy(x, names), crit, method=m)
        c = rank_alternatives(_tidy(x, names), crit2, method=m)
        assert a["rank"].tolist() == c["rank"].tolist()


@settings(max_examples=60, deadline=None)
@given(matrices, st.lists(st.floats(0.05, 1), min_size=3, max_size=3), st.floats(0.0, 5.0))
def test_dominated_never_above_dominator(rows, w, gain):
    x = np.array(rows)
    b = np.array([True, False, True])
    # build a dominator of row 0: better or equal on each criterion, strictly on one
    dom = x[0].copy()
    dom[0] += gain + 0.01
    dom[1] = max(dom[1] - gain, 0.05)
    x2 = np.vstack([x, dom])
    for kernel in (weighted_sum_scores, topsis_scores):
        s = kernel(x2, np.array(w) / sum(w), b)
        assert s[-1] >= s[0] - 1e-12
