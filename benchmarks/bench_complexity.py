"""ris3 economic complexity against the Growth Lab's ecomplexity 0.5.3.

Run from the project root (needs ../shared/data and the ``bench`` extra)::

    flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_complexity.py

Input: US County Business Patterns 2019, employment by CBSA x 6-digit NAICS
(933 x 961, 200,009 rows), replicated into a 20-year panel (2000-2019), each
year's values multiplied by ``lognormal(0, 0.1)`` noise (seed 20190). Both
tools produce RCA, presence, proximity, density, ECI, PCI, COI and COG as a
full region x activity x year table in memory; ris3 runs with the Python
ecomplexity conventions (``standardise="regions", self_proximity=True``) so
that the outputs can be compared. ecomplexity runs with
``check_logsupermodularity=False`` (an optional diagnostic, not one of the
outputs).

Each measurement runs in its own subprocess (``--worker``): the input is built
first, then the computation is timed in-process (wall clock), and the
process's peak resident memory (``ru_maxrss``) is read at the end, together
with the memory held before the computation started. ecomplexity takes about
a minute per year here, so it is run on the first ``--ecomplexity-years``
years (default 3) and its 20-year time is extrapolated linearly; ris3 runs on
those years too (same input) and on all 20.

Also: the whole ``ris3 complexity`` command on the 20-year panel (Parquet in
and out) under ``/usr/bin/time -v``, and a synthetic 10,000 regions x 5,000
activities single year (fixed seed, ~8 % of cells non-zero).

Prints Markdown for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEED = 20190
YEARS = 20
COLS = {"time": "year", "loc": "cbsa_code", "prod": "naics_code", "val": "EMP"}
KW = {"region": "cbsa_code", "activity": "naics_code", "value": "EMP", "time": "year"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cbp_panel(years: int) -> pd.DataFrame:
    cbp = pd.read_csv(
        DATA / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"naics_code": str},
    )
    cbp = cbp.loc[cbp["naics_level"] == 6, ["cbsa_code", "naics_code", "EMP"]]
    rng = np.random.default_rng(SEED)
    frames = []
    for year in range(2000, 2000 + YEARS):
        noise = rng.lognormal(0.0, 0.1, len(cbp))
        if year < 2000 + years:
            frames.append(cbp.assign(EMP=cbp["EMP"].to_numpy() * noise, year=year))
    return pd.concat(frames, ignore_index=True)[["year", "cbsa_code", "naics_code", "EMP"]]


def synthetic(n_regions: int, n_activities: int, target_density: float) -> pd.DataFrame:
    """Gravity-like sparse table: big regions and big activities meet more often."""
    rng = np.random.default_rng(SEED)
    size_r = rng.lognormal(0.0, 1.2, n_regions)
    size_a = rng.lognormal(0.0, 1.2, n_activities)
    # scale so that the expected share of non-zero cells is about target_density
    lo, hi = 1e-6, 1e3
    outer_sample = np.outer(size_r[:500], size_a)
    for _ in range(60):
        mid = np.sqrt(lo * hi)
        share = (1 - np.exp(-mid * outer_sample)).mean()
        lo, hi = (mid, hi) if share < target_density else (lo, mid)
    lam = np.sqrt(lo * hi)
    parts = []
    for start in range(0, n_regions, 1000):
        rows = np.arange(start, min(start + 1000, n_regions))
        mu = np.outer(size_r[rows], size_a)
        keep = rng.random(mu.shape) < 1 - np.exp(-lam * mu)
        r, a = np.nonzero(keep)
        value = np.ceil(rng.lognormal(2.0, 1.5, r.size) * mu[r, a])
        parts.append(pd.DataFrame({"region": rows[r], "activity": a, "emp": value}))
    return pd.concat(parts, ignore_index=True)


def worker(tool: str, years: int, eci_out: str | None) -> None:
    if tool == "scale":
        data = synthetic(10_000, 5_000, 0.08)
    else:
        data = cbp_panel(years)
    held = peak_mb()
    info: dict[str, object] = {"rows_in": len(data)}
    t0 = time.perf_counter()
    if tool == "ecomplexity":
        from ecomplexity import ecomplexity

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = ecomplexity(data, COLS, verbose=False, check_logsupermodularity=False)
        eci = table[["year", "cbsa_code", "eci"]]
    else:
        import ris3

        if tool == "scale":
            res = ris3.complexity(data, region="region", activity="activity", value="emp")
            t_compute = time.perf_counter() - t0
            table = res.tidy()
            info["seconds_complexity"] = t_compute
            info["presence_nnz"] = int(res._periods[0].presence.m.nnz)
            info["nonzero_cells"] = len(data)
        else:
            res = ris3.complexity(data, **KW, standardise="regions", self_proximity=True)
            table = res.tidy()
        eci = table[[c for c in ("year", "cbsa_code", "eci") if c in table.columns]]
    info["seconds"] = time.perf_counter() - t0
    info["rows_out"] = len(table)
    info["peak_mb"] = peak_mb()
    info["held_before_mb"] = held
    if eci_out:
        eci.drop_duplicates().to_parquet(eci_out, index=False)
    print(json.dumps(info))


def run_worker(tool: str, years: int, eci_out: Path | None = None) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", tool, "--years", str(years)]
    if eci_out is not None:
        cmd += ["--eci-out", str(eci_out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_cli(tmp: Path) -> dict[str, float]:
    src = tmp / "cbp_panel.parquet"
    cbp_panel(YEARS).to_parquet(src, index=False)
    out = tmp / "cbp_complexity.parquet"
    cmd = ["/usr/bin/time", "-v", str(ROOT / ".venv" / "bin" / "ris3"), "complexity", str(src),
           "--region", "cbsa_code", "--activity", "naics_code", "--value", "EMP",
           "--time", "year", "--out", str(out)]  # fmt: skip
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if wall is None or rss is None:
        raise RuntimeError(done.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return {
        "seconds": seconds,
        "peak_mb": int(rss.group(1)) / 1024.0,
        "rows_out": len(pd.read_parquet(out, columns=["eci"])),
        "parquet_in_mb": src.stat().st_size / 2**20,
        "parquet_out_mb": out.stat().st_size / 2**20,
    }


def main(ec_years: int) -> None:
    import ecomplexity  # noqa: F401  (fail early without the bench extra)

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        ec = run_worker("ecomplexity", ec_years, tmp / "ec.parquet")
        r_small = run_worker("ris3", ec_years, tmp / "r.parquet")
        r_full = run_worker("ris3", YEARS)
        a = pd.read_parquet(tmp / "ec.parquet").merge(
            pd.read_parquet(tmp / "r.parquet"), on=["year", "cbsa_code"], suffixes=("_ec", "_r")
        )
        eci_diff = float(np.abs(a["eci_ec"] - a["eci_r"]).max())
        cli = run_cli(tmp)
    scale = run_worker("scale", 1)

    ec_per_year = ec["seconds"] / ec_years
    ec_20 = ec_per_year * YEARS
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print()
    print("| run | years | output rows | time (s) | peak RSS (MB) | RSS before compute (MB) |")
    print("|---|---|---|---|---|---|")
    print(f"| ecomplexity 0.5.3 | {ec_years} (measured) | {ec['rows_out']:,} | {ec['seconds']:.1f} "
          f"| {ec['peak_mb']:.0f} | {ec['held_before_mb']:.0f} |")  # fmt: skip
    print(f"| ecomplexity 0.5.3 | {YEARS} (extrapolated, linear) | - | {ec_20:.0f} | - | - |")
    print(f"| ris3 | {ec_years} | {r_small['rows_out']:,} | {r_small['seconds']:.2f} "
          f"| {r_small['peak_mb']:.0f} | {r_small['held_before_mb']:.0f} |")  # fmt: skip
    print(f"| ris3 | {YEARS} | {r_full['rows_out']:,} | {r_full['seconds']:.2f} "
          f"| {r_full['peak_mb']:.0f} | {r_full['held_before_mb']:.0f} |")  # fmt: skip
    print()
    print(f"- speed, same {ec_years} years: ris3 {ec['seconds'] / r_small['seconds']:.1f}x faster")
    print(f"- speed, 20 years (ecomplexity extrapolated): "
          f"{ec_20 / r_full['seconds']:.1f}x faster")  # fmt: skip
    print(f"- peak memory, same {ec_years} years: ris3/ecomplexity = "
          f"{r_small['peak_mb'] / ec['peak_mb']:.2f}; above the input held before computing: "
          f"{(r_small['peak_mb'] - r_small['held_before_mb']) / (ec['peak_mb'] - ec['held_before_mb']):.2f}")  # fmt: skip
    print(f"- max |ECI ris3 - ECI ecomplexity| over {len(a):,} region-years: {eci_diff:.2e}")
    print(f"- CLI `ris3 complexity` 20 years, Parquet in ({cli['parquet_in_mb']:.1f} MB) and out "
          f"({cli['parquet_out_mb']:.0f} MB, {cli['rows_out']:,} rows): {cli['seconds']:.1f} s "
          f"wall, peak RSS {cli['peak_mb']:.0f} MB")  # fmt: skip
    print(f"- scale, 10,000 x 5,000 one year ({scale['nonzero_cells']:,} non-zero cells, "
          f"{scale['presence_nnz']:,} presences): complexity {scale['seconds_complexity']:.1f} s, "
          f"with tidy() ({scale['rows_out']:,} rows) {scale['seconds']:.1f} s, "
          f"peak RSS {scale['peak_mb'] / 1024:.2f} GB")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=["ris3", "ecomplexity", "scale"])
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--eci-out")
    parser.add_argument("--ecomplexity-years", type=int, default=3)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.years, args.eci_out)
    else:
        main(args.ecomplexity_years)
