"""Bias and coverage of ris3.evaluation's DiD estimators on simulated panels.

Runs ``evaluate_programme`` on many panels from ``simulate_panel`` with a
planted effect and compares each estimate with the true average effect on
the treated firm-years of that panel (the mean of ``true_effect`` over rows
with ``year >= entry_year``). Prints one line per scenario x reference group x
method: mean bias, mean standard error, standard deviation of the estimates,
and the share of 95 % intervals that cover the truth.

Usage: python benchmarks/coverage_evaluation.py [n_seeds] [n_firms]
(run under ``flock /tmp/ris3-bench.lock`` on a shared machine).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

from ris3.evaluation import evaluate_programme, simulate_panel

SCENARIOS = {
    "constant effect 0.10, selection on size": dict(effect=0.10, selection="size"),
    "dynamic effect 0.05 + 0.03/yr, selection on productivity": dict(
        effect=0.05, effect_growth=0.03, selection="productivity"
    ),
}


def run(n_seeds: int, n_firms: int) -> pd.DataFrame:
    rows = []
    for name, kw in SCENARIOS.items():
        for seed in range(n_seeds):
            panel = simulate_panel(n_firms, 8, seed=seed, membership_rate=0.4, **kw)
            treated = panel["entry_year"].notna() & (panel["year"] >= panel["entry_year"].fillna(0))
            truth = float(panel.loc[treated, "true_effect"].mean())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = evaluate_programme(
                    panel,
                    firm="firm_id",
                    region="region",
                    activity="activity",
                    time="year",
                    entry_year="entry_year",
                    value_added="value_added",
                    outcomes=["value_added"],
                    peer_regions=["R02", "R03"],
                    productivity=False,
                )
            est = res.estimates.assign(scenario=name, seed=seed, truth=truth)
            rows.append(est)
    df = pd.concat(rows, ignore_index=True)
    df["error"] = df["estimate"] - df["truth"]
    df["covered"] = (df["ci_low"] <= df["truth"]) & (df["truth"] <= df["ci_high"])
    return df


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby(["scenario", "reference_group", "method"], sort=False)
    return g.agg(
        mean_truth=("truth", "mean"),
        bias=("error", "mean"),
        mean_se=("std_error", "mean"),
        sd_estimate=("error", "std"),
        coverage=("covered", "mean"),
        runs=("covered", "size"),
    ).reset_index()


if __name__ == "__main__":
    n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    n_firms = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    t0 = time.perf_counter()
    out = summarise(run(n_seeds, n_firms))
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(out.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    print(
        f"{n_seeds} seeds x {len(SCENARIOS)} scenarios, {n_firms} firms x 8 years, "
        f"{time.perf_counter() - t0:.0f} s"
    )
    np.seterr(all="ignore")
