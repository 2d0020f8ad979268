"""Diversity, ubiquity, entropy and related/unrelated variety on a tidy table.

* ``diversity``: number of activities in which a region is specialised
  (``LQ >= threshold`` against all regions of the period), per region.
* ``ubiquity``: number of regions specialised in an activity, per activity.
* ``entropy``: Shannon entropy of a region's activity shares,
  ``H = sum_i p_i log(1 / p_i)`` (base 2 by default).
* ``variety``: Frenken, Van Oort and Verburg (2007) unrelated variety
  ``UV = sum_g P_g log2(1 / P_g)`` (entropy between the groups of a hierarchy,
  e.g. NACE sections) and related variety ``RV = sum_g P_g H_g`` with
  ``H_g = sum_{i in g} (p_i / P_g) log2(P_g / p_i)`` (entropy within groups);
  ``H = UV + RV`` holds exactly.

Periods are computed independently; a region's shares are taken over the
activities it has rows for in that period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_number, short_list
from ris3.errors import ClassificationError, InputError
from ris3.kernels import diversity as kd
from ris3.kernels import specialisation as ks
from ris3.measures._common import check_presence_args
from ris3.measures._hierarchy import HierarchyLike, as_parent_map
from ris3.measures._reference import reference_area, reference_shares
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["diversity", "ubiquity", "entropy", "variety"]


def _check_base(base: float) -> None:
    check_number("base", base, low=0, low_inclusive=False)
    if base == 1:
        raise InputError(f"base must be a number > 0 other than 1; got {base!r}")


def _region_rows(ct: CodedTable, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Tidy per region x period table from arrays over stacked rows (t * R + r)."""
    present = np.concatenate([ct.present_regions(t) for t in range(ct.n_times)])
    idx = np.flatnonzero(present)
    rcol, tcol = ct.columns["region"], ct.columns["time"]
    out = pd.DataFrame({rcol: ct.regions[idx % ct.n_regions].to_numpy()})
    if tcol is not None and ct.times is not None:
        out.insert(0, tcol, ct.times[idx // ct.n_regions].to_numpy())
    for name, arr in columns.items():
        out[name] = arr[idx]
    out.attrs["missing"] = str(ct.missing)
    return out


def _undefined(arr: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """``arr`` (over stacked rows t * n + i) with NaN where ``zero`` (n_times x n) is True.

    Counts stay integers (pandas' nullable ``Int64``, ``<NA>`` where undefined).
    """
    flat = zero.ravel()
    if np.issubdtype(np.asarray(arr).dtype, np.integer):
        out = pd.array(np.asarray(arr), dtype="Int64")
        if flat.any():
            out[flat] = pd.NA
        return out  # type: ignore[return-value]
    return np.where(flat, np.nan, arr)


def _presence_stacked(ct: CodedTable, threshold: float, strict: bool) -> sp.csr_matrix:
    ref, groups = reference_shares(ct, reference_area(ct))  # all regions of each period
    lq = ks.location_quotient(ct.stacked(), reference_shares=ref, groups=groups)
    return ks.presence(lq, threshold=threshold, strict=strict)


def diversity(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Return the number of activities each region is specialised in.

    Presence is ``LQ >= threshold`` (``>`` when ``strict``) against all regions
    of the period, as in :func:`ris3.location_quotient`.

    Returns
    -------
    DataFrame
        Columns ``[time,] region, diversity`` (int).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "nace": ["x", "y", "x", "y"],
    ...                    "emp": [30.0, 10.0, 10.0, 50.0]})
    >>> diversity(df, region="geo", activity="nace", value="emp")
      geo  diversity
    0   A          1
    1   B          1
    """
    check_presence_args(threshold, strict)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    zero_r, _ = ct.zero_totals("diversity", of="regions")
    k, _ = kd.diversity_ubiquity(_presence_stacked(ct, threshold, strict))
    return _region_rows(ct, {"diversity": _undefined(k, zero_r)})


def ubiquity(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Return the number of regions specialised in each activity (``LQ >= threshold``).

    Returns
    -------
    DataFrame
        Columns ``[time,] activity, ubiquity`` (int).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "nace": ["x", "y", "x", "y"],
    ...                    "emp": [30.0, 10.0, 10.0, 50.0]})
    >>> ubiquity(df, region="geo", activity="nace", value="emp")
      nace  ubiquity
    0    x         1
    1    y         1
    """
    check_presence_args(threshold, strict)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    _, zero_a = ct.zero_totals("ubiquity", of="activities")
    pres = _presence_stacked(ct, threshold, strict)
    # count per (period, activity): fold the stacked rows into their period
    t_of_row = np.repeat(np.arange(ct.n_times).repeat(ct.n_regions), np.diff(pres.indptr))
    counts = np.bincount(
        t_of_row * ct.n_activities + pres.indices, minlength=ct.n_times * ct.n_activities
    )
    present = np.concatenate([ct.present_activities(t) for t in range(ct.n_times)])
    idx = np.flatnonzero(present)
    acol, tcol = ct.columns["activity"], ct.columns["time"]
    out = pd.DataFrame({acol: ct.activities[idx % ct.n_activities].to_numpy()})
    if tcol is not None and ct.times is not None:
        out.insert(0, tcol, ct.times[idx // ct.n_activities].to_numpy())
    out["ubiquity"] = _undefined(counts.astype(np.int64), zero_a)[idx]
    out.attrs["missing"] = str(ct.missing)
    return out


def entropy(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    base: float = 2.0,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Shannon entropy of each region's activity shares.

    ``H[r] = sum_a p[r, a] log(1 / p[r, a])`` with ``p[r, a] = x[r, a] / x[r, .]``;
    zero cells contribute 0. Between 0 (one activity) and ``log(n)``.

    Parameters
    ----------
    base : float, default 2
        Base of the logarithm (2: bits; ``math.e``: nats).

    Returns
    -------
    DataFrame
        Columns ``[time,] region, entropy``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"],
    ...                    "emp": [5.0, 5.0, 3.0]})
    >>> entropy(df, region="geo", activity="nace", value="emp")
      geo  entropy
    0   A      1.0
    1   B      0.0
    """
    _check_base(base)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    stacked = ct.stacked()
    zero_r, _ = ct.zero_totals("entropy", of="regions")
    return _region_rows(ct, {"entropy": _undefined(kd.entropy(stacked, base=base), zero_r)})


def variety(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    hierarchy: HierarchyLike,
    time: str | None = None,
    base: float = 2.0,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Related and unrelated variety (Frenken, Van Oort and Verburg 2007).

    Parameters
    ----------
    data : DataFrame
        Tidy table at the detailed level (e.g. NACE divisions).
    region, activity, value, time : str
        Column names (``time`` optional).
    hierarchy : DataFrame (columns child, parent), dict or Series
        Activity -> group (e.g. NACE division -> section). Every activity of
        ``data`` must be in it.
    base : float, default 2
        Base of the logarithm.
    missing : {"raise", "drop", "zero"}

    Returns
    -------
    DataFrame
        Columns ``[time,] region, entropy, unrelated_variety,
        related_variety``; ``entropy = unrelated_variety + related_variety``.

    Raises
    ------
    ClassificationError
        Activities absent from the hierarchy.

    References
    ----------
    Frenken, K., Van Oort, F. and Verburg, T. (2007). Related variety,
    unrelated variety and regional economic growth. Regional Studies, 41(5),
    685-697.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "A"], "nace": ["C10", "C11", "G46"],
    ...                    "emp": [1.0, 1.0, 2.0]})
    >>> variety(df, region="geo", activity="nace", value="emp",
    ...         hierarchy={"C10": "C", "C11": "C", "G46": "G"})
      geo  entropy  unrelated_variety  related_variety
    0   A      1.5                1.0              0.5
    """
    _check_base(base)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    pmap = as_parent_map(hierarchy)
    unknown = ct.activities[~ct.activities.isin(pmap.index)]
    if len(unknown):
        raise ClassificationError(
            f"{len(unknown)} activit(ies) of column {activity!r} are not in hierarchy=: "
            f"{short_list(unknown)}; add them (child -> parent) or remove them from the data"
        )
    group_code, groups = pd.factorize(pmap.reindex(ct.activities).to_numpy(), sort=True)
    stacked = ct.stacked()
    zero_r, _ = ct.zero_totals("variety", of="regions")
    h, uv, rv = kd.variety(stacked, np.asarray(group_code), len(groups), base=base)
    cols = {"entropy": h, "unrelated_variety": uv, "related_variety": rv}
    return _region_rows(ct, {k: _undefined(v, zero_r) for k, v in cols.items()})
