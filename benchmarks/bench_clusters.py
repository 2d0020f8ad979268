"""Benchmark: cluster mapping, stars and shift-share for all European NUTS-2 regions.

Data: the bundled ``eu-sbs`` dataset (Eurostat SBS, persons employed, local
units and wages by NUTS-2 region x NACE Rev. 2 division, 2008-2014).
Cluster definition: each NACE division belongs to its NACE section (the
``nace_section`` column of the same table), a coarse stand-in for cluster
categories that every European region can be mapped to.

Timed steps (best and median of ``--repeat`` runs, wall clock):

1. ``map_clusters`` on all regions x divisions x years (missing cells
   dropped, as the data are confidential in places),
2. ``ClusterMap.tidy()``,
3. ``cluster_stars`` and ``strong_clusters``,
4. ``shift_share`` (dynamic, 2008-2014) on the same table.

Then the same data by European cluster category (the weighted definition of
``ris3.eu_benchmark_clusters()``, 67 categories, divisions split by weight):

5. ``map_clusters`` (employment and local units), ``cluster_stars`` and
   ``strong_clusters`` on it,
6. ``eu_cluster_stars`` end to end (mapping, both ratings and the share of
   each category on missing cells), without loading the data.

Run: ``flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_clusters.py``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import warnings

import pandas as pd

import ris3
from ris3 import datasets
from ris3.clusters.definitions import ClusterDefinition
from ris3.clusters.eu_definitions import eu_benchmark_clusters
from ris3.clusters.mapping import map_clusters
from ris3.clusters.stars import cluster_stars, eu_cluster_stars, strong_clusters
from ris3.measures.dynamics import shift_share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sbs = datasets.load("eu-sbs", table="regions")
    sections = sbs[["nace_r2", "nace_section"]].drop_duplicates()
    definition = ClusterDefinition.from_frame(
        sections, activity="nace_r2", cluster="nace_section", name="NACE sections"
    )
    print(
        f"ris3 {ris3.__version__}, Python {platform.python_version()}, pandas {pd.__version__}; "
        f"{len(sbs):,} rows, {sbs['geo'].nunique()} regions, {sbs['nace_r2'].nunique()} divisions, "
        f"{sbs['year'].nunique()} years, {definition.mapping['cluster'].nunique()} sections"
    )

    timings: dict[str, list[float]] = {
        "map_clusters": [],
        "tidy": [],
        "stars": [],
        "strong": [],
        "shift_share": [],
        "total": [],
    }
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cm = map_clusters(
                sbs,
                definition,
                region="geo",
                activity="nace_r2",
                value="persons_employed",
                establishments="local_units",
                wages="wages_eur_million",
                time="year",
                missing="drop",
            )
        t1 = time.perf_counter()
        tidy = cm.tidy()
        t2 = time.perf_counter()
        stars = cluster_stars(cm)
        t3 = time.perf_counter()
        strong = strong_clusters(cm, traded_only=False)
        t4 = time.perf_counter()
        ss = shift_share(
            sbs,
            region="geo",
            activity="nace_r2",
            value="persons_employed",
            time="year",
            method="dynamic",
            missing="drop",
            unbalanced="drop",
        )
        t5 = time.perf_counter()
        for key, dt in zip(timings, [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0]):
            timings[key].append(dt)
    print(
        f"map: {len(tidy):,} region x section x year rows; stars: {int(stars['stars'].sum()):,} "
        f"stars; strong: {int(strong['strong'].sum()):,}; shift-share: {len(ss.tidy()):,} cells, "
        f"{len(ss.dropped_regions)} regions left out (not observed every year)"
    )
    print(f"{'step':<14}{'best s':>10}{'median s':>10}")
    for key, vals in timings.items():
        print(f"{key:<14}{min(vals):>10.3f}{statistics.median(vals):>10.3f}")
    categories(sbs, args.repeat)


def categories(sbs: pd.DataFrame, repeat: int) -> None:
    """Mapping and stars by European cluster category (weighted definition)."""
    definition = eu_benchmark_clusters()
    timings: dict[str, list[float]] = {"map+stars+strong": [], "eu_cluster_stars": []}
    for _ in range(repeat):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cm = map_clusters(
                sbs,
                definition,
                region="geo",
                activity="nace_r2",
                value="persons_employed",
                establishments="local_units",
                time="year",
                missing="drop",
            )
        stars = cluster_stars(cm)
        strong = strong_clusters(cm)
        t1 = time.perf_counter()
        full = eu_cluster_stars(sbs, definition)
        t2 = time.perf_counter()
        timings["map+stars+strong"].append(t1 - t0)
        timings["eu_cluster_stars"].append(t2 - t1)
    print(
        f"categories: {len(cm.clusters)} x {len(cm.region_labels)} regions x "
        f"{len(cm.times) if cm.times is not None else 1} years; {int(stars['stars'].sum()):,} "
        f"stars, {int(strong['strong'].sum()):,} strong; {len(full):,} rated cells"
    )
    print(f"{'step':<18}{'best s':>10}{'median s':>10}")
    for key, vals in timings.items():
        print(f"{key:<18}{min(vals):>10.3f}{statistics.median(vals):>10.3f}")


if __name__ == "__main__":
    main()
