"""Queries and time of one request to each of the parts' main pages and API reads.

Builds the workspace of ``bench_workspace_load.py --parts`` (SQLite, in a
temporary folder), then requests every page and API read of the load test's
parts workload once to warm up and ``--repeat`` times more with Django's test
client in this process (no server, no other clients), counting the database
queries with :class:`django.test.utils.CaptureQueriesContext`. A page whose
query count grows with its rows has an N+1 pattern; one with few queries and
a long time spends it computing or rendering.

Usage::

    PYTHONPATH=src python benchmarks/profile_workspace_parts.py [--stakeholders 10000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_workspace_load as bench  # noqa: E402
import workspace_load_parts as parts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stakeholders", type=int, default=10_000)
    ap.add_argument("--engagements", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ris3-bench-prof-"))
    try:
        ids = bench.build(folder, None, args.stakeholders, args.engagements, parts=True)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        if not client.login(username="facilitator@example.org", password=bench.PASSWORD):
            raise RuntimeError("login failed")
        sid = ids["strategy"]
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {ids['token']}"}
        print(f"{'request':28s} status queries  median ms")
        for label, path in parts.pages(sid, ids["parts"]) + parts.reads(sid, ids["parts"]):
            headers = bearer if path.startswith("/api/") else {}
            client.get(path, **headers)
            times, counts, status = [], [], 0
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as q:
                    t0 = time.perf_counter()
                    status = client.get(path, **headers).status_code
                    times.append(time.perf_counter() - t0)
                counts.append(len(q.captured_queries))
            print(
                f"{label:28s} {status:6d} {max(counts):7d} {1000 * statistics.median(times):10.0f}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
