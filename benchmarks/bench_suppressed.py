"""Accuracy and speed of estimate_suppressed on the bundled Eurostat SBS data.

Run: ``flock /tmp/ris3-bench.lock .venv/bin/python benchmarks/bench_suppressed.py``
(from the project root). Prints Markdown tables for benchmarks/RESULTS.md.

Accuracy: in each seed, 10 % of the OBSERVED cells of the ``regions`` table
(persons employed, all regions and years 2008-2014) are hidden at random,
stratified by size (zeros, then ten size deciles of the positive cells:
10 % of each). The published margins (the ``regions_sections`` and
``countries`` tables) are left as published. The hidden cells are then
estimated by

* ``zero``: 0 (what treating missing as zero does);
* ``national structure``: the region's remaining section gap (published
  section - observed divisions) shared among its missing divisions of the
  section in proportion to the country's published division values (equal
  shares where those are all missing or 0);
* ``IPF sections``: :func:`ris3.estimate_suppressed` with the section margins;
* ``IPF sections + countries``: with both margins (the profile's choice);
* ``IPF + prior``: both margins, starting from the cell's mean in the other
  years where it is observed (the prior is the region's own past or later
  value, not the hidden one).

Errors are measured on the hidden cells every method estimates (the
national structure and IPF need the section margin): median absolute
percentage error over cells with a true value > 0, Spearman rank correlation
with the true values, and the absolute error as a share of the true total;
over all of them, and over the "shared" ones: cells that are not the only
missing cell of a published section or country margin (a lone missing cell
equals its margin's gap, so every margin-based method gets it right).
Each figure is the median over the seeds, with the range in brackets.
"""

from __future__ import annotations

import itertools
import platform
import statistics
import time

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

import ris3
from ris3.data.suppressed import estimate_suppressed

V = "persons_employed"
SEEDS = (0, 1, 2, 3, 4)
SHARE = 0.10


def hide(truth: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of observed cells to hide: SHARE of each size stratum."""
    obs = truth.notna().to_numpy()
    v = truth.to_numpy()
    strata = np.full(len(v), -1)
    strata[obs & (v == 0)] = 0
    pos = obs & (v > 0)
    edges = np.quantile(v[pos], np.linspace(0, 1, 11)[1:-1])
    strata[pos] = 1 + np.searchsorted(edges, v[pos], side="right")
    out = np.zeros(len(v), dtype=bool)
    u = rng.random(len(v))
    for s in np.unique(strata[strata >= 0]):
        idx = np.flatnonzero(strata == s)
        k = int(round(SHARE * idx.size))
        out[idx[np.argsort(u[idx])[:k]]] = True
    return out


def national_structure(
    data: pd.DataFrame, sections: pd.DataFrame, countries: pd.DataFrame
) -> np.ndarray:
    """Section gap shared by the country's division values (NaN where no section margin)."""
    d = data[["geo", "nace_r2", "nace_section", "year", V]].copy()
    d["country"] = d["geo"].str[:2]
    d["missing"] = d[V].isna()
    obs = d.groupby(["geo", "nace_section", "year"])[V].sum().rename("obs")
    sec = sections.set_index(["geo", "nace_r2", "year"])[V]
    sec.index = sec.index.set_names(["geo", "nace_section", "year"])
    gap = (sec - obs.reindex(sec.index).fillna(0)).clip(lower=0).rename("gap")
    w = countries.set_index(["geo", "nace_r2", "year"])[V]
    w.index = w.index.set_names(["country", "nace_r2", "year"])
    d = d.join(gap, on=["geo", "nace_section", "year"])
    d["w"] = w.reindex(pd.MultiIndex.from_frame(d[["country", "nace_r2", "year"]])).to_numpy()
    d["w"] = d["w"].fillna(0.0).where(d["missing"], 0.0)
    grp = d.groupby(["geo", "nace_section", "year"])
    wsum = grp["w"].transform("sum")
    nmiss = grp["missing"].transform("sum")
    share = np.where(wsum > 0, d["w"] / wsum.where(wsum > 0, 1.0), 1.0 / nmiss.clip(lower=1))
    est = d["gap"] * share
    return np.where(d["missing"], est, np.nan)


def determined(data: pd.DataFrame, sections: pd.DataFrame, countries: pd.DataFrame) -> np.ndarray:
    """Missing cells that are the only missing cell of a published section or country margin.

    Such a cell equals its margin's gap exactly (up to the margins' own
    inconsistencies); the others share a margin with other missing cells.
    """
    d = data[["geo", "nace_r2", "nace_section", "year", V]].copy()
    d["country"] = d["geo"].str[:2]
    d["missing"] = d[V].isna()
    n_sec = d.groupby(["geo", "nace_section", "year"])["missing"].transform("sum")
    n_cty = d.groupby(["country", "nace_r2", "year"])["missing"].transform("sum")
    sec = sections.set_index(["geo", "nace_r2", "year"])[V]
    cty = countries.set_index(["geo", "nace_r2", "year"])[V]
    has_sec = sec.reindex(pd.MultiIndex.from_frame(d[["geo", "nace_section", "year"]])).notna()
    has_cty = cty.reindex(pd.MultiIndex.from_frame(d[["country", "nace_r2", "year"]])).notna()
    only = ((n_sec == 1) & has_sec.to_numpy()) | ((n_cty == 1) & has_cty.to_numpy())
    return (d["missing"] & only).to_numpy()


def prior_from_other_years(data: pd.DataFrame) -> pd.Series:
    return data.groupby(["geo", "nace_r2"])[V].transform("mean")


def main() -> None:
    regions = ris3.datasets.load("eu-sbs", "regions")
    sections = ris3.datasets.load("eu-sbs", "regions_sections")
    countries = ris3.datasets.load("eu-sbs", "countries")
    country_of = {g: g[:2] for g in pd.unique(regions["geo"])}
    kw = dict(region="geo", activity="nace_r2", value=V, time="year")
    sec_kw = dict(activity_margins=sections, activity_parent="nace_section")
    both_kw = dict(**sec_kw, region_margins=countries, region_parent=country_of)
    truth = regions[V]
    rows = []
    for seed in SEEDS:
        mask = hide(truth, np.random.default_rng(seed))
        data = regions.copy()
        data.loc[mask, V] = np.nan
        ests = {
            "zero": np.zeros(len(data)),
            "national structure": national_structure(data, sections, countries),
            "IPF sections": estimate_suppressed(data, **kw, **sec_kw).data[V].to_numpy(),  # type: ignore[arg-type]
            "IPF sections + countries": estimate_suppressed(data, **kw, **both_kw)  # type: ignore[arg-type]
            .data[V]
            .to_numpy(),
            "IPF + prior": estimate_suppressed(
                data.assign(_prior=prior_from_other_years(data)),
                **kw,
                **both_kw,
                prior="_prior",  # type: ignore[arg-type]
            )
            .data[V]
            .to_numpy(),
        }
        common = mask.copy()
        for e in ests.values():
            common &= np.isfinite(e)
        t = truth.to_numpy()
        exact = determined(data, sections, countries)
        for (subset, sel), (name, e) in itertools.product(
            (("all", common), ("shared", common & ~exact)), ests.items()
        ):
            cov = float(np.isfinite(e[mask]).mean())
            pos = sel & (t > 0)
            ape = np.abs(e[pos] - t[pos]) / t[pos]
            rho = (
                float("nan") if np.ptp(e[sel]) == 0 else float(spearmanr(e[sel], t[sel]).statistic)  # type: ignore[attr-defined]
            )
            wape = float(np.abs(e[sel] - t[sel]).sum() / t[sel].sum())
            rows.append(
                dict(
                    seed=seed,
                    subset=subset,
                    method=name,
                    hidden=int(mask.sum()),
                    compared=int(sel.sum()),
                    coverage=cov,
                    mdape=float(np.median(ape)),
                    spearman=rho,
                    wape=wape,
                )
            )
    res = pd.DataFrame(rows)
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"{platform.machine()}; seeds {SEEDS}; hidden per seed {res['hidden'].iloc[0]:,}\n"
    )
    print(
        "| hidden cells compared | method | fills (share of hidden cells) | MdAPE | Spearman "
        "| abs. error / true total |"
    )
    print("|---|---|---|---|---|---|")
    for (subset, name), r in res.groupby(["subset", "method"], sort=False):
        n = f"{subset} ({r['compared'].min():,}-{r['compared'].max():,})"

        def span(col: str, fmt: str, r: pd.DataFrame = r) -> str:
            vals = r[col].to_numpy()
            if np.isnan(vals).all():
                return "undefined"
            return f"{np.median(vals):{fmt}} ({vals.min():{fmt}}-{vals.max():{fmt}})"

        print(
            f"| {n} | {name} | {span('coverage', '.1%')} | {span('mdape', '.1%')} | "
            f"{span('spearman', '.3f')} | {span('wape', '.1%')} |"
        )
    # speed on the whole table, both margins
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        est = estimate_suppressed(regions, **kw, **both_kw)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
    print(
        f"\nwhole eu-sbs regions table ({len(regions):,} rows, "
        f"{est.n_missing:,} missing): best {min(times):.2f} s, median "
        f"{statistics.median(times):.2f} s of 3; {est.summary()}"
    )


if __name__ == "__main__":
    main()
