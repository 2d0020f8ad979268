"""Classification hierarchies (ris3.data.classifications) checked against the source files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ris3.data.classifications import (
    HIERARCHIES,
    NACE_SECTIONS,
    WIPO_FIELDS,
    hierarchy,
    is_nace_aggregate,
    levels,
    nace_aggregate_members,
    parent_of,
)
from ris3.errors import ClassificationError, ConventionError, InputError


def _eurostat_keys(path, years=()) -> pd.DataFrame:
    """Split the key column of a Eurostat bulk TSV; keep only the given year columns."""
    raw = pd.read_csv(path, sep="\t", dtype=str, usecols=lambda c: "\\" in c or c in years)
    key = raw.columns[0]
    names = key.replace("\\time", "").split(",")
    parts = raw[key].str.split(",", expand=True)
    parts.columns = names
    return pd.concat([parts, raw.drop(columns=key)], axis=1)


# --------------------------------------------------------------------- NUTS


def test_nuts_2021_matches_gisco(shared_data):
    path = shared_data / "geo_nuts_gisco_60m_2021" / "NUTS_RG_60M_2021_4326.geojson"
    props = pd.DataFrame([f["properties"] for f in json.loads(path.read_text())["features"]])
    full = hierarchy("nuts", 2021)
    assert full.attrs["version"] == "2021"
    # extra-regio codes are added for each of the 37 countries at levels 1-3
    extra = full[full["child"].str.endswith("Z") & (full["child_label"].str.startswith("Extra"))]
    assert len(extra) == 3 * 37
    assert extra.set_index("child").loc["FRZZZ", "parent"] == "FRZZ"
    h = full[~full["child"].isin(extra["child"])]
    # every region below level 0 appears once as a child
    assert len(h) == (props["LEVL_CODE"] > 0).sum() == 125 + 334 + 1514
    assert h["child_level"].value_counts().to_dict() == {"nuts3": 1514, "nuts2": 334, "nuts1": 125}
    # parent = code[:-1] and the parent is one level up in the file
    assert (h["parent"] == h["child"].str[:-1]).all()
    lvl = dict(zip(props["NUTS_ID"], props["LEVL_CODE"]))
    assert (h["parent"].map(lvl) == h["child"].map(lvl) - 1).all()
    row = h.set_index("child").loc["DE212"]
    assert row["parent"] == "DE21" and row["parent_label"] == "Oberbayern"
    assert row["child_label"] == dict(zip(props["NUTS_ID"], props["NAME_LATN"]))["DE212"]


def test_nuts_older_versions_from_codes():
    h13 = hierarchy("nuts", 2013)
    kids = set(h13["child"])
    assert {"LT00", "FR21", "HU10", "UKM2"} <= kids and "FRB0" not in kids
    assert levels("nuts", 2013) == ("nuts0", "nuts1", "nuts2", "nuts3")
    assert set(h13["child_level"]) == {"nuts1", "nuts2"}  # no NUTS-3 for 2013
    h16 = hierarchy("nuts", "2016").set_index("child")
    assert h16.loc["LT01", "parent"] == "LT0" and h16.loc["LT0", "parent"] == "LT"
    assert h16.loc["BE31", "child_label"] == "Prov. Brabant Wallon"
    h10 = hierarchy("nuts", 2010)
    assert "EL11" in set(h10["child"]) and "EL51" not in set(h10["child"])


# --------------------------------------------------------------------- NACE / SIC


def test_nace_structure_counts_and_sections():
    h = hierarchy("nace")
    # NACE Rev. 2 has 21 sections, 88 divisions, 272 groups, 615 classes
    assert h["child_level"].value_counts().to_dict() == {
        "class": 615,
        "group": 272,
        "division": 88,
    }
    assert h["parent"][h["child_level"] == "division"].nunique() == 21
    div = h[h["child_level"] == "division"].set_index("child")["parent"]
    assert div[["01", "03", "05", "09", "35", "45", "47", "64", "68", "84", "97", "99"]].tolist() == [
        "A", "A", "B", "B", "D", "G", "G", "K", "L", "O", "T", "U",
    ]  # fmt: skip
    # independent check of every division against the published ranges
    for d, s in div.items():
        lo, hi, _ = NACE_SECTIONS[s]
        assert lo <= int(d) <= hi
    cls = h.set_index("child")
    assert cls.loc["10.11", "parent"] == "10.1" and cls.loc["10.1", "parent"] == "10"
    assert cls.loc["10", "parent_label"] == "Manufacturing"


def test_sic_classes_are_the_bres_classes(shared_data):
    bres = pd.read_csv(
        shared_data / "uk_bres2015_region_sic4" / "Bres_2015_Region_and_Country.csv",
        dtype={"SIC2007": str},
    )
    bres_codes = set(bres["SIC2007"].dropna().str.strip())
    h = hierarchy("sic")
    classes = set(h.loc[h["child_level"] == "class", "child"])
    # BRES adds '0100' (DEFRA agricultural data), which is no SIC class
    assert bres_codes - classes == {"0100"}
    assert classes <= bres_codes
    s = h.set_index("child")
    # '0720' in the ONS file is the title of group 07.2, not a class
    assert "0720" not in s.index
    assert s.loc["0721", "parent"] == "072" and s.loc["072", "child_label"] == "Non ferrous"
    assert s.loc["0721", "parent_label"] == "Non ferrous"


def test_sic_covers_ashe_flow_industries(shared_data):
    f = pd.read_csv(
        shared_data / "uk_labour_flows_ashe" / "Table1_Reduced_matrix_2009_2018_flows.csv",
        dtype=str,
    )
    codes = set(f["StartIndst"].str.zfill(4)) | set(f["FinalIndst"].str.zfill(4))
    up = parent_of(sorted(codes), "section", hierarchy="sic")
    assert len(up) == len(codes) == 439
    assert up["2910"] == "C" and up["8610"] == "Q"


def test_eurostat_nace_codes_of_sbs(shared_data):
    reg = _eurostat_keys(shared_data / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz")
    codes = sorted(reg["nace_r2"].unique())
    assert len(codes) == 101
    assert not any(is_nace_aggregate(c) for c in codes)
    up = parent_of(codes, "section", hierarchy="nace_eurostat")
    assert up["G461"] == "G" and up["S95"] == "S" and up["C"] == "C"
    nat = _eurostat_keys(shared_data / "eu_sbs_r_nuts06_r2" / "sbs_na_sca_r2.tsv.gz")
    aggs = {c for c in nat["nace_r2"].unique() if is_nace_aggregate(c)}
    assert {"B-N_S95_X_K", "B-N_X_K", "C_HTC", "I551-I553", "N771_N7721"} <= aggs
    # the national file's divisions are exactly those of its headline aggregate
    divisions = sorted(
        c for c in nat["nace_r2"].unique() if not is_nace_aggregate(c) and len(c) == 3
    )
    assert nace_aggregate_members("B-N_S95_X_K") == divisions
    assert len(divisions) == 68


def test_nace_aggregate_values_add_up(shared_data):
    # Germany 2012, persons employed: the published B-N_S95_X_K total equals the sum
    # of its published members (sections B-J, L-N and division S95)
    nat = _eurostat_keys(shared_data / "eu_sbs_r_nuts06_r2" / "sbs_na_sca_r2.tsv.gz", ["2012 "])
    de = nat[(nat["geo"] == "DE") & (nat["indic_sb"] == "V16110")]
    sections = nace_aggregate_members("B-N_X_K", level="section")
    assert sections == list("BCDEFGHIJLMN")
    v = de.set_index("nace_r2")["2012 "][[*sections, "S95", "B-N_S95_X_K"]]
    v = v.str.strip().astype(float)
    assert v[sections].sum() + v["S95"] == v["B-N_S95_X_K"] == 26401395


def test_lfs_aggregates(shared_data):
    assert nace_aggregate_members("B-E", level="section") == ["B", "C", "D", "E"]
    assert nace_aggregate_members("M_N", level="section") == ["M", "N"]
    assert nace_aggregate_members("R-U", level="section") == ["R", "S", "T", "U"]
    assert nace_aggregate_members("TOTAL", level="section") == list(NACE_SECTIONS)
    assert nace_aggregate_members("I551-I553", level="class") == ["I5510", "I5520", "I5530"]
    assert nace_aggregate_members("I_X_I559_I562", level="group") == ["I551", "I552", "I553",
                                                                      "I561", "I563"]  # fmt: skip
    with pytest.raises(ClassificationError, match=r"'B-N_S95_X_K' covers only part of "
                       r"section\(s\) 'S'; ask for a finer level"):  # fmt: skip
        nace_aggregate_members("B-N_S95_X_K", level="section")
    with pytest.raises(ClassificationError, match=r"'C_HTC' is a thematic aggregate"):
        nace_aggregate_members("C_HTC")
    with pytest.raises(ClassificationError, match=r"'Z9' in 'A_Z9' is not a NACE Rev. 2 code"):
        nace_aggregate_members("A_Z9")
    with pytest.raises(ClassificationError, match=r"range 'C-C10' in 'C-C10' mixes levels"):
        nace_aggregate_members("C-C10")
    with pytest.raises(ConventionError, match=r"level must be one of 'section'.*got 'sector'"):
        nace_aggregate_members("C", level="sector")
    with pytest.raises(InputError, match=r"code must be a non-empty string; got ''"):
        nace_aggregate_members("")


# --------------------------------------------------------------------- NAICS, HS, WIPO


def test_naics_from_cbp(shared_data):
    cbp = pd.read_csv(
        shared_data / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"naics_code": str},
        usecols=["naics_code", "naics_level"],
    ).drop_duplicates()
    h = hierarchy("naics", 2017)
    nodes = set(h["child"]) | set(h["parent"])
    assert set(cbp["naics_code"]) - {"00", "99"} <= nodes  # 99 has no sub-codes
    up = parent_of(["336411", "3364", "441110", "493110", "511110"], "sector", hierarchy="naics")
    assert up.tolist() == ["31-33", "31-33", "44-45", "48-49", "51"]
    subs = h[(h["parent"] == "31-33")]["child"]
    assert sorted(subs.str[:2].unique()) == ["31", "32", "33"] and len(subs) == 21
    lv = h.set_index("child")["child_level"]
    assert lv["336411"] == "national_industry" and lv["33641"] == "naics_industry"
    # CBP's own level column agrees with ours
    cl = cbp[cbp["naics_code"].isin(lv.index)]
    ours = cl["naics_code"].map(lv).map({v: i + 2 for i, v in enumerate(levels("naics"))})
    assert (ours == cl["naics_level"].astype(int)).all()


def test_hs_sections_and_chapters(shared_data):
    h = hierarchy("hs")
    ch = h[h["child_level"] == "chapter"].set_index("child")["parent"]
    assert len(ch) == 96 and ch.nunique() == 21  # 01-97 without the reserved 77
    assert ch[["01", "05", "06", "15", "27", "39", "71", "84", "85", "87", "93", "97"]].tolist() == [
        "I", "I", "II", "III", "V", "VII", "XIV", "XVI", "XVI", "XVII", "XIX", "XXI",
    ]  # fmt: skip
    names = h.set_index("child")["child_label"]
    assert names["01"] == "Live animals"
    atlas = pd.read_csv(
        shared_data / "trade_atlas_deu_grc_hs4" / "deu_grc_hsproduct4digit.csv.gz",
        dtype={"hs_product_code": str},
        usecols=["hs_product_code"],
    )
    numeric = {c for c in atlas["hs_product_code"].unique() if c.isdigit() and c < "9800"}
    up = parent_of(sorted(numeric), "section", hierarchy="hs")
    assert up["8703"] == "XVII" and up["3004"] == "VI"
    # the OEC lists the same 21 sections in the same order
    oec = pd.read_csv(shared_data / "trade_oec_hs_sections_datawheel" / "subnat_exports.csv")
    sec = oec.drop_duplicates("Section ID").set_index("Section ID")["Section"]
    assert list(sec.index) == list(range(1, 23))  # 22 = "Unspecified", no HS section
    assert sec[16] == "Machines" and sec[17] == "Transportation" and sec[19] == "Weapons"


def test_wipo_fields(shared_data):
    w = pd.read_csv(
        shared_data
        / "patents_ncses_sei2020_wipo35"
        / "uspto_patents_families_by_country_wipo35_1998_2018.csv.gz",
        usecols=["wipo_field"],
    )
    assert set(w["wipo_field"]) == set(WIPO_FIELDS)
    h = hierarchy("wipo").set_index("child")
    assert h["parent"].value_counts().to_dict() == {
        "Chemistry": 11,
        "Electrical engineering": 8,
        "Mechanical engineering": 8,
        "Instruments": 5,
        "Other fields": 3,
    }
    assert h.loc["semiconductors", "parent"] == "Electrical engineering"
    assert h.loc["medical technology", "parent"] == "Instruments"
    assert h.loc["environmental technology", "parent"] == "Chemistry"
    assert h.loc["transport", "parent"] == "Mechanical engineering"
    assert h.loc["civil engineering", "child_label"] == "field 35"


# --------------------------------------------------------------------- API and errors


def test_every_hierarchy_loads_and_is_consistent():
    for name, versions in HIERARCHIES.items():
        for v in versions:
            h = hierarchy(name, v)
            assert not h["child"].duplicated().any()
            lv = h.attrs["levels"]
            pos = {x: i for i, x in enumerate(lv)}
            assert (h["child_level"].map(pos) == h["parent_level"].map(pos) + 1).all(), name


def test_parent_of_same_level_and_table():
    assert parent_of(["C10"], "division", hierarchy="nace_eurostat").tolist() == ["C10"]
    table = pd.DataFrame(
        {
            "child": ["a1", "a2", "b1", "a", "b"],
            "parent": ["a", "a", "b", "T", "T"],
            "child_level": ["fine", "fine", "fine", "mid", "mid"],
            "parent_level": ["mid", "mid", "mid", "top", "top"],
        }
    )
    assert levels(table) == ("top", "mid", "fine")
    assert parent_of(["b1", "a2", "a"], "top", hierarchy=table).tolist() == ["T", "T", "T"]


def test_errors():
    with pytest.raises(ConventionError, match=r"hierarchy must be one of 'nuts', 'nace', "
                       r"'nace_eurostat', 'sic', 'naics', 'hs', 'wipo'; got 'isic'"):  # fmt: skip
        hierarchy("isic")
    with pytest.raises(ConventionError, match=r"version of hierarchy 'nuts' must be one of "
                       r"'2021', '2016', '2013', '2010'; got 2006"):  # fmt: skip
        hierarchy("nuts", 2006)
    with pytest.raises(ConventionError, match=r"to_level must be one of 'nuts0', 'nuts1', "
                       r"'nuts2', 'nuts3'; got 'country'"):  # fmt: skip
        parent_of(["DE21"], "country", hierarchy="nuts")
    with pytest.raises(ClassificationError, match=r"2 codes are not in the hierarchy: "
                       r"'FR21', 'XX99'"):  # fmt: skip
        parent_of(["DE21", "FR21", "XX99"], "nuts1", hierarchy="nuts")
    with pytest.raises(ClassificationError, match=r"1 codes are above level 'nuts2', so have no "
                       r"ancestor there: 'DE'"):  # fmt: skip
        parent_of(["DE21", "DE"], "nuts2", hierarchy="nuts")
    with pytest.raises(
        InputError,
        match=r"hierarchy must be a hierarchy name, a mapping table \(DataFrame\) or a dict child -> parent; got int",
    ):
        parent_of(["a"], "x", hierarchy=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"child": ["a"], "parent": ["b"], "child_level": ["f"]}), r"needs columns .*missing \['parent_level'\]"),
        (
            pd.DataFrame({"child": ["a", "a"], "parent": ["b", "c"], "child_level": ["f", "f"],
                          "parent_level": ["t", "t"]}),
            r"'a' have more than one parent",
        ),
        (
            pd.DataFrame({"child": ["a", "b"], "parent": ["x", "y"], "child_level": ["f", "f"],
                          "parent_level": ["t", "m"]}),
            r"do not form one chain",
        ),
        (
            pd.DataFrame({"child": ["a", "b"], "parent": ["b", "a"], "child_level": ["f", "t"],
                          "parent_level": ["t", "f"]}),
            r"must have one top level",
        ),
        (
            pd.DataFrame({"child": ["a", None], "parent": ["b", "c"], "child_level": ["f", "f"],
                          "parent_level": ["t", "t"]}),
            r"missing codes or levels",
        ),
    ],
)  # fmt: skip
def test_bad_hierarchy_tables(table, message):
    with pytest.raises(ClassificationError if "needs" not in message else InputError,
                       match=message):  # fmt: skip
        levels(table)


def test_bundled_files_are_rebuilt_by_the_script(shared_data, tmp_path, monkeypatch):
    """scripts/build_hierarchies.py re-derives every bundled file byte for byte."""
    import importlib.util

    from ris3.data import _hierarchy_sources as classifications

    root = classifications._DIR.parents[3]
    spec = importlib.util.spec_from_file_location(
        "build_hierarchies", root / "scripts" / "build_hierarchies.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "OUT", tmp_path)
    mod.build_nuts_conversion(shared_data)
    mod.build_nuts_codes(shared_data)
    mod.build_activity_codes(shared_data)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    bundled = sorted(
        p.relative_to(classifications._DIR)
        for p in classifications._DIR.rglob("*")
        # eu_clusters/ has its own build script (tests/test_eu_cluster_definitions.py),
        # so has concordances/ (tests/test_tech_economy_match.py)
        if p.is_file()
        and p.name != "README.md"
        and "eu_clusters" not in p.parts
        and "concordances" not in p.parts
    )
    assert built == bundled and len(built) == 12
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (classifications._DIR / rel).read_bytes(), rel


def test_child_parent_dict_gets_levels_by_depth():
    d = {"a1": "a", "a2": "a", "b1": "b", "a": "T", "b": "T"}
    assert levels(d) == ("level0", "level1", "level2")
    assert parent_of(["a1", "b", "T"], "level0", hierarchy=d).tolist() == ["T", "T", "T"]
    assert parent_of(["a1", "b1"], "level1", hierarchy=pd.DataFrame(
        {"child": list(d), "parent": list(d.values())})).tolist() == ["a", "b"]  # fmt: skip
    with pytest.raises(ClassificationError, match=r"contains a cycle"):
        levels({"a": "b", "b": "c", "c": "a"})
    with pytest.raises(ClassificationError, match=r"'x' have more than one parent"):
        levels(pd.DataFrame({"child": ["x", "x"], "parent": ["p", "q"]}))
