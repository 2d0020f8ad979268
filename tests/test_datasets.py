"""Bundled datasets: columns, values against the raw published files, metadata, errors."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3 import datasets
from ris3.errors import InputError

SBS_R = "eu_sbs_r_nuts06_r2/sbs_r_nuts06_r2.tsv.gz"
ALL = ["eu-sbs", "patents-wipo", "trade-hs2", "uk-bres", "uk-labour-flows", "us-cbp"]


def raw_cells(path: Path, key: str) -> dict[int, str]:
    """year -> cell text of one line of a Eurostat TSV, by plain string handling."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        years = [int(h) for h in fh.readline().rstrip("\n").split("\t")[1:]]
        for line in fh:
            if line.startswith(key + "\t"):
                return dict(zip(years, line.rstrip("\n").split("\t")[1:]))
    raise KeyError(key)


def one(df: pd.DataFrame, **keys: object) -> pd.Series:
    mask = np.ones(len(df), dtype=bool)
    for k, v in keys.items():
        mask &= (df[k] == v).to_numpy()
    assert mask.sum() == 1, keys
    return df[mask].iloc[0]


def test_list_and_info() -> None:
    assert datasets.list_datasets() == ALL
    for name in ALL:
        meta = datasets.info(name)
        for key in ("source", "licence", "attribution", "description", "tables"):
            assert meta[key], (name, key)
        assert meta["default_table"] in meta["tables"]
    assert "Source: Eurostat" in datasets.info("eu-sbs")["attribution"]
    assert (
        "(c) EuroGeographics for the administrative boundaries"
        in datasets.info("eu-sbs")["attribution"]
    )
    assert "CC BY-SA" in datasets.info("us-cbp")["licence"]
    assert "Open Government Licence v3.0" in datasets.info("uk-bres")["licence"]
    assert "Etalab Open Licence 2.0" in datasets.info("trade-hs2")["licence"]
    # info returns a copy
    datasets.info("eu-sbs")["tables"].clear()
    assert datasets.info("eu-sbs")["tables"]


def test_tables_have_documented_columns() -> None:
    for name in ALL:
        meta = datasets.info(name)
        for table, spec in meta["tables"].items():
            df = datasets.load(name, table)
            assert list(df.columns) == spec["columns"], (name, table)
            assert len(df) == spec["rows"] > 0, (name, table)


def test_eu_sbs_regions_columns() -> None:
    df = datasets.load("eu-sbs")
    assert list(df.columns) == [
        "geo",
        "nace_r2",
        "nace_section",
        "year",
        "persons_employed",
        "local_units",
        "wages_eur_million",
        "persons_employed_flag",
        "local_units_flag",
        "wages_eur_million_flag",
        "nuts_converted",
    ]
    assert sorted(df["year"].unique()) == list(range(2008, 2015))
    # divisions only: a letter and two digits (B05 ... N82, S95)
    assert df["nace_r2"].str.fullmatch(r"[B-NS]\d\d").all()
    assert (df["nace_section"] == df["nace_r2"].str[0]).all()
    assert (df["geo"].str.len() == 4).all()


def test_eu_sbs_cells_match_raw_file(shared_data: Path) -> None:
    df = datasets.load("eu-sbs")
    # lines 13863, 12933, 13398: C10 in AT33 (Tirol, unchanged code)
    for code, col, cast in (
        ("V16110", "persons_employed", float),
        ("V11210", "local_units", float),
        ("V13320", "wages_eur_million", float),
    ):
        cells = raw_cells(shared_data / SBS_R, f"C10,{code},AT33")
        got = one(df, geo="AT33", nace_r2="C10", year=2014)
        assert got[col] == cast(cells[2014].strip())
    at = one(df, geo="AT33", nace_r2="C10", year=2014)
    assert (at["persons_employed"], at["local_units"], at["wages_eur_million"]) == (
        5257,
        534,
        140.7,
    )
    assert not at["nuts_converted"]
    # line 36808: C20,V16110,BE21 2010 ': c' stays missing and flagged
    be = one(df, geo="BE21", nace_r2="C20", year=2010)
    assert np.isnan(be["persons_employed"]) and be["persons_employed_flag"] == "c"


def test_eu_sbs_unchanged_regions_equal_raw_including_gaps(shared_data: Path) -> None:
    """For regions whose code did not change, every 2014 cell equals the raw file,
    and a missing raw cell is missing in the dataset (not 0)."""
    from ris3.data import nuts_levels, read_eurostat_tsv

    raw = read_eurostat_tsv(
        shared_data / SBS_R, indic_sb="V16110", years=[2014], nuts_level=2, check_totals=False
    ).data
    raw = raw[raw["nace_r2"].str.fullmatch(r"[B-NS]\d\d")]
    conv = datasets.load("eu-sbs", "nuts_conversion")
    unchanged = set(
        conv.loc[(conv["from_version"] == 2013) & (conv["status"] == "unchanged"), "from_code"]
    )
    raw = raw[raw["geo"].isin(unchanged)]
    df = datasets.load("eu-sbs")
    merged = raw.merge(df[df["year"] == 2014], on=["geo", "nace_r2"], how="left", validate="1:1")
    assert len(merged) > 15000
    np.testing.assert_array_equal(merged["persons_employed"], merged["value"])
    assert (merged["persons_employed_flag"] == merged["flag"]).all()
    assert merged["value"].isna().sum() > 1000  # plenty of gaps, all kept as NaN
    assert (nuts_levels(df["geo"]) == 2).all()


def test_eu_sbs_split_region_conserves_total(shared_data: Path) -> None:
    # Lithuania: LT00 (NUTS 2013) became LT01 + LT02 (NUTS 2021); line 11838: C, 2014 = 207082
    sec = datasets.load("eu-sbs", "regions_sections")
    lt = sec[(sec["nace_r2"] == "C") & (sec["year"] == 2014) & sec["geo"].isin(["LT01", "LT02"])]
    assert len(lt) == 2 and lt["nuts_converted"].all()
    raw = float(raw_cells(shared_data / SBS_R, "C,V16110,LT00")[2014])
    assert raw == 207082
    assert lt["persons_employed"].sum() == pytest.approx(raw, rel=1e-12)
    assert not (sec["geo"] == "LT00").any()


def test_eu_sbs_countries_and_names(shared_data: Path) -> None:
    c = datasets.load("eu-sbs", "countries_sections")
    de = one(c, geo="DE", nace_r2="C", year=2014)
    assert de["persons_employed"] == 6938460  # line 11595
    assert (c["geo"].str.len() == 2).all()
    nat = datasets.load("eu-sbs", "countries_national")
    de_n = one(nat, geo="DE", nace_r2="C", year=2014)
    assert de_n["persons_employed"] == 7269135  # sbs_na_sca_r2 line 7780
    assert de_n["nace_level"] == "section"
    assert {"EU27", "EU28"} <= set(nat["geo"])  # European reference rows
    names = datasets.load("eu-sbs", "names")
    tirol = one(names, geo="AT33")
    assert (tirol["name"], tirol["level"], tirol["country"]) == ("Tirol", 2, "AT")
    assert len(names) == 2010


def test_eu_sbs_conversion_report() -> None:
    conv = datasets.load("eu-sbs", "nuts_conversion")
    left_out = conv[conv["status"] == "no_matrix_left_out"]
    assert set(left_out["from_code"]) == {
        "DE41", "DE42", "DED1", "DED3", "FI13", "FI18", "FI1A", "UKD2", "UKD5",
        "ITD1", "ITD2", "ITD3", "ITD4", "ITD5", "ITE1", "ITE2", "ITE3", "ITE4",
    }  # fmt: skip
    assert (left_out["years"] == "2008 2009 2010").all()
    lt = conv[(conv["from_code"] == "LT00") & (conv["from_version"] == 2013)]
    assert set(lt["status"]) == {"split"} and set(lt["to_codes"]) == {"LT01 LT02"}


def test_eu_sbs_geometry(shared_data: Path) -> None:
    g = datasets.geometry("eu-sbs")
    src = json.loads(
        (shared_data / "geo_nuts_gisco_60m_2021" / "NUTS_RG_60M_2021_4326.geojson").read_text()
    )
    level2 = {
        f["properties"]["NUTS_ID"] for f in src["features"] if f["properties"]["LEVL_CODE"] == 2
    }
    ids = {f["properties"]["NUTS_ID"] for f in g["features"]}
    assert ids == level2
    props = g["features"][0]["properties"]
    assert set(props) == {"NUTS_ID", "NAME_LATN", "CNTR_CODE", "LEVL_CODE"}
    # every converted region except extra-regio (..ZZ) has a boundary
    regions = set(datasets.load("eu-sbs")["geo"])
    assert {r for r in regions - ids if not r.endswith("ZZ")} == set()
    # coordinates stay within Europe's and the outermost regions' lon/lat range
    lon = [pt[0] for f in g["features"] for poly in _polygons(f) for ring in poly for pt in ring]
    assert -65 < min(lon) and max(lon) < 60
    g0 = datasets.geometry("eu-sbs", "nuts0")
    assert {f["properties"]["LEVL_CODE"] for f in g0["features"]} == {0}
    assert g0 is not datasets.geometry("eu-sbs", "nuts0")


def _polygons(feature: dict) -> list:
    geom = feature["geometry"]
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def test_us_cbp(shared_data: Path) -> None:
    emp = datasets.load("us-cbp")
    raw = pd.read_csv(
        shared_data / "us_cbp2019_cbsa_naics/cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"cbsa_code": str, "naics_code": str},
    )
    six = raw[raw["naics_level"] == 6].sample(40, random_state=7)
    got = emp.set_index(["cbsa_code", "naics_code"]).loc[
        list(zip(six["cbsa_code"], six["naics_code"]))
    ]
    np.testing.assert_array_equal(got["employment"], six["EMP"])
    np.testing.assert_array_equal(got["establishments"], six["ESTAB"])
    clusters = datasets.load("us-cbp", "clusters")
    src = pd.read_csv(
        shared_data / "us_cluster_definitions/naics2012_to_cluster.csv", dtype={"NAICS": str}
    )
    pd.testing.assert_frame_equal(clusters, src)
    metros = datasets.load("us-cbp", "metros")
    # SOURCES.md: 881 of the 933 CBP CBSAs have a metro boundary
    assert int(metros["in_cbp"].sum()) == 881
    g = datasets.geometry("us-cbp")
    assert len(g["features"]) == 942
    abilene = next(f for f in g["features"] if f["properties"]["cbsa_code"] == "10180")
    assert abilene["properties"]["name"].startswith("Abilene, TX")
    ring = abilene["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]  # decoded rings close
    lon = [p[0] for p in ring]
    assert -100.5 < min(lon) < max(lon) < -99  # Abilene, Texas lies near 99.7 W


def test_uk_datasets(shared_data: Path) -> None:
    bres = datasets.load("uk-bres")
    assert one(bres, region="London", sic2007="0100")["employees"] == 500
    totals = datasets.load("uk-bres", "totals").set_index("sic2007")["total"]
    sums = bres.groupby("sic2007")["employees"].sum()
    np.testing.assert_array_equal(sums.loc[totals.index], totals)
    flows = datasets.load("uk-labour-flows")
    assert list(flows.columns) == ["start_industry", "final_industry", "count"]
    # 3,523 pairs (the file has no newline after its last line), 429 origins
    assert len(flows) == 3523 and flows["start_industry"].nunique() == 429
    assert one(flows, start_industry="8520", final_industry="8520")["count"] == 19443
    conn = datasets.load("uk-labour-flows", "connections")
    assert one(conn, start_industry="8610", final_industry="8610")["count"] == 18403
    assert flows["start_industry"].str.fullmatch(r"\d{4}").all()


def test_patents_economies_only(shared_data: Path) -> None:
    econ = datasets.load("patents-wipo")
    agg = datasets.load("patents-wipo", "aggregates")
    assert econ["economy"].nunique() == 33
    for name in ("World", "EU", "All others", "Europe", "Former Soviet Union", "Unclassified"):
        assert name not in set(econ["economy"])
    assert set(agg["geo_type"]) == {"world", "region", "group", "residual"}
    raw = pd.read_csv(
        shared_data
        / "patents_ncses_sei2020_wipo35/uspto_patents_families_by_country_wipo35_1998_2018.csv.gz"
    )
    r = raw[
        (raw["geo"] == "Germany") & (raw["wipo_field"] == "basic communication processes")
        & (raw["year"] == 2010)
    ].set_index("measure")["value"]  # fmt: skip
    got = one(econ, economy="Germany", wipo_field="basic communication processes", year=2010)
    assert got["patent_families"] == r["patent_families"]
    assert got["uspto_patents"] == r["uspto_patents"]
    world = one(agg, geo="World", wipo_field="basic communication processes", year=1998)
    assert world["uspto_patents"] == 2621  # first data line of the file
    assert len(econ) + len(agg) == len(raw) // 2


def test_trade_hs2(shared_data: Path) -> None:
    ex = datasets.load("trade-hs2")
    raw = pd.read_csv(shared_data / "trade_baci_hs96_2digit_2024/BACI_HS96_2d_2024_v202601.csv.gz")
    assert len(ex) == len(raw)
    de87 = raw[(raw["i"] == 276) & (raw["hs2"] == 87)]["v"].item()
    got = one(ex, exporter="DEU", hs2="87")
    assert got["export_value_kusd"] == de87
    assert got["exporter_name"] == "Germany"
    assert got["hs2_name"].startswith("Vehicles")
    assert ex["exporter"].nunique() == 226
    assert np.isclose(ex["export_value_kusd"].sum(), raw["v"].sum())


def test_bundled_size_is_small() -> None:
    total = sum(p.stat().st_size for p in datasets.FILES.rglob("*") if p.is_file())
    assert total < 4_000_000, total
    # nothing that SOURCES.md says must not be bundled
    names = {p.name.lower() for p in datasets.FILES.rglob("*")}
    assert not any("related_clusters" in n or "atlas" in n or "deu_grc" in n for n in names)


def test_errors() -> None:
    with pytest.raises(InputError, match=r"name must be one of 'eu-sbs', .*; got 'eu_sbs'"):
        datasets.load("eu_sbs")
    with pytest.raises(InputError, match=r"table must be one of .*'regions'.* got 'region'"):
        datasets.load("eu-sbs", "region")
    with pytest.raises(InputError, match=r"layer must be one of 'nuts0', 'nuts2' .*got 'nuts3'"):
        datasets.geometry("eu-sbs", "nuts3")
    with pytest.raises(InputError, match="dataset 'uk-bres' has no boundaries; datasets with"):
        datasets.geometry("uk-bres")
    with pytest.raises(InputError, match="name must be one of"):
        datasets.info(3)  # type: ignore[arg-type]


def test_import_is_light_and_reachable() -> None:
    code = (
        "import sys, ris3.datasets as d; assert 'pandas' not in sys.modules, 'pandas'; "
        "print(d.list_datasets()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "eu-sbs"
    assert ris3.datasets is datasets


@pytest.mark.slow
def test_build_script_reproduces_bundled_files(tmp_path: Path) -> None:
    """scripts/build_datasets.py rebuilds every bundled file byte for byte."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, str(root / "scripts" / "build_datasets.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    bundled = sorted(
        p.relative_to(datasets.FILES)
        for p in datasets.FILES.rglob("*")
        if p.is_file() and p.name != "README.md"
    )
    assert built == bundled
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (datasets.FILES / rel).read_bytes(), rel


def test_damaged_files_raise_data_file_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ris3.errors import DataFileError

    good = tmp_path / "damaged"
    good.mkdir()
    (good / "info.json").write_text(
        json.dumps(
            {
                "tables": {"t": {"file": "t.parquet"}},
                "default_table": "t",
                "geometry": {"g": {"file": "g.geojson.gz"}},
            }
        )
    )
    (good / "t.parquet").write_bytes(b"PAR1 not parquet")
    (good / "g.geojson.gz").write_bytes(b"\x1f\x8b broken")
    bad = tmp_path / "unreadable"
    bad.mkdir()
    (bad / "info.json").write_text("{not json")
    monkeypatch.setattr(datasets, "FILES", tmp_path)
    datasets._info.cache_clear()
    try:
        assert datasets.list_datasets() == ["damaged", "unreadable"]
        with pytest.raises(DataFileError, match="bundled table damaged/t cannot be read"):
            datasets.load("damaged")
        with pytest.raises(DataFileError, match="bundled geometry damaged/g cannot be read"):
            datasets.geometry("damaged")
        with pytest.raises(DataFileError, match="bundled dataset 'unreadable' is damaged"):
            datasets.info("unreadable")
    finally:
        datasets._info.cache_clear()


def test_eu_sbs_conversion_conserves_country_sums(shared_data: Path) -> None:
    """Converting NUTS 2013 -> 2021 moves employment between regions but keeps every
    country's NUTS-2 sum, for countries whose 2014 cells are all published."""
    from ris3.data import read_eurostat_tsv

    raw = read_eurostat_tsv(
        shared_data / SBS_R, indic_sb="V16110", nace_r2="C", years=[2014], nuts_level=2,
        check_totals=False,
    ).data  # fmt: skip
    raw = raw.assign(country=raw["geo"].str[:2])
    complete = raw.groupby("country")["value"].apply(lambda s: s.notna().all())
    raw_sum = raw.groupby("country")["value"].sum()
    sec = datasets.load("eu-sbs", "regions_sections")
    sec = sec[(sec["nace_r2"] == "C") & (sec["year"] == 2014)]
    got = sec.groupby(sec["geo"].str[:2])["persons_employed"].sum()
    countries = sorted(c for c, ok in complete.items() if ok)
    assert {"HR", "LT", "PL", "HU"} <= set(countries)  # codes changed 2013 -> 2021
    np.testing.assert_allclose(got.loc[countries], raw_sum.loc[countries], rtol=1e-12)


def test_extra_regio_units_are_kept_out_of_the_regional_tables() -> None:
    """..ZZ codes are not regions: only in table extra_regio, values as published."""
    for table in ("regions", "regions_sections"):
        geo = datasets.load("eu-sbs", table)["geo"]
        assert not geo.str.endswith("ZZ").any(), table
    extra = datasets.load("eu-sbs", "extra_regio")
    assert sorted(extra["geo"].unique()) == [
        "CZZZ", "ELZZ", "ESZZ", "FIZZ", "FRZZ", "LVZZ", "SEZZ", "SKZZ",
    ]  # fmt: skip
    # the raw file's line "C,V16110,FRZZ  :  2325 b  1818  2078  2910  2249  :  : cu"
    # (2015 ... 2008): section C of FRZZ, persons employed
    c = extra[(extra["geo"] == "FRZZ") & (extra["nace_r2"] == "C")].set_index("year")
    assert c.loc[2014, "persons_employed"] == 2325.0
    assert c.loc[2014, "persons_employed_flag"] == "b"
    assert c.loc[2011, "persons_employed"] == 2910.0
    assert np.isnan(c.loc[2009, "persons_employed"])
    assert set(c["nace_section"]) == {"C"}
    c10 = extra[(extra["geo"] == "FRZZ") & (extra["nace_r2"] == "C10")].set_index("year")
    assert np.isnan(c10.loc[2013, "persons_employed"]) and c10.loc[2011, "persons_employed"] == 33
    assert "extra_regio" in datasets.info("eu-sbs")["description"]
