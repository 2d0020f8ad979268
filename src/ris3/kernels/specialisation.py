"""Location quotient (RCA, RTA, Balassa index) kernels.

``LQ[r, a] = (x[r, a] / x[r, .]) / (x[., a] / x[., .])`` with the reference
shares in the denominator taken from all regions (default), from one
reference row, or per group of regions (e.g. each region's country).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = [
    "as_csr",
    "activity_shares",
    "group_sums",
    "location_quotient",
    "presence",
    "row_normalise",
]


def as_csr(x: np.ndarray | sp.spmatrix | sp.sparray) -> sp.csr_matrix:
    """Return ``x`` as a float64 CSR matrix without explicit zeros (no copy of the caller's)."""
    m = sp.csr_matrix(x, dtype=np.float64, copy=True)  # type: ignore[arg-type]
    m.eliminate_zeros()
    return m


def activity_shares(x: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Each activity's share of the grand total, shape (n_activities,).

    Examples
    --------
    >>> activity_shares(np.array([[1.0, 3.0], [0.0, 4.0]]))
    array([0.125, 0.875])
    """
    m = as_csr(x)
    col = np.asarray(m.sum(axis=0)).ravel()
    return col / col.sum()


def location_quotient(
    x: np.ndarray | sp.spmatrix,
    *,
    reference_shares: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    region_totals: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Location quotient of every cell, as CSR with the sparsity of ``x``.

    Parameters
    ----------
    x : array or sparse, shape (n_regions, n_activities)
        Non-negative values (employment, exports, patents...).
    reference_shares : ndarray, optional
        Activity shares of the reference area: shape (n_activities,), or
        (n_groups, n_activities) together with ``groups``. Default: the shares
        of all regions in ``x``.
    groups : ndarray of int, shape (n_regions,), optional
        Row of ``reference_shares`` each region is compared with.
    region_totals : ndarray, shape (n_regions,), optional
        Denominator of the region's shares; default the row sums of ``x``.
        (RPOP passes population here with per-capita reference shares.)

    Returns
    -------
    scipy.sparse.csr_matrix
        ``LQ[r, a]``; cells with ``x == 0`` are 0 (not stored). A stored cell
        whose reference share is 0 is ``inf``.

    Examples
    --------
    >>> x = np.array([[2.0, 2.0], [0.0, 4.0]])
    >>> location_quotient(x).toarray()
    array([[2.        , 0.66666667],
           [0.        , 1.33333333]])
    """
    m = as_csr(x)
    rs = (
        np.asarray(m.sum(axis=1)).ravel()
        if region_totals is None
        else np.asarray(region_totals, dtype=np.float64)
    )
    if reference_shares is None:
        reference_shares = activity_shares(m)
    ref = np.asarray(reference_shares, dtype=np.float64)
    row_of_entry = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = m.data / rs[row_of_entry]
        if ref.ndim == 1:
            denom = ref[m.indices]
        else:
            if groups is None:
                raise ValueError("groups is required with 2-D reference_shares")
            denom = ref[np.asarray(groups)[row_of_entry], m.indices]
        data = share / denom
    out = sp.csr_matrix((data, m.indices.copy(), m.indptr.copy()), shape=m.shape)
    return out


def presence(lq: sp.csr_matrix, *, threshold: float = 1.0, strict: bool = False) -> sp.csr_matrix:
    """Binary specialisation: ``LQ >= threshold`` (or ``>`` when ``strict``).

    A threshold <= 0 would mark empty cells present; callers validate it > 0.

    Examples
    --------
    >>> presence(location_quotient(np.array([[2.0, 2.0], [0.0, 4.0]]))).toarray()
    array([[1., 0.],
           [0., 1.]])
    """
    mask = lq.data > threshold if strict else lq.data >= threshold
    out = sp.csr_matrix(
        (mask.astype(np.float64), lq.indices.copy(), lq.indptr.copy()), shape=lq.shape
    )
    out.eliminate_zeros()
    return out


def group_sums(x: np.ndarray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the rows of ``x`` by group, shape (n_groups, n_activities), dense.

    Rows whose group is negative are left out (e.g. reference rows).

    Examples
    --------
    >>> group_sums(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([0, 1, 0]), 2)
    array([[6., 8.],
           [3., 4.]])
    """
    m = as_csr(x)
    g = np.asarray(groups, dtype=np.int64)
    keep = np.flatnonzero(g >= 0)
    indicator = sp.csr_matrix((np.ones(keep.size), (g[keep], keep)), shape=(n_groups, m.shape[0]))
    return np.asarray((indicator @ m).toarray(), dtype=np.float64)


def row_normalise(totals: np.ndarray) -> np.ndarray:
    """Divide each row of a dense array by its sum; rows summing to 0 become NaN.

    Examples
    --------
    >>> row_normalise(np.array([[1.0, 3.0], [0.0, 0.0]]))
    array([[0.25, 0.75],
           [ nan,  nan]])
    """
    t = np.asarray(totals, dtype=np.float64)
    s = t.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, t / np.where(s > 0, s, 1.0), np.nan)
