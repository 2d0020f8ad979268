"""European cluster categories in a region profile: stars, strong clusters, portfolio.

Internal to :mod:`ris3.report`. With data on NACE Rev. 2 divisions the profile
rates the region's European cluster categories (:func:`ris3.eu_benchmark_clusters`)
with :func:`ris3.eu_cluster_stars` and lays them out on the portfolio chart; the
portfolio compares the years on the cells comparable in both (the selection the
division portfolio uses), so a missing cell never counts as 0 in a category.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from ris3._validation import check_option
from ris3.clusters.definitions import ClusterDefinition
from ris3.errors import InputError

# the tidy column names used inside the profile (as in ris3.report._compute)
R, A, V, T = "geo", "activity", "employment", "year"

ClusterOption = Literal["categories", "divisions"]

#: values of ``profile(clusters=...)``
CLUSTER_OPTIONS: tuple[str, ...] = ("categories", "divisions")

#: name of the definition used when every activity is its own cluster
DIVISIONS_DEFINITION = "one cluster per activity"

CATEGORY_NOTE = (
    "Cluster categories: the clusters of related industries that Delgado, Porter and Stern "
    "(2016) defined on US industries (the US benchmark cluster definitions), translated to "
    "NACE Rev. 2 divisions with the US Census Bureau's correspondence of 2012 NAICS to ISIC "
    "Rev. 4; a division whose industries fall in several clusters is shared between them in "
    "proportion to their US employment in County Business Patterns 2019 "
    "(ris3.eu_benchmark_clusters; licence CC BY-SA)."
)


@functools.cache
def _nace_divisions() -> frozenset[str]:
    from ris3.data.classifications import hierarchy

    h = hierarchy("nace_eurostat")
    return frozenset(h.loc[h["child_level"] == "division", "child"].astype(str))


def check_clusters(option: str | None) -> None:
    """Validate ``clusters=`` (None = chosen from the data)."""
    if option is not None:
        check_option("clusters", option, CLUSTER_OPTIONS)


def resolve_clusters(option: str | None, activities: Iterable[str]) -> str:
    """``"categories"`` or ``"divisions"`` for these activity codes.

    Without a choice, categories when every activity code is a NACE Rev. 2
    division in Eurostat's form (``"C29"``), divisions otherwise.
    """
    check_clusters(option)
    codes = {str(a) for a in activities}
    other = sorted(codes - _nace_divisions())
    if option is None:
        return "categories" if codes and not other else "divisions"
    if option == "categories" and other:
        raise InputError(
            "clusters='categories' needs activity codes that are NACE Rev. 2 divisions in "
            f"Eurostat's form (e.g. 'C29', 'I55'); got {other[:5]}"
            + (" ..." if len(other) > 5 else "")
            + "; use clusters='divisions' (each activity its own cluster)"
        )
    return option


def _size(definition: ClusterDefinition) -> np.ndarray:
    """Size of each definition row: its US employment, else its weight."""
    m = definition.mapping
    if "us_employment" in m.columns:
        return pd.to_numeric(m["us_employment"]).to_numpy(dtype=np.float64)
    return definition.weights.to_numpy(dtype=np.float64)


def _estimated_categories(definition: ClusterDefinition, estimated: set[str]) -> set[str]:
    """Categories with a positive weight on one of the ``estimated`` divisions."""
    m = definition.mapping
    hit = m["activity"].isin(estimated) & (definition.weights.to_numpy() > 0)
    return set(m.loc[hit.to_numpy(), "cluster"].astype(str))


def category_stars(region: str, cur: pd.DataFrame, definition: ClusterDefinition) -> pd.DataFrame:
    """Return the region's rows of :func:`ris3.eu_cluster_stars` on the year's cells.

    Sorted by stars, then LQ (both descending); ``estimated`` marks a category
    with weight on an estimated cell of the region.
    """
    from ris3.clusters.stars import eu_cluster_stars

    units = "units" if "units" in cur.columns else None
    with warnings.catch_warnings():
        # divisions outside the definition stay in the totals (reported by the map)
        warnings.simplefilter("ignore")
        stars = eu_cluster_stars(
            cur[[c for c in (R, A, T, V, "units") if c in cur.columns]],
            definition,
            region=R,
            activity=A,
            value=V,
            establishments=units,
            time=T,
        )
    t = stars[stars[R] == region].drop(columns=[T, R])
    t = t.sort_values(["stars", "lq"], ascending=False, kind="stable", na_position="last")
    est = set(cur.loc[(cur[R] == region) & cur["estimated"], A].astype(str))
    t["estimated"] = t["cluster"].astype(str).isin(_estimated_categories(definition, est))
    return t.reset_index(drop=True)


def category_portfolio(
    region: str,
    dy: pd.DataFrame,
    both: pd.DataFrame,
    y0: int,
    y: int,
    national_growth: float,
    definition: ClusterDefinition,
) -> pd.DataFrame:
    """Portfolio of the region's categories on the cells comparable in both years.

    ``both`` holds only cells with a value in both years and no break in
    series, so every sum, LQ and growth rests on them alone. Added columns:
    ``visible_share`` (share of the category, by the US employment behind
    its weights, on divisions observed anywhere in the data),
    ``incomplete_share`` (share of the part in the data lying on divisions
    of the region that are not comparable: missing or confidential in one of
    the years, or with a break in series) and ``estimated``. ``status`` is
    ``"observed"`` (all of the category's divisions comparable),
    ``"incomplete"`` (some) or ``"not_comparable"`` (none, or the data do not
    cover the category at all); the last has no values.
    """
    from ris3.clusters.mapping import map_clusters
    from ris3.clusters.portfolio import portfolio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cm = map_clusters(
            both[[R, A, T, V]],
            definition,
            region=R,
            activity=A,
            value=V,
            time=T,
            missing="drop",
        )
    pf = portfolio(cm, start=y0, end=y, target=region, reference_growth=national_growth)
    m = definition.mapping
    size = _size(definition)
    seen = pd.unique(dy.loc[dy[V].notna(), A])
    visible = definition.coverage(seen, size="us_employment" if "us_employment" in m else None)
    in_data = m["activity"].isin(pd.unique(dy[A])).to_numpy()
    comparable = m["activity"].isin(set(both.loc[both[R] == region, A])).to_numpy()
    clusters = m["cluster"].astype(str).to_numpy()
    total = pd.Series(np.where(in_data, size, 0.0)).groupby(clusters).sum()
    left_out = pd.Series(np.where(in_data & ~comparable, size, 0.0)).groupby(clusters).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        incomplete = left_out / total.where(total > 0)
    key = pf["cluster"].astype(str)
    pf["visible_share"] = key.map(visible.set_index("cluster")["covered_share"]).to_numpy()
    pf["incomplete_share"] = key.map(incomplete).to_numpy()
    inc = pf["incomplete_share"].to_numpy(dtype=np.float64)
    none = ~(np.nan_to_num(pf["visible_share"].to_numpy(dtype=np.float64)) > 0) | ~(inc < 1 - 1e-12)
    status = np.where(inc > 1e-12, "incomplete", "observed").astype(object)
    status[none] = "not_comparable"
    pf["status"] = status
    for col in pf.columns:
        if col in ("cluster", "cluster_name", "cluster_type", "status", R, "subcluster"):
            continue
        if col in ("visible_share", "incomplete_share", "reference_growth"):
            continue
        pf[col] = (
            pf[col].astype(object).where(~none, None)
            if pf[col].dtype == object
            else (pf[col].where(~none))
        )
    mine = dy[(dy[R] == region) & dy["estimated"]]
    est = set(mine[A].astype(str)) & set(both.loc[both[R] == region, A].astype(str))
    pf["estimated"] = key.isin(_estimated_categories(definition, est)).to_numpy()
    return pf.reset_index(drop=True)
