"""Survey analysis: hand-worked means and gaps, suppression, re-weighting, perception vs data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import InputError
from ris3.strategy.surveys import (
    helix_weights,
    perceived_strength,
    perception_vs_data,
    poststratify,
    public_private_gap,
)


@pytest.fixture
def survey() -> pd.DataFrame:
    # illustrative: 12 respondents rate two domains on 1-5
    #   r0-r5 business (private), r6-r8 research (public), r9-r11 government (public)
    helix = ["business"] * 6 + ["research"] * 3 + ["government"] * 3
    sector = ["private"] * 6 + ["public"] * 6
    tourism = [2, 3, 2, 3, 2, 3, 5, 4, 5, 5, 4, 5]
    biotech = [4, 4, 5, 4, np.nan, 4, 3, 4, 3, 4, 3, 4]  # r4 did not rate biotech
    rows = []
    for i in range(12):
        rows.append((f"r{i}", helix[i], sector[i], "tourism", tourism[i]))
        rows.append((f"r{i}", helix[i], sector[i], "biotech", biotech[i]))
    return pd.DataFrame(rows, columns=["respondent", "helix", "sector", "domain", "rating"])


def test_perceived_strength_hand_worked(survey):
    p = perceived_strength(survey, n_boot=500).set_index("domain")
    assert p.loc["tourism", "mean"] == pytest.approx(43 / 12)
    # biotech: r4 has no rating, so 11 respondents and the mean of the 11 (not of 12 with a 0)
    assert p.loc["biotech", "respondents"] == 11
    assert p.loc["biotech", "mean"] == pytest.approx(42 / 11)
    assert p.loc["tourism", "ci_low"] < p.loc["tourism", "mean"] < p.loc["tourism", "ci_high"]
    # the bootstrap interval is close to mean +- 1.96 * sd / sqrt(n)
    t = np.array([2, 3, 2, 3, 2, 3, 5, 4, 5, 5, 4, 5], dtype=float)
    half = 1.96 * t.std(ddof=0) / np.sqrt(12)
    width = p.loc["tourism", "ci_high"] - p.loc["tourism", "ci_low"]
    assert width == pytest.approx(2 * half, rel=0.15)
    again = perceived_strength(survey, n_boot=500).set_index("domain")
    pd.testing.assert_frame_equal(p, again)  # seeded


def test_suppression_keeps_rows(survey):
    g = perceived_strength(survey, by="helix", n_boot=100)
    # research and government have 3 respondents each: shown as suppressed, not dropped
    assert len(g) == 6
    sup = g[g["suppressed"]]
    assert sorted(set(sup["helix"])) == ["government", "research"]
    assert sup["mean"].isna().all() and sup["ci_low"].isna().all()
    assert (sup["respondents"] == 3).all()
    b = g[(g["helix"] == "business") & (g["domain"] == "biotech")].iloc[0]
    # business biotech: 5 raters (r4 missing) -> exactly at the threshold: shown
    assert b["respondents"] == 5 and not b["suppressed"] and b["mean"] == pytest.approx(21 / 5)
    g3 = perceived_strength(survey, by="helix", n_boot=100, min_respondents=3)
    assert not g3["suppressed"].any()
    g6 = perceived_strength(survey, by="helix", n_boot=100, min_respondents=6)
    assert g6.loc[(g6["helix"] == "business") & (g6["domain"] == "biotech"), "suppressed"].item()


def test_public_private_gap_hand_worked(survey):
    g = public_private_gap(survey, n_boot=1000).set_index("domain")
    # tourism: public (5,4,5,5,4,5) mean 28/6, private (2,3,2,3,2,3) mean 2.5
    assert g.loc["tourism", "gap"] == pytest.approx(28 / 6 - 2.5)
    assert g.loc["tourism", "significant"]
    # biotech: public (3,4,3,4,3,4) 3.5; private 5 raters (4,4,5,4,4) 4.2 -> the private sector rates higher
    assert g.loc["biotech", "private_respondents"] == 5
    assert g.loc["biotech", "gap"] == pytest.approx(3.5 - 4.2)
    g6 = public_private_gap(survey, n_boot=100, min_respondents=6).set_index("domain")
    assert g6.loc["biotech", "suppressed"] and np.isnan(g6.loc["biotech", "gap"])
    assert not g6.loc["biotech", "significant"]


def test_helix_weights_and_poststratify(survey):
    w = helix_weights(survey, {"business": 0.25, "research": 0.25, "government": 0.5}).set_index(
        "helix"
    )
    # sample shares 6/12, 3/12, 3/12
    assert w.loc["business", "weight"] == pytest.approx(0.5)
    assert w.loc["research", "weight"] == pytest.approx(1.0)
    assert w.loc["government", "weight"] == pytest.approx(2.0)
    ps = poststratify(survey, {"business": 0.25, "research": 0.25, "government": 0.5})
    p = perceived_strength(ps, weight="weight", n_boot=100).set_index("domain")
    # tourism weighted: business mean 2.5 x .25 + research 14/3 x .25 + government 14/3 x .5
    assert p.loc["tourism", "mean"] == pytest.approx(0.25 * 2.5 + 0.75 * 14 / 3)
    with pytest.raises(InputError, match="no share for helix 'government'"):
        helix_weights(survey, {"business": 1, "research": 1})
    with pytest.raises(InputError, match="no respondent from helix 'media'"):
        helix_weights(survey, {"business": 1, "research": 1, "government": 1, "media": 1})
    # a zero share is allowed, on purpose
    z = helix_weights(survey, {"business": 1, "research": 1, "government": 0}).set_index("helix")
    assert z.loc["government", "weight"] == 0.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["business", "research", "government"]), min_size=2, max_size=30))
def test_reweighting_to_own_mix_changes_nothing(helices):
    r = pd.DataFrame({"respondent": range(len(helices)), "helix": helices, "domain": "d"})
    r["rating"] = [(i * 7) % 5 + 1 for i in range(len(helices))]
    own = r["helix"].value_counts(normalize=True).to_dict()
    w = poststratify(r, own)["weight"]
    assert np.allclose(w, 1.0)
    a = perceived_strength(r, min_respondents=1, n_boot=50)
    b = perceived_strength(poststratify(r, own), weight="weight", min_respondents=1, n_boot=50)
    assert a["mean"].iloc[0] == pytest.approx(b["mean"].iloc[0])


def test_perception_vs_data_flags(survey):
    p = perceived_strength(survey, n_boot=100)  # tourism 3.58, biotech 3.82
    m = pd.DataFrame(
        {"domain": ["tourism", "biotech", "logistics"], "lq": [2.4, 0.6, 1.1], "stars": [2, 0, 1]}
    )
    r = perception_vs_data(p, m, measures=["lq", "stars"]).set_index("domain")
    # two compared domains: biotech perceived rank 1, measured 0 -> gap 1; tourism -1
    assert r.loc["biotech", "flag"] == "perceived stronger"
    assert r.loc["tourism", "flag"] == "measured stronger"
    assert r.loc["biotech", "gap"] == pytest.approx(1.0)
    # logistics was not surveyed: kept, not compared
    assert not r.loc["logistics", "compared"] and r.loc["logistics", "flag"] == ""
    # suppressed perceptions are not compared
    g = perceived_strength(survey, n_boot=100, min_respondents=12)
    r2 = perception_vs_data(g, m).set_index("domain")
    assert not r2.loc["biotech", "compared"]
    with pytest.raises(InputError, match="has no column 'growth'"):
        perception_vs_data(p, m, measures=["growth"])


def test_errors(survey):
    with pytest.raises(InputError, match="one row per respondent and domain"):
        perceived_strength(pd.concat([survey, survey.iloc[:1]]))
    bad = survey.astype({"rating": object})
    bad.loc[0, "rating"] = "very good"
    with pytest.raises(InputError, match="not numbers: 'very good'"):
        perceived_strength(bad)
