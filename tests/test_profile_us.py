"""The profile of a US metro area from the bundled County Business Patterns (us-cbp).

Values are checked by hand on the CBP table: the LQ of San Francisco (CBSA
41860) in a 6-digit industry and in a US benchmark cluster, and the country
reference (the nation: every metro and micropolitan area of the table, not
the areas whose codes share two digits).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ris3 import datasets
from ris3.report import build_page
from ris3.report.region_profile import profile


@pytest.fixture(scope="module")
def sf():
    return profile("41860", dataset="us-cbp", n_peers=5)


@pytest.fixture(scope="module")
def cbp() -> pd.DataFrame:
    t = datasets.load("us-cbp", "employment")
    # a cell published as 0 employees with establishments may be withheld: missing
    return t.assign(employment=t["employment"].mask(t["emp_possibly_suppressed"]))


def test_industry_lq_by_hand_and_the_country_is_the_nation(sf, cbp):
    by_area = cbp.groupby("cbsa_code")["employment"].sum()
    us = cbp.groupby("naics_code")["employment"].sum()
    mine = cbp[cbp["cbsa_code"] == "41860"].set_index("naics_code")["employment"]
    spec = sf.specialisation.set_index("activity")
    for code in ("541511", "511210", "325414"):
        by_hand = (mine[code] / by_area["41860"]) / (us[code] / by_area.sum())
        assert spec.loc[code, "lq_europe"] == pytest.approx(by_hand, rel=1e-12)
    # the country of every metro is the United States: the same reference as the nation
    assert sf.country == "US" and sf.country_name == "United States"
    assert set(sf.countries.values()) == {"US"} and len(sf.countries) == cbp["cbsa_code"].nunique()
    np.testing.assert_allclose(spec["lq_country"], spec["lq_europe"], rtol=1e-12)
    # 41xxx areas are not a country: a reference of the areas sharing "41" would differ
    c41 = cbp[cbp["cbsa_code"].str[:2] == "41"]
    share41 = c41.loc[c41["naics_code"] == "541511", "employment"].sum() / c41["employment"].sum()
    wrong = (mine["541511"] / by_area["41860"]) / share41
    assert abs(spec.loc["541511", "lq_country"] - wrong) > 0.1
    assert sf.reference == "United States" and sf.year == 2019


def test_benchmark_cluster_lq_by_hand(sf, cbp):
    clusters = datasets.load("us-cbp", "clusters")
    it = "Information Technology and Analytical Instruments"
    codes = set(clusters.loc[clusters["Cluster"] == it, "NAICS"].astype(str))
    in_it = cbp[cbp["naics_code"].isin(codes)]
    region_total = cbp.loc[cbp["cbsa_code"] == "41860", "employment"].sum()
    region_it = in_it.loc[in_it["cbsa_code"] == "41860", "employment"].sum()
    by_hand = (region_it / region_total) / (in_it["employment"].sum() / cbp["employment"].sum())
    row = sf.clusters.set_index("cluster").loc[it]
    assert row["value"] == pytest.approx(region_it, rel=1e-12)
    assert row["lq"] == pytest.approx(by_hand, rel=1e-12)
    assert by_hand > 3  # San Francisco's IT cluster
    assert sf.cluster_definition.startswith("US")
    assert "portfolio" in sf.unavailable  # one year: no growth, said so


def test_us_page_says_united_states_not_europe(sf):
    page = build_page(sf)
    html = page.to_html()
    assert "LQ vs United States" in html and "vs Europe" not in html
    assert "against Europe" not in html and "against the United States" in html
    specs = page.specs()
    feats = specs["map_peers"]["datasets"][specs["map_peers"]["data"]["name"]]
    assert '"type": "albersUsa"' in json.dumps(specs["map_peers"])
    ids = {f["properties"]["id"] for f in feats}
    assert "41860" in ids and len(ids) > 800  # the whole country as context
