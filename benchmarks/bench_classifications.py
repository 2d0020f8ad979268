"""Timings of NUTS version conversion and hierarchy aggregation on real data.

Run: ``flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_classifications.py``
(from the project root; needs ../shared/data). Prints a Markdown table for
benchmarks/RESULTS.md; each timing is the best and median of ``REPEATS`` runs.

* ``convert_nuts``: every NUTS-2 row of the Eurostat SBS regional file for
  2013-2015 (all indicators and NACE codes, NUTS 2013 codes) to NUTS 2021.
* ``aggregate``: US County Business Patterns 2019, employment of every CBSA
  at NAICS 6 digits summed to sectors, with CBP's own sector rows as totals.
* ``hierarchy``: building every bundled hierarchy from its files (first call,
  caches cleared).
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

import ris3
from ris3.data import _hierarchy_sources
from ris3.data.aggregation import aggregate
from ris3.data.classifications import HIERARCHIES, hierarchy
from ris3.data.nuts import convert_nuts

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REPEATS = 5


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def sbs_long() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz", sep="\t", dtype=str)
    key = raw.columns[0]
    parts = raw[key].str.split(",", expand=True)
    raw = raw.assign(nace=parts[0], indic=parts[1], geo=parts[2]).drop(columns=key)
    long = raw.melt(id_vars=["nace", "indic", "geo"], var_name="year", value_name="cell")
    long["year"] = long["year"].str.strip().astype(int)
    long["value"] = pd.to_numeric(long["cell"].str.strip().str.split(" ").str[0], errors="coerce")
    keep = (long["geo"].str.len() == 4) & long["year"].isin([2013, 2014, 2015])
    return long.loc[keep, ["geo", "nace", "indic", "year", "value"]].reset_index(drop=True)


def cbp() -> tuple[pd.DataFrame, pd.DataFrame]:
    df = pd.read_csv(
        DATA / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"cbsa_code": str, "naics_code": str},
    )
    six = df.loc[df["naics_code"].str.len() == 6, ["cbsa_code", "naics_code", "EMP"]]
    sectors = set(hierarchy("naics").query("parent_level == 'sector'")["parent"])
    totals = df.loc[df["naics_code"].isin(sectors), ["cbsa_code", "naics_code", "EMP"]]
    return six.reset_index(drop=True), totals.reset_index(drop=True)


def main() -> None:
    rows = []
    sbs = sbs_long()
    kw = dict(region="geo", value="value", from_version=2013, time="year", unknown="drop")
    res = convert_nuts(sbs, **kw)
    best, med = timed(lambda: convert_nuts(sbs, **kw))
    rows.append((f"`convert_nuts` SBS 2013-2015, {len(sbs):,} rows -> {len(res.table):,}",
                 best, med))  # fmt: skip

    six, totals = cbp()
    akw = dict(region="cbsa_code", activity="naics_code", value="EMP", hierarchy="naics",
               to_level="sector", parent_totals=totals)  # fmt: skip
    out = aggregate(six, **akw)
    best, med = timed(lambda: aggregate(six, **akw))
    rows.append((f"`aggregate` CBP 6-digit -> sector, {len(six):,} rows -> {len(out):,}",
                 best, med))  # fmt: skip

    def build_all() -> None:
        _hierarchy_sources._node_table.cache_clear()
        _hierarchy_sources._sic_classes.cache_clear()
        for name, versions in HIERARCHIES.items():
            for v in versions:
                hierarchy(name, v)

    best, med = timed(build_all)
    n = sum(len(v) for v in HIERARCHIES.values())
    rows.append((f"`hierarchy`: build all {n} hierarchy versions from files", best, med))

    print(f"ris3 {ris3.__version__}, Python {platform.python_version()}, pandas {pd.__version__}")
    print()
    print("| step | best (s) | median (s) |")
    print("|---|---|---|")
    for label, b, m in rows:
        print(f"| {label} | {b:.3f} | {m:.3f} |")


if __name__ == "__main__":
    main()
