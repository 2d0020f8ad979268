"""Cross-border partners and the instruments open to them."""

from __future__ import annotations

import pandas as pd
import pytest

import ris3
from ris3.errors import InputError
from ris3.strategy.cross_border import open_instruments, partner_regions, priority_overlap


def _priorities():
    return pd.DataFrame(
        {
            "geo": ["AT33"] * 3 + ["ITH1"] * 2 + ["ITH2"] * 3 + ["DE21", "CH05", "DE12"],
            "code": [
                "tourism",
                "wood",
                "life_sciences",
                "tourism",
                "wood",
                "tourism",
                "x",
                "y",
                "z",
                "wood",
                "life_sciences",
            ],
        }
    )


def test_priority_overlap_hand_worked():
    out = priority_overlap(_priorities(), region="geo", priority="code", target="AT33")
    # ITH1 shares 2 of 3 (jaccard 2/3); CH05 and DE12 1 of 3 (tie: by label); ITH2 1 of 5
    # in the union; DE21 none
    assert out["geo"].tolist() == ["ITH1", "CH05", "DE12", "ITH2"]
    assert out["n_shared"].tolist() == [2, 1, 1, 1]
    assert out["jaccard"].tolist() == pytest.approx([2 / 3, 1 / 3, 1 / 3, 1 / 5])
    with pytest.raises(InputError, match="no priorities for region 'FR10'"):
        priority_overlap(_priorities(), region="geo", priority="code", target="FR10")


def test_partners_from_real_data_joined_with_priority_overlap():
    sbs = ris3.datasets.load("eu-sbs")
    one = sbs[(sbs["year"] == 2014)].dropna(subset=["persons_employed"])
    kw = dict(region="geo", activity="nace_r2", value="persons_employed")
    prox = ris3.proximity(one, **kw)
    spec = ris3.partners(one, **kw, target="AT33", proximity=prox, n=5)
    over = priority_overlap(_priorities(), region="geo", priority="code", target="AT33")
    out = partner_regions(region="geo", specialisation=spec, priorities=over)
    assert len(out) == len(set(spec["geo"]) | set(over["geo"]))
    both = set(spec["geo"]) & set(over["geo"])
    assert both == {"DE12"}  # the best complementary region in 2014, with a shared priority
    assert set(out.loc[out["source"] == "both", "geo"]) == both
    assert out["source"].iloc[: len(both)].eq("both").all()
    top = out[out["source"] == "specialisation"].iloc[0]
    assert top["partner_score"] == spec.set_index("geo").loc[top["geo"], "score"]
    with pytest.raises(InputError, match="needs specialisation= or priorities="):
        partner_regions(region="geo")


def test_open_instruments():
    reg = pd.DataFrame(
        {
            "instrument": ["Tirol call", "Interreg AT-IT", "COMET", "Alpine Space"],
            "level": ["regional", "cross_border", "national", "cross_border"],
            "tool_group": ["generic", "collaborative_actions", "collaborative_actions", "generic"],
            "territory": ["AT332;AT333", "AT33;ITH1;ITH2", "AT", ["AT", "DE2", "ITH"]],
        }
    )
    out = open_instruments(reg, home="AT33", partners=["ITH1", "ITH2", "DE21", "CH05"])
    got = sorted(map(tuple, out[["instrument", "partner", "territory"]].values))
    assert got == [
        ("Alpine Space", "DE21", "DE21"),
        ("Alpine Space", "ITH1", "ITH1"),
        ("Alpine Space", "ITH2", "ITH2"),
        ("Interreg AT-IT", "ITH1", "ITH1"),
        ("Interreg AT-IT", "ITH2", "ITH2"),
    ]
