"""Complementary partner regions: related to what the target does, but not the same.

:func:`partners` ranks regions whose specialisations complement the
target's: related to what the target does (high relatedness density in the
target's portfolio) but not the same (low overlap) -- candidates for
interregional cooperation, marked when they are cross-border neighbours.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_flag, short_list
from ris3.diversification._target import _check_n, _encode_target, _excluded
from ris3.errors import DegenerateDataError, InputError
from ris3.kernels import specialisation as ks
from ris3.measures._common import check_presence_args
from ris3.tidy import MissingPolicy

__all__ = ["partners"]


def _proximity_matrix(proximity: pd.DataFrame, activities: pd.Index, activity: str) -> np.ndarray:
    cols = ["activity_from", "activity_to", "proximity"]
    if not isinstance(proximity, pd.DataFrame) or any(c not in proximity.columns for c in cols):
        got = (
            list(proximity.columns)
            if isinstance(proximity, pd.DataFrame)
            else type(proximity).__name__
        )
        raise InputError(
            f"proximity must be a DataFrame with columns {', '.join(cols)} "
            f"(as from ris3.proximity); got {got}"
        )
    dup = proximity.duplicated(subset=cols[:2], keep=False)
    if dup.any():
        raise InputError(
            f"proximity lists {int(dup.sum())} activity pairs more than once (one period only: "
            "filter a proximity table computed with time= to one period)"
        )
    phi_vals = pd.to_numeric(proximity["proximity"], errors="coerce").to_numpy(dtype=np.float64)
    if not np.isfinite(phi_vals).all() or (phi_vals < 0).any():
        raise InputError("proximity values must be finite numbers >= 0")
    known = pd.Index(pd.unique(np.concatenate([proximity[c].to_numpy() for c in cols[:2]])))
    absent = activities[~activities.isin(known)]
    if len(absent):
        raise InputError(
            f"{len(absent)} activit(ies) of column {activity!r} are not in the proximity table: "
            f"{short_list(absent)}"
        )
    i = activities.get_indexer(pd.Index(proximity["activity_from"]))
    j = activities.get_indexer(pd.Index(proximity["activity_to"]))
    ok = (i >= 0) & (j >= 0) & (i != j)
    phi = np.zeros((len(activities), len(activities)))
    phi[i[ok], j[ok]] = phi_vals[ok]
    return phi


def partners(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    target: object,
    proximity: pd.DataFrame,
    n: int = 10,
    threshold: float = 1.0,
    strict: bool = False,
    adjacency: pd.DataFrame | None = None,
    neighbours_only: bool = False,
    time: str | None = None,
    period: object = None,
    missing: MissingPolicy = "raise",
    exclude: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Regions whose specialisations complement the target's.

    With ``M`` the presence matrix (``LQ >= threshold`` against all regions)
    and ``phi`` the activity proximity (diagonal 0), the relatedness density
    of activity ``a`` to the target's portfolio is
    ``d[a] = sum_b M[t, b] phi[b, a] / sum_b phi[b, a]``. For a candidate ``c``:

    * complementary activities: ``c`` specialised, the target not;
    * ``relatedness``: mean ``d`` over them (how close what ``c`` adds is to
      what the target does; 0 when there are none);
    * ``overlap``: Jaccard index of the two sets of specialisations;
    * ``score = relatedness * (1 - overlap)``: related but not identical.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time].
    region, activity, value : str
        Column names.
    target : label
        The region to find partners for.
    proximity : DataFrame
        Columns ``activity_from``, ``activity_to``, ``proximity`` (e.g. from
        ``ris3.proximity``, one period). Pairs not listed count as 0; every
        activity of ``data`` must appear.
    n : int, default 10
    threshold, strict
        Presence is ``LQ >= threshold`` (``>`` when ``strict``).
    adjacency : DataFrame, optional
        Columns ``region_a``, ``region_b``, ``cross_border`` (e.g. from
        :func:`ris3.nuts_adjacency`); adds ``neighbour`` and ``cross_border``.
    neighbours_only : bool, default False
        Keep only neighbours of the target (needs ``adjacency``).
    time, period : optional
        Column of periods and the one period to compare (default: the latest,
        as in :func:`ris3.opportunities`).
    missing : {"raise", "drop", "zero"}
    exclude : sequence of labels, optional
        Regions never offered as partners (e.g. from :func:`split_siblings`).

    Returns
    -------
    DataFrame
        Columns ``rank``, region, ``n_specialisations``, ``n_shared``,
        ``n_complementary``, ``overlap``, ``relatedness``, ``score`` [,
        ``neighbour``, ``cross_border``]; best score first, ties by label.

    Raises
    ------
    DegenerateDataError
        The target has no specialisation at this threshold.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": list("AAABBBCCCDDD"), "nace": list("xyz") * 4,
    ...                    "emp": [6.0, 1, 1, 1, 6, 1, 6, 1, 1, 1, 1, 6]})
    >>> prox = pd.DataFrame({"activity_from": list("xyxzyz"), "activity_to": list("yxzxzy"),
    ...                      "proximity": [0.8, 0.8, 0.1, 0.1, 0.2, 0.2]})
    >>> out = partners(df, region="geo", activity="nace", value="emp", target="A",
    ...                proximity=prox)
    >>> out[["rank", "geo", "overlap", "relatedness", "score"]].round(3)
       rank geo  overlap  relatedness  score
    0     1   B      0.0        0.800  0.800
    1     2   D      0.0        0.333  0.333
    2     3   C      1.0        0.000  0.000
    """
    check_presence_args(threshold, strict)
    _check_n(n)
    check_flag("neighbours_only", neighbours_only)
    if neighbours_only and adjacency is None:
        raise InputError("neighbours_only=True needs adjacency= (e.g. from ris3.nuts_adjacency)")
    ct, ti = _encode_target(
        data, region, activity, value, time, period, target, missing, "partners"
    )
    phi = _proximity_matrix(proximity, ct.activities, activity)
    pres = ks.presence(ks.location_quotient(ct.matrix()), threshold=threshold, strict=strict)
    m = sp.csr_matrix(pres, dtype=bool).astype(np.float64)
    mt = m[ti].toarray().ravel()
    if mt.sum() == 0:
        raise DegenerateDataError(
            f"target={target!r} has no specialisation (LQ >= {threshold:g}); lower threshold="
        )
    col = phi.sum(axis=0)
    density = np.divide(mt @ phi, col, out=np.zeros_like(col), where=col > 0)
    n_spec = np.asarray(m.sum(axis=1)).ravel()
    n_shared = m @ mt
    comp = m.multiply(sp.csr_matrix(1.0 - mt)).tocsr()
    n_comp = np.asarray(comp.sum(axis=1)).ravel()
    rel_sum = comp @ density
    relatedness = np.divide(rel_sum, n_comp, out=np.zeros_like(rel_sum), where=n_comp > 0)
    union = n_spec + mt.sum() - n_shared
    overlap = np.divide(n_shared, union, out=np.zeros_like(union), where=union > 0)
    score = relatedness * (1.0 - overlap)

    out = pd.DataFrame(
        {
            region: ct.regions.to_numpy(),
            "n_specialisations": n_spec.astype(np.int64),
            "n_shared": n_shared.astype(np.int64),
            "n_complementary": n_comp.astype(np.int64),
            "overlap": overlap,
            "relatedness": relatedness,
            "score": score,
        }
    )
    if adjacency is not None:
        need = ["region_a", "region_b", "cross_border"]
        if not isinstance(adjacency, pd.DataFrame) or any(c not in adjacency.columns for c in need):
            raise InputError(
                "adjacency must be a DataFrame with columns region_a, region_b, cross_border "
                "(as from ris3.nuts_adjacency)"
            )
        a, b = adjacency["region_a"], adjacency["region_b"]
        other = pd.concat([b[a == target], a[b == target]])
        border = pd.concat(
            [adjacency.loc[a == target, "cross_border"], adjacency.loc[b == target, "cross_border"]]
        )
        cross = dict(zip(other, border.astype(bool)))
        out["neighbour"] = out[region].isin(other)
        out["cross_border"] = out[region].map(cross).fillna(False).astype(bool)
    out = out[~_excluded(exclude, ct, target)]
    if neighbours_only:
        out = out[out["neighbour"]]
    out = out.iloc[np.lexsort((out[region].astype(str), -out["score"].to_numpy()))].head(n)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)
