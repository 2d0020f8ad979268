"""Benchmark peers and complementary partner regions.

* :func:`peers` ranks regions by the cosine similarity of their activity
  profiles (shares or location quotients) with a target region, optionally
  within a size band — regions to benchmark against.
* :func:`partners` ranks regions whose specialisations complement the
  target's: related to what the target does (high relatedness density in the
  target's portfolio) but not the same (low overlap) — candidates for
  interregional cooperation, marked when they are cross-border neighbours.
* :func:`split_siblings` lists the regions estimated from the same older
  region by a NUTS conversion: their profiles are copies of one another
  (with the JRC population weights every cell of one is a constant multiple
  of the other's), so they are no one's benchmark; pass them as ``exclude=``.

A region whose values sum to 0 has no profile: it is never a peer or a
partner (a DegenerateDataWarning names it).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_flag, check_number, check_option, short_list
from ris3.errors import DegenerateDataError, InputError
from ris3.kernels import concentration as kc
from ris3.kernels import specialisation as ks
from ris3.measures._common import check_presence_args, suggest
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["peers", "partners", "split_siblings"]


def _one_period(data: pd.DataFrame, time: str | None, period: object) -> pd.DataFrame:
    if time is None:
        if period is not None:
            raise InputError(f"period={period!r} needs time= (the column of periods)")
        return data
    if time not in getattr(data, "columns", []):
        raise InputError(f"data has no column {time!r} (given as time=)")
    if period is None:
        raise InputError(
            f"peers and partners compare one period: give period= (one value of column {time!r})"
        )
    rows = data[time] == period
    if not rows.any():
        raise InputError(
            f"period={period!r} is not in column {time!r}; available: "
            f"{short_list(pd.unique(data[time]))}"
        )
    return data.loc[rows].drop(columns=time)


def _encode_target(
    data: pd.DataFrame,
    region: str,
    activity: str,
    value: str,
    time: str | None,
    period: object,
    target: object,
    missing: MissingPolicy,
    measure: str,
) -> tuple[CodedTable, int]:
    ct = encode(
        _one_period(data, time, period),
        region=region,
        activity=activity,
        value=value,
        missing=missing,
    )
    if target not in ct.regions:
        raise InputError(
            f"target={target!r} is not a label of column {region!r}{suggest(target, ct.regions)}"
        )
    ti = int(ct.regions.get_indexer(pd.Index([target]))[0])
    zero_r, _ = ct.zero_totals(measure, of="regions")
    if zero_r[0, ti]:
        raise DegenerateDataError(
            f"target={target!r} has no {value!r} at all (its values sum to 0): it has no "
            f"profile to compare"
        )
    return ct, ti


def _excluded(exclude: Sequence[Hashable] | None, ct: CodedTable, target: object) -> np.ndarray:
    """Boolean mask over ``ct.regions``: the target, ``exclude`` and zero-total regions."""
    out = np.asarray(ct.matrix().sum(axis=1)).ravel() <= 0
    out[ct.regions.get_indexer(pd.Index([target]))] = True
    if exclude is not None:
        if isinstance(exclude, str) or not isinstance(exclude, Sequence | pd.Index | np.ndarray):
            raise InputError(
                f"exclude must be a list of region labels; got {type(exclude).__name__}"
            )
        out |= ct.regions.isin(list(exclude))
    return out


def _check_n(n: int) -> None:
    check_number("n", n, low=1, integer=True)


def peers(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    target: object,
    n: int = 10,
    basis: Literal["shares", "lq"] = "shares",
    size_band: tuple[float, float] | None = None,
    time: str | None = None,
    period: object = None,
    missing: MissingPolicy = "raise",
    exclude: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Regions most similar to ``target`` in what they do.

    Similarity is the cosine of the angle between two regions' activity
    profiles: ``sum_a p[r, a] p[t, a] / (|p[r]| |p[t]|)``, in [0, 1] for
    non-negative profiles. ``basis="shares"`` uses ``p[r, a] = x[r, a] / x[r, .]``
    (dominated by large activities); ``basis="lq"`` uses location quotients
    against all regions (dominated by specialisations).

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time].
    region, activity, value : str
        Column names.
    target : label
        The region to find peers for.
    n : int, default 10
        Number of peers returned (fewer if fewer qualify).
    basis : {"shares", "lq"}, default "shares"
    size_band : (low, high), optional
        Keep only regions whose total is between ``low`` and ``high`` times
        the target's (e.g. ``(0.5, 2)``), bounds included.
    time, period : optional
        Column of periods and the one period to compare.
    missing : {"raise", "drop", "zero"}
    exclude : sequence of labels, optional
        Regions never offered as peers, e.g. the target's split siblings
        from :func:`split_siblings` (labels absent from the data are
        ignored). Regions whose values sum to 0 are never peers.

    Returns
    -------
    DataFrame
        Columns ``rank``, region, ``similarity``, ``total`` (sum of values),
        ``size_ratio`` (total / target total); best first, ties by label.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": list("AABBCC"), "nace": list("xyxyxy"),
    ...                    "emp": [3.0, 1.0, 30.0, 10.0, 1.0, 3.0]})
    >>> peers(df, region="geo", activity="nace", value="emp", target="A")
       rank geo  similarity  total  size_ratio
    0     1   B         1.0   40.0        10.0
    1     2   C         0.6    4.0         1.0
    >>> peers(df, region="geo", activity="nace", value="emp", target="A", size_band=(0.5, 2))
       rank geo  similarity  total  size_ratio
    0     1   C         0.6    4.0         1.0
    """
    check_option("basis", basis, ("shares", "lq"))
    _check_n(n)
    if size_band is not None:
        if not (isinstance(size_band, tuple | list) and len(size_band) == 2):
            raise InputError(f"size_band must be a pair (low, high); got {size_band!r}")
        lo = check_number("size_band low", size_band[0], low=0, low_inclusive=False)
        hi = check_number("size_band high", size_band[1], low=lo)
    ct, ti = _encode_target(data, region, activity, value, time, period, target, missing, "peers")
    m = ct.matrix()
    profile = kc.row_shares(m) if basis == "shares" else ks.location_quotient(m)
    norms = np.sqrt(np.asarray(profile.multiply(profile).sum(axis=1)).ravel())
    dots = np.asarray(profile @ profile[ti].T.toarray()).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        similarity = dots / (norms * norms[ti])
    total = np.asarray(m.sum(axis=1)).ravel()
    ratio = total / total[ti]
    keep = ~_excluded(exclude, ct, target)
    if size_band is not None:
        keep &= (ratio >= lo) & (ratio <= hi)
    idx = np.flatnonzero(keep)
    order = np.lexsort((ct.regions[idx].astype(str), -similarity[idx]))[:n]
    idx = idx[order]
    return pd.DataFrame(
        {
            "rank": np.arange(1, idx.size + 1),
            region: ct.regions[idx].to_numpy(),
            "similarity": similarity[idx],
            "total": total[idx],
            "size_ratio": ratio[idx],
        }
    )


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
        Column of periods and the one period to compare.
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


#: statuses of the NUTS conversion report where a new region draws on part of an old one
_SPLIT = ("split", "split_merged")


def split_siblings(
    conversion: pd.DataFrame, target: Hashable, *, year: int | None = None
) -> pd.DataFrame:
    """Regions estimated from the same older region as ``target`` by a NUTS conversion.

    When an old region is split among new ones with population weights
    (the JRC NUTS converter), every new region gets the same activity
    structure: a split sibling's profile is a copy of the target's (PL91
    and PL92, both from PL12; HU11/HU12; LT01/LT02), so it must not be
    offered as a peer or partner. Pass ``out["sibling"]`` as ``exclude=``
    to :func:`peers` and :func:`partners`.

    Parameters
    ----------
    conversion : DataFrame
        The conversion report, with columns ``from_code``, ``status``,
        ``to_codes`` (space-separated) and optionally ``years``
        (space-separated) -- e.g. ``ris3.datasets.load("eu-sbs",
        "nuts_conversion")`` or the ``codes`` table of
        :func:`ris3.convert_nuts`.
    target : label
        The region (new code).
    year : int, optional
        Only the conversions that produced this year's values.

    Returns
    -------
    DataFrame
        ``from_code`` (the old region), ``status``, ``sibling`` (another new
        region drawing on it); one row per pair, sorted, no duplicates.
        Empty when the target was not estimated from a split.

    Examples
    --------
    >>> import pandas as pd
    >>> conv = pd.DataFrame({"from_code": ["PL12", "PL11"], "status": ["split", "unchanged"],
    ...                      "to_codes": ["PL91 PL92", "PL71"], "years": ["2013 2014"] * 2})
    >>> split_siblings(conv, "PL91")
      from_code status sibling
    0      PL12  split    PL92
    >>> len(split_siblings(conv, "PL91", year=2010))
    0
    """
    need = ["from_code", "status", "to_codes"]
    if not isinstance(conversion, pd.DataFrame) or any(c not in conversion for c in need):
        raise InputError(
            "conversion must be a DataFrame with columns from_code, status, to_codes (as the "
            "eu-sbs table nuts_conversion or ris3.convert_nuts(...).codes)"
        )
    rows = conversion[conversion["status"].isin(_SPLIT)]
    if year is not None and "years" in rows.columns:
        in_year = [str(year) in str(ys).split() for ys in rows["years"]]
        rows = rows[np.asarray(in_year, dtype=bool)]
    mine = rows[np.asarray([str(target) in str(c).split() for c in rows["to_codes"]], dtype=bool)]
    pairs = [
        (f, st, sib)
        for f, st, codes in zip(mine["from_code"], mine["status"], mine["to_codes"].astype(str))
        for sib in codes.split()
        if sib != str(target)
    ]
    out = pd.DataFrame(pairs, columns=["from_code", "status", "sibling"])
    return out.drop_duplicates().sort_values(["sibling", "from_code"], ignore_index=True)
