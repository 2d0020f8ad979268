"""Diversification opportunities and the backtest of relatedness density."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.diversification.backtest import backtest, roc_auc, stratified_auc
from ris3.diversification.opportunities import STRATEGIES, opportunities, percentile_rank
from ris3.errors import ConventionError, DegenerateDataError, DegenerateDataWarning, InputError


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


def test_hand_worked_example(small: pd.DataFrame) -> None:
    res = opportunities(small, region="geo", activity="act", value="emp", target="A")
    t = res.tidy().set_index("act")
    np.testing.assert_allclose(t["lq"], [(5 / 6) / (10 / 32), (1 / 6) / (8 / 32), 0.0])
    assert t["specialised"].tolist() == [True, False, False]
    # density of A: x -> 0 (only y relates to x, A lacks y); y -> 0.5/(0.5+0.5); z -> 0
    np.testing.assert_allclose(t["feasibility"], [0.0, 0.5, 0.0])
    # peers' densities around x: A 0, B 1, C 1, D 0 -> median 0.5
    np.testing.assert_allclose(t["peer_median_feasibility"], [0.5, 0.5, 0.5])
    assert t["quadrant"].tolist() == ["weakness", "opportunity", "threat"]
    assert t.loc["y", "evidence"] == "x (0.50)"
    assert t.loc["z", "evidence"] == ""  # A's only specialisation x is unrelated to z
    # PCI symmetric around the middle activity; attractiveness = its percentile rank
    assert t.loc["z", "pci"] == pytest.approx(-t.loc["x", "pci"])
    np.testing.assert_allclose(t["attractiveness"], [0.0, 0.5, 1.0])
    # candidates y, z: feasibility ranks (1, 0), attractiveness ranks (0, 1)
    for name, (wf, wa) in STRATEGIES.items():
        np.testing.assert_allclose(t[f"score_{name}"].to_numpy()[1:], [wf, wa])
        assert np.isnan(t.loc["x", f"score_{name}"])
    assert res.top(1, "low_hanging_fruit")["act"].tolist() == ["y"]
    assert res.top(1, "long_jumps")["act"].tolist() == ["z"]
    ev = res.evidence
    assert ev[["act", "supporting_act"]].values.tolist() == [["y", "x"]]


def test_no_related_specialisation_leaves_evidence_empty() -> None:
    # each region holds one activity alone: no co-occurrence, every proximity is 0
    df = pd.DataFrame(
        {"geo": list("AAABBBCCC"), "act": ["x", "y", "z"] * 3, "emp": [5, 0, 0, 0, 5, 0, 0, 0, 5]}
    )
    with pytest.warns(DegenerateDataWarning, match="x, y, z|'x', 'y', 'z'"):
        res = opportunities(df, region="geo", activity="act", value="emp", target="A")
    t = res.tidy()
    assert t["evidence"].tolist() == ["", "", ""]
    assert res.evidence.empty
    assert t["feasibility"].isna().all()
    assert t["quadrant"].isna().all()


def test_peer_group_changes_quadrants(small: pd.DataFrame) -> None:
    res = opportunities(
        small, region="geo", activity="act", value="emp", target="A", peers=["A", "D"]
    )
    t = res.tidy().set_index("act")
    # A and D both have density 0 around x -> median 0 -> A is not behind: strength
    assert t.loc["x", "quadrant"] == "strength"
    assert res.peers == ["A", "D"]


def test_growth_and_wage_components(small: pd.DataFrame) -> None:
    later = small.assign(emp=small["emp"] * np.where(small["act"] == "z", 2, 1))
    panel = pd.concat([small.assign(year=2010), later.assign(year=2012)], ignore_index=True)
    wages = panel.assign(wage=panel["emp"] * np.where(panel["act"] == "y", 30.0, 20.0))
    res = opportunities(
        panel,
        region="geo",
        activity="act",
        value="emp",
        time="year",
        target="B",
        compare=2010,
        wages=wages,
        wage_value="wage",
    )
    t = res.tidy().set_index("act")
    np.testing.assert_allclose(t["activity_growth"], [0.0, 0.0, np.sqrt(2.0) - 1.0])
    np.testing.assert_allclose(t["wage"], [20.0, 30.0, 20.0])
    assert res.components == ["pci", "activity_growth", "wage"]
    assert res.period == 2012
    # weights restricted to growth: attractiveness = percentile rank of growth
    only_growth = opportunities(
        panel,
        region="geo",
        activity="act",
        value="emp",
        time="year",
        target="B",
        compare=2010,
        weights={"activity_growth": 1.0},
    )
    np.testing.assert_allclose(only_growth.tidy()["attractiveness"], [0.25, 0.25, 1.0])


def test_interfaces(small: pd.DataFrame) -> None:
    res = opportunities(small, region="geo", activity="act", value="emp", target="B")
    pairs = res.interfaces({"x": "food", "y": "life", "z": "life"}, strong=["food", "life"])
    assert pairs[["activity_a", "activity_b"]].values.tolist() == [["x", "y"]]
    assert pairs["proximity"].tolist() == [0.5]
    # default strong clusters from B's cluster LQs: food (4/9)/(10/32) = 1.42,
    # life (5/9)/(22/32) = 0.81 -> only one strong cluster, no interface
    auto = res.interfaces({"x": "food", "y": "life", "z": "life"})
    assert len(auto) == 0
    with pytest.raises(InputError, match=r"no cluster for 1 activit\(ies\): 'z'"):
        res.interfaces({"x": "food", "y": "life"})
    with pytest.raises(InputError, match="strong names cluster.*'energy'"):
        res.interfaces({"x": "food", "y": "life", "z": "life"}, strong=["energy"])


def test_errors(small: pd.DataFrame) -> None:
    kw = {"region": "geo", "activity": "act", "value": "emp"}
    with pytest.raises(
        InputError, match=r"target='AA' is not a region of column 'geo'; did you mean 'A'"
    ):
        opportunities(small, target="AA", **kw)
    with pytest.raises(InputError, match="peers not found in column 'geo': 'Q'"):
        opportunities(small, target="A", peers=["Q"], **kw)
    with pytest.raises(InputError, match="peers must name at least one region; got an empty list"):
        opportunities(small, target="A", peers=[], **kw)
    with pytest.raises(
        ConventionError, match="weights key must be one of 'pci', 'activity_growth', 'wage'"
    ):
        opportunities(small, target="A", weights={"beauty": 1.0}, **kw)
    with pytest.raises(
        InputError, match="weights gives 'activity_growth' but that component is not available"
    ):
        opportunities(small, target="A", weights={"activity_growth": 1.0}, **kw)
    with pytest.raises(InputError, match="period=2010 needs time="):
        opportunities(small, target="A", period=2010, **kw)
    with pytest.raises(InputError, match="wages= needs wage_value="):
        opportunities(small, target="A", wages=small, **kw)
    res = opportunities(small, target="A", **kw)
    with pytest.raises(ConventionError, match="strategy must be one of 'low_hanging_fruit'"):
        res.top(3, "yolo")


def test_feasibility_matches_independent_numpy_on_trade(shared_data) -> None:
    raw = pd.read_csv(
        shared_data / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz"
    )
    cols = {c.lower(): c for c in raw.columns}
    exp, prod, val = (
        cols.get("exporter", raw.columns[0]),
        cols.get("hs2", raw.columns[1]),
        raw.columns[-1],
    )
    df = raw.groupby([exp, prod], as_index=False)[val].sum()
    target = 276  # Germany's numeric code
    res = opportunities(df, region=exp, activity=prod, value=val, target=target)
    # independent computation
    x = df.pivot_table(index=exp, columns=prod, values=val, aggfunc="sum", fill_value=0.0)
    x = x.loc[x.sum(axis=1) > 0, x.sum(axis=0) > 0]
    rca = x.div(x.sum(axis=1), axis=0).div(x.sum(axis=0) / x.to_numpy().sum(), axis=1)
    m = (rca >= 1).astype(float).to_numpy()
    c = m.T @ m
    u = np.diag(c)
    phi = c / np.maximum.outer(u, u)
    np.fill_diagonal(phi, 0.0)
    dens = (m @ phi) / phi.sum(axis=0)
    row = list(x.index).index(target)
    t = res.tidy().set_index(prod).loc[x.columns]
    np.testing.assert_allclose(t["feasibility"].to_numpy(), dens[row], rtol=1e-12)
    np.testing.assert_allclose(t["lq"].to_numpy(), rca.loc[target].to_numpy(), rtol=1e-12)
    assert t["specialised"].sum() == int(m[row].sum())
    # every candidate with positive feasibility cites at least one specialisation
    cand = t[~t["specialised"] & (t["feasibility"] > 0)]
    assert (cand["evidence"] != "").all()
    first = cand["evidence"].str.extract(r"^(\S+) \(([\d.]+)\)")
    for act, (sup, p) in zip(cand.index, first.itertuples(index=False)):
        assert float(p) == pytest.approx(
            phi[list(x.columns).index(int(sup)), list(x.columns).index(act)], abs=0.005 + 1e-9
        )


def test_percentile_rank() -> None:
    np.testing.assert_allclose(percentile_rank(np.array([10.0, 30.0, 20.0])), [0.0, 1.0, 0.5])
    assert percentile_rank(np.array([7.0])).tolist() == [0.5]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=25),
    st.randoms(use_true_random=False),
)
def test_roc_auc_equals_pairwise_definition(scores: list[float], rnd) -> None:
    y = np.array([rnd.random() < 0.5 for _ in scores])
    if y.all() or not y.any():
        y[0] = not y[0]
    s = np.array(scores)
    pairs = [1.0 if a > b else 0.5 if a == b else 0.0 for a, b in itertools.product(s[y], s[~y])]
    assert roc_auc(s, y) == pytest.approx(np.mean(pairs))


def test_roc_auc_errors() -> None:
    with pytest.raises(
        DegenerateDataError, match="needs both outcomes; got 2 positive and 0 negative"
    ):
        roc_auc(np.array([0.1, 0.2]), np.array([1, 1]))
    with pytest.raises(InputError, match="without NaN"):
        roc_auc(np.array([np.nan, 0.2]), np.array([0, 1]))
    assert np.isnan(stratified_auc(np.array([1.0, 2.0]), np.array([0, 1]), np.array([1.0, 2.0]), 2))


def test_backtest_hand_example() -> None:
    df = pd.DataFrame(
        {
            "y": [1] * 9 + [2] * 9,
            "r": list("AAABBBCCC") * 2,
            "a": list("xyz") * 6,
            "v": [5, 1, 1, 4, 4, 1, 1, 3, 6, 5, 4, 1, 4, 4, 1, 1, 3, 6],
        }
    )
    res = backtest(df, region="r", activity="a", value="v", time="y", start=1, end=2)
    cand = res.tidy()
    # start presence: A{x}, B{x, y}, C{z} (C's LQ in y is 0.975); z relates to
    # nothing (density undefined), so candidates are A-y, C-x, C-y; A gains y
    assert sorted(map(tuple, cand[["r", "a"]].values.tolist())) == [
        ("A", "y"),
        ("C", "x"),
        ("C", "y"),
    ]
    assert cand.loc[cand["entered"], ["r", "a"]].values.tolist() == [["A", "y"]]
    assert res.n_unobserved == 0


def test_backtest_errors(small: pd.DataFrame) -> None:
    panel = pd.concat([small.assign(year=1), small.assign(year=2)])
    kw = {"region": "geo", "activity": "act", "value": "emp", "time": "year"}
    with pytest.raises(InputError, match="start and end must be different periods"):
        backtest(panel, start=1, end=1, **kw)
    with pytest.raises(InputError, match=re.escape("end=3 is not a period of column 'year'")):
        backtest(panel, start=1, end=3, **kw)


def test_backtest_on_eurostat_sbs(sbs_persons_employed: pd.DataFrame) -> None:
    sbs = sbs_persons_employed[sbs_persons_employed["time"].isin([2008, 2014])]
    df = sbs[sbs["nace_r2"].str.fullmatch(r"[A-Z]\d\d")]
    res = backtest(
        df,
        region="geo",
        activity="nace_r2",
        value="value",
        time="time",
        start=2008,
        end=2014,
        missing="drop",
    )
    # measured: 7001 candidates, 740 entries; AUC density 0.611, LQ 0.809, density within LQ decile 0.526
    assert res.n_candidates > 5000 and 0.05 < res.n_entries / res.n_candidates < 0.2
    assert 0.57 < res.auc["density"] < 0.66
    assert 0.77 < res.auc["lq"] < 0.85
    assert 0.48 < res.auc["density_within_lq"] < 0.58
    dec = res.by_decile("density")
    assert dec["entry_rate"].iloc[-1] > 2 * dec["entry_rate"].iloc[0]
    assert dec["candidates"].sum() == res.n_candidates


def test_undefined_complexity_is_recorded_and_warned_not_hidden() -> None:
    """Two blocks of regions with identical specialisations: PCI is undefined.

    The attractiveness leaves complexity out, the result says why, and a
    DegenerateDataWarning is shown; any other error would propagate.
    """
    from ris3.errors import DegenerateDataWarning

    emp = {"R1": (10, 10, 1, 1), "R2": (20, 20, 2, 2), "R3": (1, 1, 10, 10), "R4": (2, 2, 20, 20)}
    d = pd.DataFrame(
        [
            {"geo": r, "nace": a, "emp": float(v)}
            for r, vals in emp.items()
            for a, v in zip("abcd", vals)
        ]
    )
    with pytest.warns(DegenerateDataWarning, match="pci could not be computed"):
        res = opportunities(d, region="geo", activity="nace", value="emp", target="R1")
    assert res.components == []
    assert "kc is the same for every region" in res.unavailable["pci"]
    assert "pci left out: economic complexity is undefined" in res.summary()
    assert res.tidy()["pci"].isna().all()
    # R1 and R2 share a, b: a and b are fully feasible for R1, c and d not at all
    assert res.tidy().set_index("nace")["feasibility"].to_dict() == {
        "a": 1.0,
        "b": 1.0,
        "c": 0.0,
        "d": 0.0,
    }
