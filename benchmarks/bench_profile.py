"""Benchmark: the profile of one region, end to end (``ris3 profile AT33``).

Run from the repository root, one benchmark at a time on a shared machine::

    flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_profile.py [REGION] [--runs 3]

Each run is a fresh ``ris3 profile REGION --out <tmp> --format html,png,svg``
process (imports, data loading, every section, the HTML file and 2 x 8
figures), timed by wall clock and by CPU time of the child process. One
further in-process run reports the time of each stage. The target is under
15 s per region.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(region: str, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``ris3 profile`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "ris3"), "profile", region, "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def stages(region: str, out: Path) -> dict[str, float]:
    from ris3.report import profile, write_profile

    p = profile(region)
    write_profile(p, out, formats=["html", "png", "svg"])
    return dict(p.timings)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("region", nargs="?", default="AT33")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    load = os.getloadavg()
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            w, c = run_cli(args.region, Path(tmp) / f"run{i}")
            walls.append(w)
            cpus.append(c)
            print(f"run {i + 1}: wall {w:.1f} s, cpu {c:.1f} s", flush=True)
        st = stages(args.region, Path(tmp) / "stages")
    print(f"\n## Region profile (`ris3 profile {args.region}`)\n")
    print(
        f"benchmarks/bench_profile.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores shared with other users "
        f"(load average {load[0]:.1f} at the start); {args.runs} runs.\n"
    )
    print("| measure | median | min | max |")
    print("|---|---|---|---|")
    print(
        f"| wall clock, s | {statistics.median(walls):.1f} | {min(walls):.1f} | {max(walls):.1f} |"
    )
    print(
        f"| CPU (user + sys), s | {statistics.median(cpus):.1f} | {min(cpus):.1f} | {max(cpus):.1f} |"
    )
    print(
        "\nStages of one in-process run (s; imports are paid by the first stage that needs them):\n"
    )
    print("| stage | seconds |")
    print("|---|---|")
    for k, v in st.items():
        print(f"| {k} | {v:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
