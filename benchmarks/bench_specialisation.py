"""Timings of specialisation, concentration, diversity, peers and adjacency.

Run: ``flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_specialisation.py``
(from the project root; needs ../shared/data). Prints a Markdown table for
benchmarks/RESULTS.md. Each timing is the best of ``REPEATS`` runs.
"""

from __future__ import annotations

import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import ris3

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REPEATS = 3


def best_of(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def synthetic(n_regions: int, n_activities: int, n_years: int, density: float) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frames = []
    for year in range(n_years):
        keep = rng.random((n_regions, n_activities)) < density
        r, a = np.nonzero(keep)
        frames.append(
            pd.DataFrame(
                {
                    "year": 2000 + year,
                    "geo": r,
                    "act": a,
                    "emp": rng.lognormal(3.0, 1.5, r.size).round() + 1,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    rows = []
    cbp = pd.read_csv(
        DATA / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz", dtype={"naics_code": str}
    )
    cbp = cbp[(cbp.naics_level == 6) & (cbp.EMP > 0)]
    kw = {"region": "cbsa_code", "activity": "naics_code", "value": "EMP"}
    label = f"CBP 2019, {cbp.cbsa_code.nunique()} CBSAs x {cbp.naics_code.nunique()} NAICS-6, {len(cbp):,} rows"
    rows.append((label, "location_quotient", best_of(lambda: ris3.location_quotient(cbp, **kw))))
    rows.append((label, "krugman_index", best_of(lambda: ris3.krugman_index(cbp, **kw))))
    rows.append((label, "locational_gini", best_of(lambda: ris3.locational_gini(cbp, **kw))))
    rows.append((label, "diversity", best_of(lambda: ris3.diversity(cbp, **kw))))
    hier = {c: c[:3] for c in cbp.naics_code.unique()}
    rows.append(
        (
            label,
            "variety (NAICS-6 in NAICS-3)",
            best_of(lambda: ris3.variety(cbp, **kw, hierarchy=hier)),
        )
    )
    rows.append(
        (
            label,
            "peers (basis='lq')",
            best_of(lambda: ris3.peers(cbp, **kw, target=cbp.cbsa_code.iloc[0], basis="lq")),
        )
    )

    panel = synthetic(1000, 1000, 10, 0.3)
    kw2 = {"region": "geo", "activity": "act", "value": "emp", "time": "year"}
    label2 = f"synthetic 1,000 regions x 1,000 activities x 10 years, {len(panel):,} rows"
    rows.append(
        (label2, "location_quotient", best_of(lambda: ris3.location_quotient(panel, **kw2)))
    )
    rows.append((label2, "entropy", best_of(lambda: ris3.entropy(panel, **kw2))))
    rows.append((label2, "herfindahl", best_of(lambda: ris3.herfindahl(panel, **kw2))))

    gj = DATA / "geo_nuts_gisco_60m_2021" / "NUTS_RG_60M_2021_4326.geojson"
    rows.append(
        (
            "GISCO NUTS 2021 1:60M, all levels",
            "nuts_adjacency(level=2)",
            best_of(lambda: ris3.nuts_adjacency(gj)),
        )
    )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}; "
        f"best of {REPEATS}; peak RSS of the whole run {peak:.0f} MB\n"
    )
    print("| data | function | seconds |")
    print("|---|---|---|")
    for data, fn, secs in rows:
        print(f"| {data} | {fn} | {secs:.2f} |")


if __name__ == "__main__":
    main()
