"""European cluster categories: the US benchmark clusters carried to NACE Rev. 2.

Hand checks go back to the published files in ../shared/data: the US Census
NAICS 2012 -> ISIC Rev. 4 concordance, the US Cluster Mapping crosswalk and
County Business Patterns 2019.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.clusters.definitions import ClusterDefinition
from ris3.clusters.eu_definitions import (
    SBS_DIVISIONS,
    cluster_coverage,
    division_purity,
    eu_benchmark_clusters,
)
from ris3.errors import ClassificationError, ConventionError, InputError

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "src" / "ris3" / "data" / "hierarchies" / "eu_clusters"
CBP = "us_cbp2019_cbsa_naics/cbp2019_cbsa_naics_emp.csv.gz"
CROSSWALK = "us_cluster_definitions/naics2012_to_cluster.csv"


@pytest.fixture(scope="module")
def cbp(shared_data) -> pd.Series:
    raw = pd.read_csv(shared_data / CBP, dtype={"naics_code": str, "cbsa_code": str})
    return raw.loc[raw["naics_level"] == 6].groupby("naics_code")["EMP"].sum()


@pytest.fixture(scope="module")
def classes() -> ClusterDefinition:
    return eu_benchmark_clusters("isic_class")


def test_weights_of_every_code_sum_to_one(classes) -> None:
    for d in (eu_benchmark_clusters(), classes):
        m = d.mapping
        assert d.weighted
        assert ((m["weight"] > 0) & (m["weight"] <= 1)).all()
        sums = m.groupby("activity")["weight"].sum()
        np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-9)
        assert not m.duplicated(["activity", "cluster"]).any()
    divisions = eu_benchmark_clusters().mapping
    # 51 traded + 16 local clusters of the US definitions; every SBS division is covered
    assert divisions.groupby("cluster_type")["cluster"].nunique().to_dict() == {
        "local": 16,
        "traded": 51,
    }
    assert set(SBS_DIVISIONS) <= set(divisions["activity"])
    assert divisions.loc[divisions["in_sbs"], "activity"].nunique() == len(SBS_DIVISIONS) == 68


def test_class_in_one_cluster_by_hand(classes, shared_data) -> None:
    """ISIC 5510 (short-term accommodation; NACE 55.10 and 55.20): hotels, motels, B&Bs,
    RV parks... all in Hospitality and Tourism in the US crosswalk."""
    m = classes.mapping
    row = m[m["activity"] == "5510"]
    assert row[["cluster", "weight"]].values.tolist() == [["Hospitality and Tourism", 1.0]]
    cw = pd.read_csv(shared_data / CROSSWALK, dtype={"NAICS": str})
    for naics in ("721110", "721191", "721211"):
        assert cw.loc[cw.NAICS == naics, "Cluster"].item() == "Hospitality and Tourism"
    # the division too: I55 is wholly Hospitality and Tourism
    d = eu_benchmark_clusters().mapping
    assert d.loc[d.activity == "I55", ["cluster", "weight"]].values.tolist() == [
        ["Hospitality and Tourism", 1.0]
    ]


def test_class_split_between_two_clusters_by_hand(classes, cbp, shared_data) -> None:
    """ISIC 3811 (collection of non-hazardous waste; NACE 38.11) receives NAICS 562111
    (solid waste collection: Local Logistical Services) and 562119 (other waste
    collection: Environmental Services), each wholly; weights are their CBP 2019
    employment shares."""
    cw = pd.read_csv(shared_data / CROSSWALK, dtype={"NAICS": str}).set_index("NAICS")
    assert cw.loc["562111", "Cluster"] == "Local Logistical Services"
    assert cw.loc["562119", "Cluster"] == "Environmental Services"
    e1, e2 = float(cbp["562111"]), float(cbp["562119"])
    assert (e1, e2) == (195906.0, 5384.0)  # summed over the 933 CBSAs
    m = classes.mapping.set_index(["activity", "cluster"])
    assert m.loc[("3811", "Local Logistical Services"), "weight"] == pytest.approx(
        e1 / (e1 + e2), rel=1e-10
    )
    assert m.loc[("3811", "Environmental Services"), "weight"] == pytest.approx(
        5384 / 201290, rel=1e-10
    )
    assert len(m.loc["3811"]) == 2


def test_codes_the_concordance_leaves_out(classes) -> None:
    """Private households (ISIC 9700, NACE T97) and foreign affairs, defence and
    social security (ISIC 8421, 8422, 8430) receive only NAICS industries without a
    cluster (814110; 92xxxx public administration): no definition row."""
    links = pd.read_csv(BUNDLED / "naics_isic_links.csv", dtype={"naics": str, "isic": str})
    for code in ("9700", "8421", "8422", "8430"):
        assert code not in set(classes.mapping["activity"])
        assert links.loc[links.isic == code, "cluster"].isna().all()
    assert links.loc[links.isic == "9700", "naics"].tolist() == ["814110"]
    assert "T97" not in set(eu_benchmark_clusters().mapping["activity"])
    # a code with clustered and unclustered industries keeps the count of the latter
    o84 = eu_benchmark_clusters().mapping.query("activity == 'O84'")
    assert (o84["n_naics_unclustered"] == 29).all()


def test_division_weights_aggregate_class_links(classes) -> None:
    """A division's weights come from the same links as its classes: the US employment
    of a division x cluster is the sum over the division's classes."""
    div = eu_benchmark_clusters().mapping
    cls = classes.mapping.assign(division=classes.mapping["activity"].str[:2])
    by_class = cls.groupby(["division", "cluster"])["us_employment"].sum()
    by_div = div.assign(division=div["activity"].str[1:]).set_index(["division", "cluster"])
    joined = by_div["us_employment"].to_frame("div").join(by_class.rename("cls"), how="outer")
    np.testing.assert_allclose(joined["div"].fillna(0), joined["cls"].fillna(0), rtol=1e-9)


def test_purity_and_sbs_coverage() -> None:
    p = division_purity().set_index("activity")
    assert p.loc["I55", "purity"] == 1.0 and p.loc["I55", "n_clusters"] == 1
    assert p.loc["C29", "main_cluster"] == "Automotive"
    assert 0.3 < p.loc["C29", "purity"] < 0.5  # parts and bodies go to other clusters
    assert p.loc["J62", "main_cluster"] == "Business Services"
    assert bool(p.loc["S95", "in_sbs"]) and not bool(p.loc["Q86", "in_sbs"])
    c = cluster_coverage().set_index("cluster")
    invisible = c.index[c["employment_covered_share"] == 0].tolist()
    assert invisible == [
        "Insurance Services",
        "Local Community and Civic Organizations",
        "Local Education and Training",
    ]
    assert c.loc["Automotive", "employment_covered_share"] == 1.0
    assert c.loc["Local Health Services", "employment_covered_share"] < 0.05
    assert 0.6 < c.loc["Hospitality and Tourism", "employment_covered_share"] < 0.8


def test_weighted_definition_validation() -> None:
    df = pd.DataFrame({"a": ["1", "1", "2"], "c": ["X", "Y", "Y"], "w": [0.5, 0.5, 1.0]})
    d = ClusterDefinition.from_frame(df, activity="a", cluster="c", weight="w")
    main = d.cluster_of(["1", "2", "3"])  # a tie goes to the first cluster in order
    assert main.iloc[:2].tolist() == ["X", "Y"] and pd.isna(main.iloc[2])
    assert repr(d) == "ClusterDefinition('cluster definition': 2 activities, 2 clusters, weighted)"
    with pytest.raises(
        ClassificationError, match=r"weights of an activity must sum to 1; 1 do not \('1': 0.9\)"
    ):
        ClusterDefinition.from_frame(
            df.assign(w=[0.5, 0.4, 1.0]), activity="a", cluster="c", weight="w"
        )
    with pytest.raises(
        InputError, match=r"column 'weight' must hold numbers in \(0, 1\]; 1 do not, e.g. row 1"
    ):
        ClusterDefinition.from_frame(
            df.assign(w=[1.0, 0.0, 1.0]), activity="a", cluster="c", weight="w"
        )
    with pytest.raises(
        ClassificationError,
        match=r"1 activity-cluster pair\(s\) appear more than once: \"'1' -> 'X'\"",
    ):
        ClusterDefinition.from_frame(
            df.assign(c=["X", "X", "Y"]), activity="a", cluster="c", weight="w"
        )
    with pytest.raises(ConventionError, match=r"level must be one of 'division', 'isic_class'"):
        eu_benchmark_clusters("class")  # type: ignore[arg-type]


def test_public_name() -> None:
    assert ris3.eu_benchmark_clusters is eu_benchmark_clusters


@pytest.mark.slow
def test_build_script_reproduces_bundled_files(tmp_path, shared_data) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_eu_clusters.py"),
         "--data", str(shared_data), "--out", str(tmp_path)],
        check=True, capture_output=True,
    )  # fmt: skip
    names = ["README.md", "isic4_classes.csv", "nace2_divisions.csv", "naics_isic_links.csv"]
    match, mismatch, errors = filecmp.cmpfiles(BUNDLED, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert sorted(match) == names
