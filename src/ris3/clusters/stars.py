"""Cluster star ratings and strong-cluster flags.

* :func:`cluster_stars` — European Cluster Observatory stars: one each for
  size, specialisation and focus.
* :func:`strong_clusters` — US Cluster Mapping Project strong clusters.
* :func:`cluster_strength` — a region's share of traded employment in
  strong clusters.
* :func:`eu_cluster_stars` — both ratings for European regions by cluster
  category (:func:`ris3.eu_benchmark_clusters`), with the share of each
  category resting on missing cells.

All three work on a :class:`~ris3.clusters.mapping.ClusterMap` and compare,
per cluster and period, the regions with employment > 0 in that cluster.
The computations run on the map's ``(n_times, n_regions, n_clusters)``
arrays along the region axis; nothing loops over regions or clusters.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ris3._compat import renamed_parameters
from ris3._validation import check_flag, check_number
from ris3.clusters.definitions import ClusterDefinition
from ris3.clusters.mapping import ClusterMap
from ris3.errors import ConventionError, DegenerateDataWarning, InputError

__all__ = [
    "cluster_stars",
    "strong_clusters",
    "cluster_strength",
    "top_share_flags",
    "eu_cluster_stars",
]


def top_share_flags(values: np.ndarray, eligible: np.ndarray, top_share: float) -> np.ndarray:
    """Flag the top ``top_share`` of eligible entries along axis 1.

    ``values`` and ``eligible`` have shape ``(n_times, n_regions, n_clusters)``.
    Among the eligible regions of each (period, cluster), with ``n`` of
    them, a region is flagged when its rank (1 = largest; tied values share
    the best rank) is at most ``ceil(top_share * n)``. Ties at the cut-off
    are all flagged, so slightly more than ``top_share`` of regions can be.

    Examples
    --------
    >>> v = np.array([10.0, 9.0, 9.0, 1.0, 0.0])[None, :, None]
    >>> top_share_flags(v, v > 0, 0.25)[0, :, 0].tolist()   # ceil(0.25 * 4) = 1
    [True, False, False, False, False]
    >>> top_share_flags(v, v > 0, 0.5)[0, :, 0].tolist()    # ceil(0.5 * 4) = 2; tie at 2
    [True, True, True, False, False]
    """
    from scipy.stats import rankdata

    ranked = rankdata(np.where(eligible, -values, np.nan), method="min", axis=1, nan_policy="omit")
    n = eligible.sum(axis=1, keepdims=True)
    cutoff = np.ceil(top_share * n - 1e-9)
    return eligible & (ranked <= cutoff)


def _check_map(cmap: object, what: str) -> ClusterMap:
    if not isinstance(cmap, ClusterMap):
        raise InputError(
            f"{what} needs a ClusterMap from ris3.map_clusters; got {type(cmap).__name__}"
        )
    return cmap


def cluster_stars(
    cmap: ClusterMap,
    *,
    size_top_share: float = 0.10,
    specialisation_lq: float = 2.0,
    focus_top_share: float = 0.10,
) -> pd.DataFrame:
    """European Cluster Observatory star ratings of every region x cluster.

    One star each for:

    * **size** — the region is among the top ``size_top_share`` of regions
      by the cluster's employment;
    * **specialisation** — ``LQ >= specialisation_lq``;
    * **focus** — the region is among the top ``focus_top_share`` of
      regions by the cluster's share of the region's employment.

    "Top 10 %" is computed per cluster and period among the regions with
    employment > 0 in that cluster: with ``n`` such regions, a region earns
    the star when its rank (1 = largest, tied regions share the best rank)
    is at most ``ceil(0.10 * n)`` (at least one region gets it; all regions
    tied at the cut-off get it). Regions without employment in the cluster
    get no star.

    Parameters
    ----------
    cmap : ClusterMap
        From :func:`ris3.map_clusters`; the LQ is the one of the map (its
        reference and base).
    size_top_share, focus_top_share : float, default 0.10
        Share of regions (in (0, 1]) that earn the size / focus star.
    specialisation_lq : float, default 2.0
        LQ at or above which the specialisation star is earned.

    Returns
    -------
    DataFrame
        One row per [period x] region x cluster: [time], region, ``cluster``,
        ``cluster_name``, [``subcluster``], ``cluster_type``, ``value``,
        ``lq``, ``share``, ``size_star``, ``specialisation_star``,
        ``focus_star`` (bool) and ``stars`` (0-3).

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.clusters.definitions import ClusterDefinition
    >>> from ris3.clusters.mapping import map_clusters
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "code": ["1", "2", "1", "2"],
    ...                    "emp": [30.0, 10.0, 10.0, 50.0]})
    >>> d = ClusterDefinition.from_frame(pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"]}),
    ...                                  activity="a", cluster="c")
    >>> cm = map_clusters(df, d, region="geo", activity="code", value="emp")
    >>> cluster_stars(cm, specialisation_lq=1.5)[["geo", "cluster", "stars"]]
      geo cluster  stars
    0   A       X      3
    1   A       Y      0
    2   B       X      0
    3   B       Y      2
    """
    cmap = _check_map(cmap, "cluster_stars")
    check_number("size_top_share", size_top_share, low=0, high=1, low_inclusive=False)
    check_number("focus_top_share", focus_top_share, low=0, high=1, low_inclusive=False)
    check_number("specialisation_lq", specialisation_lq, low=0, low_inclusive=False)
    emp = cmap.employment
    eligible = cmap.present[:, :, None] & (np.nan_to_num(emp) > 0)
    share = cmap.employment_share
    size = top_share_flags(emp, eligible, size_top_share)
    focus = top_share_flags(share, eligible, focus_top_share)
    spec = eligible & (np.nan_to_num(cmap.lq) >= specialisation_lq)
    keys, t_i, r_i = cmap._keys()

    def flat(a: np.ndarray) -> np.ndarray:
        return a[t_i, r_i, :].ravel()

    out = keys
    out["value"] = flat(emp)
    out["lq"] = flat(cmap.lq)
    out["share"] = flat(share)
    out["size_star"] = flat(size)
    out["specialisation_star"] = flat(spec)
    out["focus_star"] = flat(focus)
    out["stars"] = (
        out["size_star"].astype(int)
        + out["specialisation_star"].astype(int)
        + out["focus_star"].astype(int)
    )
    return out


def strong_clusters(
    cmap: ClusterMap,
    *,
    lq_percentile: float = 75.0,
    size_percentile: float = 25.0,
    min_lq: float = 1.0,
    traded_only: bool = True,
) -> pd.DataFrame:
    """US Cluster Mapping Project strong-cluster flags.

    Per cluster and period, among the regions with employment > 0 in the
    cluster, a region's cluster is strong when all hold:

    * ``LQ >= P_lq``, the ``lq_percentile`` (75th) percentile of the LQs;
    * employment ``> P_emp``, the ``size_percentile`` (25th) percentile of
      employment, and establishments ``> P_est``, the same percentile of
      establishments;
    * ``LQ >= min_lq`` (1).

    Percentiles use linear interpolation between order statistics
    (``numpy.percentile(..., method="linear")``), over the eligible regions.

    Parameters
    ----------
    cmap : ClusterMap
        From :func:`ris3.map_clusters` with ``establishments=`` given. The
        US convention computes the LQ on traded employment
        (``traded_only_lq=True``).
    lq_percentile, size_percentile : float
        Percentiles in [0, 100].
    min_lq : float, default 1.0
        Minimum LQ.
    traded_only : bool, default True
        Rate traded clusters only (the US convention); needs cluster types.

    Returns
    -------
    DataFrame
        One row per [period x] region x (traded) cluster: [time], region,
        ``cluster``, ``cluster_name``, [``subcluster``], ``cluster_type``,
        ``value``, ``establishments``, ``lq``, ``lq_threshold`` (the LQ
        percentile of the cluster), ``value_threshold``,
        ``establishments_threshold``, ``n_regions`` (eligible regions) and
        ``strong`` (bool; False for regions without employment).

    Raises
    ------
    InputError
        The map has no establishments.
    ConventionError
        ``traded_only=True`` but the definition has no cluster types.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.clusters.definitions import ClusterDefinition
    >>> from ris3.clusters.mapping import map_clusters
    >>> df = pd.DataFrame({"geo": list("AABBCCDD"), "code": ["1", "2"] * 4,
    ...                    "emp": [50.0, 50, 10, 90, 30, 70, 20, 80],
    ...                    "est": [5.0, 5, 1, 9, 3, 7, 2, 8]})
    >>> d = ClusterDefinition.from_frame(pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"]}),
    ...                                  activity="a", cluster="c")
    >>> cm = map_clusters(df, d, region="geo", activity="code", value="emp",
    ...                   establishments="est")
    >>> s = strong_clusters(cm, traded_only=False)
    >>> s.loc[s["strong"], ["geo", "cluster"]].values.tolist()
    [['A', 'X'], ['B', 'Y']]
    """
    cmap = _check_map(cmap, "strong_clusters")
    check_number("lq_percentile", lq_percentile, low=0, high=100)
    check_number("size_percentile", size_percentile, low=0, high=100)
    check_number("min_lq", min_lq, low=0)
    check_flag("traded_only", traded_only)
    if cmap.establishments is None:
        raise InputError(
            "strong_clusters needs establishments; map the data with "
            "map_clusters(..., establishments='<column>')"
        )
    if traded_only and not cmap.definition.has_types:
        raise ConventionError(
            "strong_clusters(traded_only=True) needs cluster types (traded/local) in the "
            "definition; pass traded_only=False to rate every cluster"
        )
    emp, est, lq = cmap.employment, cmap.establishments, cmap.lq
    eligible = cmap.present[:, :, None] & (np.nan_to_num(emp) > 0)

    def pct(a: np.ndarray, q: float) -> np.ndarray:
        masked = np.where(eligible, a, np.nan)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            # clusters without any region give an all-NaN slice: NaN threshold, no flag
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanpercentile(masked, q, axis=1, method="linear")  # (t, c)

    lq_thr = pct(lq, lq_percentile)
    emp_thr = pct(emp, size_percentile)
    est_thr = pct(est, size_percentile)
    strong = (
        eligible
        & (lq >= lq_thr[:, None, :])
        & (emp > emp_thr[:, None, :])
        & (est > est_thr[:, None, :])
        & (lq >= min_lq)
    )
    keys, t_i, r_i = cmap._keys()

    def flat(a: np.ndarray) -> np.ndarray:
        return a[t_i, r_i, :].ravel()

    def per_cluster(a: np.ndarray) -> np.ndarray:
        return a[t_i, :].ravel()

    out = keys
    out["value"] = flat(emp)
    out["establishments"] = flat(est)
    out["lq"] = flat(lq)
    out["lq_threshold"] = per_cluster(lq_thr)
    out["value_threshold"] = per_cluster(emp_thr)
    out["establishments_threshold"] = per_cluster(est_thr)
    out["n_regions"] = per_cluster(eligible.sum(axis=1))
    out["strong"] = flat(strong)
    if traded_only:
        out = out[out["cluster_type"] == "traded"].reset_index(drop=True)
    return out


def cluster_strength(cmap: ClusterMap, strong: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of each region's traded employment in its strong clusters.

    Parameters
    ----------
    cmap : ClusterMap
        The map the flags were computed on.
    strong : DataFrame, optional
        Output of :func:`strong_clusters`; computed with its defaults when
        not given.

    Returns
    -------
    DataFrame
        One row per [period x] region: [time], region, ``traded_value``,
        ``strong_value`` (traded employment in strong clusters),
        ``n_strong_clusters`` and ``cluster_strength``
        (``strong_value / traded_value``; NaN without traded
        employment).

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.clusters.definitions import ClusterDefinition
    >>> from ris3.clusters.mapping import map_clusters
    >>> df = pd.DataFrame({"geo": list("AABBCCDD"), "code": ["1", "2"] * 4,
    ...                    "emp": [50.0, 50, 10, 90, 30, 70, 20, 80],
    ...                    "est": [5.0, 5, 1, 9, 3, 7, 2, 8]})
    >>> d = ClusterDefinition.from_frame(
    ...     pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"], "t": ["traded"] * 2}),
    ...     activity="a", cluster="c", cluster_type="t")
    >>> cm = map_clusters(df, d, region="geo", activity="code", value="emp",
    ...                   establishments="est")
    >>> cluster_strength(cm)[["geo", "cluster_strength"]]
      geo  cluster_strength
    0   A               0.5
    1   B               0.9
    2   C               0.0
    3   D               0.0
    """
    cmap = _check_map(cmap, "cluster_strength")
    if not cmap.definition.has_types:
        raise ConventionError(
            "cluster_strength needs cluster types (traded/local) in the definition"
        )
    if strong is None:
        strong = strong_clusters(cmap)
    need = {"strong", "value", "cluster_type", cmap.columns["region"]}
    if not isinstance(strong, pd.DataFrame) or not need <= set(strong.columns):
        raise InputError(
            f"strong must be the output of strong_clusters (columns {sorted(map(str, need))})"
        )
    regions = cmap.regions()
    keys = [c for c in (cmap.columns["time"], cmap.columns["region"]) if c is not None]
    traded = strong[strong["cluster_type"] == "traded"]
    flagged = traded["value"].where(traded["strong"], 0.0)
    agg = (
        traded.assign(_strong_emp=flagged, _n=traded["strong"].astype(int))
        .groupby(keys, sort=False)[["_strong_emp", "_n"]]
        .sum()
        .reset_index()
    )
    out = regions[[*keys, "traded_value"]].merge(agg, on=keys, how="left")
    out = out.rename(columns={"_strong_emp": "strong_value", "_n": "n_strong_clusters"})
    out["strong_value"] = out["strong_value"].fillna(0.0)
    out["n_strong_clusters"] = out["n_strong_clusters"].fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        te = out["traded_value"].to_numpy()
        out["cluster_strength"] = np.where(te > 0, out["strong_value"].to_numpy() / te, np.nan)
    return out


@renamed_parameters(employment="value")
def eu_cluster_stars(
    data: pd.DataFrame | None = None,
    definition: ClusterDefinition | None = None,
    *,
    region: str = "geo",
    activity: str = "nace_r2",
    value: str = "persons_employed",
    establishments: str | None = "local_units",
    time: str | None = "year",
    size_top_share: float = 0.10,
    specialisation_lq: float = 2.0,
    focus_top_share: float = 0.10,
) -> pd.DataFrame:
    """Stars and strong clusters of European regions by cluster category.

    Maps a region x NACE division table to the European cluster categories
    (:func:`ris3.eu_benchmark_clusters`, the US benchmark clusters carried to
    NACE Rev. 2 and split by weight) with :func:`ris3.map_clusters`, then
    rates every region x category with :func:`cluster_stars` (European
    Cluster Observatory; LQ on total employment) and :func:`strong_clusters`
    (US Cluster Mapping, traded categories; LQ on traded employment). LQs
    are against all regions of the data. Missing and confidential cells are left out of the sums
    (never 0) and reported per region and category in ``incomplete_share``.

    Parameters
    ----------
    data : DataFrame, optional
        Tidy region x activity [x period] table; default the bundled
        ``eu-sbs`` regions table (NUTS-2, NACE divisions, 2008-2014).
    definition : ClusterDefinition, optional
        Default :func:`ris3.eu_benchmark_clusters` (divisions).
    region, activity, value, establishments, time : str
        Columns of ``data`` (defaults fit ``eu-sbs``); ``establishments``
        (local units) is needed for the strong-cluster flag, None skips it.
    size_top_share, specialisation_lq, focus_top_share : float
        As in :func:`cluster_stars`.

    Returns
    -------
    DataFrame
        The columns of :func:`cluster_stars`, plus ``strong`` (bool for
        traded categories, with the US convention of an LQ on traded
        employment; missing for local ones or without establishments),
        ``visible_share`` (share of the category, by the US employment
        behind its weights, on activities the data have at all: a category
        seen only in part, e.g. Forestry through wood processing in business
        statistics, is rated on that part) and ``incomplete_share``: the share of the
        category, measured by the US employment behind its weights (by its
        weights for a definition without ``us_employment``), that lies in
        divisions whose cell is missing or confidential for that region and
        period. With ``incomplete_share > 0`` the category's employment is a
        lower bound and its stars may be too few.

    Examples
    --------
    >>> s = eu_cluster_stars()
    >>> at = s[(s.geo == "AT33") & (s.year == 2014)].sort_values("stars", ascending=False)
    >>> at["cluster"].iloc[0], int(at["stars"].iloc[0]), round(float(at["visible_share"].iloc[0]), 2)
    ('Hospitality and Tourism', 3, 0.7)
    """
    import warnings as _w

    from ris3.clusters.eu_definitions import eu_benchmark_clusters
    from ris3.clusters.mapping import map_clusters

    if data is None:
        from ris3 import datasets  # type: ignore[attr-defined]

        data = datasets.load("eu-sbs", "regions")
    if definition is None:
        definition = eu_benchmark_clusters()
    with _w.catch_warnings():
        # regions without employment (extra-regio codes) give NaN shares, reported as NaN
        _w.simplefilter("ignore", DegenerateDataWarning)
        cmap = map_clusters(
            data,
            definition,
            region=region,
            activity=activity,
            value=value,
            establishments=establishments,
            time=time,
            missing="drop",
        )
    out = cluster_stars(
        cmap,
        size_top_share=size_top_share,
        specialisation_lq=specialisation_lq,
        focus_top_share=focus_top_share,
    )
    keys = [c for c in (time, region) if c is not None]
    if establishments is not None and cmap.definition.has_types:
        # US convention: the strong-cluster LQ of a traded category is on traded employment
        with _w.catch_warnings():
            _w.simplefilter("ignore", DegenerateDataWarning)
            traded = map_clusters(
                data,
                definition,
                region=region,
                activity=activity,
                value=value,
                establishments=establishments,
                time=time,
                missing="drop",
                traded_only_lq=True,
            )
        strong = strong_clusters(traded)[[*keys, "cluster", "strong"]]
        out = out.merge(strong, on=[*keys, "cluster"], how="left")
        out["strong"] = out["strong"].astype("boolean")
    else:
        out["strong"] = pd.array([pd.NA] * len(out), dtype="boolean")
    size = "us_employment" if "us_employment" in definition.mapping.columns else None
    seen = pd.unique(data.loc[data[value].notna(), activity])
    visible = definition.coverage(seen, size=size)
    out["visible_share"] = out["cluster"].map(visible.set_index("cluster")["covered_share"])
    share = _incomplete_share(data, cmap, activity=activity, value=value)
    _, t_i, r_i = cmap._keys()
    out["incomplete_share"] = share[t_i, r_i, :].ravel()
    return out


def _incomplete_share(
    data: pd.DataFrame, cmap: ClusterMap, *, activity: str, value: str
) -> np.ndarray:
    """(t, r, c) share of each category lying on cells missing for the region and period."""
    m = cmap.definition.mapping
    acts = pd.Index(pd.unique(data[activity])).intersection(pd.Index(m["activity"]).unique())
    size = (
        pd.to_numeric(m["us_employment"]).to_numpy(dtype=np.float64)
        if "us_employment" in m.columns
        else cmap.definition.weights.to_numpy()
    )
    a_pos = acts.get_indexer(m["activity"])
    c_pos = pd.Index(cmap.clusters["cluster"]).get_indexer(m["cluster"])
    ok = (a_pos >= 0) & (c_pos >= 0)
    s = np.zeros((len(acts), len(cmap.clusters)))
    np.add.at(s, (a_pos[ok], c_pos[ok]), size[ok])
    n_t = cmap.n_times
    known = np.zeros((n_t, len(cmap.region_labels), len(acts)), dtype=bool)
    rows = data[data[value].notna()]
    t_col = cmap.columns["time"]
    t_pos = (
        np.zeros(len(rows), dtype=np.int64)
        if t_col is None or cmap.times is None
        else cmap.times.get_indexer(rows[t_col])
    )
    r_pos = cmap.region_labels.get_indexer(rows[cmap.columns["region"]])
    a_row = acts.get_indexer(rows[activity])
    keep = (t_pos >= 0) & (r_pos >= 0) & (a_row >= 0)
    known[t_pos[keep], r_pos[keep], a_row[keep]] = True
    missing = (~known) & cmap.present[:, :, None]
    total = s.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (missing.astype(np.float64) @ s) / total
    out[~cmap.present] = np.nan
    return out
