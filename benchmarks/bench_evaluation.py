"""Benchmark: prepare and estimate a programme evaluation on a large firm panel.

1. (untimed, separate process) simulate ``--firms`` firms x 10 years (balanced) with
   ``ris3.evaluation.simulate_panel`` and write them to Parquet;
2. (timed, fresh process) ``ris3.evaluate_programme`` on the Parquet file:
   panel preparation on DuckDB through Ibis (checks, logs, lags, treatment
   timing, reference groups), then a two-way fixed effects DiD with
   firm-clustered standard errors for one outcome (log value added) in both
   reference groups. Peak RSS of the timed process is read from
   ``resource.getrusage`` (it includes DuckDB, which runs in-process).

Usage::

    flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_evaluation.py --firms 1000000

Results go to benchmarks/RESULTS.md (section "Programme evaluation").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

SIMULATE = """
import sys, time
from ris3.evaluation import simulate_panel
t = time.perf_counter()
p = simulate_panel({firms}, 10, n_regions=4, programme_regions=2, n_activities=20,
                   membership_rate=0.3, attrition=0.0, births=0.0, seed=1)
p.to_parquet(sys.argv[1], index=False)
print(len(p), p["firm_id"].nunique(), round(time.perf_counter() - t, 1))
"""

EVALUATE = """
import json, resource, sys, time, warnings
t0 = time.perf_counter()
from ris3.engines.backend import connect
from ris3.evaluation import evaluate_programme
con = connect("duckdb")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    res = evaluate_programme(
        sys.argv[1], firm="firm_id", region="region", activity="activity", time="year",
        entry_year="entry_year", value_added="value_added", outcomes=["value_added"],
        peer_regions=["R03", "R04"], estimators=["did_twfe"], productivity=False,
        backend=con,
    )
elapsed = time.perf_counter() - t0
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
e = res.estimates
print(json.dumps({
    "seconds": elapsed,
    "peak_rss_gb": peak_kb / 1024**2,
    "rows_in": res.info["report"]["rows_in"],
    "rows_out": res.info["report"]["rows_out"],
    "members": res.info["report"]["members"],
    "estimates": e[["reference_group", "estimate", "std_error", "n_obs", "n_firms"]]
        .to_dict("records"),
}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=1_000_000)
    ap.add_argument("--keep", help="reuse/keep the Parquet panel at this path")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ris3-bench-eval-"))
    path = Path(args.keep) if args.keep else folder / "panel.parquet"
    if not path.exists():
        out = subprocess.run(
            [sys.executable, "-c", SIMULATE.format(firms=args.firms), str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows, firms, secs = out.stdout.split()
        print(
            f"simulated {int(rows):,} firm-years of {int(firms):,} firms in {secs} s "
            f"({path.stat().st_size / 1e6:.0f} MB Parquet)"
        )
    out = subprocess.run(
        [sys.executable, "-c", EVALUATE, str(path)], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}"
    )
    print(
        f"rows in: {result['rows_in']:,}; estimation sample: {result['rows_out']:,} rows; "
        f"members: {result['members']:,}"
    )
    for e in result["estimates"]:
        print(
            f"  TWFE DiD vs {e['reference_group']}: {e['estimate']:.4f} "
            f"(se {e['std_error']:.4f}), {e['n_obs']:,} obs, {e['n_firms']:,} firms"
        )
    print(f"prepare + estimate: {result['seconds']:.1f} s, peak RSS {result['peak_rss_gb']:.2f} GB")
    if not args.keep:
        path.unlink(missing_ok=True)
        folder.rmdir()


if __name__ == "__main__":
    main()
