"""Co-location relatedness between activities or clusters, and its aggregation.

Activities (or clusters) that tend to be found in the same regions are
related: they share inputs, labour pools, customers or knowledge. ris3
measures this from the data itself, in two ways:

- :func:`colocation_relatedness` on any region x activity table: either the
  presence-based proximities of :func:`ris3.measures.relatedness.proximity`
  (Hidalgo et al. 2007 and other normalisations of co-occurrences), or the
  correlation / cosine of the values (employment, establishments) across
  regions, the co-location measure of the US Cluster Mapping Project
  (Delgado, Porter and Stern 2016). Run it on a cluster x region table to
  relate clusters directly.
- :func:`aggregate_relatedness`: activity-to-activity relatedness (any
  table of pairs: co-location, skill relatedness, input-output...) averaged
  (or maximised...) over the activity pairs of two clusters.

On US County Business Patterns 2019 the mean over industry pairs of the
employment correlation across metropolitan areas reproduces the published
US Cluster Mapping co-location relatedness ``cr_lc`` of the 51 traded
clusters with a Pearson correlation of 0.96 (see the README, "Knowledge
linkages").

References
----------
Delgado, M., Porter, M. E. and Stern, S. (2016). Defining clusters of
related industries. Journal of Economic Geography 16(1), 1-38.
Hidalgo, C. A., Klinger, B., Barabasi, A.-L. and Hausmann, R. (2007). The
product space conditions the development of nations. Science 317, 482-487.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ris3._compat import renamed_parameters
from ris3._validation import check_flag, check_option, short_list
from ris3.errors import ClassificationError, DegenerateDataWarning, InputError
from ris3.kernels.colocation import value_colocation
from ris3.kernels.relatedness import PROXIMITY_METHODS
from ris3.measures._common import check_presence_args
from ris3.tidy import MissingPolicy, encode

__all__ = [
    "COLOCATION_METHODS",
    "AGGREGATIONS",
    "colocation_relatedness",
    "aggregate_relatedness",
]

#: Methods of :func:`colocation_relatedness` on the values -> kernel method.
VALUE_METHODS: dict[str, str] = {"value_correlation": "correlation", "value_cosine": "cosine"}
#: Methods of :func:`colocation_relatedness`: values first, then presence-based.
COLOCATION_METHODS: tuple[str, ...] = (*VALUE_METHODS, *PROXIMITY_METHODS)
#: Aggregations of :func:`aggregate_relatedness`.
AGGREGATIONS: tuple[str, ...] = ("mean", "median", "max", "min", "sum")

Aggregation = Literal["mean", "median", "max", "min", "sum"]


def colocation_relatedness(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    method: str = "value_correlation",
    threshold: float = 1.0,
    strict: bool = False,
    self_pairs: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Relatedness of activities (or clusters) from where they are located.

    Parameters
    ----------
    data : DataFrame or path
        Tidy table, one row per region x activity [x time] with a value
        (employment, establishments...). Pass a cluster x region table to
        relate clusters.
    region, activity, value : str
        Column names (keyword only).
    time : str, optional
        Column of periods; relatedness is computed per period, over the
        regions that have rows in that period.
    method : str, default "value_correlation"
        On the values: ``"value_correlation"`` (Pearson correlation across
        regions; the same for levels and for the activities' regional
        shares) or ``"value_cosine"`` (formulas in
        :mod:`ris3.kernels.colocation`). On presence (``LQ >= threshold``),
        through :func:`ris3.measures.relatedness.proximity`: ``"hidalgo"``,
        ``"cosine"``, ``"jaccard"``, ``"association"``, ``"probability"``,
        ``"rca_correlation"``.
    threshold, strict : float, bool
        Presence rule for the presence-based methods (ignored otherwise).
    self_pairs : bool, default False
        Also list each activity with itself.
    missing : {"raise", "drop", "zero"}, default "raise"
        Policy for missing values (see :func:`ris3.tidy.encode`).

    Returns
    -------
    DataFrame
        Columns ``[time,] activity_from, activity_to, proximity``: every
        ordered pair of activities of the period. Value methods give NaN for
        activities constant across regions (with a warning).

    Raises
    ------
    InputError
        Bad table (see :func:`ris3.tidy.encode`).
    ConventionError
        Unknown ``method``.

    Warns
    -----
    DegenerateDataWarning
        Activities whose relatedness is undefined.

    Examples
    --------
    >>> import pandas as pd
    >>> emp = pd.DataFrame({
    ...     "region": ["r1", "r1", "r1", "r2", "r2", "r2", "r3", "r3", "r3"],
    ...     "cluster": ["a", "b", "c"] * 3,
    ...     "employment": [10, 20, 0, 5, 10, 1, 0, 1, 3],
    ... })
    >>> out = colocation_relatedness(emp, region="region", activity="cluster",
    ...                              value="employment")
    >>> out.round(4)
      activity_from activity_to  proximity
    0             a           b     0.9995
    1             a           c    -0.9820
    2             b           a     0.9995
    3             b           c    -0.9758
    4             c           a    -0.9820
    5             c           b    -0.9758
    """
    check_option("method", method, COLOCATION_METHODS)
    check_flag("self_pairs", self_pairs)
    # checked whatever the method: a wrong value is an error even where it is not used
    check_presence_args(threshold, strict)
    if method not in VALUE_METHODS:
        from ris3.measures.relatedness import proximity

        return proximity(
            data,
            region=region,
            activity=activity,
            value=value,
            time=time,
            proximity_method=method,  # type: ignore[arg-type]
            threshold=threshold,
            strict=strict,
            self_pairs=bool(self_pairs),
            missing=missing,
        )
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    frames = []
    for t in range(ct.n_times):
        regions = ct.present_regions(t)
        acts = np.flatnonzero(ct.present_activities(t))
        x = ct.matrix(t)[regions][:, acts]
        values, undefined = value_colocation(x, method=VALUE_METHODS[method])  # type: ignore[arg-type]
        labels = ct.activities[acts].to_numpy()
        if undefined.any():
            when = "" if ct.times is None else f" in {time}={ct.times.tolist()[t]!r}"
            warnings.warn(
                f"co-location ({method!r}) is undefined (NaN){when} for {int(undefined.sum())} "
                f"activit(ies) with the same value in every region: "
                f"{short_list(labels[undefined].tolist())}",
                DegenerateDataWarning,
                stacklevel=2,
            )
        n = labels.size
        i, j = np.divmod(np.arange(n * n), n)
        keep = np.ones(n * n, dtype=bool) if self_pairs else i != j
        frame = pd.DataFrame(
            {
                "activity_from": labels[i[keep]],
                "activity_to": labels[j[keep]],
                "proximity": values.ravel()[keep],
            }
        )
        if time is not None and ct.times is not None:
            frame.insert(0, time, ct.times[t])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _mapping_series(definition_or_mapping: Any) -> pd.Series:
    """Return activity -> cluster as a Series, from a definition, frame, dict or Series."""
    m = definition_or_mapping
    frame = getattr(m, "mapping", None)
    if isinstance(frame, pd.DataFrame):
        m = frame
    if isinstance(m, pd.DataFrame):
        missing = [c for c in ("activity", "cluster") if c not in m.columns]
        if missing:
            raise InputError(
                f"the mapping table must have columns 'activity' and 'cluster'; "
                f"missing {short_list(missing)}"
            )
        series = pd.Series(m["cluster"].to_numpy(), index=m["activity"].to_numpy())
    elif isinstance(m, pd.Series):
        series = m.copy()
    elif isinstance(m, Mapping):
        series = pd.Series(dict(m))
    else:
        raise InputError(
            "definition_or_mapping must be a ClusterDefinition, a DataFrame with columns "
            f"'activity' and 'cluster', a Series or a dict; got {type(m).__name__}"
        )
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()].unique().tolist()
        raise InputError(
            f"the mapping must give one cluster per activity; {short_list(dup)} appear twice"
        )
    if series.isna().any():
        raise InputError(
            f"the mapping has activities without a cluster: "
            f"{short_list(series.index[series.isna()].tolist())}"
        )
    return series


@renamed_parameters(how="combine")
def aggregate_relatedness(
    proximity_table: pd.DataFrame,
    definition_or_mapping: Any,
    combine: Aggregation = "mean",
    *,
    activity_from: str = "activity_from",
    activity_to: str = "activity_to",
    value: str = "proximity",
    time: str | None = None,
    within: bool = True,
    unmapped: Literal["raise", "drop"] = "raise",
) -> pd.DataFrame:
    """Cluster-to-cluster relatedness from activity-to-activity relatedness.

    For clusters ``A`` and ``B``, aggregates ``value`` over the activity
    pairs ``(p, q)`` with ``p`` in ``A`` and ``q`` in ``B``, ``p != q``:
    ``combine="mean"`` gives ``sum_{p in A, q in B} phi[p, q] / n_pairs``. Pairs
    of an activity with itself are never used. With ``within=True`` the
    table also has ``A = B`` rows: the relatedness of a cluster's own
    activities to each other (its cohesion).

    Parameters
    ----------
    proximity_table : DataFrame
        One row per ordered pair of activities with a relatedness value, as
        returned by :func:`colocation_relatedness`,
        :func:`ris3.measures.relatedness.proximity` or (with
        ``activity_from="origin", activity_to="destination",
        value="skill_relatedness"``) :func:`ris3.skill_relatedness`.
    definition_or_mapping : ClusterDefinition, DataFrame, Series or dict
        Activity -> cluster: a :class:`ris3.clusters.definitions.
        ClusterDefinition`, a DataFrame with columns ``activity`` and
        ``cluster``, a Series indexed by activity or a dict.
    combine : {"mean", "median", "max", "min", "sum"}, default "mean"
        Aggregation over the activity pairs. ``"max"`` relates two clusters
        as strongly as their most related pair of activities.
    activity_from, activity_to, value : str
        Column names in ``proximity_table``.
    time : str, optional
        Column of periods: one aggregation per period.
    within : bool, default True
        Include the within-cluster rows (``cluster_from == cluster_to``).
    unmapped : {"raise", "drop"}, default "raise"
        Activities of the table missing from the mapping: an error, or left
        out (counted in ``result.attrs["unmapped_activities"]``).

    Returns
    -------
    DataFrame
        Columns ``[time,] cluster_from, cluster_to, relatedness, n_pairs``
        sorted by cluster; ``n_pairs`` counts the activity pairs
        aggregated.

    Raises
    ------
    InputError
        Missing columns, a non-numeric or missing ``value``, or an invalid
        mapping.
    ClassificationError
        Activities not in the mapping with ``unmapped="raise"``.
    ConventionError
        Unknown ``combine`` or ``unmapped``.

    Examples
    --------
    >>> import pandas as pd
    >>> phi = pd.DataFrame({
    ...     "activity_from": ["a1", "a1", "a2", "a2", "b1", "b1"],
    ...     "activity_to":   ["a2", "b1", "a1", "b1", "a1", "a2"],
    ...     "proximity":     [0.8, 0.2, 0.8, 0.4, 0.2, 0.4],
    ... })
    >>> clusters = {"a1": "A", "a2": "A", "b1": "B"}
    >>> aggregate_relatedness(phi, clusters, "mean")
      cluster_from cluster_to  relatedness  n_pairs
    0            A          A          0.8        2
    1            A          B          0.3        2
    2            B          A          0.3        2
    >>> aggregate_relatedness(phi, clusters, "max", within=False)
      cluster_from cluster_to  relatedness  n_pairs
    0            A          B          0.4        2
    1            B          A          0.4        2
    """
    check_option("combine", combine, AGGREGATIONS)
    check_option("unmapped", unmapped, ("raise", "drop"))
    check_flag("within", within)
    if not isinstance(proximity_table, pd.DataFrame):
        raise InputError(
            f"proximity_table must be a pandas DataFrame; got {type(proximity_table).__name__}"
        )
    cols = [activity_from, activity_to, value] + ([time] if time is not None else [])
    absent = [c for c in cols if c not in proximity_table.columns]
    if absent:
        raise InputError(
            f"proximity_table has no column {short_list(absent)}; its columns are "
            f"{short_list(list(proximity_table.columns))}"
        )
    v = proximity_table[value]
    if not pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v):
        raise InputError(f"value column {value!r} must be numeric; got dtype {v.dtype}")
    if v.isna().any():
        raise InputError(
            f"value column {value!r} has {int(v.isna().sum())} missing values; drop the "
            "pairs with undefined relatedness first (missing is not 0)"
        )
    mapping = _mapping_series(definition_or_mapping)
    pairs = proximity_table.loc[proximity_table[activity_from] != proximity_table[activity_to]]
    c_from = pairs[activity_from].map(mapping)
    c_to = pairs[activity_to].map(mapping)
    lost = pd.unique(
        np.concatenate(
            [
                pairs.loc[c_from.isna(), activity_from].to_numpy(),
                pairs.loc[c_to.isna(), activity_to].to_numpy(),
            ]
        )
    )
    if len(lost) and unmapped == "raise":
        raise ClassificationError(
            f"{len(lost)} activities of proximity_table are not in the mapping: "
            f"{short_list(sorted(lost.tolist(), key=str))}; pass unmapped='drop' to leave "
            "them out"
        )
    frame = pd.DataFrame(
        {"cluster_from": c_from.to_numpy(), "cluster_to": c_to.to_numpy(), "v": pairs[value]}
    )
    keys = ["cluster_from", "cluster_to"]
    if time is not None:
        frame.insert(0, time, pairs[time].to_numpy())
        keys = [time, *keys]
    frame = frame.dropna(subset=["cluster_from", "cluster_to"])
    if not within:
        frame = frame.loc[frame["cluster_from"] != frame["cluster_to"]]
    grouped = frame.groupby(keys, sort=True)["v"]
    out = grouped.agg(combine).rename("relatedness").to_frame()
    out["n_pairs"] = grouped.size().astype("int64")
    out = out.reset_index()
    out.attrs["unmapped_activities"] = len(lost)
    return out
