"""Distinctiveness of candidate domains: SBS specialisation counts and declared priorities."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ris3
from ris3.datasets import load
from ris3.errors import ClassificationError, InputError
from ris3.strategy.distinctiveness import distinctiveness, granularity, nace_code

DECLARED = Path(__file__).parent / "references" / "declared_priorities_illustrative.csv"


def test_nace_code_forms():
    assert nace_code("C.29") == "C29"
    assert nace_code("29.10") == "C2910"
    assert nace_code("C29.3 - Parts and accessories for motor vehicles") == "C293"
    assert nace_code("M72.1") == "M721"
    assert nace_code("D29") is None  # division 29 is in section C, not D
    assert nace_code("Manufacturing") is None
    assert [granularity(c) for c in ("J", "J62", "J621", "J6201")] == [
        "section",
        "division",
        "group",
        "class",
    ]


def test_declared_priorities_illustrative():
    decl = pd.read_csv(DECLARED)
    d = distinctiveness(["C29", "C29.1", "J62", "I55"], own_region="DE11", declared=decl).set_index(
        "domain"
    )
    # C29 or finer: DE12 (C29), ITC4 (C29.3), ES51 (C29.1); DE11 is the region itself
    assert d.loc["C29", "regions_declaring"] == 3
    # only the whole of manufacturing: DE71
    assert d.loc["C29", "regions_declaring_broader"] == 1
    # C29.1: ES51 exactly; DE12 (C29) and DE71 (C) declare broader codes; ITC4's C29.3 is a sibling
    assert (
        d.loc["C29.1", "regions_declaring"] == 1
        and d.loc["C29.1", "regions_declaring_broader"] == 2
    )
    assert d.loc["C29.1", "granularity"] == "group"
    assert (
        d.loc["J62", "regions_declaring"] == 1
        and d.loc["J62", "example_priorities"] == "Digital services"
    )
    assert d.loc["I55", "regions_declaring"] == 0
    # the tourism priority has no NACE codes: counted, not silently lost
    assert d.attrs["declared_without_codes"] == 1
    bad = decl.copy()
    bad.loc[0, "nace_codes"] = "C29;automotive"
    with pytest.raises(ClassificationError, match="unreadable NACE code 'automotive'"):
        distinctiveness(["C29"], declared=bad)
    with pytest.raises(ClassificationError, match="candidate 'cars' is not a NACE Rev. 2 code"):
        distinctiveness(["cars"], declared=decl)
    with pytest.raises(InputError, match="give specialisation="):
        distinctiveness(["C29"])


def test_specialisation_counts_on_sbs_2014():
    s = load("eu-sbs")
    s = s[s["year"] == 2014]
    lq = ris3.location_quotient(
        s, region="geo", activity="nace_r2", value="persons_employed", missing="drop"
    )
    d = distinctiveness(["C29", "C", "C29.1"], own_region="DE11", specialisation=lq).set_index(
        "domain"
    )
    # by hand: LQ on the observed cells of 2014, reference = all regions' observed cells
    t = s.dropna(subset=["persons_employed"])
    total = t.groupby("geo")["persons_employed"].sum()
    ref = t.groupby("nace_r2")["persons_employed"].sum()
    c29 = t[t["nace_r2"] == "C29"].set_index("geo")["persons_employed"]
    lq29 = (c29 / total.reindex(c29.index)) / (ref["C29"] / ref.sum())
    others = lq29.drop("DE11")
    assert d.loc["C29", "regions_specialised"] == (others > 1).sum() == 76
    assert d.loc["C29", "regions_compared"] == len(others) == 256
    assert d.loc["C29", "share_specialised"] == pytest.approx(76 / 256)
    assert lq29["DE11"] == pytest.approx(5.96, abs=0.01)  # Stuttgart: six times the European share
    # a whole section is shared by nearly everyone: 276 of 284 regions specialised in some C division
    assert d.loc["C", "regions_specialised"] == 276 and d.loc["C", "granularity"] == "section"
    # a group-level candidate is measured at the division that contains it, and says so
    assert d.loc["C29.1", "measured_at"] == "C29" and d.loc["C29.1", "regions_specialised"] == 76
