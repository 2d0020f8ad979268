"""tech_economy_match: hand-worked example, the bundled concordance against the workbook,
and the real countries case (NCSES patent families x Eurostat SBS employment)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.datasets import load
from ris3.errors import ClassificationError
from ris3.measures.technology import MATCH_CLASSES, tech_economy_match, wipo_nace_concordance

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data, as in conftest
WORKBOOK = (
    DATA / "concordance_wipo35_nace_isi2019/Concordance_tables_NACE_IPC_WIPO35_sciences_2019.xlsx"
)
PATENTS = (
    DATA / "patents_ncses_sei2020_wipo35/uspto_patents_families_by_country_wipo35_1998_2018.csv.gz"
)
EU = {
    "Austria": "AT", "Belgium": "BE", "Denmark": "DK", "Finland": "FI", "France": "FR",
    "Germany": "DE", "Hungary": "HU", "Ireland": "IE", "Italy": "IT", "Netherlands": "NL",
    "Spain": "ES", "Sweden": "SE", "United Kingdom": "UK",
}  # fmt: skip


def test_hand_worked_two_fields():
    # a concordance of two fields: F1 goes 100% to C29; F2 half to C21, half to C29
    conc = pd.DataFrame(
        {
            "wipo_code": ["F1", "F2", "F2"],
            "wipo_field": ["one", "two", "two"],
            "nace_division": ["C29", "C21", "C29"],
            "share": [1.0, 0.5, 0.5],
        }
    )
    tech = pd.DataFrame(
        {"region": ["x", "x", "y", "y"], "field": ["F1", "F2"] * 2, "patents": [8, 2, 2, 8]}
    )
    ind = pd.DataFrame(
        {
            "region": ["x", "x", "y", "y"],
            "activity": ["C21", "C29"] * 2,
            "employment": [10, 30, 30, 10],
        }
    )
    m = tech_economy_match(tech, ind, concordance=conc).set_index(["region", "nace_division"])
    # x: C29 gets 8 + 1 = 9, C21 gets 1; y: C29 2 + 4 = 6, C21 4; reference C29 15 of 20
    assert m.loc[("x", "C29"), "patents_assigned"] == pytest.approx(9)
    assert m.loc[("x", "C29"), "rta"] == pytest.approx((9 / 10) / (15 / 20))
    assert m.loc[("y", "C21"), "rta"] == pytest.approx((4 / 10) / (5 / 20))
    # LQ: x C29 (30/40) / (40/80) = 1.5; y C21 (30/40)/(40/80) = 1.5
    assert m.loc[("x", "C29"), "lq"] == pytest.approx(1.5)
    assert m.loc[("x", "C29"), "match"] == "both"
    assert m.loc[("x", "C21"), "match"] == "neither"  # rta 0.2/0.25 = 0.8, lq 0.5
    assert m.loc[("y", "C21"), "match"] == "both"
    assert m.loc[("y", "C29"), "match"] == "neither"
    # a missing employment cell is not a zero: its class is missing and the region marked
    ind2 = ind.copy()
    ind2.loc[0, "employment"] = np.nan
    m2 = tech_economy_match(tech, ind2, concordance=conc).set_index(["region", "nace_division"])
    assert pd.isna(m2.loc[("x", "C21"), "match"]) and m2.loc[("x", "C29"), "industry_incomplete"]
    assert set(m["match"].dropna()) <= set(MATCH_CLASSES)
    with pytest.raises(ClassificationError, match="not among the 35 WIPO fields: 'F9'"):
        tech_economy_match(tech.replace({"F2": "F9"}), ind, concordance=conc)


def test_bundled_concordance_equals_the_workbook():
    sheet = pd.read_excel(WORKBOOK, "WIPO35 classes by NACE sectors", header=None)
    c = wipo_nace_concordance().set_index(["wipo_code", "nace_division"])["share"]
    # W35F32 (transport) x division 29: row of division 29, column of W35F32
    codes = sheet.iloc[4].tolist()
    col = codes.index("W35F32")
    row = sheet.index[sheet.iloc[:, 1].astype(str) == "29"][0]
    assert c[("W35F32", "C29")] == pytest.approx(float(sheet.iloc[row, col]), abs=1e-6)
    assert sheet.iloc[3, col] == "Transport"
    assert len(c.index.get_level_values(1).unique()) == 88
    assert ris3.tech_economy_match is tech_economy_match


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    p = load("patents-wipo")
    p = p[p["year"].between(2012, 2014) & p["economy"].isin(list(EU))]
    tech = p.groupby(["economy", "wipo_field"], as_index=False)["patent_families"].sum()
    tech["region"] = tech["economy"].map(EU)
    agg = load("patents-wipo", "aggregates")
    world = agg[(agg["geo_type"] == "world") & agg["year"].between(2012, 2014)]
    world = world.groupby("wipo_field", as_index=False)["patent_families"].sum()
    sbs = load("eu-sbs", "countries")
    sbs = sbs[sbs["year"] == 2014].rename(columns={"geo": "region"})
    return tech_economy_match(
        tech,
        sbs,
        field="wipo_field",
        patents="patent_families",
        activity="nace_r2",
        value="persons_employed",
        technology_reference=world,
    )


def test_countries_germany_motor_vehicles_by_hand(countries):
    de = countries[countries["region"] == "DE"].set_index("nace_division")
    # independent computation from the raw NCSES file and the original workbook
    raw = pd.read_csv(PATENTS)
    raw = raw[(raw["measure"] == "patent_families") & raw["year"].between(2012, 2014)]
    ger = raw[raw["geo"] == "Germany"].groupby("wipo_field")["value"].sum()
    wld = raw[raw["geo_path"] == "World"].groupby("wipo_field")["value"].sum()
    sheet = pd.read_excel(WORKBOOK, "WIPO35 classes by NACE sectors", header=None)
    titles = [str(t).lower().replace("-", "").replace(" ", "") for t in sheet.iloc[3, 2:37]]
    body = sheet.iloc[5:93, 1:37]
    share29 = dict(zip(titles, body[body.iloc[:, 0] == 29].iloc[0, 1:].astype(float)))

    def k(t: str) -> str:
        return t.lower().replace("-", "").replace(" ", "")

    de29 = sum(v * share29[k(f)] for f, v in ger.items())
    w29 = sum(v * share29[k(f)] for f, v in wld.items())
    rta = (de29 / ger.sum()) / (w29 / wld.sum())
    assert de.loc["C29", "patents_assigned"] == pytest.approx(de29, rel=1e-5)
    assert de.loc["C29", "rta"] == pytest.approx(rta, rel=1e-5)
    # LQ of motor vehicles (C29) in Germany against the 29 countries of the SBS table, 2014
    sbs = load("eu-sbs", "countries")
    sbs = sbs[sbs["year"] == 2014]
    d = sbs[sbs["geo"] == "DE"]
    lq = (d.loc[d["nace_r2"] == "C29", "persons_employed"].sum() / d["persons_employed"].sum()) / (
        sbs.loc[sbs["nace_r2"] == "C29", "persons_employed"].sum() / sbs["persons_employed"].sum()
    )
    assert de.loc["C29", "lq"] == pytest.approx(lq, rel=1e-9)
    # the published picture: Germany is specialised in motor vehicles in both patents and jobs
    assert round(de.loc["C29", "rta"], 2) == 1.59 and round(de.loc["C29", "lq"], 2) == 1.86
    assert de.loc["C29", "match"] == "both"
    assert de.loc["C28", "match"] == "both"  # machinery
    assert de.loc["C21", "match"] == "industry only"  # pharmaceuticals: jobs, few patents


def test_countries_overview(countries):
    c29 = countries[countries["nace_division"] == "C29"].set_index("region")["match"]
    assert sorted(c29[c29 == "both"].index) == ["DE", "HU", "SE"]
    assert c29["FR"] == "technology only"  # France: RTA 1.57, LQ 0.83 in 2014
    # Ireland's C29 employment is confidential in 2014: no class, not "technology only"
    assert pd.isna(c29["IE"])
    assert countries["region"].nunique() == 13


def test_publications_through_fields_to_divisions():
    from ris3.measures.technology import publications_to_fields, science_wipo_concordance

    sci = pd.read_excel(WORKBOOK, "Scientific disc. by WIPO35 cl.", header=None)
    col = sci.iloc[3].tolist().index("Medicine")
    row = sci.index[sci.iloc[:, 2] == "W35F13"][0]  # medical technology
    c = science_wipo_concordance().set_index(["discipline", "wipo_code"])["share"]
    assert c[("Medicine", "W35F13")] == pytest.approx(float(sci.iloc[row, col]), abs=1e-6)
    pubs = pd.DataFrame(
        {
            "region": ["x", "x", "y", "y"],
            "discipline": ["Medicine", "Engineering", "Medicine", "engineering"],
            "publications": [900.0, 100.0, 100.0, 900.0],
        }
    )
    f = publications_to_fields(pubs)
    x13 = f[(f["region"] == "x") & (f["wipo_code"] == "W35F13")]["publications"].item()
    assert x13 == pytest.approx(
        900 * c[("Medicine", "W35F13")] + 100 * c[("Engineering", "W35F13")]
    )
    ind = pd.DataFrame(
        {
            "region": ["x", "x", "y", "y"],
            "activity": ["C21", "C29"] * 2,
            "employment": [80, 20, 20, 80],
        }
    )
    m = tech_economy_match(f, ind, field="wipo_code", patents="publications").set_index(
        ["region", "nace_division"]
    )
    # the medicine-heavy region x is scientifically specialised towards pharmaceuticals (C21)
    assert m.loc[("x", "C21"), "rta"] > 1 > m.loc[("y", "C21"), "rta"]
    assert m.loc[("x", "C21"), "match"] == "both"
    with pytest.raises(ClassificationError, match="not among the 27"):
        publications_to_fields(pubs.replace({"Medicine": "Alchemy"}))


def test_bundled_concordances_are_rebuilt_by_the_script(tmp_path):
    import importlib.util

    from ris3.data import _hierarchy_sources

    root = _hierarchy_sources._DIR.parents[3]
    spec = importlib.util.spec_from_file_location(
        "build_wipo_nace", root / "scripts" / "build_wipo_nace.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(DATA, tmp_path)
    bundled = _hierarchy_sources._DIR / "concordances"
    for name in ("wipo35_nace_isi2019.csv", "science_wipo35_isi2019.csv"):
        assert (tmp_path / name).read_bytes() == (bundled / name).read_bytes(), name
