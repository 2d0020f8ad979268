"""Instrument register and policy-mix analysis: hand-worked examples and properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import ConventionError, InputError
from ris3.strategy.instruments import TOOL_GROUPS, check_instruments
from ris3.strategy.policy_mix import (
    cofunding,
    policy_duplications,
    policy_gaps,
    policy_matrix,
    targeted_share,
)


def _register() -> pd.DataFrame:
    # AT33 (Tirol) demo: three instruments at two levels
    return pd.DataFrame(
        {
            "instrument": ["Tirol cluster platform", "Tirol joint R&D", "FFG COMET"],
            "owner": ["Standortagentur Tirol", "Land Tirol", "FFG"],
            "level": ["regional", "regional", "national"],
            "tool_group": [
                "cluster_organisations",
                "collaborative_actions",
                "collaborative_actions",
            ],
            "orientation": ["vertical", "vertical", "horizontal"],
            "territory": ["AT33", "AT33", "AT"],
            "target_groups": ["SME;research", "SME", "all"],
            "priorities": ["tourism;life_sciences", "tourism", "tourism;mechatronics"],
            "decision": ["keep", "revise", "keep"],
            "rationale": ["", "overlaps COMET", ""],
        }
    )


def _budgets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "instrument": ["Tirol cluster platform"] * 2 + ["Tirol joint R&D"] * 2 + ["FFG COMET"],
            "year": [2024, 2025, 2024, 2025, 2024],
            "budget_eur": [0.5e6, 0.5e6, 2.0e6, 3.0e6, 10.0e6],
        }
    )


def _funding() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "instrument": ["Tirol cluster platform"] * 2 + ["Tirol joint R&D"] * 3 + ["FFG COMET"],
            "source": ["ERDF", "regional", "ERDF", "regional", "private", "national"],
            "share": [0.4, 0.6, 0.3, 0.3, 0.4, 1.0],
        }
    )


def test_valid_register_passes_whole():
    ok, bad = check_instruments(_register(), budgets=_budgets(), funding=_funding())
    assert len(ok) == 3 and bad.empty
    assert ok.loc[0, "target_groups"] == ("SME", "research")


def test_every_rejected_row_has_its_reasons():
    reg = _register()
    reg.loc[0, "tool_group"] = "networking"
    reg.loc[1, "rationale"] = ""
    reg.loc[2, "territory"] = "Austria"
    fund = _funding()
    fund.loc[5, "share"] = 0.9
    ok, bad = check_instruments(reg, budgets=_budgets(), funding=fund)
    assert ok.empty and len(ok) + len(bad) == len(reg)
    assert "tool_group 'networking' is not one of" in bad.loc[0, "reason"]
    assert bad.loc[1, "reason"] == "decision 'revise' needs a rationale"
    assert "bad NUTS code 'AUSTRIA'" in bad.loc[2, "reason"]
    assert "funding shares sum to 0.9, not 1" in bad.loc[2, "reason"]


def test_budget_problems_and_duplicate_names_reject():
    reg = _register()
    reg.loc[2, "instrument"] = "Tirol joint R&D"
    bud = pd.DataFrame(
        {"instrument": ["Tirol cluster platform"], "year": [2024], "budget_eur": [-1.0]}
    )
    ok, bad = check_instruments(reg, budgets=bud)
    assert list(ok.index) == []
    assert "budget for 2024 is negative (-1)" in bad.loc[0, "reason"]
    assert bad.loc[1, "reason"] == "instrument 'Tirol joint R&D' appears 2 times"


def test_budget_for_unknown_instrument_raises():
    bud = pd.DataFrame({"instrument": ["Ghost"], "year": [2024], "budget_eur": [1.0]})
    with pytest.raises(InputError, match="names instruments not in the register: 'Ghost'"):
        check_instruments(_register(), budgets=bud)


def test_register_missing_column_raises():
    with pytest.raises(InputError, match="has no column 'decision'"):
        check_instruments(_register().drop(columns="decision"))


def test_matrix_by_instrument_hand_worked():
    m = policy_matrix(_register(), _budgets())
    tourism = m[m["priority"] == "tourism"].set_index("instrument")["budget_eur"]
    # platform 0.5 + 0.5, joint R&D 2 + 3, COMET 10 (million)
    assert tourism.to_dict() == {
        "FFG COMET": 10.0e6,
        "Tirol cluster platform": 1.0e6,
        "Tirol joint R&D": 5.0e6,
    }
    lev = policy_matrix(_register(), _budgets(), by="level")
    row = lev[(lev["priority"] == "tourism") & (lev["level"] == "regional")].iloc[0]
    assert row["n_instruments"] == 2 and row["budget_eur"] == 6.0e6


def test_matrix_unknown_budget_is_not_zero():
    bud = _budgets().iloc[:4]  # no budget for COMET
    m = policy_matrix(_register(), bud, by="tool_group")
    row = m[(m["priority"] == "tourism") & (m["tool_group"] == "collaborative_actions")].iloc[0]
    assert math.isnan(row["budget_eur"]) and row["n_unknown_budget"] == 1
    with pytest.raises(ConventionError, match="by must be one of"):
        policy_matrix(_register(), by="owner")


def test_gaps_hand_worked():
    pri = pd.DataFrame(
        {
            "priority": ["tourism", "life_sciences", "mechatronics", "wood"],
            "stage": ["mature", "emerging", "mature", "emerging"],
            "active": [True, True, True, False],
        }
    )
    gaps = policy_gaps(_register(), pri)
    # tourism: collaborative actions present -> no gap; life sciences: platform present ->
    # no gap; mechatronics: COMET (collaborative) -> no gap; wood inactive.
    assert gaps.empty
    reg = _register()
    reg.loc[2, "decision"] = "suppress"
    reg.loc[2, "rationale"] = "duplicates the regional call"
    gaps = policy_gaps(reg, pri)
    assert gaps[["priority", "gap"]].values.tolist() == [["mechatronics", "no_instrument"]]
    pri.loc[1, "stage"] = "mature"
    gaps = policy_gaps(reg, pri)
    row = gaps[gaps["priority"] == "life_sciences"].iloc[0]
    assert (
        row["gap"] == "missing_tool_group" and row["tool_groups_present"] == "cluster_organisations"
    )
    assert "1214-1217" in row["lines"]


def test_gaps_unknown_priority_raises():
    yes = pd.DataFrame(
        {"priority": ["tourism", "life_sciences", "mechatronics"], "active": ["yes", True, True]}
    )
    with pytest.raises(InputError, match="column 'active' must be True or False; got 'yes'"):
        policy_gaps(_register(), yes)
    pri = pd.DataFrame({"priority": ["tourism"]})
    with pytest.raises(InputError, match="not in the priority table: 'life_sciences'"):
        policy_gaps(_register(), pri)


def test_duplications_hand_worked():
    d = policy_duplications(_register())
    # Tirol joint R&D (regional, AT33, SME) and FFG COMET (national, AT, all): both
    # collaborative actions for tourism. The platform is another tool group.
    assert d[
        ["priority", "instrument_a", "instrument_b", "territory", "target_groups"]
    ].values.tolist() == [["tourism", "Tirol joint R&D", "FFG COMET", "AT33", "sme"]]
    reg = _register()
    reg.loc[2, "territory"] = "AT34"  # Vorarlberg only: no overlap with Tirol
    assert policy_duplications(reg).empty


def test_targeted_share_and_cofunding_hand_worked():
    reg = _register()
    reg.loc[2, "priorities"] = ""  # COMET as a generic instrument
    t = targeted_share(reg, _budgets()).set_index("year")
    assert t.loc[2024, "budget_targeted"] == 2.5e6 and t.loc[2024, "budget_generic"] == 10e6
    assert t.loc[2024, "share_targeted"] == pytest.approx(0.2)
    assert t.loc[2025, "share_targeted"] == 1.0
    c = cofunding(_register(), _budgets(), _funding()).set_index(["year", "level", "source"])
    # regional 2024: platform 0.5 (0.4 ERDF) + joint R&D 2.0 (0.3 ERDF) = 0.2 + 0.6
    assert c.loc[(2024, "regional", "ERDF"), "budget_eur"] == pytest.approx(0.8e6)
    assert c.loc[(2024, "national", "national"), "budget_eur"] == 10e6
    assert c["budget_eur"].sum() == pytest.approx(_budgets()["budget_eur"].sum())


# ---- properties --------------------------------------------------------------

_LEVELS = ["EU", "national", "regional", "local"]
_PRIOS = ["p1", "p2", "p3"]
_TERR = ["AT", "AT33", "AT332", "AT34", "DE2"]
_instrument = st.fixed_dictionaries(
    {
        "level": st.sampled_from(_LEVELS),
        "tool_group": st.sampled_from(TOOL_GROUPS),
        "territory": st.lists(st.sampled_from(_TERR), min_size=1, max_size=2, unique=True),
        "target_groups": st.lists(
            st.sampled_from(["SME", "research", "all"]), min_size=1, max_size=2
        ),
        "priorities": st.lists(st.sampled_from(_PRIOS), max_size=3, unique=True),
    }
)


def _frame(items: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(
        items, columns=["level", "tool_group", "territory", "target_groups", "priorities"]
    )
    df.insert(0, "instrument", [f"i{k}" for k in range(len(items))])
    return df


_PRI = pd.DataFrame({"priority": _PRIOS, "stage": ["mature", "emerging", None]})


@settings(max_examples=60, deadline=None)
@given(st.lists(_instrument, max_size=6), _instrument)
def test_adding_an_instrument_never_creates_a_gap(items, extra):
    before = policy_gaps(_frame(items), _PRI)
    after = policy_gaps(_frame([*items, extra]), _PRI)
    assert set(after["priority"]) <= set(before["priority"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_instrument, min_size=1, max_size=6), st.data())
def test_removing_an_instrument_keeps_other_duplications(items, data):
    df = _frame(items)
    drop = data.draw(st.sampled_from(df["instrument"].tolist()))
    key = ["priority", "instrument_a", "instrument_b"]
    before = policy_duplications(df)
    after = policy_duplications(df[df["instrument"] != drop])
    untouched = before[(before["instrument_a"] != drop) & (before["instrument_b"] != drop)]
    assert set(map(tuple, untouched[key].values)) == set(map(tuple, after[key].values))
