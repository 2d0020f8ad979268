"""Cluster stars (hand-made example) and strong clusters (CBP 2019 against numpy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.clusters.definitions import ClusterDefinition, us_benchmark_clusters
from ris3.clusters.mapping import map_clusters
from ris3.clusters.stars import cluster_stars, cluster_strength, strong_clusters, top_share_flags
from ris3.errors import ConventionError, InputError

# Ten regions, two clusters. X: A is the largest (100), B the most focused
# (half its jobs) and the only one with LQ >= 2; D has no X at all, so only
# nine regions compete in X and ceil(0.1 * 9) = 1 region earns each top-10 % star.
# Y: C is the largest, D the most focused (all its jobs), no region reaches LQ 2.
STAR_EMP = {
    "A": (100, 900),
    "B": (50, 50),
    "C": (10, 990),
    "D": (0, 100),
    "E": (5, 95),
    "F": (5, 95),
    "G": (5, 95),
    "H": (5, 95),
    "I": (5, 95),
    "J": (5, 95),
}


def star_map(time: bool = False):
    rows = [(r, code, float(v)) for r, xy in STAR_EMP.items() for code, v in zip("xy", xy)]
    df = pd.DataFrame(rows, columns=["geo", "code", "emp"])
    d = ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["x", "y"], "c": ["X", "Y"]}), activity="a", cluster="c"
    )
    return map_clusters(df, d, region="geo", activity="code", value="emp")


def stars_of(table: pd.DataFrame, cluster: str, col: str) -> set[str]:
    t = table[(table["cluster"] == cluster) & table[col]]
    return set(t["geo"])


def test_stars_hand_example() -> None:
    s = cluster_stars(star_map())
    assert stars_of(s, "X", "size_star") == {"A"}
    assert stars_of(s, "X", "focus_star") == {"B"}
    assert stars_of(s, "X", "specialisation_star") == {"B"}  # LQ 0.5 / (190/2800) = 7.4
    assert stars_of(s, "Y", "size_star") == {"C"}
    assert stars_of(s, "Y", "focus_star") == {"D"}
    assert stars_of(s, "Y", "specialisation_star") == set()
    total = s.set_index(["geo", "cluster"])["stars"]
    assert total[("A", "X")] == 1 and total[("B", "X")] == 2
    assert total[("C", "Y")] == 1 and total[("D", "Y")] == 1
    assert total[("D", "X")] == 0
    assert int(total.sum()) == 5
    b = s.set_index(["geo", "cluster"]).loc[("B", "X")]
    assert b["lq"] == pytest.approx(0.5 / (190 / 2800))


def test_stars_thresholds_and_ties() -> None:
    cm = star_map()
    s = cluster_stars(cm, size_top_share=0.25, specialisation_lq=1.4)
    # ceil(0.25 * 9) = 3 regions by size; LQ of A = 0.1 / (190 / 2800) = 1.47
    assert stars_of(s, "X", "size_star") == {"A", "B", "C"}
    assert stars_of(s, "X", "specialisation_star") == {"A", "B"}
    # ceil(0.5 * 9) = 5; E..J tie at rank 4, so all six earn the star (9 regions)
    s = cluster_stars(cm, size_top_share=0.5)
    assert stars_of(s, "X", "size_star") == set("ABCEFGHIJ")
    with pytest.raises(InputError, match=r"size_top_share must be a number > 0 and <= 1; got 0"):
        cluster_stars(cm, size_top_share=0)
    with pytest.raises(InputError, match=r"specialisation_lq must be a number > 0; got -2"):
        cluster_stars(cm, specialisation_lq=-2)
    with pytest.raises(InputError, match="cluster_stars needs a ClusterMap"):
        cluster_stars(pd.DataFrame())  # type: ignore[arg-type]


def test_top_share_flags_counts() -> None:
    rng = np.random.default_rng(3)
    v = rng.random((2, 57, 4))
    flags = top_share_flags(v, np.ones_like(v, dtype=bool), 0.1)
    assert (flags.sum(axis=1) == 6).all()  # ceil(5.7), no ties in random floats
    # the flagged are the six largest
    thr = np.sort(v, axis=1)[:, -6, :]
    np.testing.assert_array_equal(flags, v >= thr[:, None, :])


@pytest.fixture(scope="module")
def us_traded_map(shared_data: Path):
    cbp = pd.read_csv(
        shared_data / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"cbsa_code": str, "naics_code": str},
    )
    cbp6 = cbp[cbp["naics_level"] == 6]
    d = us_benchmark_clusters(shared_data / "us_cluster_definitions" / "naics2012_to_cluster.csv")
    return map_clusters(
        cbp6,
        d,
        region="cbsa_code",
        activity="naics_code",
        value="EMP",
        establishments="ESTAB",
        traded_only_lq=True,
    )


def test_strong_clusters_against_numpy(us_traded_map) -> None:
    s = strong_clusters(us_traded_map)
    assert set(s["cluster_type"]) == {"traded"}
    assert s["cluster"].nunique() == 51
    t = us_traded_map.tidy()
    t = t[t["cluster_type"] == "traded"]
    expected = []
    for _, g in t.groupby("cluster"):  # a plain loop is fine in a test: the reference
        e = g[g["value"] > 0]
        p_lq = np.percentile(e["lq"].to_numpy(), 75)
        p_emp = np.percentile(e["value"].to_numpy(), 25)
        p_est = np.percentile(e["establishments"].to_numpy(), 25)
        ok = (
            (e["lq"] >= p_lq)
            & (e["value"] > p_emp)
            & (e["establishments"] > p_est)
            & (e["lq"] >= 1)
        )
        expected.extend(zip(e.loc[ok, "cbsa_code"], e.loc[ok, "cluster"]))
    got = set(zip(s.loc[s["strong"], "cbsa_code"], s.loc[s["strong"], "cluster"]))
    assert got == set(expected)
    assert 1000 < len(got) < 20000
    aero = s[s["cluster"] == "Aerospace Vehicles and Defense"].iloc[0]
    e = t[(t["cluster"] == "Aerospace Vehicles and Defense") & (t["value"] > 0)]
    assert aero["lq_threshold"] == pytest.approx(np.percentile(e["lq"], 75))
    assert aero["n_regions"] == len(e)
    # Seattle is strong in aerospace
    sea = s[(s["cbsa_code"] == "42660") & (s["cluster"] == "Aerospace Vehicles and Defense")]
    assert bool(sea["strong"].iloc[0])


def test_cluster_strength(us_traded_map) -> None:
    s = strong_clusters(us_traded_map)
    cs = cluster_strength(us_traded_map, s).set_index("cbsa_code")
    tr = s.assign(se=s["value"].where(s["strong"], 0))
    by = tr.groupby("cbsa_code")[["se", "value"]].sum()
    np.testing.assert_allclose(cs.loc[by.index, "cluster_strength"], by["se"] / by["value"])
    np.testing.assert_array_equal(
        cs.loc[by.index, "n_strong_clusters"], s.groupby("cbsa_code")["strong"].sum().loc[by.index]
    )
    assert cs["cluster_strength"].between(0, 1).all()


def test_strong_cluster_errors() -> None:
    cm = star_map()
    with pytest.raises(InputError, match="strong_clusters needs establishments"):
        strong_clusters(cm)
    df = pd.DataFrame({"geo": ["A", "A"], "code": ["x", "y"], "emp": [1.0, 2.0], "est": [1.0, 1.0]})
    d = ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["x", "y"], "c": ["X", "Y"]}), activity="a", cluster="c"
    )
    cm = map_clusters(df, d, region="geo", activity="code", value="emp", establishments="est")
    with pytest.raises(ConventionError, match=r"traded_only=True\) needs cluster types"):
        strong_clusters(cm)
    with pytest.raises(
        InputError, match=r"lq_percentile must be a number >= 0 and <= 100; got 101"
    ):
        strong_clusters(cm, lq_percentile=101, traded_only=False)
    with pytest.raises(ConventionError, match="cluster_strength needs cluster types"):
        cluster_strength(cm)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 1000), min_size=24, max_size=24), st.integers(2, 50))
def test_stars_invariant_to_scale(values: list[int], factor: int) -> None:
    df = pd.DataFrame(
        {
            "geo": np.repeat([f"R{i:02d}" for i in range(12)], 2),
            "code": ["x", "y"] * 12,
            "emp": np.asarray(values, dtype=float),
        }
    )
    d = ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["x", "y"], "c": ["X", "Y"]}), activity="a", cluster="c"
    )
    a = cluster_stars(map_clusters(df, d, region="geo", activity="code", value="emp"))
    b = cluster_stars(
        map_clusters(
            df.assign(emp=df["emp"] * factor), d, region="geo", activity="code", value="emp"
        )
    )
    cols = ["size_star", "specialisation_star", "focus_star"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    # ceil(0.1 * 12) = 2 regions per cluster at least, more only through ties
    per = a.groupby("cluster")["size_star"].sum()
    assert (per >= 2).all()
