"""Weighted cluster mapping and stars of European regions by cluster category.

The external check compares co-location across continents: the relatedness of
the European categories computed from Eurostat SBS employment across NUTS-2
regions, against the US Cluster Mapping Project's published co-location
relatedness ``cr_lc`` of the same cluster pairs (US metropolitan areas; the
file is used here only, never bundled).

Measured on eu-sbs 2014 (50 traded categories visible in SBS; 2,450 ordered
pairs), cluster employment correlation across 288 NUTS-2 regions against
``cr_lc``: Pearson 0.584, Spearman 0.552. The overlap of the definitions alone
(cosine of the categories' US employment over divisions, i.e. how much two
categories share divisions) gives only 0.100 / 0.191, so the agreement is not
an artefact of shared divisions. The same measure on US County Business
Patterns (6-digit industries) reaches 0.895 (tests/test_colocation_uscmp.py):
the European categories are built from whole divisions, which blurs them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import ris3
from ris3.clusters.colocation import colocation_relatedness
from ris3.clusters.definitions import ClusterDefinition
from ris3.clusters.eu_definitions import eu_benchmark_clusters
from ris3.clusters.mapping import map_clusters
from ris3.clusters.stars import cluster_stars, eu_cluster_stars, strong_clusters

PUBLISHED = "us_cluster_definitions/uscmp_related_clusters_pairs.csv.gz"
KW = {"region": "geo", "activity": "nace_r2", "value": "persons_employed", "time": "year"}


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    return ris3.datasets.load("eu-sbs", "regions")


@pytest.fixture(scope="module")
def stars() -> pd.DataFrame:
    return eu_cluster_stars()


def _map(data: pd.DataFrame, definition: ClusterDefinition, **kw: object):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return map_clusters(data, definition, missing="drop", **{**KW, **kw})


def test_weighted_mapping_splits_employment_by_hand(sbs) -> None:
    """AT33 Tirol 2014: a category's employment is the sum over divisions of the
    division's persons employed times the division's weight in the category."""
    d = eu_benchmark_clusters()
    cm = _map(sbs, d, establishments="local_units")
    t = cm.tidy().set_index(["year", "geo", "cluster"])
    rows = sbs[(sbs.geo == "AT33") & (sbs.year == 2014) & sbs.persons_employed.notna()]
    m = d.mapping
    for cluster in ("Hospitality and Tourism", "Automotive", "Business Services"):
        w = m[m.cluster == cluster].set_index("activity")["weight"]
        by_hand = (rows.set_index("nace_r2")["persons_employed"] * w).dropna().sum()
        assert t.loc[(2014, "AT33", cluster), "value"] == pytest.approx(by_hand, rel=1e-12)
        units = sbs[(sbs.geo == "AT33") & (sbs.year == 2014)].set_index("nace_r2")
        u = units["local_units"] * w  # local units are known in some cells without employment
        assert t.loc[(2014, "AT33", cluster), "establishments"] == pytest.approx(
            u.dropna().sum(), rel=1e-12
        )
    # I55 (accommodation) lies wholly in Hospitality and Tourism
    i55 = rows.loc[rows.nace_r2 == "I55", "persons_employed"].item()
    assert t.loc[(2014, "AT33", "Hospitality and Tourism"), "value"] >= i55
    # weights sum to 1, so nothing is lost or double counted: covered = total
    reg = cm.regions().set_index(["year", "geo"]).loc[(2014, "AT33")]
    assert reg["value_covered"] == pytest.approx(rows["persons_employed"].sum(), rel=1e-12)
    assert reg["value_uncovered"] == pytest.approx(0.0, abs=1e-6)
    assert cm.unseen_clusters == [
        "Insurance Services",
        "Local Community and Civic Organizations",
        "Local Education and Training",
    ]
    assert "3 cluster(s) with no activity in the data" in cm.summary()
    cov = cm.coverage.set_index("cluster")["covered_share"]
    assert cov["Automotive"] == 1.0 and 0 < cov["Local Health Services"] < 0.2


def test_unit_weights_equal_unweighted_definition(sbs) -> None:
    """A weighted definition with every weight 1 gives exactly the unweighted map."""
    acts = pd.DataFrame({"a": sorted(sbs.nace_r2.unique())})
    acts["c"] = acts["a"].str[0]
    plain = ClusterDefinition.from_frame(acts, activity="a", cluster="c")
    weighted = ClusterDefinition.from_frame(
        acts.assign(w=1.0), activity="a", cluster="c", weight="w"
    )
    sub = sbs[sbs.year >= 2013]
    a = _map(sub, plain, establishments="local_units").tidy()
    b = _map(sub, weighted, establishments="local_units").tidy()
    pd.testing.assert_frame_equal(a, b)


def test_split_activity_toy_example() -> None:
    df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "code": ["1", "2", "1", "2"],
                       "emp": [100.0, 50.0, 20.0, 80.0]})  # fmt: skip
    d = ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["1", "1", "2"], "c": ["X", "Y", "Y"], "w": [0.25, 0.75, 1.0]}),
        activity="a", cluster="c", weight="w",
    )  # fmt: skip
    t = map_clusters(df, d, region="geo", activity="code", value="emp").tidy()
    assert t["value"].tolist() == [25.0, 125.0, 5.0, 95.0]
    # LQ of X in A: (25 / 150) / (30 / 250)
    assert t["lq"].iloc[0] == pytest.approx((25 / 150) / (30 / 250))


def test_tirol_top_categories_are_tourism(stars) -> None:
    at = stars[(stars.geo == "AT33") & (stars.year == 2014)]
    top = at.sort_values(["stars", "lq"], ascending=False, kind="stable")
    assert top["cluster"].iloc[0] == "Hospitality and Tourism"
    first = top.iloc[0]
    assert (first["stars"], bool(first["strong"]), first["incomplete_share"]) == (3, True, 0.0)
    # extra-regio units (..ZZ) are not regions and are not in the reference
    assert first["lq"] == pytest.approx(5.9190, abs=1e-3)
    assert top["cluster"].iloc[1:5].tolist() == [
        "Vulcanized and Fired Materials",
        "Nonmetal Mining",
        "Forestry",
        "Wood Products",
    ]
    # Forestry is rated on the quarter of it that business statistics see (wood processing)
    vis = at.set_index("cluster")["visible_share"]
    assert vis["Forestry"] == pytest.approx(0.2459, abs=1e-4)
    assert vis["Hospitality and Tourism"] == pytest.approx(0.7023, abs=1e-4)
    assert vis["Wood Products"] == 1.0
    # the division view agrees: I55 accommodation is Tirol's most specialised division
    sbs = ris3.datasets.load("eu-sbs", "regions")
    rows = sbs[sbs.year == 2014]
    lq = ris3.location_quotient(rows, region="geo", activity="nace_r2", value="persons_employed",
                                missing="drop")  # fmt: skip
    lq = lq[lq.geo == "AT33"].sort_values("lq", ascending=False)
    assert lq["nace_r2"].iloc[0] == "I55"


def test_stars_equal_cluster_stars_on_the_map(sbs, stars) -> None:
    cm = _map(sbs, eu_benchmark_clusters(), establishments="local_units")
    direct = cluster_stars(cm)
    pd.testing.assert_frame_equal(stars[direct.columns], direct)
    # strong clusters: US convention, LQ on traded employment
    traded = _map(sbs, eu_benchmark_clusters(), establishments="local_units", traded_only_lq=True)
    flags = strong_clusters(traded)
    merged = stars.merge(flags[["year", "geo", "cluster", "strong"]], on=["year", "geo", "cluster"])
    assert len(merged) == len(flags) > 0
    assert (merged["strong_x"].astype(bool) == merged["strong_y"]).all()
    local = stars[stars.cluster_type == "local"]
    assert local["strong"].isna().all()
    assert stars.loc[stars.cluster_type == "traded", "strong"].notna().all()


def test_incomplete_share_by_hand(sbs, stars) -> None:
    """Share of a category's US employment lying on the region's missing cells."""
    d = eu_benchmark_clusters().mapping
    row = stars[(stars.incomplete_share > 0) & (stars.incomplete_share < 1)].iloc[0]
    cells = sbs[(sbs.geo == row.geo) & (sbs.year == row.year)].set_index("nace_r2")
    missing = set(cells.index[cells.persons_employed.isna()]) | (
        set(sbs.nace_r2.unique()) - set(cells.index)
    )
    mine = d[(d.cluster == row.cluster) & d.activity.isin(sbs.nace_r2.unique())]
    share = mine.loc[mine.activity.isin(missing), "us_employment"].sum() / mine.us_employment.sum()
    assert row.incomplete_share == pytest.approx(share, rel=1e-12)
    complete = stars[stars.incomplete_share == 0]
    assert len(complete) > len(stars) / 2


def test_colocation_of_eu_categories_matches_us_published(sbs, shared_data) -> None:
    ref = pd.read_csv(shared_data / PUBLISHED)
    ref = ref.loc[ref.clustera != ref.clusterb, ["cluster_name", "cluster_name_2", "cr_lc"]]
    d = eu_benchmark_clusters()
    data = sbs[(sbs.year == 2014) & ~sbs.geo.str.endswith("ZZ")]
    cm = _map(data.drop(columns="year"), d, time=None)
    assert cm.unseen_clusters[0] == "Insurance Services"  # traded, but outside SBS
    tidy = cm.tidy()
    tidy = tidy[(tidy.cluster_type == "traded") & ~tidy.cluster.isin(cm.unseen_clusters)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = colocation_relatedness(tidy, region="geo", activity="cluster", value="value")
    assert tidy["geo"].nunique() == 288  # NUTS-2 regions with data in 2014
    joined = ref.merge(
        ours, left_on=["cluster_name", "cluster_name_2"], right_on=["activity_from", "activity_to"]
    )
    assert len(joined) == 50 * 49  # Insurance Services is invisible in SBS
    pearson = stats.pearsonr(joined["proximity"], joined["cr_lc"])[0]
    spearman = stats.spearmanr(joined["proximity"], joined["cr_lc"])[0]
    assert pearson > 0.56  # measured 0.584
    assert spearman > 0.53  # measured 0.552
    # baseline: how much two categories share divisions explains far less
    m = d.mapping[d.mapping.cluster_type == "traded"]
    w = m.pivot_table(index="activity", columns="cluster", values="us_employment", fill_value=0)
    w = w / np.linalg.norm(w.to_numpy(), axis=0)
    sim = w.T @ w
    overlap = pd.DataFrame(
        {
            "cluster_name": np.repeat(sim.index.to_numpy(), sim.shape[1]),
            "cluster_name_2": np.tile(sim.columns.to_numpy(), sim.shape[0]),
            "overlap": sim.to_numpy().ravel(),
        }
    )
    base = ref.merge(overlap, on=["cluster_name", "cluster_name_2"])
    base_r = stats.pearsonr(base["overlap"], base["cr_lc"])[0]
    assert base_r < 0.15  # measured 0.100
    assert pearson > base_r + 0.4


def test_one_year_without_establishments(sbs, stars) -> None:
    """One period (no time column) gives the 2014 ratings of the panel; without
    establishments there is no strong-cluster flag (missing, not False)."""
    cur = sbs[sbs.year == 2014].drop(columns="year")
    one = eu_cluster_stars(cur, time=None, establishments=None)
    assert one["strong"].isna().all()
    panel = stars[stars.year == 2014].drop(columns="year").reset_index(drop=True)
    cols = ["geo", "cluster", "value", "lq", "stars", "visible_share", "incomplete_share"]
    pd.testing.assert_frame_equal(one[cols], panel[cols])
