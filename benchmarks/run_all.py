"""Run every benchmark script in this folder, one after the other.

Usage (from the repository root)::

    .venv/bin/python benchmarks/run_all.py            # all benchmarks
    .venv/bin/python benchmarks/run_all.py complexity # those whose name contains a word

Each script prints its own Markdown table; copy the results into
benchmarks/RESULTS.md. Some benchmarks take many minutes (the 100 million
job spells, the 20-year complexity panel against ecomplexity, the million
firm panel); run them on an otherwise idle machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(word in s.stem for word in argv)]
    if not scripts:
        print(
            f"no benchmark matches {argv}; available: {[s.stem for s in HERE.glob('bench_*.py')]}"
        )
        return 2
    failed = []
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"\n({script.name}: {time.perf_counter() - start:.1f} s, exit {proc.returncode})")
        if proc.returncode:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
