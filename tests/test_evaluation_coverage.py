"""Slow checks of ris3.evaluation over many simulated panels, and on Spark.

- the DiD estimators recover the planted effect: mean bias small relative to
  the standard error, and 95 % intervals cover the truth close to 95 % of the
  time;
- the naive member vs non-member gap is biased under selection on size;
- the pre-trend test keeps its size on panels without pre-trends (with enough
  member firms) and has power against diverging pre-trends;
- panel preparation gives the same sample on Spark as on DuckDB.

Run with ``pytest -m slow tests/test_evaluation_coverage.py``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ris3.errors import DataQualityWarning
from ris3.evaluation import estimators as est
from ris3.evaluation import evaluate_programme, simulate_panel
from ris3.evaluation.panel import prepare_panel

pytestmark = pytest.mark.slow

KEYS = dict(
    firm="firm_id", region="region", activity="activity", time="year", entry_year="entry_year"
)


def truth_of(panel: pd.DataFrame) -> float:
    treated = panel["entry_year"].notna() & (panel["year"] >= panel["entry_year"].fillna(0))
    return float(panel.loc[treated, "true_effect"].mean())


@pytest.fixture(scope="module")
def replications() -> pd.DataFrame:
    rows = []
    for seed in range(60):
        panel = simulate_panel(3000, 8, seed=1000 + seed, membership_rate=0.4, effect=0.1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            res = evaluate_programme(
                panel,
                **KEYS,
                value_added="value_added",
                outcomes=["value_added"],
                peer_regions=["R02", "R03"],
                productivity=False,
            )
        rows.append(res.estimates.assign(seed=seed, truth=truth_of(panel)))
    df = pd.concat(rows, ignore_index=True)
    df["covered"] = (df["ci_low"] <= df["truth"]) & (df["truth"] <= df["ci_high"])
    return df


@pytest.mark.parametrize("method", ["did_twfe", "did_staggered"])
@pytest.mark.parametrize("group", ["same_region", "peer_regions"])
def test_did_bias_small_and_coverage_nominal(replications, method, group):
    r = replications[
        (replications["method"] == method) & (replications["reference_group"] == group)
    ]
    bias = (r["estimate"] - r["truth"]).mean()
    assert abs(bias) < 0.35 * r["std_error"].mean()
    # 60 runs: a 95 % interval covers 57 on average; 51 is 2.6 binomial SDs below
    assert 0.85 <= r["covered"].mean() <= 1.0


def test_naive_gap_is_biased_under_selection(replications):
    r = replications[replications["method"] == "naive"]
    assert (r["estimate"] - r["truth"]).mean() > 0.3
    assert r["covered"].mean() < 0.3


def pretrend_pvalues(pretrend: float, n_firms: int, seeds: range) -> np.ndarray:
    out = []
    for seed in seeds:
        panel = simulate_panel(n_firms, 8, seed=seed, membership_rate=0.4, pretrend=pretrend)
        prep = prepare_panel(panel, **KEYS, value_added="value_added", outcomes=["value_added"])
        d = prep.sample[prep.sample["group_region"]]
        out.append(est.did_staggered(d, "value_added")[2]["p_value"])
    return np.array(out)


def test_pretrend_test_size_without_pretrends():
    p = pretrend_pvalues(0.0, 12000, range(2000, 2020))
    assert (p < 0.05).mean() <= 0.15


def test_pretrend_test_power_against_diverging_trends():
    p = pretrend_pvalues(0.05, 3000, range(3000, 3020))
    assert (p < 0.05).mean() >= 0.9


def test_spark_preparation_matches_duckdb():
    pytest.importorskip("pyspark")
    from ris3.engines.backend import connect

    panel = simulate_panel(300, 6, seed=4)
    args = dict(
        KEYS, value_added="value_added", employment="employment", peer_regions=["R02"], with_lq=True
    )
    duck = prepare_panel(panel, **args).sample
    spark = prepare_panel(panel, backend=connect("spark"), **args).sample
    pd.testing.assert_frame_equal(
        duck.sort_values(["firm", "year"]).reset_index(drop=True),
        spark.sort_values(["firm", "year"]).reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )
