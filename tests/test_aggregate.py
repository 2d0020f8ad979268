"""Aggregation along hierarchies (ris3.data.aggregate): hand-worked, real data, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.data.aggregation import aggregate
from ris3.data.classifications import hierarchy, parent_of
from ris3.errors import ClassificationError, ConventionError, InputError


@pytest.fixture(scope="module")
def sbs_regional_c(shared_data) -> pd.DataFrame:
    """Persons employed in manufacturing (C) and its divisions, 2013, all NUTS levels."""
    raw = pd.read_csv(
        shared_data / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz",
        sep="\t",
        dtype=str,
        usecols=lambda c: "\\" in c or c == "2013 ",
    )
    key = raw.columns[0]
    parts = raw[key].str.split(",", expand=True)
    df = pd.DataFrame({"nace": parts[0], "indic": parts[1], "geo": parts[2]})
    df["emp"] = pd.to_numeric(raw["2013 "].str.strip().str.split(" ").str[0], errors="coerce")
    df = df[(df["indic"] == "V16110") & df["nace"].str.match(r"^C\d*$")]
    # the file keeps empty rows for codes of older NUTS versions (DE41, EL11 ...)
    used = df.groupby("geo")["emp"].transform(lambda s: s.notna().any()).astype(bool)
    return df.loc[used].drop(columns="indic").reset_index(drop=True)


# --------------------------------------------------------------------- hand-worked


def test_hand_worked_counts_and_coverage():
    df = pd.DataFrame(
        {
            "geo": ["R1"] * 6 + ["R2"] * 2,
            "nace": ["C10", "C11", "C12", "F41", "F42", "F", "C10", "F"],
            "emp": [10.0, np.nan, 5.0, 3.0, 7.0, 20.0, 4.0, np.nan],
        }
    )
    out = aggregate(
        df, region="geo", activity="nace", value="emp", hierarchy="nace_eurostat", missing="drop"
    )
    got = out.set_index(["geo", "nace"])
    # C has 24 divisions; R1 reports C10 and C12, C11 is present but missing
    r1c = got.loc[("R1", "C")]
    assert r1c["emp"] == 15.0 and r1c["n_children"] == 24 and r1c["n_reported"] == 2
    assert r1c["n_missing_children"] == 1 and r1c["n_absent_children"] == 21
    assert np.isnan(r1c["parent_total"]) and np.isnan(r1c["coverage"])
    r1f = got.loc[("R1", "F")]
    assert r1f["emp"] == 10.0 and r1f["parent_total"] == 20.0 and r1f["coverage"] == 0.5
    assert r1f["n_children"] == 3 and r1f["n_absent_children"] == 1
    # R2: F total is missing and F has no reported division -> missing, not 0
    r2f = got.loc[("R2", "F")]
    assert np.isnan(r2f["emp"]) and r2f["n_reported"] == 0 and r2f["n_absent_children"] == 3
    assert np.isnan(r2f["coverage"])
    assert list(out.columns) == [
        "geo", "nace", "emp", "n_children", "n_reported", "n_missing_children",
        "n_absent_children", "parent_total", "coverage",
    ]  # fmt: skip


def test_parent_totals_table_and_time():
    df = pd.DataFrame(
        {
            "year": [2014, 2014, 2015],
            "geo": ["DE", "DE", "DE"],
            "nace": ["C10", "C11", "C10"],
            "emp": [1.0, 3.0, 2.0],
        }
    )
    totals = pd.DataFrame({"year": [2014, 2015], "geo": ["DE", "DE"], "nace": ["C", "C"],
                           "emp": [8.0, 0.0]})  # fmt: skip
    out = aggregate(
        df, region="geo", activity="nace", value="emp", time="year",
        hierarchy="nace_eurostat", parent_totals=totals,
    )  # fmt: skip
    assert out["year"].tolist() == [2014, 2015]
    assert out["emp"].tolist() == [4.0, 2.0]
    assert out["coverage"].iloc[0] == 0.5
    assert np.isnan(out["coverage"].iloc[1])  # a zero total gives no coverage


def test_along_region_with_a_user_table():
    clusters = pd.DataFrame(
        {
            "child": ["336411", "336412", "325411", "325412", "Aerospace", "Pharma"],
            "parent": ["Aerospace", "Aerospace", "Pharma", "Pharma", "Traded", "Traded"],
            "child_level": ["naics"] * 4 + ["cluster"] * 2,
            "parent_level": ["cluster"] * 4 + ["type"] * 2,
        }
    )
    df = pd.DataFrame({"cbsa": ["A", "A", "A"], "naics": ["336411", "336412", "325411"],
                       "emp": [5.0, 6.0, 7.0]})  # fmt: skip
    out = aggregate(df, region="cbsa", activity="naics", value="emp", hierarchy=clusters)
    assert out.set_index("naics")["emp"].to_dict() == {"Aerospace": 11.0, "Pharma": 7.0}
    top = aggregate(df, region="cbsa", activity="naics", value="emp", hierarchy=clusters,
                    to_level="type")  # fmt: skip
    assert top["emp"].tolist() == [18.0] and top["n_children"].tolist() == [4]
    # along="region": NUTS-3 regions summed to NUTS-2 for each activity
    df2 = pd.DataFrame({"geo": ["DE211", "DE212", "DE211"], "nace": ["C", "C", "F"],
                        "emp": [1.0, 2.0, 4.0]})  # fmt: skip
    out2 = aggregate(df2, region="geo", activity="nace", value="emp", hierarchy="nuts",
                     along="region")  # fmt: skip
    assert out2[["geo", "nace", "emp"]].values.tolist() == [["DE21", "C", 3.0], ["DE21", "F", 4.0]]
    n_de21 = (hierarchy("nuts")["parent"] == "DE21").sum()
    assert (out2["n_children"] == n_de21).all()


# --------------------------------------------------------------------- real data


def test_sbs_regions_to_countries(sbs_regional_c):
    c = sbs_regional_c[sbs_regional_c["nace"] == "C"]
    with pytest.raises(ClassificationError, match=r"column 'geo' mixes levels of 'nuts': "
                       r"nuts0 \(\d+ rows\), nuts1 \(\d+ rows\), nuts2 \(\d+ rows\)"):  # fmt: skip
        aggregate(c, region="geo", activity="nace", value="emp",
                  hierarchy="nuts", version=2013, along="region", to_level="nuts0")  # fmt: skip
    with pytest.raises(ClassificationError, match=r"49 code\(s\) in column 'geo' are not in hierarchy 'nuts': 'FR2', "
                       r"'FR21', 'FR22'.* need version= or a conversion first \(convert_nuts\)"):  # fmt: skip
        aggregate(c, region="geo", activity="nace", value="emp", hierarchy="nuts",
                  along="region", to_level="nuts0")  # fmt: skip
    with pytest.raises(InputError, match=r"column 'emp' has \d+ missing value\(s\), e.g. "
                       r"\[\{'nace': 'C', 'geo': 'BE10'\}.*choose missing='drop'"):  # fmt: skip
        keep = c["geo"].str.len().isin([2, 4])
        aggregate(c[keep], region="geo", activity="nace", value="emp", hierarchy="nuts",
                  version=2013, along="region", to_level="nuts0")  # fmt: skip

    keep = c["geo"].str.len().isin([2, 4])
    data = c[keep]
    assert "FRZZ" in set(data["geo"])  # extra-regio codes belong to their country
    out = aggregate(data, region="geo", activity="nace", value="emp", hierarchy="nuts",
                    version=2013, along="region", to_level="nuts0", missing="drop")  # fmt: skip
    # independent computation with plain pandas
    regions = data[data["geo"].str.len() == 4]
    expect = regions.groupby(regions["geo"].str[:2])["emp"].sum(min_count=1)
    national = data[data["geo"].str.len() == 2].set_index("geo")["emp"]
    got = out.set_index("geo")
    pd.testing.assert_series_equal(got["emp"].loc[expect.index], expect, check_names=False)
    assert (got["parent_total"].dropna() == national.loc[got["parent_total"].dropna().index]).all()
    cov = (expect / national).dropna()
    np.testing.assert_allclose(got["coverage"].loc[cov.index], cov.to_numpy())
    # Italy: its 21 NUTS-2 regions all report and add up to the published total;
    # only the extra-regio ITZZ has no row
    it = got.loc["IT"]
    assert (it["n_children"], it["n_reported"], it["n_absent_children"]) == (22, 21, 1)
    assert it["emp"] == it["parent_total"] == 3_735_748.0 and it["coverage"] == 1.0
    # Germany: confidential regions (DE30, DE80, DEA4 ... flagged 'c') are missing
    de = got.loc["DE"]
    assert de["n_missing_children"] >= 6 and de["coverage"] == pytest.approx(0.8656, abs=1e-4)
    assert de["parent_total"] == 6_879_204.0


def test_sbs_divisions_to_manufacturing(sbs_regional_c):
    # national rows only: divisions summed to section C, with the published C as total
    nat = sbs_regional_c[sbs_regional_c["geo"].str.len() == 2]
    out = aggregate(nat, region="geo", activity="nace", value="emp",
                    hierarchy="nace_eurostat", missing="drop")  # fmt: skip
    assert set(out["nace"]) == {"C"} and (out["n_children"] == 24).all()
    divs = nat[nat["nace"] != "C"]
    expect = divs.groupby("geo")["emp"].sum(min_count=1)
    got = out.set_index("geo")
    np.testing.assert_allclose(got["emp"].loc[expect.index], expect.to_numpy())
    n_missing = divs["emp"].isna().groupby(divs["geo"]).sum()
    assert (got["n_missing_children"].loc[n_missing.index] == n_missing).all()
    # confidential divisions make the sum of divisions smaller than the total
    complete = got[got["n_reported"] == 24]
    assert len(complete) >= 10
    # published figures are rounded: complete divisions add up to C within 0.01 %
    np.testing.assert_allclose(complete["coverage"], 1.0, rtol=1e-4)
    assert (got["coverage"].dropna() <= 1 + 1e-4).all()


# --------------------------------------------------------------------- properties


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), n=st.integers(1, 200), name=st.sampled_from(["nace", "nuts"])
)
def test_two_steps_equal_one_step(seed, n, name):
    rng = np.random.default_rng(seed)
    h = hierarchy(name)
    lv = h.attrs["levels"]
    leaves = h.loc[h["child_level"] == lv[-1], "child"].to_numpy()
    pick = rng.choice(leaves, size=min(n, len(leaves)), replace=False)
    df = pd.DataFrame({"r": "X", "a": pick, "v": rng.gamma(1.0, 10.0, size=len(pick))})
    kw = dict(region="r", activity="a", value="v", hierarchy=name)
    step = df
    for level in reversed(lv[:-1]):
        step = aggregate(step, to_level=level, **kw)[["r", "a", "v"]]
    direct = aggregate(df, to_level=lv[0], **kw)
    pd.testing.assert_series_equal(step.set_index("a")["v"], direct.set_index("a")["v"], rtol=1e-12)
    # and the top level holds the grand total
    assert direct["v"].sum() == pytest.approx(df["v"].sum())
    assert (direct["n_reported"].sum()) == len(pick)


def test_aggregate_matches_parent_of():
    h = hierarchy("naics")
    six = h.loc[h["child_level"] == "national_industry", "child"].head(300)
    df = pd.DataFrame({"cbsa": "10180", "naics": six, "emp": np.arange(len(six), dtype=float)})
    out = aggregate(df, region="cbsa", activity="naics", value="emp", hierarchy="naics",
                    to_level="sector")  # fmt: skip
    expect = df.groupby(parent_of(df["naics"], "sector", hierarchy="naics").to_numpy())["emp"].sum()
    pd.testing.assert_series_equal(out.set_index("naics")["emp"], expect, check_names=False)


# --------------------------------------------------------------------- errors


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame({"geo": ["A", "A"], "nace": ["C10", "C11"], "emp": [1.0, 2.0]})


def test_errors(small):
    kw = dict(region="geo", activity="nace", value="emp", hierarchy="nace_eurostat")
    with pytest.raises(ClassificationError, match=r"2 code\(s\) in column 'nace' are not in "
                       r"hierarchy 'nace_eurostat': 'C99', 'X1'"):  # fmt: skip
        aggregate(pd.concat([small, pd.DataFrame({"geo": ["A", "A"], "nace": ["C99", "X1"],
                                                  "emp": [1.0, 1.0]})]), **kw)  # fmt: skip
    with pytest.raises(ClassificationError, match=r"mixes levels of 'nace_eurostat': "
                       r"section \(1 rows\), division \(2 rows\), group \(1 rows\); keep one level"):  # fmt: skip
        aggregate(pd.concat([small, pd.DataFrame({"geo": ["A", "A"], "nace": ["C101", "C"],
                                                  "emp": [1.0, 1.0]})]), **kw)  # fmt: skip
    with pytest.raises(ConventionError, match=r"to_level='division' is not above the level of "
                       r"the data in column 'nace' \('division'\); choose one of 'section'"):  # fmt: skip
        aggregate(small, to_level="division", **kw)
    with pytest.raises(ConventionError, match=r"to_level must be one of 'section', 'division', "
                       r"'group', 'class'; got 'sector'"):  # fmt: skip
        aggregate(small, to_level="sector", **kw)
    with pytest.raises(ConventionError, match=r"column 'nace' is already at the top level "
                       r"'section'"):  # fmt: skip
        aggregate(small.assign(nace=["C", "F"]), **kw)
    with pytest.raises(ConventionError, match=r"along must be one of 'activity', 'region'; "
                       r"got 'time'"):  # fmt: skip
        aggregate(small, along="time", **kw)
    with pytest.raises(ConventionError, match=r"missing must be one of 'raise', 'drop'; "
                       r"got 'zero'"):  # fmt: skip
        aggregate(small, missing="zero", **kw)
    both = pd.concat([small, pd.DataFrame({"geo": ["A"], "nace": ["C"], "emp": [5.0]})])
    totals = pd.DataFrame({"geo": ["A"], "nace": ["C"], "emp": [5.0]})
    with pytest.raises(ConventionError, match=r"parent totals given twice: data has 1 row\(s\)"):
        aggregate(both, parent_totals=totals, **kw)
    with pytest.raises(ClassificationError, match=r"parent_totals must have codes at "
                       r"to_level='section'; 'C10' are not"):  # fmt: skip
        aggregate(small, parent_totals=totals.assign(nace="C10"), **kw)
    with pytest.raises(InputError, match=r"parent_totals needs the columns \['geo', 'nace', "
                       r"'emp'\] \(as in data\); missing \['emp'\]"):  # fmt: skip
        aggregate(small, parent_totals=totals.drop(columns="emp"), **kw)
    with pytest.raises(InputError, match=r"parent_totals has duplicated rows"):
        aggregate(small, parent_totals=pd.concat([totals, totals]), **kw)
    with pytest.raises(InputError, match=r"column 'emp' has 1 missing value\(s\)"):
        aggregate(small.assign(emp=[1.0, np.nan]), **kw)
    with pytest.raises(InputError, match=r"data has no column 'nuts' \(given as region=\)"):
        aggregate(small, **{**kw, "region": "nuts"})
    with pytest.raises(ClassificationError, match=r"convert_nuts"):
        aggregate(pd.DataFrame({"geo": ["FR21"], "nace": ["C"], "emp": [1.0]}), region="geo",
                  activity="nace", value="emp", hierarchy="nuts", along="region")  # fmt: skip


def test_nullable_values_and_odd_key_names():
    df = pd.DataFrame(
        {
            "_v": ["k", "k", "k"],
            "geo": ["A", "A", "A"],
            "nace": ["C10", "C11", "C12"],
            "emp": pd.array([1, None, 3], dtype="Int64"),
        }
    )
    out = aggregate(df, region="geo", activity="nace", value="emp", time="_v",
                    hierarchy="nace_eurostat", missing="drop")  # fmt: skip
    assert out[
        ["_v", "geo", "nace", "emp", "n_reported", "n_missing_children"]
    ].values.tolist() == [["k", "A", "C", 4.0, 2, 1]]
