"""participation_matrix and engagement_fatigue: hand-worked examples, errors, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import InputError
from ris3.strategy import HELICES, QUADRUPLE_HELIX, STEPS, engagement_fatigue, participation_matrix

STEP_KEYS = [k for k, _ in STEPS]
HELIX_KEYS = [k for k, _ in HELICES]


def test_vocabularies():
    assert STEP_KEYS == [
        "context_analysis",
        "governance",
        "shared_vision",
        "priorities",
        "policy_mix",
        "monitoring_evaluation",
    ]
    assert HELIX_KEYS[:4] == list(QUADRUPLE_HELIX)
    assert HELIX_KEYS[4:] == ["finance", "media", "users"]
    assert dict(STEPS)["monitoring_evaluation"] == "monitoring and evaluation"


@pytest.fixture
def attendance() -> pd.DataFrame:
    # Two engagements in step 1 (context analysis), one in step 3 (shared vision):
    #   e1 (step 1): p1 business, p2 business, p3 research
    #   e2 (step 1): p1 business (again), p4 government, p5 finance
    #   e3 (step 3): p1 business, p6 civil society
    rows = [
        ("e1", "context_analysis", "p1", "business"),
        ("e1", "context_analysis", "p2", "business"),
        ("e1", "context_analysis", "p3", "research"),
        ("e2", "context_analysis", "p1", "business"),
        ("e2", "context_analysis", "p4", "government"),
        ("e2", "context_analysis", "p5", "finance"),
        ("e3", "shared_vision", "p1", "business"),
        ("e3", "shared_vision", "p6", "civil_society"),
    ]
    return pd.DataFrame(rows, columns=["engagement", "step", "stakeholder", "helix"])


def test_participation_hand_worked(attendance):
    m = participation_matrix(attendance)
    assert len(m) == 6 * 7
    one = m[m["step"] == "context_analysis"].set_index("helix")
    # step 1 has 5 distinct people (p1..p5): business p1, p2 -> 2 (3 attendances)
    assert one.loc["business", "participants"] == 2
    assert one.loc["business", "attendances"] == 3
    assert one.loc["business", "share"] == pytest.approx(2 / 5)
    assert one.loc["research", "share"] == pytest.approx(1 / 5)
    assert one.loc["finance", "share"] == pytest.approx(1 / 5)
    # civil society is absent from an active step: a gap; media is not in the quadruple helix
    assert one.loc["civil_society", "gap"]
    assert one.loc["civil_society", "message"] == "no civil society in step 1 (context analysis)"
    assert not one.loc["media", "gap"] and one.loc["media", "message"] == ""
    three = m[m["step"] == "shared_vision"].set_index("helix")
    # step 3: p1 business, p6 civil society -> 1/2 each; research and government missing
    assert three.loc["business", "share"] == pytest.approx(0.5)
    assert list(three.index[three["gap"]]) == ["research", "government"]
    assert three.loc["government", "message"] == "no government in step 3 (shared vision)"
    # step 2 has no activity: shares undefined, no gap
    two = m[m["step"] == "governance"]
    assert two["share"].isna().all() and not two["gap"].any()
    assert (two["participants"] == 0).all()
    assert m["step_number"].tolist() == [n for n in range(1, 7) for _ in range(7)]


def test_participation_custom_vocabularies(attendance):
    att = attendance.rename(columns={"step": "phase", "helix": "group", "stakeholder": "who"})
    m = participation_matrix(
        att,
        step="phase",
        helix="group",
        person="who",
        steps=[("context_analysis", "Kontextanalyse"), "shared_vision"],
        helices=["business", "research", "government", "civil_society", "finance"],
    )
    assert list(m.columns[:5]) == ["step_number", "phase", "step_label", "group", "helix_label"]
    assert len(m) == 2 * 5
    assert m.loc[3, "message"] == "no civil society in step 1 (Kontextanalyse)"


def test_participation_errors(attendance):
    with pytest.raises(
        InputError, match=r"no column 'phase' \(given as step=\); available columns: 'engagement'"
    ):
        participation_matrix(attendance, step="phase")
    bad = attendance.copy()
    bad.loc[0, "helix"] = "industry"
    with pytest.raises(
        InputError,
        match=r"unknown helix values 'industry'; allowed: 'business', .*'users' \(set helices= to use others\)",
    ):
        participation_matrix(bad)
    bad = attendance.copy()
    bad.loc[0, "step"] = "step 9"
    with pytest.raises(InputError, match=r"unknown step values 'step 9'"):
        participation_matrix(bad)
    with pytest.raises(InputError, match=r"unknown helix values 'finance'"):
        participation_matrix(attendance, helices=list(QUADRUPLE_HELIX))
    bad = attendance.copy()
    bad.loc[2, "stakeholder"] = "p1"  # p1 is business elsewhere, research here
    with pytest.raises(InputError, match=r"one helix; 1 appear in several \(e.g. 'p1'\)"):
        participation_matrix(bad)
    bad = attendance.copy()
    bad.loc[1, "stakeholder"] = None
    with pytest.raises(InputError, match=r"'stakeholder' must have a value in every row; 1 empty"):
        participation_matrix(bad)
    with pytest.raises(InputError, match=r"steps= must not repeat a key"):
        participation_matrix(attendance, steps=["governance", "governance"])
    with pytest.raises(InputError, match=r"attendance must be a pandas DataFrame; got list"):
        participation_matrix([1, 2])  # type: ignore[arg-type]


people = st.lists(
    st.tuples(st.sampled_from(STEP_KEYS), st.integers(0, 15), st.integers(0, 3)),
    min_size=1,
    max_size=60,
)


def _table(rows):
    # the helix is a function of the person, so each person has one helix
    return pd.DataFrame(
        {
            "step": [s for s, _, _ in rows],
            "stakeholder": [f"p{p}" for _, p, _ in rows],
            "helix": [HELIX_KEYS[p % 7] for _, p, _ in rows],
            "engagement": [e for _, _, e in rows],
        }
    )


@settings(max_examples=60, deadline=None)
@given(people, st.randoms(use_true_random=False))
def test_participation_properties(rows, rnd):
    df = _table(rows)
    m = participation_matrix(df)
    per_step = m.groupby("step", sort=False)
    for key, g in per_step:
        n = df.loc[df["step"] == key, "stakeholder"].nunique()
        if n:
            assert g["share"].sum() == pytest.approx(1.0)
            assert g["participants"].sum() == n
        else:
            assert g["share"].isna().all()
    assert m["attendances"].sum() == len(df)
    gaps = m[m["gap"]]
    assert set(gaps["helix"]) <= set(QUADRUPLE_HELIX) and (gaps["participants"] == 0).all()
    # permuting rows changes nothing
    order = list(range(len(df)))
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(participation_matrix(df.iloc[order]), m)


# ------------------------------------------------------------ engagement fatigue


def test_fatigue_hand_worked():
    c = pd.DataFrame(
        {
            "who": ["a", "a", "a", "a", "b", "b", "a", "c"],
            "when": [
                "2025-01-02",  # a: Q1 x4 -> over a cap of 3
                "2025-02-02",
                "2025-03-02",
                "2025-03-31",
                "2025-03-31",  # b: Q1 x1, Q2 x1
                "2025-04-01",
                "2025-06-30",  # a: Q2 x1
                "2024-12-31",  # c: 2024Q4 x1
            ],
        }
    )
    f = engagement_fatigue(c, person="who", date="when")
    assert f["quarter"].tolist() == ["2024Q4"] * 2 + ["2025Q1"] * 3 + ["2025Q2"] * 3
    people = f[f["row"] == "stakeholder"].set_index(["quarter", "who"])
    assert people.loc[("2025Q1", "a"), "contacts"] == 4 and people.loc[("2025Q1", "a"), "over_cap"]
    assert people.loc[("2025Q1", "b"), "contacts"] == 1
    quarters = f[f["row"] == "quarter"].set_index("quarter")
    # 2025Q1: a (4) and b (1) contacted, a over the cap -> 1/2
    assert quarters.loc["2025Q1", "contacts"] == 5
    assert quarters.loc["2025Q1", "stakeholders"] == 2
    assert quarters.loc["2025Q1", "share_over_cap"] == 0.5
    assert quarters.loc["2025Q2", "share_over_cap"] == 0.0
    # a cap of 4 lets a's four contacts pass
    f4 = engagement_fatigue(c, person="who", date="when", cap=4)
    assert not f4.loc[f4["row"] == "stakeholder", "over_cap"].any()
    assert (f4["cap"] == 4).all()


def test_fatigue_errors():
    c = pd.DataFrame({"stakeholder": ["a", "b"], "date": ["2025-01-01", "not a date"]})
    with pytest.raises(
        InputError, match=r"'date' has 1 values that are not dates \(e.g. 'not a date'\)"
    ):
        engagement_fatigue(c)
    with pytest.raises(InputError, match=r"no column 'day' \(given as date=\)"):
        engagement_fatigue(c, date="day")
    with pytest.raises(InputError, match=r"cap must be an integer >= 0; got -1"):
        engagement_fatigue(c, cap=-1)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 400)), min_size=1, max_size=80),
    st.integers(0, 5),
)
def test_fatigue_properties(rows, cap):
    start = pd.Timestamp("2024-01-01")
    c = pd.DataFrame(
        {
            "stakeholder": [f"s{p}" for p, _ in rows],
            "date": [start + pd.Timedelta(days=d) for _, d in rows],
        }
    )
    f = engagement_fatigue(c, cap=cap)
    people = f[f["row"] == "stakeholder"]
    quarters = f[f["row"] == "quarter"].set_index("quarter")
    assert people["contacts"].sum() == len(c) == quarters["contacts"].sum()
    assert (people["over_cap"] == (people["contacts"] > cap)).all()
    share = people.groupby("quarter")["over_cap"].mean().astype(float)
    np.testing.assert_allclose(quarters["share_over_cap"].to_numpy(float), share.to_numpy())
    pd.testing.assert_frame_equal(engagement_fatigue(c.iloc[::-1], cap=cap), f)


def test_strategy_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, ris3; assert 'ris3.strategy' not in sys.modules; "
        "import ris3.strategy; "
        "heavy = [m for m in ('django', 'altair', 'ris3.report', 'ris3.workspace', 'ris3.clusters') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
