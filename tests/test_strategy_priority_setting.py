"""Priority setting: criteria from evidence, missing values in the ranking, declared priorities,
the review series; hand computations on the real AT33 data and invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ris3
from ris3.datasets import load
from ris3.errors import InputError
from ris3.strategy import candidate_domains
from ris3.strategy.mcda import rank_alternatives, weight_sensitivity
from ris3.strategy.priority_setting import (
    check_declared,
    domain_indicator_series,
    edp_support,
    evidence_criteria,
)

WEIGHTS = {"lq_europe": 3.0, "stars": 2.0, "growth": 2.0, "relatedness_density": 1.0,
           "complexity": 1.0}  # fmt: skip


@pytest.fixture(scope="module")
def at33() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The AT33 candidates and their evidence criteria (the demo's numbers)."""
    p = ris3.profile("AT33")
    cands = candidate_domains(p)
    doms = pd.DataFrame({"domain": cands["code"], "code": cands["code"],
                         "feasibility": cands["feasibility"],
                         "attractiveness": cands["attractiveness"]})  # fmt: skip
    values = evidence_criteria(doms, specialisation=p.specialisation, opportunities=p.opportunities)
    return p, values


def _criteria(weights: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"criterion": list(weights), "weight": list(weights.values()),
         "direction": ["benefit"] * len(weights)}
    )  # fmt: skip


def test_evidence_values_are_the_profile_cells(at33) -> None:
    p, values = at33
    v = values.set_index(["domain", "criterion"])["value"]
    spec = p.specialisation.set_index("activity")
    opp = p.opportunities.set_index("activity")
    assert v[("I55", "lq_europe")] == spec.loc["I55", "lq_europe"]
    assert v[("I55", "stars")] == 3.0
    assert v[("C16", "relatedness_density")] == opp.loc["C16", "feasibility"]
    assert v[("C16", "complexity")] == opp.loc["C16", "pci"]
    # a specialisation is no opportunity: feasibility stays missing, never 0
    assert math.isnan(v[("I55", "feasibility")])
    assert v[("C28", "feasibility")] == pytest.approx(0.327117, abs=1e-6)


def _hand_weighted_sum(table: dict[str, dict[str, float]], w: dict[str, float]) -> dict[str, float]:
    total = sum(w.values())
    out = {}
    for d in table:
        s = 0.0
        for c, wc in w.items():
            col = [table[x][c] for x in table]
            lo, hi = min(col), max(col)
            s += wc / total * ((table[d][c] - lo) / (hi - lo) if hi > lo else 1.0)
        out[d] = s
    return out


def _hand_topsis(table: dict[str, dict[str, float]], w: dict[str, float]) -> dict[str, float]:
    total = sum(w.values())
    v = {}
    for c, wc in w.items():
        norm = math.sqrt(sum(table[x][c] ** 2 for x in table))
        for d in table:
            v[(d, c)] = wc / total * table[d][c] / norm
    best = {c: max(v[(d, c)] for d in table) for c in w}
    worst = {c: min(v[(d, c)] for d in table) for c in w}
    out = {}
    for d in table:
        dp = math.sqrt(sum((v[(d, c)] - best[c]) ** 2 for c in w))
        dm = math.sqrt(sum((v[(d, c)] - worst[c]) ** 2 for c in w))
        out[d] = dm / (dp + dm)
    return out


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_ranking_of_the_demo_domains_by_hand(at33, method: str) -> None:
    _, values = at33
    chosen = values[values["criterion"].isin(WEIGHTS)]
    table: dict[str, dict[str, float]] = {}
    for d, c, x in zip(chosen["domain"], chosen["criterion"], chosen["value"]):
        table.setdefault(d, {})[c] = float(x)
    hand = (_hand_weighted_sum if method == "weighted_sum" else _hand_topsis)(table, WEIGHTS)
    got = rank_alternatives(
        chosen.rename(columns={"domain": "alternative"}), _criteria(WEIGHTS), method=method,
        missing="exclude",
    )  # fmt: skip
    for d, s in zip(got["alternative"], got["score"]):
        assert s == pytest.approx(hand[d], rel=1e-12)
    assert got["alternative"].tolist() == sorted(hand, key=lambda d: -hand[d])
    # the demo's numbers: tourism (I55: LQ 6.94, three stars) comes first either way
    assert got["alternative"].iloc[0] == "I55"
    if method == "weighted_sum":
        assert round(hand["I55"], 4) == 0.8701 and round(hand["C23"], 4) == 0.6136


def test_missing_values_exclude_and_name_what_is_lacking(at33) -> None:
    _, values = at33
    chosen = values[values["criterion"].isin(["lq_europe", "feasibility"])]
    w = {"lq_europe": 1.0, "feasibility": 1.0}
    scores = chosen.rename(columns={"domain": "alternative"})
    with pytest.raises(InputError, match="must have a value in every row"):
        rank_alternatives(scores, _criteria(w))
    got = rank_alternatives(scores, _criteria(w), missing="exclude")
    ranked = got[got["rank"].notna()]
    # only the three opportunities have a feasibility: the others are unranked, not scored 0
    assert sorted(ranked["alternative"]) == ["C25", "C28", "C33"]
    left = got[got["rank"].isna()]
    assert len(left) == 7 and set(left["missing_criteria"]) == {"feasibility"}
    assert left["score"].isna().all()
    # the ranked ones are normalised among themselves: as if the others were not there
    alone = rank_alternatives(
        scores[scores["alternative"].isin(["C25", "C28", "C33"])], _criteria(w)
    )
    assert ranked["score"].tolist() == pytest.approx(alone["score"].tolist())
    # a criterion of weight 0 does not exclude anybody
    got0 = rank_alternatives(scores, _criteria({"lq_europe": 1.0, "feasibility": 0.0}),
                             missing="exclude")  # fmt: skip
    assert got0["rank"].notna().all()
    sens = weight_sensitivity(scores, _criteria(w), top_k=1, draws=200, missing="exclude")
    assert sens["p_selected"].notna().sum() == 3 and sens["p_selected"].isna().sum() == 7
    with pytest.raises(InputError, match="missing= must be one of"):
        rank_alternatives(scores, _criteria(w), missing="zero")


finite = st.floats(0.0, 100.0, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.one_of(finite, st.just(float("nan"))), min_size=3, max_size=3),
             min_size=2, max_size=6),
    st.lists(st.floats(0.05, 1), min_size=3, max_size=3),
    st.floats(0.01, 100),
    st.sampled_from(["weighted_sum", "topsis"]),
)  # fmt: skip
def test_scaled_weights_leave_the_ranking_unchanged(rows, w, factor, method) -> None:
    names = ["p", "q", "r"]
    scores = pd.DataFrame(
        [(f"a{i}", n, v) for i, row in enumerate(rows) for n, v in zip(names, row)],
        columns=["alternative", "criterion", "value"],
    )
    crit = _criteria(dict(zip(names, w)))
    a = rank_alternatives(scores, crit, method=method, missing="exclude")
    b = rank_alternatives(
        scores, crit.assign(weight=crit["weight"] * factor), method=method, missing="exclude"
    )
    assert a["rank"].tolist() == b["rank"].tolist()
    assert a["missing_criteria"].tolist() == b["missing_criteria"].tolist()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(finite, min_size=3, max_size=3), min_size=2, max_size=6),
    st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3),
    st.lists(st.floats(0.0, 10.0), min_size=3, max_size=3),
    st.sampled_from(["weighted_sum", "topsis"]),
)
def test_a_dominated_domain_is_never_above_its_dominator(rows, w, bump, method) -> None:
    if sum(w) == 0:
        w = [1.0, 1.0, 1.0]
    names = ["p", "q", "r"]
    # the dominator: the first row improved on every criterion (weakly)
    rows = [*rows, [x + b for x, b in zip(rows[0], bump)]]
    scores = pd.DataFrame(
        [(f"a{i}", n, v) for i, row in enumerate(rows) for n, v in zip(names, row)],
        columns=["alternative", "criterion", "value"],
    )
    got = rank_alternatives(scores, _criteria(dict(zip(names, w))), method=method)
    rank = dict(zip(got["alternative"], got["rank"]))
    dominated, dominator = "a0", f"a{len(rows) - 1}"
    if pd.isna(rank[dominated]):  # TOPSIS of identical alternatives: no closeness
        return
    assert rank[dominator] <= rank[dominated]


def test_edp_support_counts_people_and_keeps_undiscussed_missing() -> None:
    att = pd.DataFrame({"domain": [1, 1, 1, 2, None], "stakeholder": [10, 11, 10, 12, 13]})
    out = edp_support(att, [1, 2, 3]).set_index("domain")["value"]
    assert out[1] == 2.0 and out[2] == 1.0 and math.isnan(out[3])


def test_check_declared_keeps_readable_rows_and_says_why_not() -> None:
    t = pd.DataFrame(
        {"region": ["ES21", "FI1B", "", "DE21"],
         "priority": ["Advanced manufacturing", "Digital health", "x", None],
         "nace_codes": ["C.28; C29.1", "Q86;zz", "C", "C"],
         "policy_objectives": ["RI", None, None, None]}
    )  # fmt: skip
    ok, bad = check_declared(t)
    assert ok[["region", "nace_codes"]].values.tolist() == [["ES21", "C28;C291"]]
    assert ok["scientific_domains"].tolist() == [""]
    assert bad["reason"].tolist() == [
        "unreadable NACE code 'zz'", "no region", "no priority text"
    ]  # fmt: skip
    assert bad["row"].tolist() == [2, 3, 4]
    with pytest.raises(InputError, match="has no column 'priority'"):
        check_declared(pd.DataFrame({"region": ["x"]}))


def test_review_series_is_the_lq_of_the_raw_data_by_hand() -> None:
    sbs = load("eu-sbs")
    out = domain_indicator_series(
        sbs, ["I55"], region="geo", activity="nace_r2", value="persons_employed",
        time="year", target="AT33", since=2012,
    )  # fmt: skip
    assert out["year"].tolist() == [2012, 2013, 2014]
    y = sbs[sbs["year"] == 2014].dropna(subset=["persons_employed"])
    here = y[y["geo"] == "AT33"]
    x_ra = here.loc[here["nace_r2"] == "I55", "persons_employed"].sum()
    lq = (x_ra / here["persons_employed"].sum()) / (
        y.loc[y["nace_r2"] == "I55", "persons_employed"].sum() / y["persons_employed"].sum()
    )
    row = out[out["year"] == 2014].iloc[0]
    assert row["employment"] == x_ra and row["lq"] == pytest.approx(lq, rel=1e-9)
    assert round(row["lq"], 2) == 7.08 and row["stars"] == 3
    # the data end in 2014: nothing since a 2025 selection, and it says so
    later = domain_indicator_series(
        sbs, ["I55"], region="geo", activity="nace_r2", value="persons_employed",
        time="year", target="AT33", since=2025,
    )  # fmt: skip
    assert later.empty and later.attrs["last_year"] == 2014


def test_review_series_leaves_a_confidential_cell_missing() -> None:
    df = pd.DataFrame({"geo": ["A", "A", "B", "B"] * 2, "nace": ["x", "y"] * 4,
                       "emp": [1.0, np.nan, 2.0, 3.0, 1.0, 4.0, 2.0, 3.0],
                       "year": [2020] * 4 + [2021] * 4})  # fmt: skip
    out = domain_indicator_series(df, ["y"], region="geo", activity="nace", value="emp",
                                  time="year", target="A", since=2020)  # fmt: skip
    assert math.isnan(out.loc[0, "employment"]) and "y" in out.loc[0, "note"]
    assert out.loc[1, "employment"] == 4.0
