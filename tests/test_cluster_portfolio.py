"""Cluster portfolio: quadrants and stages on a hand-made two-year example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ris3.clusters.definitions import ClusterDefinition
from ris3.clusters.mapping import map_clusters
from ris3.clusters.portfolio import STAGES, portfolio
from ris3.errors import ConventionError, InputError

# Region R (1000 jobs) against a large rest of the economy, 2010 -> 2015.
# Every cluster of the rest grows by exactly 0 %, so the reference growth of
# each cluster is ~0 apart from R's own change (R is small in the total).
R0 = {
    "grow": 100,
    "emer": 40,
    "mature": 200,
    "decl": 150,
    "tiny": 5,
    "new": 0,
    "none": 0,
    "other": 537,
}
R1 = {
    "grow": 160,
    "emer": 80,
    "mature": 200,
    "decl": 90,
    "tiny": 4,
    "new": 90,
    "none": 0,
    "other": 537,
}
REST = 1_000_000


def data() -> pd.DataFrame:
    rows = []
    for year, r in ((2010, R0), (2015, R1)):
        for code, v in r.items():
            rows.append((year, "R", code, float(v)))
            rows.append((year, "REST", code, REST / len(r)))
    return pd.DataFrame(rows, columns=["year", "geo", "code", "emp"])


@pytest.fixture
def cmap():
    codes = list(R0)
    d = ClusterDefinition.from_frame(
        pd.DataFrame({"a": codes, "c": codes}), activity="a", cluster="c"
    )
    return map_clusters(data(), d, region="geo", activity="code", value="emp", time="year")


def test_stages_and_quadrants(cmap) -> None:
    p = portfolio(cmap, start=2010, end=2015, target="R").set_index("cluster")
    # LQs at the end: share in R / share in the total
    n1 = sum(R1.values())
    share_tot = (np.array(list(R1.values())) + REST / 8) / (n1 + REST)
    lq = pd.Series(np.array(list(R1.values())) / n1, index=list(R1)) / share_tot
    np.testing.assert_allclose(p.loc[list(R1), "lq"], lq)
    assert p.loc["grow", "stage"] == "growing"  # +9.9 %/yr, LQ 1.10, 14 % of jobs
    assert p.loc["emer", "stage"] == "emerging"  # +14.9 %/yr, LQ 0.55: advancing, not specialised
    assert p.loc["mature", "stage"] == "mature"  # 0 %/yr, LQ 1.38
    assert p.loc["decl", "stage"] == "declining"  # -9.7 %/yr, LQ 1.16 at the start
    assert p.loc["tiny", "stage"] == "marginal"  # small, losing, never specialised
    assert p.loc["new", "stage"] == "emerging"  # entered: 0 -> 90, LQ 0.62
    assert p.loc["none", "stage"] == "absent"
    assert set(p["stage"]) <= set(STAGES)
    assert p.loc["grow", "quadrant"] == "specialised_growing"
    # quadrants use the end LQ: decl fell to LQ 0.62
    assert p.loc["decl", "quadrant"] == "unspecialised_declining"
    assert p.loc["mature", "quadrant"] == "specialised_growing"  # growth 0 >= reference 0
    assert p.loc["tiny", "quadrant"] == "unspecialised_declining"
    assert pd.isna(p.loc["new", "quadrant"])  # growth from 0 is undefined
    assert pd.isna(p.loc["none", "quadrant"])
    assert p.loc["grow", "growth"] == pytest.approx(1.6**0.2 - 1)


def test_emerging_needs_minimum_lq(cmap) -> None:
    p = portfolio(cmap, start=2010, end=2015, target="R", emerging_lq=0.6).set_index("cluster")
    n1 = sum(R1.values())
    assert p.loc["emer", "lq"] == pytest.approx((80 / n1) / ((80 + REST / 8) / (n1 + REST)))
    assert p.loc["emer", "lq"] < 0.6 < p.loc["new", "lq"]
    assert p.loc["emer", "stage"] == "marginal"
    assert p.loc["new", "stage"] == "emerging"


def test_growth_axis_and_reference(cmap) -> None:
    p = portfolio(cmap, start=2010, end=2015, growth="lq").set_index(["geo", "cluster"])
    row = p.loc[("R", "decl")]
    # growth stays the value's CAGR; the quadrant compares lq_change with reference_lq_change
    assert row["lq_change"] == pytest.approx(row["lq"] - row["lq_start"])
    assert row["growth"] == pytest.approx((row["value"] / row["value_start"]) ** 0.2 - 1)
    assert row["reference_lq_change"] == 0 and "reference_growth" not in p.columns
    assert row["quadrant"] == ("specialised" if row["lq"] >= 1 else "unspecialised") + (
        "_growing" if row["lq_change"] >= 0 else "_declining"
    )
    with pytest.warns(FutureWarning, match="growth='employment' is renamed growth='value'"):
        old = portfolio(cmap, start=2010, end=2015, growth="employment")
    pd.testing.assert_frame_equal(old, portfolio(cmap, start=2010, end=2015))
    fixed = portfolio(cmap, start=2010, end=2015, reference_growth=0.2, target="R")
    assert (fixed["quadrant"].dropna().str.endswith("declining")).all()
    total = portfolio(cmap, start=2010, end=2015, reference_growth="total", target="R")
    assert total["reference_growth"].nunique() == 1
    assert set(p.index.get_level_values("geo")) == {"R", "REST"}


def test_portfolio_errors(cmap) -> None:
    with pytest.raises(
        InputError, match=r"target 'X' is not in column 'geo'; regions: 'R', 'REST'"
    ):
        portfolio(cmap, start=2010, end=2015, target="X")
    with pytest.warns(FutureWarning, match="portfolio: region= is renamed target="):
        old = portfolio(cmap, start=2010, end=2015, region="R")
    pd.testing.assert_frame_equal(old, portfolio(cmap, start=2010, end=2015, target="R"))
    with pytest.raises(InputError, match=r"period 2012 is not in column 'year'"):
        portfolio(cmap, start=2012, end=2015)
    with pytest.raises(ConventionError, match=r"growth must be one of 'value', 'lq'; got 'gva'"):
        portfolio(cmap, start=2010, end=2015, growth="gva")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="reference_growth='total' applies to growth='value'"):
        portfolio(cmap, start=2010, end=2015, growth="lq", reference_growth="total")
    with pytest.raises(InputError, match=r"size_share must be a number >= 0 and <= 1; got 2"):
        portfolio(cmap, start=2010, end=2015, size_share=2)
    with pytest.raises(InputError, match="portfolio needs a ClusterMap"):
        portfolio(pd.DataFrame(), start=2010, end=2015)  # type: ignore[arg-type]


def test_missing_activity_makes_the_cell_not_comparable() -> None:
    # cluster X = activities 1 and 2; activity 2 of region A is confidential in 2015
    rows = [
        (2010, "A", "1", 100.0),
        (2010, "A", "2", 50.0),
        (2010, "A", "3", 50.0),
        (2010, "B", "1", 100.0),
        (2010, "B", "2", 100.0),
        (2010, "B", "3", 100.0),
        (2015, "A", "1", 120.0),
        (2015, "A", "2", None),
        (2015, "A", "3", 40.0),
        (2015, "B", "1", 110.0),
        (2015, "B", "2", 100.0),
        (2015, "B", "3", 150.0),
    ]
    df = pd.DataFrame(rows, columns=["year", "geo", "code", "emp"])
    d = ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["1", "2", "3"], "c": ["X", "X", "Y"]}), activity="a", cluster="c"
    )
    cm = map_clusters(
        df, d, region="geo", activity="code", value="emp", time="year", missing="drop"
    )
    p = portfolio(cm, start=2010, end=2015).set_index(["geo", "cluster"])
    ax = p.loc[("A", "X")]
    # not 150 -> 120 (a fall of 20 %): the 2015 value of X in A is unknown
    assert ax["status"] == "missing_end" and np.isnan(ax["value"])
    assert ax["value_start"] == 150
    assert np.isnan(ax["growth"]) and pd.isna(ax["stage"]) and pd.isna(ax["quadrant"])
    # X's reference growth uses B alone (200 -> 210), Y's both regions (150 -> 190)
    assert p.loc[("B", "X"), "reference_growth"] == pytest.approx((210 / 200) ** 0.2 - 1)
    assert p.loc[("A", "Y"), "reference_growth"] == pytest.approx((190 / 150) ** 0.2 - 1)
    total = portfolio(cm, start=2010, end=2015, reference_growth="total")
    assert total["reference_growth"].iloc[0] == pytest.approx((400 / 350) ** 0.2 - 1)
    assert set(p["status"]) == {"observed", "missing_end"}


def test_stage_follows_the_quadrant_comparison(cmap) -> None:
    # against a reference of +20 %/yr nothing advances: no growing or emerging stage
    p = portfolio(cmap, start=2010, end=2015, target="R", reference_growth=0.2)
    assert (
        not p["stage"]
        .isin(["growing", "emerging"])
        .drop(index=p.index[p["cluster"] == "new"])
        .any()
    )
    p = p.set_index("cluster")
    assert p.loc["grow", "stage"] == "marginal"  # 9.9 % < 20 % - 0.5, not specialised in 2010
    assert p.loc["mature", "stage"] == "declining"  # 0 % < 20 % - 0.5, LQ 1.38 in 2010
    assert p.loc["mature", "quadrant"] == "specialised_declining"
    # on the LQ axis, the stage compares LQ change with 0
    q = portfolio(cmap, start=2010, end=2015, target="R", growth="lq").set_index("cluster")
    assert q.loc["decl", "growth"] < -0.005 and q.loc["decl", "stage"] == "declining"


def test_weighted_definition_marks_every_cluster_of_a_missing_cell() -> None:
    """An activity shared by several clusters (weights) leaves each of them unobserved."""
    import ris3

    d = ris3.datasets.load("eu-sbs")
    d = d[d["geo"].str.startswith(("AT", "DE"))]
    definition = ris3.eu_benchmark_clusters()
    cm = ris3.map_clusters(
        d,
        definition,
        region="geo",
        activity="nace_r2",
        value="persons_employed",
        time="year",
        missing="drop",
    )
    got = ris3.portfolio(cm, start=2008, end=2014, target="AT33")
    at = d[(d["geo"] == "AT33") & d["year"].isin([2008, 2014])]
    gone = set(at.loc[at["persons_employed"].isna(), "nace_r2"])
    m = definition.mapping
    assert m["activity"].duplicated().any()  # the case: one activity, several clusters
    hit = set(m.loc[m["activity"].isin(gone), "cluster"])
    assert gone and hit
    status = got.set_index("cluster")["status"]
    assert (status[sorted(hit)] != "observed").all()
    assert got.loc[got["cluster"].isin(hit), "growth"].isna().all()
