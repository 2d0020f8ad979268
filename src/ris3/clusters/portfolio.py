"""Cluster portfolio: specialisation against growth, and the cluster's stage.

:func:`portfolio` lays every cluster of a region (or of all regions) out on
the classic portfolio chart — location quotient against growth between two
years, bubble size = employment — assigns the quadrant relative to the
specialisation threshold and the reference growth, and the cluster's
life-cycle stage.

One comparison for quadrant and stage
-------------------------------------
Quadrant and stage read the same two numbers, so they cannot contradict
each other: ``growth`` (the chosen axis: employment CAGR of the cluster in
the region, or its change in LQ) and ``reference_growth`` (the same
measure for the reference), with ``relative = growth - reference_growth``.

* The quadrant is *specialised* when ``LQ1 >= specialisation_lq`` and
  *growing* when ``relative >= 0``.
* The cluster is *advancing* when ``relative > growth_margin`` (also when
  it had no employment at the start and has some at the end), *losing*
  when ``relative < -growth_margin``, otherwise *holding*; it is
  *established* when ``LQ1 >= specialisation_lq`` and ``share >=
  size_share`` (``share`` = the cluster's share of the region's employment
  at the end).

==============================  ==========================================
stage                           rule
==============================  ==========================================
``growing``                     advancing and established
``emerging``                    advancing, not established, ``LQ1 >= emerging_lq``
``mature``                      holding and established
``declining``                   losing and ``LQ0 >= specialisation_lq``
``marginal``                    any other cluster with employment
``absent``                      no employment in either year
==============================  ==========================================

Hence a *growing* or *emerging* cluster is never in a *declining* quadrant,
a *declining* one never in a *growing* quadrant, and a *growing* or
*mature* one is always *specialised*.

Defaults: ``specialisation_lq = 1``, ``emerging_lq = 0.5``,
``size_share = 0.01`` (1 % of the region's employment) and
``growth_margin = 0.005`` (half a percentage point a year, or 0.005 of LQ
with ``growth="lq"``). They are starting points for discussion with the
region, not established constants; change them as parameters.

Missing is not zero
-------------------
A region x cluster cell one of whose activities was missing in the start
or end period (dropped by ``map_clusters(..., missing="drop")``), or whose
region is absent from a period, is not comparable: its value in that
period is NaN (not the sum of the activities that happened to be
observed), its growth, quadrant and stage are undefined, and ``status``
says which period was missing. The reference growth sums only comparable
cells. The LQs are the map's own, one year at a time; to compare LQs on
the same cells in both years, map only the cells observed in both years.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import numpy as np
import pandas as pd

from ris3._compat import renamed_parameters, warn_renamed_option
from ris3._validation import check_number, check_option, short_list
from ris3.clusters.mapping import ClusterMap
from ris3.errors import InputError
from ris3.measures._common import annual_growth, interval_years

__all__ = ["portfolio", "STAGES", "QUADRANTS"]

STAGES: tuple[str, ...] = ("emerging", "growing", "mature", "declining", "marginal", "absent")
QUADRANTS: tuple[str, ...] = (
    "specialised_growing",
    "specialised_declining",
    "unspecialised_growing",
    "unspecialised_declining",
)

GrowthAxis = Literal["value", "lq", "employment"]


@renamed_parameters(region="target")
def portfolio(
    cmap: ClusterMap,
    *,
    start: Hashable,
    end: Hashable,
    target: Hashable | None = None,
    growth: GrowthAxis = "value",
    reference_growth: str | float = "cluster",
    years: float | None = None,
    specialisation_lq: float = 1.0,
    emerging_lq: float = 0.5,
    size_share: float = 0.01,
    growth_margin: float = 0.005,
) -> pd.DataFrame:
    """Portfolio table of clusters: LQ, growth, employment, quadrant, stage.

    Parameters
    ----------
    cmap : ClusterMap
        From :func:`ris3.map_clusters` with a time column.
    start, end : period labels
        The two periods compared.
    target : label, optional
        One region (a label of the map's region column); default every
        region of the map. ``region=`` is its old name (deprecated).
    growth : {"value", "lq"}, default "value"
        The horizontal axis: the CAGR of the cluster's value (employment) in
        the region (``growth``), or the change in LQ (``lq_change``).
        ``"employment"`` is the old name of ``"value"`` (deprecated).
    reference_growth : "cluster", "total" or float, default "cluster"
        What growth is compared with, for the quadrant and the stage alike.
        For ``growth="value"``: ``"cluster"`` = CAGR of the same
        cluster over all regions of the map, ``"total"`` = CAGR of the
        employment of all clusters of the map, both summed over the cells
        comparable in the two periods; or a number. For ``growth="lq"``
        only a number is allowed ("cluster" means 0: an unchanged LQ).
    years : float, optional
        Length of the interval; default ``end - start``.
    specialisation_lq, emerging_lq, size_share, growth_margin : float
        Thresholds of the stage rule (see the module docstring). The stage
        uses the quadrant's comparison: ``growth`` against
        ``reference_growth`` (``lq_change`` against ``reference_lq_change``
        with ``growth="lq"``).

    Returns
    -------
    DataFrame
        One row per region x cluster: region, ``cluster``, ``cluster_name``,
        [``subcluster``], ``cluster_type``, ``value`` (end),
        ``value_start``, ``change``, ``growth`` (CAGR of the value),
        ``lq`` (end), ``lq_start``, ``lq_change``, ``share`` (end),
        ``reference_growth`` (with ``growth="value"``) or
        ``reference_lq_change`` (with ``growth="lq"``), ``quadrant``
        (one of :data:`QUADRANTS`; NaN without employment at the end or with
        undefined growth), ``stage`` (one of :data:`STAGES`; NaN when not
        comparable) and ``status`` (``"observed"``, ``"missing_start"``,
        ``"missing_end"`` or ``"missing_both"``; see "Missing is not zero"
        in the module docstring). Values of a period where the cell is
        missing are NaN; growth, quadrant and stage need both periods.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.clusters.definitions import ClusterDefinition
    >>> from ris3.clusters.mapping import map_clusters
    >>> df = pd.DataFrame({"year": [2010] * 4 + [2011] * 4, "geo": ["A", "A", "B", "B"] * 2,
    ...                    "code": ["1", "2"] * 4,
    ...                    "emp": [30.0, 10, 10, 50, 40, 10, 10, 50]})
    >>> d = ClusterDefinition.from_frame(pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"]}),
    ...                                  activity="a", cluster="c")
    >>> cm = map_clusters(df, d, region="geo", activity="code", value="emp", time="year")
    >>> portfolio(cm, start=2010, end=2011, target="A")[["cluster", "quadrant", "stage"]]
      cluster               quadrant     stage
    0       X    specialised_growing   growing
    1       Y  unspecialised_growing  marginal
    """
    if not isinstance(cmap, ClusterMap):
        raise InputError(
            f"portfolio needs a ClusterMap from ris3.map_clusters; got {type(cmap).__name__}"
        )
    if isinstance(growth, str) and growth == "employment":
        warn_renamed_option("portfolio", "growth", "employment", "value")
        growth = "value"
    check_option("growth", growth, ("value", "lq"))
    check_number("specialisation_lq", specialisation_lq, low=0, low_inclusive=False)
    check_number("emerging_lq", emerging_lq, low=0)
    check_number("size_share", size_share, low=0, high=1)
    check_number("growth_margin", growth_margin, low=0)
    if isinstance(reference_growth, str):
        check_option("reference_growth", reference_growth, ("cluster", "total"))
        if growth == "lq" and reference_growth == "total":
            raise InputError(
                "reference_growth='total' applies to growth='value'; with growth='lq' "
                "give a number (default 'cluster' means 0, an unchanged LQ)"
            )
    else:
        check_number("reference_growth", reference_growth)

    g = cmap.growth(start, end, years=years)
    t0, t1 = cmap.period_index(start), cmap.period_index(end)
    n_years = interval_years(start, end, years)
    ok0, ok1 = _observed(cmap, t0), _observed(cmap, t1)  # (regions, clusters)
    both = ok0 & ok1
    e_ref0 = np.where(both, cmap.employment[t0], 0.0).sum(axis=0)
    e_ref1 = np.where(both, cmap.employment[t1], 0.0).sum(axis=0)
    ref_by_cluster = annual_growth(e_ref0, e_ref1, n_years)
    total_rate = float(
        annual_growth(np.array([e_ref0.sum()]), np.array([e_ref1.sum()]), n_years)[0]
    )
    r_i = np.flatnonzero(cmap.present[t0] | cmap.present[t1])  # the rows of cmap.growth
    obs0, obs1 = ok0[r_i].ravel(), ok1[r_i].ravel()
    ref_cluster = np.tile(ref_by_cluster, r_i.size)
    rcol = cmap.columns["region"]
    if target is not None:
        if target not in set(cmap.region_labels):
            raise InputError(
                f"target {target!r} is not in column {rcol!r}; regions: "
                f"{short_list(cmap.region_labels)}"
            )
        sel = (g[rcol] == target).to_numpy()
        g, ref_cluster = g[sel].reset_index(drop=True), ref_cluster[sel]
        obs0, obs1 = obs0[sel], obs1[sel]

    out = g[[rcol, *[c for c in cmap.clusters.columns]]].copy()
    comparable = obs0 & obs1
    e0 = np.where(obs0, g["value_start"].to_numpy(), np.nan)
    e1 = np.where(obs1, g["value_end"].to_numpy(), np.nan)
    out["value"] = e1
    out["value_start"] = e0
    out["change"] = np.where(comparable, e1 - e0, np.nan)
    cagr = np.where(comparable, g["growth"].to_numpy(), np.nan)
    out["growth"] = cagr
    lq0 = np.where(obs0, g["lq_start"].to_numpy(), np.nan)
    lq1 = np.where(obs1, g["lq_end"].to_numpy(), np.nan)
    out["lq"] = lq1
    out["lq_start"] = lq0
    out["lq_change"] = lq1 - lq0
    share1 = np.where(obs1, g["share_end"].to_numpy(), np.nan)
    out["share"] = share1

    if growth == "value":
        axis = cagr
        if reference_growth == "cluster":
            ref_axis = ref_cluster
        elif reference_growth == "total":
            ref_axis = np.full(len(out), total_rate)
        else:
            ref_axis = np.full(len(out), float(reference_growth))
    else:
        axis = lq1 - lq0
        ref_axis = np.full(
            len(out), 0.0 if reference_growth == "cluster" else float(reference_growth)
        )
    out["reference_growth" if growth == "value" else "reference_lq_change"] = ref_axis
    valid = (np.nan_to_num(e1) > 0) & np.isfinite(axis) & np.isfinite(ref_axis)
    with np.errstate(invalid="ignore"):
        spec = lq1 >= specialisation_lq
        up = axis >= ref_axis
    quadrant = np.where(
        spec,
        np.where(up, QUADRANTS[0], QUADRANTS[1]),
        np.where(up, QUADRANTS[2], QUADRANTS[3]),
    ).astype(object)
    quadrant[~valid] = np.nan
    out["quadrant"] = quadrant

    out["stage"] = _stage(
        e0,
        e1,
        axis,
        ref_axis,
        lq0,
        lq1,
        share1,
        specialisation_lq=specialisation_lq,
        emerging_lq=emerging_lq,
        size_share=size_share,
        growth_margin=growth_margin,
    )
    status = np.full(len(out), "observed", dtype=object)
    status[~obs1] = "missing_end"
    status[~obs0] = "missing_start"
    status[~obs0 & ~obs1] = "missing_both"
    out["status"] = status
    return out


def _observed(cmap: ClusterMap, t: int) -> np.ndarray:
    """Return a (regions, clusters) bool matrix of the cells observed in period ``t``.

    True where the region is present in period ``t`` and none of the cluster's
    activities had a missing value there (dropped by the map).
    """
    ok = np.repeat(cmap.present[t][:, None], len(cmap.clusters), axis=1)
    report = cmap.missing.get("employment") if isinstance(cmap.missing, dict) else None
    keys = getattr(report, "keys", None)
    if getattr(report, "policy", None) != "drop" or keys is None or len(keys) == 0:
        return ok
    rcol, acol, tcol = cmap.columns["region"], cmap.columns["activity"], cmap.columns["time"]
    if tcol is not None and cmap.times is not None and tcol in keys.columns:
        keys = keys[(keys[tcol] == cmap.times[t]).to_numpy()]
    m = cmap.definition.mapping
    cols = [c for c in ("cluster", "subcluster") if c in cmap.clusters.columns]
    cluster_of = pd.MultiIndex.from_frame(cmap.clusters[cols]).get_indexer(
        pd.MultiIndex.from_frame(m[cols])
    )
    # an activity may belong to several clusters (weighted definitions): one pair per row
    rows = pd.DataFrame({"a": m["activity"].to_numpy(dtype=object), "c": cluster_of})
    cells = pd.DataFrame(
        {
            "a": keys[str(acol)].to_numpy(dtype=object),
            "r": cmap.region_labels.get_indexer(keys[str(rcol)]),
        }
    ).merge(rows, on="a")
    r, c = cells["r"].to_numpy(), cells["c"].to_numpy()
    hit = (r >= 0) & (c >= 0)
    ok[r[hit], c[hit]] = False
    return ok


def _stage(
    e0: np.ndarray,
    e1: np.ndarray,
    axis: np.ndarray,
    ref_axis: np.ndarray,
    lq0: np.ndarray,
    lq1: np.ndarray,
    share1: np.ndarray,
    *,
    specialisation_lq: float,
    emerging_lq: float,
    size_share: float,
    growth_margin: float,
) -> np.ndarray:
    """Apply the stage rule of the module docstring, vectorised (the quadrant's comparison)."""
    e0z, e1z = np.nan_to_num(e0), np.nan_to_num(e1)
    with np.errstate(invalid="ignore"):
        relative = axis - ref_axis
        entered = (e0z == 0) & (e1z > 0)
        advancing = entered | (relative > growth_margin)
        losing = ~entered & (relative < -growth_margin)
        holding = ~advancing & ~losing & np.isfinite(relative)
        established = (np.nan_to_num(lq1) >= specialisation_lq) & (
            np.nan_to_num(share1) >= size_share
        )
        was_specialised = np.nan_to_num(lq0) >= specialisation_lq
    stage = np.full(e0.shape, "marginal", dtype=object)
    stage[advancing & ~established & (np.nan_to_num(lq1) >= emerging_lq)] = "emerging"
    stage[advancing & established] = "growing"
    stage[holding & established] = "mature"
    stage[losing & was_specialised] = "declining"
    stage[(e0z == 0) & (e1z == 0)] = "absent"
    # a cell missing in one of the periods (or its region absent) has no stage
    stage[np.isnan(e0) | np.isnan(e1)] = np.nan
    return stage
