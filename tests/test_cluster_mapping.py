"""Cluster mapping on real US County Business Patterns 2019 and small hand examples."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.clusters.definitions import ClusterDefinition, us_benchmark_clusters
from ris3.clusters.mapping import map_clusters
from ris3.errors import ConventionError, DataQualityWarning, InputError


@pytest.fixture(scope="module")
def cbp6(shared_data: Path) -> pd.DataFrame:
    cbp = pd.read_csv(
        shared_data / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"cbsa_code": str, "naics_code": str},
    )
    return cbp[cbp["naics_level"] == 6].reset_index(drop=True)


@pytest.fixture(scope="module")
def us_def(shared_data: Path) -> ClusterDefinition:
    return us_benchmark_clusters(
        shared_data / "us_cluster_definitions" / "naics2012_to_cluster.csv"
    )


@pytest.fixture(scope="module")
def us_map(cbp6: pd.DataFrame, us_def: ClusterDefinition):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)  # all CBP codes are covered
        return map_clusters(
            cbp6,
            us_def,
            region="cbsa_code",
            activity="naics_code",
            value="EMP",
            establishments="ESTAB",
        )


def test_cluster_employment_matches_pandas(
    cbp6: pd.DataFrame, us_def: ClusterDefinition, us_map
) -> None:
    # independent computation: merge on the crosswalk file and sum
    xw = pd.read_csv(
        Path(__file__).resolve().parents[1].parent
        / "shared"
        / "data"
        / "us_cluster_definitions"
        / "naics2012_to_cluster.csv",
        dtype={"NAICS": str},
    )
    merged = cbp6.merge(xw[["NAICS", "Cluster"]], left_on="naics_code", right_on="NAICS")
    tidy = us_map.tidy().set_index(["cbsa_code", "cluster"])
    # New York, Detroit, Seattle, San Jose, a small micropolitan area
    for cbsa in ["35620", "19820", "42660", "41940", "10100"]:
        expected = merged[merged["cbsa_code"] == cbsa].groupby("Cluster")[["EMP", "ESTAB"]].sum()
        got = tidy.loc[cbsa]
        got = got[got["value"] > 0]
        assert set(got.index) <= set(expected.index)
        np.testing.assert_array_equal(got["value"], expected.loc[got.index, "EMP"])
        np.testing.assert_array_equal(got["establishments"], expected.loc[got.index, "ESTAB"])
        total = cbp6.loc[cbp6["cbsa_code"] == cbsa, "EMP"].sum()
        np.testing.assert_allclose(got["share"], expected.loc[got.index, "EMP"] / total)
    # a known fact: Detroit's largest traded cluster by LQ rank includes Automotive at the top
    auto = tidy.loc[("19820", "Automotive")]
    assert auto["lq"] > 3 and auto["value_rank"] <= 3


def test_definition_codes_absent_from_the_data(
    cbp6: pd.DataFrame, us_def: ClusterDefinition, us_map
) -> None:
    # NAICS-2012 codes that NAICS 2017 replaced, plus vendor codes and sectors CBP does
    # not cover (agriculture, rail, postal service, pension funds, government)
    absent = us_map.absent_codes
    assert len(absent) == 30
    assert {"212222", "311313", "322110", "485112"} <= set(absent)  # NAICS 2012 only
    assert {"111000", "482110", "491110", "903999"} <= set(absent)  # outside CBP
    assert absent == sorted(set(us_def.activities) - set(cbp6["naics_code"]))


def test_lq_invariants(cbp6: pd.DataFrame, us_map) -> None:
    t = us_map.tidy()
    totals = cbp6.groupby("cbsa_code")["EMP"].sum()
    w = t["cbsa_code"].map(totals).to_numpy()
    # employment-weighted mean LQ of every cluster over all regions is 1
    weighted = t.assign(w=w, wl=w * t["lq"]).groupby("cluster")[["w", "wl"]].sum()
    populated = us_map.employment[0].sum(axis=0) > 0
    np.testing.assert_allclose(
        (weighted["wl"] / weighted["w"]).to_numpy()[populated], 1.0, rtol=1e-12
    )
    # LQ from the definition, computed directly
    nat = t.groupby("cluster")["value"].sum() / totals.sum()
    lq = (t["value"] / w) / t["cluster"].map(nat).to_numpy()
    np.testing.assert_allclose(t["lq"], lq.fillna(0), rtol=1e-12)
    # ranks: 1 = largest employment; count of ranked regions = regions with employment
    g = t[t["cluster"] == "Automotive"]
    top = g.sort_values("value", ascending=False).iloc[0]
    assert top["value_rank"] == 1
    assert g["value_rank"].notna().sum() == (g["value"] > 0).sum() == g["n_regions"].iloc[0]


def test_traded_only_lq(cbp6: pd.DataFrame, us_def: ClusterDefinition, us_map) -> None:
    cm = map_clusters(
        cbp6,
        us_def,
        region="cbsa_code",
        activity="naics_code",
        value="EMP",
        traded_only_lq=True,
    )
    t = cm.tidy()
    tr = t[t["cluster_type"] == "traded"]
    traded_r = tr.groupby("cbsa_code")["value"].sum()
    share_nat = tr.groupby("cluster")["value"].sum() / tr["value"].sum()
    expected = (tr["value"] / tr["cbsa_code"].map(traded_r)) / tr["cluster"].map(share_nat)
    np.testing.assert_allclose(tr["lq"], expected.fillna(0), rtol=1e-12)
    # local clusters keep the LQ on total employment
    loc_new = t.loc[t["cluster_type"] == "local", "lq"].to_numpy()
    old = us_map.tidy()
    np.testing.assert_allclose(loc_new, old.loc[old["cluster_type"] == "local", "lq"].to_numpy())
    assert "traded employment" in cm.summary()


def test_regions_table_and_subclusters(
    cbp6: pd.DataFrame, us_def: ClusterDefinition, us_map
) -> None:
    reg = us_map.regions().set_index("cbsa_code")
    totals = cbp6.groupby("cbsa_code")["EMP"].sum()
    np.testing.assert_array_equal(reg["value_total"], totals.loc[reg.index])
    assert (reg["value_uncovered"] == 0).all()
    sub = map_clusters(
        cbp6,
        us_def,
        region="cbsa_code",
        activity="naics_code",
        value="EMP",
        level="subcluster",
    )
    st_ = sub.tidy()
    assert {"cluster", "subcluster"} <= set(st_.columns)
    # subclusters add up to their cluster
    by_cluster = st_.groupby(["cbsa_code", "cluster"])["value"].sum()
    ref = us_map.tidy().set_index(["cbsa_code", "cluster"])["value"]
    np.testing.assert_array_equal(by_cluster.loc[ref.index].to_numpy(), ref.to_numpy())


def test_uncovered_activities_are_reported(cbp6: pd.DataFrame, shared_data: Path) -> None:
    d = us_benchmark_clusters(
        shared_data / "us_cluster_definitions" / "naics2012_to_cluster.csv", vendor_codes="drop"
    )
    with pytest.warns(
        DataQualityWarning, match=r"16 activity code\(s\) in column 'naics_code' are not in"
    ):
        cm = map_clusters(cbp6, d, region="cbsa_code", activity="naics_code", value="EMP")
    unc = cm.uncovered.set_index("naics_code")
    assert len(unc) == 16 and "452311" in unc.index  # warehouse clubs: NAICS 2017, vendor code
    exp = cbp6[cbp6["naics_code"] == "452311"]["EMP"].sum()
    assert unc.loc["452311", "value"] == exp
    assert unc.loc["452311", "share"] == pytest.approx(exp / cbp6["EMP"].sum())
    reg = cm.regions()
    np.testing.assert_allclose(reg["value_uncovered"].sum(), unc["value"].sum())
    # the uncovered employment stays in the denominator of shares
    totals = cbp6.groupby("cbsa_code")["EMP"].sum()
    np.testing.assert_array_equal(
        reg.set_index("cbsa_code")["value_total"], totals.loc[reg["cbsa_code"]]
    )


def toy(time: bool = False) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "geo": ["A", "A", "A", "B", "B", "C", "C", "EU", "EU", "EU"],
            "code": ["1", "2", "3", "1", "2", "1", "3", "1", "2", "3"],
            "emp": [10.0, 20, 30, 5, 5, 8, 2, 100, 100, 100],
            "est": [1.0, 2, 3, 1, 1, 2, 1, 10, 10, 10],
        }
    )
    if time:
        later = df.assign(emp=df["emp"] * 2)
        df = pd.concat([df.assign(year=2010), later.assign(year=2015)], ignore_index=True)
    return df


def toy_def() -> ClusterDefinition:
    return ClusterDefinition.from_frame(
        pd.DataFrame(
            {"a": ["1", "2", "3"], "c": ["X", "X", "Y"], "t": ["traded", "traded", "local"]}
        ),
        activity="a",
        cluster="c",
        cluster_type="t",
    )


def test_named_reference_row_is_left_out() -> None:
    cm = map_clusters(toy(), toy_def(), region="geo", activity="code", value="emp", reference="EU")
    t = cm.tidy().set_index(["geo", "cluster"])
    assert "EU" not in set(cm.region_labels)
    # A: X share 30/60, EU X share 200/300
    assert t.loc[("A", "X"), "lq"] == pytest.approx((30 / 60) / (200 / 300))
    assert t.loc[("C", "Y"), "lq"] == pytest.approx((2 / 10) / (100 / 300))
    per_country = map_clusters(
        toy(),
        toy_def(),
        region="geo",
        activity="code",
        value="emp",
        reference={"A": "EU", "B": "EU", "C": "EU"},
    )
    np.testing.assert_allclose(per_country.lq, cm.lq)
    summed = map_clusters(
        toy(), toy_def(), region="geo", activity="code", value="emp", reference=["A", "B"]
    )
    assert summed.tidy().set_index(["geo", "cluster"]).loc[("C", "X"), "lq"] == pytest.approx(
        (8 / 10) / (40 / 70)
    )


def test_parent_and_external_references() -> None:
    kw = {"region": "geo", "activity": "code", "value": "emp"}
    regions = toy()[toy()["geo"] != "EU"]
    cm = map_clusters(regions, toy_def(), **kw, hierarchy={"A": "P", "B": "P", "C": "Q"})
    t = cm.tidy().set_index(["geo", "cluster"])
    # P = A + B: X (codes 1, 2) 40 of 70; C is Q alone
    assert t.loc[("A", "X"), "lq"] == pytest.approx((30 / 60) / (40 / 70))
    np.testing.assert_allclose(t.loc["C", "lq"], 1.0)
    assert cm.reference == "each region's parent (2 areas, parent)"
    # the EU rows given as an external table = the EU row as reference
    eu = toy()[toy()["geo"] == "EU"][["code", "emp"]]
    ext = map_clusters(regions, toy_def(), **kw, reference_table=eu)
    row = map_clusters(toy(), toy_def(), **kw, reference="EU")
    np.testing.assert_allclose(ext.lq, row.lq, rtol=1e-14)
    with pytest.raises(ConventionError, match="reference='parent' needs hierarchy="):
        map_clusters(regions, toy_def(), **kw, reference="parent")


def test_growth_between_years() -> None:
    df = toy(time=True)
    df.loc[(df["year"] == 2015) & (df["geo"] == "B"), "emp"] = [0.0, 5.0]
    cm = map_clusters(df, toy_def(), region="geo", activity="code", value="emp", time="year")
    g = cm.growth(2010, 2015).set_index(["geo", "cluster"])
    a = g.loc[("A", "X")]
    assert (a["value_start"], a["value_end"], a["change"]) == (30, 60, 30)
    assert a["growth"] == pytest.approx(2 ** (1 / 5) - 1)
    assert g.loc[("B", "Y"), "value_start"] == 0
    assert np.isnan(g.loc[("B", "Y"), "growth"])  # undefined from 0
    lq_b = g.loc[("B", "X")]
    assert lq_b["lq_change"] == pytest.approx(lq_b["lq_end"] - lq_b["lq_start"])
    with pytest.raises(
        InputError, match=r"period 2011 is not in column 'year'; periods: 2010, 2015"
    ):
        cm.growth(2010, 2011)
    with pytest.raises(InputError, match="years must be a number > 0"):
        cm.growth(2015, 2010)


def test_uncovered_code_in_one_year_only() -> None:
    df = toy(time=True)
    df.loc[(df["year"] == 2015) & (df["code"] == "3"), "code"] = "4"  # unknown, 2015 only
    # code 4 in 2015: A 60 + C 4 + EU 200 = 264 of 760 jobs
    with pytest.warns(DataQualityWarning, match=r"up to 34.74% of the total in a period"):
        cm = map_clusters(df, toy_def(), region="geo", activity="code", value="emp", time="year")
    u = cm.uncovered
    assert u["year"].tolist() == [2015] and u["code"].tolist() == ["4"]
    total_2015 = df.loc[df["year"] == 2015, "emp"].sum()
    assert u["share"].iloc[0] == pytest.approx(u["value"].iloc[0] / total_2015)
    relabelled = df.assign(year=df["year"].map({2010: "a", 2015: "b"}))
    with pytest.warns(DataQualityWarning):
        cm2 = map_clusters(
            relabelled, toy_def(), region="geo", activity="code", value="emp", time="year"
        )
    with pytest.raises(InputError, match="periods 'a' and 'b' are not numbers; pass years="):
        cm2.growth("a", "b")
    assert cm2.growth("a", "b", years=5)["growth"].notna().any()


def test_region_absent_from_a_year_is_missing_not_zero() -> None:
    df = toy(time=True)
    df = df[~((df["year"] == 2015) & (df["geo"] == "C"))]
    cm = map_clusters(df, toy_def(), region="geo", activity="code", value="emp", time="year")
    assert set(cm.tidy().query("year == 2015")["geo"]) == {"A", "B", "EU"}
    g = cm.growth(2010, 2015).set_index(["geo", "cluster"])
    assert g.loc[("C", "X"), "value_start"] == 8
    assert np.isnan(g.loc[("C", "X"), "value_end"])


def test_errors() -> None:
    d = toy_def()
    with pytest.raises(InputError, match="definition must be a ClusterDefinition"):
        map_clusters(toy(), pd.DataFrame(), region="geo", activity="code", value="emp")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"reference='EU28' is not a label of column 'geo'"):
        map_clusters(toy(), d, region="geo", activity="code", value="emp", reference="EU28")
    with pytest.raises(InputError, match=r"no column 'jobs' \(given as value=\)"):
        map_clusters(toy(), d, region="geo", activity="code", value="jobs")
    numeric = toy().assign(code=lambda x: x["code"].astype(int))
    with pytest.raises(InputError, match=r"none of the 3 activity codes in column 'code' is in"):
        map_clusters(numeric, d, region="geo", activity="code", value="emp")
    untyped = ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["1"], "c": ["X"]}), activity="a", cluster="c"
    )
    with pytest.raises(ConventionError, match="traded_only_lq=True needs a cluster_type"):
        map_clusters(
            toy(), untyped, region="geo", activity="code", value="emp", traded_only_lq=True
        )
    with pytest.raises(ConventionError, match="level must be one of 'cluster', 'subcluster'"):
        map_clusters(toy(), d, region="geo", activity="code", value="emp", level="group")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="reference mapping does not say which reference"):
        map_clusters(toy(), d, region="geo", activity="code", value="emp", reference={"A": "EU"})
    missing = toy().astype({"emp": float})
    missing.loc[0, "emp"] = np.nan
    with pytest.raises(InputError, match="missing is not zero"):
        map_clusters(missing, d, region="geo", activity="code", value="emp")
    cm = map_clusters(missing, d, region="geo", activity="code", value="emp", missing="drop")
    assert cm.missing["employment"].dropped == 1


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(0.5, 1e4), min_size=9, max_size=9), st.floats(0.1, 100))
def test_lq_scale_invariance_and_weighted_mean(values: list[float], scale: float) -> None:
    df = pd.DataFrame({"geo": list("AAABBBCCC"), "code": ["1", "2", "3"] * 3, "emp": values})
    d = toy_def()
    a = map_clusters(df, d, region="geo", activity="code", value="emp")
    b = map_clusters(
        df.assign(emp=df["emp"] * scale), d, region="geo", activity="code", value="emp"
    )
    np.testing.assert_allclose(a.lq, b.lq, rtol=1e-9)
    w = a.region_total[0][:, None]
    np.testing.assert_allclose((a.lq[0] * w).sum(axis=0) / w.sum(), 1.0, rtol=1e-9)
    np.testing.assert_allclose(a.employment_share[0].sum(axis=1), 1.0, rtol=1e-9)
