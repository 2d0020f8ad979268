"""capture_indicators: hand-worked values, errors and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import ConventionError, DegenerateDataWarning, InputError
from ris3.strategy import capture_indicators


def _attendance() -> pd.DataFrame:
    # organisation, cluster, incumbent, inputs, person, declared interest
    rows = [
        ("A", "tourism", True, 1.0, "p1", True),
        ("A", "tourism", True, 1.0, "p1", True),
        ("A", "tourism", True, 0.0, "p2", False),
        ("A", "tourism", True, 2.0, "p2", None),
        ("B", "tourism", True, 5.0, "p3", None),
        ("B", "tourism", True, np.nan, "p3", True),
        ("B", "tourism", True, 1.0, "p4", None),
        ("C", "wood", False, 0.0, "p5", False),
        ("C", "wood", False, 0.0, "p6", False),
        ("D", None, None, 2.0, "p7", True),
    ]
    return pd.DataFrame(
        rows,
        columns=["organisation", "cluster", "incumbent", "proposals", "stakeholder", "interest"],
    )


def _get(out: pd.DataFrame, indicator: str, scope: str) -> pd.Series:
    hit = out[(out["indicator"] == indicator) & (out["scope"] == scope)]
    assert len(hit) == 1, (indicator, scope)
    return hit.iloc[0]


def test_hand_worked():
    out = capture_indicators(
        _attendance(),
        cluster="cluster",
        incumbent="incumbent",
        inputs="proposals",
        interests="interest",
    )
    # participation: A 4, B 3, C 2, D 1 of 10 -> HHI .16 + .09 + .04 + .01 = .30, CR3 .9
    r = _get(out, "herfindahl", "participation by organisation")
    assert r["value"] == pytest.approx(0.30) and r["flagged"] == True  # noqa: E712
    assert (r["units"], r["rows"], r["threshold"]) == (4, 10, 0.25)
    assert _get(out, "top3_share", "participation by organisation")["value"] == pytest.approx(0.9)
    # by cluster, D has none and is left out: tourism 7, wood 2 of 9 -> (49 + 4) / 81
    r = _get(out, "herfindahl", "participation by cluster")
    assert r["value"] == pytest.approx(53 / 81) and (r["units"], r["rows"]) == (2, 9)
    # inputs by organisation, B's empty cell left out: A 4, B 6, C 0, D 2 of 12
    # -> (16 + 36 + 0 + 4) / 144; the three largest 6 + 4 + 2 = 12 of 12
    r = _get(out, "herfindahl", "inputs by organisation")
    assert r["value"] == pytest.approx(56 / 144) and (r["units"], r["rows"]) == (4, 9)
    assert _get(out, "top3_share", "inputs by organisation")["value"] == pytest.approx(1.0)
    # inputs by cluster: tourism 10, wood 0 -> 1.0
    assert _get(out, "herfindahl", "inputs by cluster")["value"] == pytest.approx(1.0)
    # incumbents: A and B (7 attendances) of the 9 with a known status -> 7/9 > 0.75
    r = _get(out, "incumbent_share", "participation")
    assert r["value"] == pytest.approx(7 / 9) and r["flagged"] == True  # noqa: E712
    assert (r["units"], r["rows"]) == (3, 9)
    # incumbents' inputs: A 4 + B 6 of 10 (C 0) -> 1.0
    assert _get(out, "incumbent_share", "inputs")["value"] == pytest.approx(1.0)
    # declared interests: p1, p3, p7 yes; p2, p5, p6 no; p4 unknown -> 3 of 6
    r = _get(out, "declared_interests", "participants")
    assert r["value"] == 3 and pd.isna(r["flagged"]) and np.isnan(r["threshold"])
    r = _get(out, "interest_share", "participants")
    assert r["value"] == pytest.approx(0.5) and r["flagged"] == False  # noqa: E712
    assert "report lines" in r["source"]
    assert len(out) == 2 * 4 + 2 + 2
    # a lower threshold flags it
    out = capture_indicators(
        _attendance(), interests="interest", thresholds={"interest_share": 0.4}
    )
    assert _get(out, "interest_share", "participants")["flagged"] == True  # noqa: E712


def test_only_organisation():
    out = capture_indicators(_attendance())
    assert out["indicator"].tolist() == ["herfindahl", "top3_share"]
    assert set(out.columns) == {
        "indicator", "scope", "value", "threshold", "flagged", "units", "rows", "definition", "source",
    }  # fmt: skip


def test_zero_inputs_are_undefined_not_zero():
    att = pd.DataFrame({"organisation": ["A", "B"], "n": [0, 0]})
    with pytest.warns(DegenerateDataWarning, match="inputs by organisation: the total is 0"):
        out = capture_indicators(att, inputs="n")
    r = _get(out, "herfindahl", "inputs by organisation")
    assert np.isnan(r["value"]) and pd.isna(r["flagged"])


def test_errors():
    att = _attendance()
    with pytest.raises(
        InputError,
        match=r"no column 'org' \(given as organisation=\); available columns: 'organisation'",
    ):
        capture_indicators(att, organisation="org")
    with pytest.raises(InputError, match=r"no column 'person' \(given as person=\)"):
        capture_indicators(att, interests="interest", person="person")
    with pytest.raises(ConventionError, match=r"thresholds key must be one of 'herfindahl'"):
        capture_indicators(att, thresholds={"hhi": 0.2})
    with pytest.raises(
        InputError, match=r"thresholds\['herfindahl'\] must be a number >= 0; got 'x'"
    ):
        capture_indicators(att, thresholds={"herfindahl": "x"})  # type: ignore[dict-item]
    bad = att.assign(proposals=[1, 2, 3, "many", 1, 1, 1, 1, 1, 1])
    with pytest.raises(
        InputError, match=r"'proposals' \(given as inputs=\) must hold numbers; got 'many'"
    ):
        capture_indicators(bad, inputs="proposals")
    with pytest.raises(InputError, match=r"must be >= 0; got -1"):
        capture_indicators(att.assign(proposals=-1.0), inputs="proposals")
    with pytest.raises(
        InputError, match=r"'incumbent' must hold True, False or empty cells; got 'yes'"
    ):
        capture_indicators(att.assign(incumbent="yes"), incumbent="incumbent")
    bad = att.copy()
    bad.loc[3, "organisation"] = None
    with pytest.raises(InputError, match=r"'organisation' must have a value in every row; 1 empty"):
        capture_indicators(bad)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 20)), min_size=1, max_size=50),
    st.floats(0.01, 1000),
    st.randoms(use_true_random=False),
)
def test_properties(rows, scale, rnd):
    att = pd.DataFrame(
        {"organisation": [f"o{o}" for o, _ in rows], "n": [float(x) for _, x in rows]}
    )
    if att["n"].sum() == 0:
        att.loc[0, "n"] = 1.0
    out = capture_indicators(att, inputs="n")
    for scope in ("participation by organisation", "inputs by organisation"):
        hhi = _get(out, "herfindahl", scope)["value"]
        top3 = _get(out, "top3_share", scope)["value"]
        n = _get(out, "herfindahl", scope)["units"]
        assert 1 / n - 1e-12 <= hhi <= 1 + 1e-12
        assert hhi <= top3 + 1e-12
        assert min(3, n) / n - 1e-12 <= top3 <= 1 + 1e-12
    # permuting rows, and scaling the inputs, change nothing
    order = list(range(len(att)))
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(capture_indicators(att.iloc[order], inputs="n"), out)
    scaled = capture_indicators(att.assign(n=att["n"] * scale), inputs="n")
    np.testing.assert_allclose(scaled["value"], out["value"], rtol=1e-9)
