"""Benchmark: skill relatedness from 100 million synthetic job spells.

Generates (once, with a fixed seed) a Parquet dataset of job spells under
``--data`` (default ``/tmp/ris3_bench_spells``; ~1-2 GB, never in the repo),
then measures, each in a fresh subprocess (so peak RSS is the run's own):

1. ris3 on DuckDB over all spells: ``job_spells_to_flows`` on the Parquet
   glob, then ``skill_relatedness`` on the flows;
2. the same on a subsample (the first files, ~10 million spells);
3. a plain pandas implementation of the same computation on that subsample
   (the baseline: pandas holds everything in memory, so it is not run on
   100 million rows).

The results of 2 and 3 are compared value by value.

Synthetic data: ``--workers`` workers (default 25 million), each with a
geometric number of spells (mean ``--spells / --workers``), spells back to
back with short non-negative gaps (no overlaps). 400 industries with
log-normal sizes; a worker's next industry is the same one with probability
0.45, otherwise a "skill neighbour" (industries sit on a circle, distance
drawn from a geometric law) with probability 0.4, otherwise any industry
drawn by size. So flows are skewed and have a relatedness structure.

Run under the shared lock, e.g.::

    flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_skill_relatedness.py
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

N_INDUSTRIES = 400
SEED = 20130301
EPOCH_DAY = 7305  # 1990-01-01 as days since 1970-01-01


def generate(folder: Path, n_workers: int, n_spells: int, chunk_workers: int) -> None:
    """Write the spells as Parquet files of ``chunk_workers`` workers each."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    size = rng.lognormal(0.0, 1.2, N_INDUSTRIES)
    size_p = size / size.sum()
    mean_spells = n_spells / n_workers
    p_geom = 1.0 / mean_spells
    first_worker = 0
    part = 0
    while first_worker < n_workers:
        n_w = min(chunk_workers, n_workers - first_worker)
        k = rng.geometric(p_geom, n_w)  # spells per worker, >= 1
        n = int(k.sum())
        worker = np.repeat(np.arange(first_worker, first_worker + n_w, dtype=np.int64), k)
        starts_of_worker = np.cumsum(k) - k
        pos = np.arange(n) - np.repeat(starts_of_worker, k)  # spell number within worker
        first = pos == 0
        # industries: a Markov chain per worker, vectorised step by step over spell number
        industry = np.empty(n, dtype=np.int32)
        industry[first] = rng.choice(N_INDUSTRIES, size=int(first.sum()), p=size_p)
        for step in range(1, int(k.max())):
            idx = np.flatnonzero(pos == step)
            prev = industry[idx - 1]
            u = rng.random(idx.size)
            offset = rng.geometric(0.3, idx.size) * rng.choice([-1, 1], idx.size)
            neighbour = (prev + offset) % N_INDUSTRIES
            anywhere = rng.choice(N_INDUSTRIES, size=idx.size, p=size_p)
            industry[idx] = np.where(u < 0.45, prev, np.where(u < 0.85, neighbour, anywhere))
        duration = rng.geometric(1 / 900, n).astype(np.int64)
        gap = rng.geometric(1 / 40, n).astype(np.int64) - 1
        first_start = rng.integers(0, 9000, n_w)
        step_len = duration + gap
        cum = np.cumsum(step_len)
        base = np.repeat(cum[starts_of_worker] - step_len[starts_of_worker], k)
        start = np.repeat(first_start, k) + (cum - step_len) - base + EPOCH_DAY
        end = start + duration
        table = pa.table(
            {
                "worker": worker,
                "industry": industry,
                "start": pa.array(start.astype(np.int32), pa.int32()).cast(pa.date32()),
                "end": pa.array(end.astype(np.int32), pa.int32()).cast(pa.date32()),
            }
        )
        pq.write_table(table, folder / f"part-{part:04d}.parquet", row_group_size=1_000_000)
        first_worker += n_w
        part += 1


def _run_ris3(glob: str, threads: int, memory_limit: str, temp: str) -> dict:
    import ris3
    from ris3.engines import connect

    t0 = time.perf_counter()
    con = connect("duckdb", threads=threads, memory_limit=memory_limit, temp_directory=temp)
    flows = ris3.job_spells_to_flows(
        glob, worker="worker", industry="industry", start="start", end="end", backend=con
    )
    t1 = time.perf_counter()
    sr = ris3.skill_relatedness(
        flows, origin="origin", destination="destination", count="count", backend=con
    )
    t2 = time.perf_counter()
    return {
        "flows_s": t1 - t0,
        "sr_s": t2 - t1,
        "total_s": t2 - t0,
        "transitions": flows.attrs["transitions"],
        "pairs": len(sr),
        "sr": sr[["origin", "destination", "skill_relatedness"]].to_dict("list"),
    }


def _run_pandas(files: list[str]) -> dict:
    """Plain pandas: the same definitions, everything in memory."""
    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    s = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    s = s.sort_values(["worker", "start", "end", "industry"], kind="stable")
    nxt_worker = s["worker"].shift(-1)
    nxt_ind = s["industry"].shift(-1)
    nxt_start = s["start"].shift(-1)
    same = (nxt_worker == s["worker"]).to_numpy()
    moves = pd.DataFrame(
        {"origin": s["industry"].to_numpy()[same], "destination": nxt_ind.to_numpy()[same]}
    )
    overlap = int((nxt_start.to_numpy()[same] < s["end"].to_numpy()[same]).sum())
    flows = moves.value_counts().rename("count").reset_index()
    t1 = time.perf_counter()
    f = flows[flows.origin != flows.destination].astype({"count": "float64"})
    out_t = f.groupby("origin")["count"].sum()
    in_t = f.groupby("destination")["count"].sum()
    total = f["count"].sum()
    fwd = f.set_index(["origin", "destination"])["count"]
    pairs = pd.concat(
        [
            f[["origin", "destination"]],
            f.rename(columns={"origin": "destination", "destination": "origin"})[
                ["origin", "destination"]
            ],
        ]
    ).drop_duplicates()
    pairs = pairs.reset_index(drop=True)
    flow = fwd.reindex(pd.MultiIndex.from_frame(pairs)).fillna(0.0).to_numpy()
    expected = (
        out_t.reindex(pairs.origin).to_numpy() * in_t.reindex(pairs.destination).to_numpy() / total
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, flow / expected, np.nan)
    pairs["d"] = (ratio - 1) / (ratio + 1)
    rev = pairs.set_index(["destination", "origin"])["d"]
    rev.index.names = ["origin", "destination"]
    back = rev.reindex(pd.MultiIndex.from_frame(pairs[["origin", "destination"]])).to_numpy()
    pairs["skill_relatedness"] = (pairs["d"].to_numpy() + back) / 2
    pairs = pairs.sort_values(["origin", "destination"])
    t2 = time.perf_counter()
    return {
        "flows_s": t1 - t0,
        "sr_s": t2 - t1,
        "total_s": t2 - t0,
        "spells": len(s),
        "overlap": overlap,
        "pairs": len(pairs),
        "sr": pairs[["origin", "destination", "skill_relatedness"]].to_dict("list"),
    }


def _child(args: argparse.Namespace) -> None:
    if args.child == "ris3":
        out = _run_ris3(args.glob, args.threads, args.memory_limit, args.temp)
    else:
        out = _run_pandas(args.files)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(out, sys.stdout)


def _spawn(extra: list[str]) -> dict:
    cmd = [sys.executable, __file__, *extra]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"child failed: {' '.join(cmd)}\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout)
    out["wall_s"] = wall
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="/tmp/ris3_bench_spells")
    p.add_argument("--workers", type=int, default=25_000_000)
    p.add_argument("--spells", type=int, default=100_000_000)
    p.add_argument("--chunk-workers", type=int, default=1_000_000)
    p.add_argument("--subsample-files", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--memory-limit", default="3GB")
    p.add_argument("--temp", default="/tmp/ris3_bench_duckdb_tmp")
    p.add_argument("--skip-full", action="store_true")
    p.add_argument("--skip-subsample", action="store_true")
    p.add_argument("--child", choices=["ris3", "pandas"])
    p.add_argument("--glob")
    p.add_argument("--files", nargs="*")
    args = p.parse_args()
    if args.child:
        _child(args)
        return

    import pyarrow.parquet as pq

    data = Path(args.data)
    if not any(data.glob("*.parquet")):
        t0 = time.perf_counter()
        generate(data, args.workers, args.spells, args.chunk_workers)
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    files = sorted(str(f) for f in data.glob("*.parquet"))
    n_all = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    size_gb = sum(Path(f).stat().st_size for f in files) / 1e9
    sub = files[: args.subsample_files]
    n_sub = sum(pq.ParquetFile(f).metadata.num_rows for f in sub)
    print(
        f"{n_all:,} spells in {len(files)} files ({size_gb:.2f} GB); subsample {n_sub:,}",
        flush=True,
    )

    common = [
        "--threads",
        str(args.threads),
        "--memory-limit",
        args.memory_limit,
        "--temp",
        args.temp,
    ]
    results: dict = {"spells": n_all, "parquet_gb": size_gb, "subsample_spells": n_sub}
    if not args.skip_subsample:
        sub_glob = str(data / "sub" / "*.parquet")
        (data / "sub").mkdir(exist_ok=True)
        for f in sub:
            link = data / "sub" / Path(f).name
            if not link.exists():
                link.symlink_to(f)
        r_sub = _spawn(["--child", "ris3", "--glob", sub_glob, *common])
        print(
            f"ris3/DuckDB subsample: {r_sub['wall_s']:.1f} s, {r_sub['peak_rss_mb']:.0f} MB",
            flush=True,
        )
        p_sub = _spawn(["--child", "pandas", "--files", *sub])
        print(
            f"pandas subsample: {p_sub['wall_s']:.1f} s, {p_sub['peak_rss_mb']:.0f} MB", flush=True
        )
        import numpy as np

        a, b = r_sub.pop("sr"), p_sub.pop("sr")
        same_pairs = a["origin"] == b["origin"] and a["destination"] == b["destination"]
        x = np.array(a["skill_relatedness"], dtype=float)
        y = np.array(b["skill_relatedness"], dtype=float)
        max_diff = float(np.nanmax(np.abs(x - y))) if same_pairs else float("nan")
        results.update(ris3_subsample=r_sub, pandas_subsample=p_sub)
        results["subsample_same_pairs"] = same_pairs
        results["subsample_max_abs_diff"] = max_diff
        print(f"same pairs: {same_pairs}, max |diff| = {max_diff:.2e}", flush=True)
    if not args.skip_full:
        r_all = _spawn(["--child", "ris3", "--glob", str(data / "*.parquet"), *common])
        r_all.pop("sr")
        results["ris3_full"] = r_all
        print(
            f"ris3/DuckDB all: {r_all['wall_s']:.1f} s, {r_all['peak_rss_mb']:.0f} MB", flush=True
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
