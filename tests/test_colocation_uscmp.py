"""Co-location relatedness and its aggregation to clusters.

Checked against the published world: on US County Business Patterns 2019
(6-digit NAICS employment by metropolitan/micropolitan area) mapped to the
51 US benchmark traded clusters, ris3's co-location relatedness is
correlated with the US Cluster Mapping Project's published co-location
relatedness ``cr_lc`` (``uscmp_related_clusters_pairs.csv.gz``, used here
only, never bundled).

Measured (2,550 ordered pairs of distinct traded clusters; README,
"Knowledge linkages"):

=====================================================  =======  ========
measure                                                Pearson  Spearman
=====================================================  =======  ========
industry employment correlation, mean over pairs        0.957    0.966
cluster employment correlation (cluster x CBSA table)   0.895    0.894
cluster employment cosine                               0.891    0.889
cluster Hidalgo proximity (LQ >= 1)                     0.411    0.473
cluster LQ correlation, (1 + r) / 2                     0.205    0.210
=====================================================  =======  ========

Within-cluster values (the mean over a cluster's own industry pairs; 49
clusters with two or more industries) against the published diagonal of
``cr_lc``: Pearson 0.817.

County Business Patterns publish EMP = 0 for some suppressed cells; they
count as 0 here (as published), which is one reason the match is not 1.
NAICS-2017 (CBP) and NAICS-2012 (crosswalk) codes differ for a few
industries: 20 of the 680 traded codes of the crosswalk have no CBP row (12
vendor codes such as government splits and 3-digit aggregates, and 8
NAICS-2012 codes merged in NAICS 2017, e.g. 212222, 322122).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ris3.clusters.colocation import aggregate_relatedness, colocation_relatedness
from ris3.clusters.definitions import us_benchmark_clusters
from ris3.errors import ClassificationError, ConventionError, DegenerateDataWarning, InputError

CBP = "us_cbp2019_cbsa_naics/cbp2019_cbsa_naics_emp.csv.gz"
CROSSWALK = "us_cluster_definitions/naics2012_to_cluster.csv"
PUBLISHED = "us_cluster_definitions/uscmp_related_clusters_pairs.csv.gz"


@pytest.fixture(scope="module")
def traded(shared_data):
    definition = us_benchmark_clusters(shared_data / CROSSWALK)
    mapping = definition.mapping
    mapping = mapping.loc[mapping["cluster_type"] == "traded", ["activity", "cluster"]]
    cbp = pd.read_csv(shared_data / CBP, dtype={"naics_code": str, "cbsa_code": str})
    cbp = cbp.loc[(cbp["naics_level"] == 6) & cbp["naics_code"].isin(mapping["activity"])]
    return cbp, mapping


@pytest.fixture(scope="module")
def published(shared_data) -> pd.DataFrame:
    ref = pd.read_csv(shared_data / PUBLISHED)
    ref = ref.loc[ref["clustera"] != ref["clusterb"], ["cluster_name", "cluster_name_2", "cr_lc"]]
    assert len(ref) == 51 * 50
    return ref


def _compare(ours: pd.DataFrame, published: pd.DataFrame, value: str) -> tuple[float, float]:
    joined = published.merge(
        ours,
        left_on=["cluster_name", "cluster_name_2"],
        right_on=["cluster_from", "cluster_to"]
        if "cluster_from" in ours
        else ["activity_from", "activity_to"],
        how="left",
    )
    assert joined[value].notna().all(), "every published pair must be computed"
    pearson = stats.pearsonr(joined[value], joined["cr_lc"])[0]
    spearman = stats.spearmanr(joined[value], joined["cr_lc"])[0]
    return float(pearson), float(spearman)


def test_mean_industry_colocation_matches_uscmp(traded, published, shared_data) -> None:
    cbp, mapping = traded
    assert len(mapping) == 680
    assert cbp["naics_code"].nunique() == 680 - 20  # codes missing from NAICS-2017 CBP
    industry = colocation_relatedness(cbp, region="cbsa_code", activity="naics_code", value="EMP")
    assert industry["proximity"].notna().all()
    clusters = aggregate_relatedness(industry, mapping, "mean", within=False)
    assert len(clusters) == 51 * 50
    pearson, spearman = _compare(clusters, published, "relatedness")
    # measured 0.957 and 0.966
    assert pearson > 0.93
    assert spearman > 0.94
    # within-cluster rows: the cohesion of each cluster's own industries
    within = aggregate_relatedness(industry, mapping, "mean")
    within = within.loc[within.cluster_from == within.cluster_to]
    ref = pd.read_csv(shared_data / PUBLISHED)
    ref = ref.loc[ref.clustera == ref.clusterb, ["cluster_name", "cr_lc"]]
    joined = ref.merge(within, left_on="cluster_name", right_on="cluster_from")
    assert len(joined) == 49  # two clusters have a single industry in CBP 2019
    assert stats.pearsonr(joined["relatedness"], joined["cr_lc"])[0] > 0.75  # measured 0.817


@pytest.mark.parametrize(
    ("method", "floor_pearson", "floor_spearman"),
    [
        ("value_correlation", 0.87, 0.87),  # measured 0.895 / 0.894
        ("value_cosine", 0.87, 0.87),  # measured 0.891 / 0.889
        ("hidalgo", 0.35, 0.42),  # measured 0.411 / 0.473
    ],
)
def test_cluster_by_region_colocation_matches_uscmp(
    traded, published, method, floor_pearson, floor_spearman
) -> None:
    cbp, mapping = traded
    table = cbp.merge(mapping, left_on="naics_code", right_on="activity")
    by_cluster = table.groupby(["cbsa_code", "cluster"], as_index=False)["EMP"].sum()
    out = colocation_relatedness(
        by_cluster, region="cbsa_code", activity="cluster", value="EMP", method=method
    )
    pearson, spearman = _compare(out, published, "proximity")
    assert pearson > floor_pearson
    assert spearman > floor_spearman


# --- hand-worked and independent checks ----------------------------------------------


def test_value_methods_against_numpy() -> None:
    rng = np.random.default_rng(5)
    x = rng.gamma(1.0, 10.0, size=(30, 6)) * (rng.random((30, 6)) < 0.7)
    frame = pd.DataFrame(
        {
            "region": np.repeat([f"r{i:02d}" for i in range(30)], 6),
            "activity": np.tile(list("abcdef"), 30),
            "emp": x.ravel(),
        }
    )
    corr = colocation_relatedness(frame, region="region", activity="activity", value="emp")
    cos = colocation_relatedness(
        frame, region="region", activity="activity", value="emp", method="value_cosine"
    )
    ref_corr = np.corrcoef(x.T)
    unit = x / np.linalg.norm(x, axis=0)
    ref_cos = unit.T @ unit
    i, j = np.divmod(np.arange(36), 6)
    keep = i != j
    np.testing.assert_allclose(corr["proximity"], ref_corr[i[keep], j[keep]], rtol=1e-10)
    np.testing.assert_allclose(cos["proximity"], ref_cos[i[keep], j[keep]], rtol=1e-10)
    # scaling one activity (e.g. counting in thousands) changes neither
    scaled = frame.assign(emp=np.where(frame.activity == "a", frame.emp * 1000, frame.emp))
    again = colocation_relatedness(scaled, region="region", activity="activity", value="emp")
    np.testing.assert_allclose(again["proximity"], corr["proximity"], rtol=1e-9)


def test_presence_methods_delegate_to_proximity() -> None:
    from ris3.measures.relatedness import proximity

    frame = pd.DataFrame(
        {
            "region": ["r1", "r1", "r2", "r2", "r3", "r3", "r3"],
            "activity": ["a", "b", "a", "c", "b", "c", "a"],
            "emp": [10, 5, 8, 2, 1, 9, 1],
        }
    )
    kw = {"region": "region", "activity": "activity", "value": "emp"}
    pd.testing.assert_frame_equal(
        colocation_relatedness(frame, method="jaccard", **kw),
        proximity(frame, proximity_method="jaccard", **kw),
    )


def test_colocation_with_time_and_constant_activity() -> None:
    frame = pd.DataFrame(
        {
            "year": [2020] * 6 + [2021] * 6,
            "region": ["r1", "r1", "r2", "r2", "r3", "r3"] * 2,
            "activity": ["a", "b"] * 6,
            "emp": [1, 2, 2, 4, 3, 7, 5, 1, 5, 2, 5, 3],
        }
    )
    with pytest.warns(DegenerateDataWarning, match=r"undefined \(NaN\) in year=2021 for 1 .*'a'"):
        out = colocation_relatedness(
            frame, region="region", activity="activity", value="emp", time="year"
        )
    assert list(out.columns) == ["year", "activity_from", "activity_to", "proximity"]
    first = np.corrcoef([1, 2, 3], [2, 4, 7])[0, 1]
    assert out.loc[out.year == 2020, "proximity"].tolist() == pytest.approx([first, first])
    assert out.loc[out.year == 2021, "proximity"].isna().all()


def test_aggregate_hand_worked() -> None:
    phi = pd.DataFrame(
        {
            "activity_from": ["a1", "a1", "a1", "a2", "a2", "b1", "b1", "a1"],
            "activity_to": ["a2", "b1", "b2", "b1", "b2", "b2", "a1", "a1"],
            "proximity": [0.9, 0.1, 0.3, 0.5, 0.2, 0.7, 0.1, 1.0],  # a1-a1 self pair: unused
        }
    )
    mapping = pd.DataFrame({"activity": ["a1", "a2", "b1", "b2"], "cluster": ["A", "A", "B", "B"]})
    mean = aggregate_relatedness(phi, mapping).set_index(["cluster_from", "cluster_to"])
    assert mean.loc[("A", "A"), "relatedness"] == pytest.approx(0.9)
    assert mean.loc[("A", "B"), "relatedness"] == pytest.approx((0.1 + 0.3 + 0.5 + 0.2) / 4)
    assert mean.loc[("A", "B"), "n_pairs"] == 4
    assert mean.loc[("B", "A"), "relatedness"] == pytest.approx(0.1)
    for how, expected in [("max", 0.5), ("min", 0.1), ("median", 0.25), ("sum", 1.1)]:
        got = aggregate_relatedness(phi, mapping, how).set_index(["cluster_from", "cluster_to"])
        assert got.loc[("A", "B"), "relatedness"] == pytest.approx(expected)
    # the same with a dict, a Series, and with a time column
    as_dict = aggregate_relatedness(phi, dict(zip(mapping.activity, mapping.cluster)))
    pd.testing.assert_frame_equal(as_dict, mean.reset_index())
    timed = pd.concat([phi.assign(t=1), phi.assign(t=2, proximity=phi.proximity * 2)])
    by_t = aggregate_relatedness(timed, mapping.set_index("activity")["cluster"], time="t")
    assert list(by_t.columns) == ["t", "cluster_from", "cluster_to", "relatedness", "n_pairs"]
    np.testing.assert_allclose(
        by_t.loc[by_t.t == 2, "relatedness"].to_numpy(),
        2 * by_t.loc[by_t.t == 1, "relatedness"].to_numpy(),
    )


def test_aggregate_skill_relatedness_columns() -> None:
    sr = pd.DataFrame(
        {
            "origin": [1, 2, 1, 3],
            "destination": [2, 1, 3, 1],
            "skill_relatedness": [0.2, 0.2, -0.4, -0.4],
        }
    )
    out = aggregate_relatedness(
        sr,
        {1: "x", 2: "y", 3: "y"},
        activity_from="origin",
        activity_to="destination",
        value="skill_relatedness",
    )
    assert out.to_dict("list") == {
        "cluster_from": ["x", "y"],
        "cluster_to": ["y", "x"],
        "relatedness": [pytest.approx(-0.1), pytest.approx(-0.1)],
        "n_pairs": [2, 2],
    }


def test_aggregate_errors() -> None:
    phi = pd.DataFrame(
        {"activity_from": ["a", "b"], "activity_to": ["b", "a"], "proximity": [0.5, 0.5]}
    )
    with pytest.raises(
        ClassificationError, match=r"1 activities of proximity_table are not in the mapping: 'b'"
    ):
        aggregate_relatedness(phi, {"a": "A"})
    dropped = aggregate_relatedness(phi, {"a": "A"}, unmapped="drop")
    assert dropped.empty and dropped.attrs["unmapped_activities"] == 1
    with pytest.raises(
        ConventionError,
        match=r"combine must be one of 'mean', 'median', 'max', 'min', 'sum'; got 'avg'",
    ):
        aggregate_relatedness(phi, {"a": "A", "b": "B"}, "avg")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"proximity_table has no column 'weight'"):
        aggregate_relatedness(phi, {"a": "A", "b": "B"}, value="weight")
    with pytest.raises(InputError, match=r"value column 'proximity' has 1 missing values"):
        aggregate_relatedness(phi.assign(proximity=[0.5, np.nan]), {"a": "A", "b": "B"})
    with pytest.raises(InputError, match=r"value column 'activity_to' must be numeric"):
        aggregate_relatedness(phi, {"a": "A", "b": "B"}, value="activity_to")
    with pytest.raises(
        InputError, match=r"must have columns 'activity' and 'cluster'; missing 'cluster'"
    ):
        aggregate_relatedness(phi, pd.DataFrame({"activity": ["a"], "group": ["A"]}))
    with pytest.raises(InputError, match=r"one cluster per activity; 'a' appear twice"):
        aggregate_relatedness(phi, pd.DataFrame({"activity": ["a", "a"], "cluster": ["A", "B"]}))
    with pytest.raises(
        InputError, match=r"definition_or_mapping must be a ClusterDefinition.*; got list"
    ):
        aggregate_relatedness(phi, ["A", "B"])
    with pytest.raises(InputError, match=r"proximity_table must be a pandas DataFrame; got str"):
        aggregate_relatedness("phi.csv", {"a": "A"})  # type: ignore[arg-type]


def test_colocation_errors() -> None:
    frame = pd.DataFrame({"region": ["r1", "r2"], "activity": ["a", "a"], "emp": [1.0, 2.0]})
    kw = {"region": "region", "activity": "activity", "value": "emp"}
    with pytest.raises(
        ConventionError,
        match=r"method must be one of 'value_correlation', 'value_cosine', 'hidalgo'",
    ):
        colocation_relatedness(frame, method="pearson", **kw)
    with pytest.raises(InputError, match=r"self_pairs must be True or False; got 'yes'"):
        colocation_relatedness(frame, self_pairs="yes", **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"correlation needs at least 2 regions; got 1"):
        colocation_relatedness(frame.iloc[:1], **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one = colocation_relatedness(frame, self_pairs=True, **kw)
    assert one.to_dict("list") == {"activity_from": ["a"], "activity_to": ["a"], "proximity": [1.0]}


def test_cluster_map_tidy_table_feeds_colocation(traded, shared_data) -> None:
    """ris3.map_clusters(...).tidy() is a cluster x region table ready for co-location."""
    from ris3.clusters.mapping import map_clusters

    cbp, mapping = traded
    all6 = pd.read_csv(shared_data / CBP, dtype={"naics_code": str, "cbsa_code": str})
    all6 = all6.loc[all6["naics_level"] == 6]
    definition = us_benchmark_clusters(shared_data / CROSSWALK)
    tidy = map_clusters(
        all6, definition, region="cbsa_code", activity="naics_code", value="EMP"
    ).tidy()
    tidy = tidy.loc[tidy["cluster_type"] == "traded"]
    via_map = colocation_relatedness(tidy, region="cbsa_code", activity="cluster", value="value")
    table = cbp.merge(mapping, left_on="naics_code", right_on="activity")
    by_hand = table.groupby(["cbsa_code", "cluster"], as_index=False)["EMP"].sum()
    direct = colocation_relatedness(by_hand, region="cbsa_code", activity="cluster", value="EMP")
    pd.testing.assert_frame_equal(via_map, direct, check_exact=False, rtol=1e-12)
