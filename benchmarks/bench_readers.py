"""Benchmark of the ris3 readers and of building the bundled datasets.

Run from the repository root (one heavy job at a time on shared machines)::

    flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_readers.py

Prints a Markdown table; the results are recorded in benchmarks/RESULTS.md.
Each timing is the best of ``REPEAT`` runs (wall clock, seconds).
"""

from __future__ import annotations

import filecmp
import gc
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data"
SBS = SHARED / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz"
REPEAT = 3


def best(fn: Callable[[], object], repeat: int = REPEAT) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def naive_pandas() -> pd.DataFrame:
    """The usual hand-written approach: read_csv, melt, regex split of value and flags."""
    df = pd.read_csv(SBS, sep="\t", dtype=str)
    key = df.columns[0]
    keys = df[key].str.split(",", expand=True)
    keys.columns = ["nace_r2", "indic_sb", "geo"]
    df = pd.concat([keys, df.drop(columns=key)], axis=1)
    long = df.melt(id_vars=["nace_r2", "indic_sb", "geo"], var_name="time", value_name="cell")
    parts = long["cell"].str.extract(r"^\s*([^\s]*)\s*([a-z]*)\s*$")
    long["value"] = pd.to_numeric(parts[0].where(parts[0] != ":"), errors="coerce")
    long["flag"] = parts[1]
    long["time"] = long["time"].str.strip().astype(int)
    return long.drop(columns="cell")


def main() -> None:
    from ris3.data import read_bres, read_cbp, read_eurostat_tsv

    rows = []

    def record(what: str, fn: Callable[[], object], repeat: int = REPEAT) -> None:
        t, out = best(fn, repeat)
        n = len(out.data) if hasattr(out, "data") else len(out)  # type: ignore[arg-type]
        rows.append((what, n, t))
        print(f"{what}: {t:.2f} s ({n:,} rows)", file=sys.stderr)

    record(
        "read_eurostat_tsv, full SBS file, with quality report and totals check",
        lambda: read_eurostat_tsv(SBS),
    )
    record(
        "read_eurostat_tsv, full SBS file, check_totals=False",
        lambda: read_eurostat_tsv(SBS, check_totals=False),
    )
    record(
        "read_eurostat_tsv, indic_sb='V16110' (filter before parsing)",
        lambda: read_eurostat_tsv(SBS, indic_sb="V16110"),
    )
    record(
        "read_eurostat_tsv, one line (nace_r2, indic_sb, geo filters)",
        lambda: read_eurostat_tsv(SBS, nace_r2="C", indic_sb="V16110", geo="DE"),
    )
    record("baseline: pandas read_csv + melt + regex (no checks, no report)", naive_pandas)
    record(
        "read_cbp, CBP 2019 (569,017 lines), level 6",
        lambda: read_cbp(SHARED / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz"),
    )
    record(
        "read_bres, BRES 2015 (616 classes x 11 regions)",
        lambda: read_bres(SHARED / "uk_bres2015_region_sic4" / "Bres_2015_Region_and_Country.csv"),
    )

    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "build_datasets.py"), "--out", out],
            check=True,
        )
        build = time.perf_counter() - t0
        bundled = ROOT / "src" / "ris3" / "datasets" / "files"
        names = sorted(p.relative_to(out) for p in Path(out).rglob("*") if p.is_file())
        same = all(filecmp.cmp(Path(out) / n, bundled / n, shallow=False) for n in names)
        size = sum((Path(out) / n).stat().st_size for n in names)
    rows.append(
        ("scripts/build_datasets.py, all six datasets (one run, incl. start-up)", len(names), build)
    )

    print(f"\nPython {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}")
    print("\n| task | rows / files | seconds |\n|---|---:|---:|")
    for what, n, t in rows:
        print(f"| {what} | {n:,} | {t:.2f} |")
    print(
        f"\nBuilt {len(names)} files, {size / 1e6:.2f} MB; byte-identical to the bundled files: {same}"
    )


if __name__ == "__main__":
    main()
