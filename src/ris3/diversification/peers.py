"""Benchmark peers: regions whose activity profile is most like the target's.

:func:`peers` ranks regions by the cosine similarity of their activity
profiles (shares or location quotients) with a target region, optionally
within a size band -- regions to benchmark against. Complementary partners
are :mod:`ris3.diversification.partners`, split siblings of a NUTS
conversion :mod:`ris3.diversification.siblings` (both importable from here
too).

A region whose values sum to 0 has no profile: it is never a peer or a
partner (a DegenerateDataWarning names it).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option
from ris3.diversification._target import _check_n, _encode_target, _excluded
from ris3.errors import InputError
from ris3.kernels import concentration as kc
from ris3.kernels import specialisation as ks
from ris3.tidy import MissingPolicy

__all__ = ["partners", "peers", "split_siblings"]


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
        Column of periods and the one period to compare (default: the latest,
        as in :func:`ris3.opportunities`).
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


from ris3.diversification.partners import partners  # noqa: E402  (public path of 0.1)
from ris3.diversification.siblings import split_siblings  # noqa: E402
