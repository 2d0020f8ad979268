"""NUTS version conversion (ris3.data.nuts) on hand-worked cases and real Eurostat data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.data.nuts import (
    NUTS_CONVERSION_PAIRS,
    NUTS_CONVERSION_WEIGHTS,
    convert_nuts,
    nuts_concordance,
)
from ris3.errors import ClassificationError, ConventionError, InputError


@pytest.fixture(scope="module")
def jrc_2013_2021(shared_data) -> pd.DataFrame:
    """The published JRC matrix read straight from the shared data folder."""
    return pd.read_csv(shared_data / "eu_nuts_version_conversion" / "n2_cm_v2013_v2021.csv")


@pytest.fixture(scope="module")
def nuts2021_level2(shared_data) -> set[str]:
    path = shared_data / "geo_nuts_gisco_60m_2021" / "NUTS_RG_60M_2021_4326.geojson"
    feats = json.loads(path.read_text())["features"]
    return {f["properties"]["NUTS_ID"] for f in feats if f["properties"]["LEVL_CODE"] == 2}


@pytest.fixture(scope="module")
def sbs_employment_all_years(shared_data) -> pd.DataFrame:
    """Persons employed (V16110) at NUTS-2, 2008-2015, flags dropped, ':' -> NaN."""
    raw = pd.read_csv(
        shared_data / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz", sep="\t", dtype=str
    )
    key = raw.columns[0]
    parts = raw[key].str.split(",", expand=True)
    raw = raw.assign(nace=parts[0], indic=parts[1], geo=parts[2]).drop(columns=key)
    raw = raw[(raw["indic"] == "V16110") & (raw["geo"].str.len() == 4)]
    long = raw.melt(id_vars=["nace", "indic", "geo"], var_name="year", value_name="cell")
    long["year"] = long["year"].str.strip().astype(int)
    long["emp"] = pd.to_numeric(long["cell"].str.strip().str.split(" ").str[0], errors="coerce")
    return long[["geo", "nace", "year", "emp"]].reset_index(drop=True)


@pytest.fixture(scope="module")
def sbs_employment(sbs_employment_all_years) -> pd.DataFrame:
    """2013-2014 only: in these years the file uses NUTS-2013 codes (earlier years
    mix 2006 and 2010 codes)."""
    long = sbs_employment_all_years
    long = long[long["year"].isin([2013, 2014])]
    # the file keeps empty rows for codes of older NUTS versions (DE41, EL11, ...)
    used = long.groupby("geo")["emp"].transform(lambda s: s.notna().any()).astype(bool)
    return long.loc[used].reset_index(drop=True)


# --------------------------------------------------------------------- hand-worked


def test_lithuania_split_by_population_matches_matrix(jrc_2013_2021):
    lt = jrc_2013_2021[jrc_2013_2021["code_v2013"] == "LT00"]
    pop = dict(zip(lt["code_v2021"], lt["pop11"]))
    share_lt01 = pop["LT01"] / (pop["LT01"] + pop["LT02"])
    assert 0.26 < share_lt01 < 0.27  # Vilnius region: about 27 % of 3.03 million
    df = pd.DataFrame({"geo": ["LT00"], "year": [2014], "emp": [1000.0]})
    res = convert_nuts(df, region="geo", value="emp", from_version=2013, time="year")
    got = dict(zip(res.table["geo"], res.table["emp"]))
    assert got == pytest.approx({"LT01": 1000 * share_lt01, "LT02": 1000 * (1 - share_lt01)})
    assert res.codes_with_status("split") == ["LT00"]


def test_lithuania_split_by_area_and_population_2021(jrc_2013_2021):
    lt = jrc_2013_2021[jrc_2013_2021["code_v2013"] == "LT00"].set_index("code_v2021")
    df = pd.DataFrame({"geo": ["LT00"], "emp": [300.0]})
    for weight, col in [("area", "areaKm"), ("population_2021", "pop21")]:
        res = convert_nuts(df, region="geo", value="emp", from_version=2013, weight=weight)
        expect = 300.0 * lt[col] / lt[col].sum()
        got = res.table.set_index("geo")["emp"]
        pd.testing.assert_series_equal(got, expect, check_names=False)


def test_french_regions_recoded_and_merged_2013_to_2021():
    # Champagne-Ardenne (FR21) becomes FRF2; Picardie (FR22) goes to FRE2 except a
    # piece of 51 inhabitants (2011 grid) that lies in FRF2; Lorraine FR41 -> FRF3.
    df = pd.DataFrame({"geo": ["FR21", "FR22", "FR41"], "emp": [100.0, 200.0, 50.0]})
    res = convert_nuts(df, region="geo", value="emp", from_version=2013)
    pieces = nuts_concordance(2013, 2021)
    fr22 = pieces[pieces["from_code"] == "FR22"].set_index("to_code")["share"]
    got = res.table.set_index("geo")["emp"].to_dict()
    assert got == pytest.approx(
        {"FRE2": 200 * fr22["FRE2"], "FRF2": 100 + 200 * fr22["FRF2"], "FRF3": 50.0}
    )
    assert 0 < fr22["FRF2"] < 1e-4
    status = res.codes.set_index("from_code")["status"].to_dict()
    assert status == {"FR21": "merged", "FR22": "split_merged", "FR41": "recoded"}


def test_other_key_columns_are_kept_and_converted_separately():
    df = pd.DataFrame(
        {
            "geo": ["HU10", "HU10", "AT11", "AT11"],
            "nace": ["C", "F", "C", "F"],
            "emp": [10.0, 20.0, 1.0, 2.0],
        }
    )
    res = convert_nuts(df, region="geo", value="emp", from_version=2013)
    assert list(res.table.columns) == ["geo", "nace", "emp"]
    t = res.table.set_index(["geo", "nace"])["emp"]
    share = nuts_concordance(2013, 2021).query("from_code == 'HU10'").set_index("to_code")
    assert t[("HU11", "C")] == pytest.approx(10 * share.loc["HU11", "share"])
    assert t[("HU12", "F")] == pytest.approx(20 * share.loc["HU12", "share"])
    assert t[("AT11", "F")] == 2.0
    assert len(res.table) == 6


def test_missing_propagates_by_default_and_skip_reports():
    # IE01 -> IE04 + IE06, IE02 -> IE05 + IE06: IE06 receives from both
    df = pd.DataFrame({"geo": ["IE01", "IE02"], "emp": [np.nan, 100.0]})
    res = convert_nuts(df, region="geo", value="emp", from_version=2013)
    t = res.table.set_index("geo")["emp"]
    assert np.isnan(t["IE04"]) and np.isnan(t["IE06"])
    share = nuts_concordance(2013, 2021).query("from_code == 'IE02'").set_index("to_code")
    assert t["IE05"] == pytest.approx(100 * share.loc["IE05", "share"])
    assert sorted(res.missing_pieces["geo"]) == ["IE04", "IE06"]

    skip = convert_nuts(df, region="geo", value="emp", from_version=2013, missing="drop")
    s = skip.table.set_index("geo")["emp"]
    assert np.isnan(s["IE04"])  # all its pieces are missing: still missing, never 0
    assert s["IE06"] == pytest.approx(100 * share.loc["IE06", "share"])
    mp = skip.missing_pieces.set_index("geo")
    assert mp.loc["IE06", "n_pieces"] == 2 and mp.loc["IE06", "n_missing_pieces"] == 1


def test_unknown_and_other_levels_keep_or_drop():
    df = pd.DataFrame({"geo": ["AT11", "FRZZ", "FR", "FR1"], "emp": [1.0, 2.0, 3.0, 4.0]})
    res = convert_nuts(
        df, region="geo", value="emp", from_version=2013, unknown="keep", other_levels="drop"
    )
    assert res.table.set_index("geo")["emp"].to_dict() == {"AT11": 1.0, "FRZZ": 2.0}
    status = res.codes.set_index("from_code")["status"].to_dict()
    assert status == {
        "AT11": "unchanged",
        "FR": "other_level_dropped",
        "FR1": "other_level_dropped",
        "FRZZ": "unknown_kept",
    }
    assert res.not_converted == ["FR", "FR1", "FRZZ"]
    assert "not converted: 'FR', 'FR1', 'FRZZ'" in res.summary()


def test_input_not_mutated():
    df = pd.DataFrame({"geo": ["LT00"], "emp": [1.0]})
    before = df.copy()
    convert_nuts(df, region="geo", value="emp", from_version=2013)
    pd.testing.assert_frame_equal(df, before)


def test_bundled_matrices_are_the_published_ones(shared_data):
    from ris3.data import nuts

    for a, b in NUTS_CONVERSION_PAIRS:
        name = f"n2_cm_v{a}_v{b}.csv"
        bundled = (nuts._HIERARCHIES / "nuts_conversion" / name).read_bytes()
        assert bundled == (shared_data / "eu_nuts_version_conversion" / name).read_bytes()


# --------------------------------------------------------------------- real data


def test_sbs_nuts2013_codes_convert_to_nuts2021(sbs_employment, nuts2021_level2):
    data = sbs_employment
    old_codes = sorted(set(data["geo"]) - nuts2021_level2)
    # the codes that changed in 2016 (SOURCES.md counts 38), plus HR04 and four
    # Norwegian regions changed in 2021, plus extra-regio codes
    changed_2016 = {
        "FR21", "FR22", "FR23", "FR24", "FR25", "FR26", "FR30", "FR41", "FR42", "FR43",
        "FR51", "FR52", "FR53", "FR61", "FR62", "FR63", "FR71", "FR72", "FR81", "FR82",
        "FR83", "FRA1", "FRA2", "FRA3", "FRA4", "FRA5", "HU10", "IE01", "IE02", "LT00",
        "PL11", "PL12", "PL31", "PL32", "PL33", "PL34", "UKM2", "UKM3",
    }  # fmt: skip
    assert len(changed_2016) == 38
    extra_regio = {c for c in old_codes if c.endswith("ZZ")}
    # Mayotte (FRA5) has no figure in 2013-2014
    expected = (changed_2016 - {"FRA5"}) | {"HR04", "NO01", "NO03", "NO04", "NO05"}
    assert set(old_codes) == expected | extra_regio
    assert extra_regio == {"ESZZ", "FRZZ"}

    with pytest.raises(ClassificationError, match=r"not in the JRC NUTS 2013->2021 matrix"):
        convert_nuts(data, region="geo", value="emp", from_version=2013, time="year")
    res = convert_nuts(
        data, region="geo", value="emp", from_version=2013, time="year", unknown="drop"
    )
    assert set(res.table["geo"]) <= nuts2021_level2
    assert set(res.codes_with_status("unknown_dropped")) == extra_regio
    converted = {c for c in old_codes if c not in extra_regio}
    assert set(res.codes_with_status("recoded", "split", "merged", "split_merged")) >= converted
    assert len(res.table) > 0

    # complete data: for every (nace, year) with no missing NUTS-2 cell, the total
    # over converted regions equals the total before
    known = data[~data["geo"].isin(extra_regio)]
    complete = known.groupby(["nace", "year"])["emp"].transform(lambda s: s.notna().all())
    full = known[complete.astype(bool)]
    assert full["nace"].nunique() >= 5  # sections such as C, F, G are complete
    before = full.groupby(["nace", "year"])["emp"].sum()
    res_full = convert_nuts(full, region="geo", value="emp", from_version=2013, time="year")
    after = res_full.table.groupby(["nace", "year"])["emp"].sum()
    pd.testing.assert_series_equal(after, before, rtol=1e-10)
    assert res_full.missing_pieces.empty

    # with missing cells, no converted region touched by a missing piece is a number
    touched = res.missing_pieces.merge(res.table, on=["year", "geo", "nace"])
    assert touched["emp"].isna().all() and len(touched) > 0


def test_sbs_nuts2010_years(sbs_employment_all_years, nuts2021_level2):
    """2011-2012 use NUTS-2010 codes; 2008-2010 still carry some NUTS-2006 codes."""
    data = sbs_employment_all_years
    y12 = data[(data["year"] == 2012) & data["emp"].notna()]
    res = convert_nuts(y12, region="geo", value="emp", from_version=2010, time="year",
                       unknown="drop")  # fmt: skip
    assert set(res.table["geo"]) <= nuts2021_level2
    assert set(res.codes_with_status("unknown_dropped")) == {"CZZZ", "FRZZ"}  # extra-regio
    st = res.codes.set_index("from_code")["status"]
    assert st["EL11"] == "recoded" and st["UKI1"] == "split" and st["FR21"] == "merged"
    assert set(res.table["geo"]) >= {"EL51", "UKI3", "UKI4", "FRF2", "LT01", "LT02"}
    known = y12[~y12["geo"].isin(["CZZZ", "FRZZ"])]
    before = known.groupby("nace")["emp"].sum()
    after = res.table.groupby("nace")["emp"].sum()
    pd.testing.assert_series_equal(after, before, rtol=1e-10)  # no missing cell: conserved
    # 2008 still has NUTS-2006 codes, which no JRC matrix covers: named, never dropped
    y08 = data[(data["year"] == 2008) & data["emp"].notna() & ~data["geo"].str.endswith("ZZ")]
    with pytest.raises(ClassificationError, match=r"not in the JRC NUTS 2010->2021 matrix: "
                       r"'DE41', 'DE42', 'DED1', 'DED3', 'FI13', 'FI18', 'FI1A', 'ITD1'"):  # fmt: skip
        convert_nuts(y08, region="geo", value="emp", from_version=2010, time="year")


def test_sbs_lithuania_by_hand(sbs_employment, jrc_2013_2021):
    lt = sbs_employment.query("geo == 'LT00' and nace == 'C' and year == 2014")
    emp = float(lt["emp"].iloc[0])
    assert emp == 207082.0  # the published figure
    res = convert_nuts(lt, region="geo", value="emp", from_version=2013)
    m = jrc_2013_2021.query("code_v2013 == 'LT00'").set_index("code_v2021")["pop11"]
    got = res.table.set_index("geo")["emp"]
    assert got["LT01"] == pytest.approx(emp * m["LT01"] / m.sum())
    assert got.sum() == pytest.approx(emp)


# --------------------------------------------------------------------- properties


@settings(max_examples=25, deadline=None)
@given(
    pair=st.sampled_from(NUTS_CONVERSION_PAIRS),
    weight=st.sampled_from(sorted(NUTS_CONVERSION_WEIGHTS)),
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
)
def test_conversion_conserves_totals(pair, weight, seed, n):
    rng = np.random.default_rng(seed)
    codes = nuts_concordance(*pair)["from_code"].unique()
    pick = rng.choice(codes, size=min(n, len(codes)), replace=False)
    df = pd.DataFrame(
        {
            "geo": np.repeat(pick, 2),
            "year": np.tile([2014, 2015], len(pick)),
            "emp": rng.gamma(1.0, 1000.0, size=2 * len(pick)),
        }
    )
    res = convert_nuts(
        df, region="geo", value="emp", from_version=pair[0], to_version=pair[1],
        weight=weight, time="year",
    )  # fmt: skip
    before = df.groupby("year")["emp"].sum()
    after = res.table.groupby("year")["emp"].sum()
    pd.testing.assert_series_equal(after, before, rtol=1e-9)
    assert not res.table["emp"].isna().any()


@pytest.mark.parametrize("pair", NUTS_CONVERSION_PAIRS)
def test_shares_sum_to_one(pair):
    c = nuts_concordance(*pair, weight="area")
    sums = c.groupby("from_code")["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=1e-12)


# --------------------------------------------------------------------- errors


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame({"geo": ["AT11", "LT00"], "emp": [1.0, 2.0]})


def test_unknown_version_pair(small):
    with pytest.raises(
        ConventionError,
        match=r"no NUTS-2 conversion matrix from 2021 to 2013; "
        r"available \(from_version->to_version\): 2010->2013, 2010->2016",
    ):
        convert_nuts(small, region="geo", value="emp", from_version=2021, to_version=2013)
    with pytest.raises(
        ConventionError,
        match=r"from_version must be one of "
        r"2010, 2013, 2016, 2021; got 2006",
    ):
        convert_nuts(small, region="geo", value="emp", from_version=2006)
    with pytest.raises(ConventionError, match=r"to_version must be .*; got 'latest'"):
        nuts_concordance(2013, "latest")


def test_bad_options(small):
    with pytest.raises(ConventionError, match=r"weight must be one of 'population'.*got 'pop'"):
        convert_nuts(small, region="geo", value="emp", from_version=2013, weight="pop")
    with pytest.raises(
        ConventionError,
        match=r"missing must be one of 'propagate', 'drop'; "
        r"got 'zero'",
    ):
        convert_nuts(small, region="geo", value="emp", from_version=2013, missing="zero")
    with pytest.raises(ConventionError, match=r"unknown must be one of 'raise', 'keep', 'drop'"):
        convert_nuts(small, region="geo", value="emp", from_version=2013, unknown=True)
    with pytest.raises(ConventionError, match=r"other_levels must be one of"):
        convert_nuts(small, region="geo", value="emp", from_version=2013, other_levels="x")


def test_unknown_codes_named_with_hints(small):
    df = pd.concat([small, pd.DataFrame({"geo": ["FRB0", "FRZZ"], "emp": [1.0, 1.0]})])
    with pytest.raises(
        ClassificationError,
        match=r"2 NUTS-2 code\(s\) in column 'geo' are not in the JRC NUTS 2013->2021 matrix: "
        r"'FRB0', 'FRZZ' \('FRB0' are NUTS-2021 codes: is from_version=2013 right\?\) "
        r"\('FRZZ' are extra-regio codes.*unknown='keep'",
    ):
        convert_nuts(df, region="geo", value="emp", from_version=2013)


def test_other_levels_error(small):
    df = pd.concat([small, pd.DataFrame({"geo": ["LT", "LT0", "LT011"], "emp": [1.0] * 3})])
    with pytest.raises(
        ClassificationError,
        match=r"convert NUTS-2 codes \(4 characters\) only; column 'geo' has 3 code\(s\) of "
        r"other NUTS levels: 'LT', 'LT0', 'LT011'",
    ):
        convert_nuts(df, region="geo", value="emp", from_version=2013)


def test_passed_through_codes_colliding(small):
    df = pd.concat([small, pd.DataFrame({"geo": ["LT01"], "emp": [5.0]})])
    with pytest.raises(
        ClassificationError, match=r"collide with converted NUTS-2021 codes: 'LT01'"
    ):
        convert_nuts(df, region="geo", value="emp", from_version=2013, unknown="keep")


def test_table_errors(small):
    with pytest.raises(InputError, match=r"data has no column 'nuts' \(given as region=\)"):
        convert_nuts(small, region="nuts", value="emp", from_version=2013)
    with pytest.raises(InputError, match=r"data has no column 'yr' \(given as time=\)"):
        convert_nuts(small, region="geo", value="emp", from_version=2013, time="yr")
    flagged = small.astype({"emp": object})
    flagged.loc[flagged.index[0], "emp"] = "c"
    with pytest.raises(InputError, match=r"column 'emp' \(value=\) must be numeric; 1 row"):
        convert_nuts(flagged, region="geo", value="emp", from_version=2013)
    with pytest.raises(InputError, match=r"data is empty"):
        convert_nuts(small.iloc[:0], region="geo", value="emp", from_version=2013)
    with pytest.raises(InputError, match=r"2 rows with duplicated keys \['geo'\]"):
        convert_nuts(pd.concat([small, small.iloc[:1]]), region="geo", value="emp",
                     from_version=2013)  # fmt: skip
    with pytest.raises(
        InputError, match=r"column 'geo' has 1 missing region code\(s\), e.g. row 1"
    ):
        convert_nuts(pd.DataFrame({"geo": ["AT11", None], "emp": [1.0, 2.0]}), region="geo",
                     value="emp", from_version=2013)  # fmt: skip
    with pytest.raises(InputError, match=r"must be a pandas DataFrame"):
        convert_nuts([1, 2], region="geo", value="emp", from_version=2013)
    with pytest.raises(InputError, match=r"region= and value= must name different columns"):
        convert_nuts(small, region="geo", value="geo", from_version=2013)


def test_min_share_ignores_border_slivers():
    df = pd.DataFrame({"geo": ["FR21", "FR22", "AT12"], "emp": [100.0, 200.0, 40.0]})
    res = convert_nuts(
        df, region="geo", value="emp", from_version=2013, weight="area", min_share=0.001
    )
    assert res.table.set_index("geo")["emp"].to_dict() == pytest.approx(
        {"AT12": 40.0, "FRE2": 200.0, "FRF2": 100.0}
    )
    status = res.codes.set_index("from_code")["status"].to_dict()
    assert status == {"AT12": "unchanged", "FR21": "recoded", "FR22": "recoded"}
    ign = res.ignored_pieces.set_index("from_code")
    assert ign.loc["FR22", "to_code"] == "FRF2" and ign.loc["FR22", "share"] < 0.001
    assert "pieces below min_share ignored" in res.summary()
    # without it, the sliver is kept
    raw = convert_nuts(df, region="geo", value="emp", from_version=2013, weight="area")
    assert raw.codes.set_index("from_code")["status"]["FR22"] == "split_merged"
    assert raw.ignored_pieces.empty
    with pytest.raises(InputError, match=r"min_share must be a number >= 0 and <= 0.1; got 0.5"):
        convert_nuts(df, region="geo", value="emp", from_version=2013, min_share=0.5)


@settings(max_examples=15, deadline=None)
@given(
    pair=st.sampled_from(NUTS_CONVERSION_PAIRS),
    min_share=st.floats(0.0, 0.1),
    seed=st.integers(0, 2**32 - 1),
)
def test_min_share_conserves_totals(pair, min_share, seed):
    rng = np.random.default_rng(seed)
    codes = nuts_concordance(*pair)["from_code"].unique()
    df = pd.DataFrame({"geo": codes, "emp": rng.gamma(1.0, 100.0, size=len(codes))})
    res = convert_nuts(df, region="geo", value="emp", from_version=pair[0],
                       to_version=pair[1], weight="area", min_share=min_share)  # fmt: skip
    assert res.table["emp"].sum() == pytest.approx(df["emp"].sum(), rel=1e-12)
    assert (res.ignored_pieces["share"] < min_share).all()


def test_key_columns_with_any_name_and_nullable_values():
    df = pd.DataFrame(
        {
            "to_code": ["x", "x"],
            "share": ["a", "b"],
            "row": [1, 1],
            "geo": ["LT00", "LT00"],
            "emp": pd.array([1000, None], dtype="Int64"),
        }
    )
    res = convert_nuts(df, region="geo", value="emp", from_version=2013)
    assert list(res.table.columns) == ["to_code", "share", "row", "geo", "emp"]
    t = res.table.set_index(["share", "geo"])["emp"]
    share = nuts_concordance(2013).query("from_code == 'LT00'").set_index("to_code")["share"]
    assert t[("a", "LT01")] == pytest.approx(1000 * share["LT01"])
    assert np.isnan(t[("b", "LT01")]) and np.isnan(t[("b", "LT02")])
    assert res.missing_pieces[["share", "geo", "n_pieces", "n_missing_pieces"]].values.tolist() == [
        ["b", "LT01", 1, 1],
        ["b", "LT02", 1, 1],
    ]


def test_absent_old_regions_are_reported():
    # IE06 is fed by IE01 and IE02; without an IE01 row it only gets IE02's piece
    df = pd.DataFrame({"geo": ["IE02"], "emp": [100.0]})
    res = convert_nuts(df, region="geo", value="emp", from_version=2013)
    share = nuts_concordance(2013).query("from_code == 'IE02'").set_index("to_code")["share"]
    assert res.table.set_index("geo")["emp"]["IE06"] == pytest.approx(100 * share["IE06"])
    mp = res.missing_pieces.set_index("geo")
    assert list(mp.index) == ["IE06"]
    assert mp.loc["IE06", ["n_pieces", "n_missing_pieces", "n_absent_pieces"]].tolist() == [1, 0, 1]
    assert "rows with missing or absent pieces: 1" in res.summary()


@settings(max_examples=15, deadline=None)
@given(
    pair=st.sampled_from(NUTS_CONVERSION_PAIRS),
    scale=st.floats(0.01, 100.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_conversion_is_linear_and_order_free(pair, scale, seed):
    rng = np.random.default_rng(seed)
    codes = nuts_concordance(*pair)["from_code"].unique()
    x = rng.gamma(1.0, 50.0, size=len(codes))
    y = rng.gamma(1.0, 50.0, size=len(codes))
    kw = dict(region="geo", value="v", from_version=pair[0], to_version=pair[1])

    def conv(values, order=None):
        df = pd.DataFrame({"geo": codes, "v": values})
        if order is not None:
            df = df.iloc[order]
        return convert_nuts(df, **kw).table.set_index("geo")["v"]

    lhs = conv(scale * x + y, order=rng.permutation(len(codes)))
    rhs = scale * conv(x) + conv(y)
    pd.testing.assert_series_equal(lhs, rhs, rtol=1e-10)
