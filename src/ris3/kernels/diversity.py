"""Diversity, ubiquity, entropy and variety kernels.

Arrays in, arrays out. Shares are ``p[r, i] = x[r, i] / x[r, .]``; cells
with ``x == 0`` contribute nothing to entropy (``0 log 0 = 0``).

Variety follows Frenken, Van Oort and Verburg (2007): with ``P_g`` the share
of group ``g`` (the sum of its activities' shares),

* unrelated variety ``UV = sum_g P_g log(1 / P_g)``,
* related variety ``RV = sum_g P_g H_g`` with
  ``H_g = sum_{i in g} (p_i / P_g) log(P_g / p_i)``,

so that the entropy of the detailed shares ``H = UV + RV``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ris3.kernels.concentration import row_shares
from ris3.kernels.specialisation import as_csr

__all__ = ["diversity_ubiquity", "entropy", "variety"]


def diversity_ubiquity(m: np.ndarray | sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Row and column counts of non-zero cells of a presence matrix.

    Examples
    --------
    >>> k, u = diversity_ubiquity(np.array([[1, 1, 0], [0, 1, 0]]))
    >>> k, u
    (array([2, 1]), array([1, 2, 0]))
    """
    b = as_csr(m)
    k = np.diff(b.indptr).astype(np.int64)
    u = np.bincount(b.indices, minlength=b.shape[1]).astype(np.int64)
    return k, u


def entropy(x: np.ndarray | sp.spmatrix, *, base: float = 2.0) -> np.ndarray:
    """Shannon entropy of each row's shares, ``sum_i p_i log(1 / p_i)``.

    Examples
    --------
    >>> entropy(np.array([[1.0, 1.0, 1.0, 1.0], [5.0, 0.0, 0.0, 0.0]]))
    array([2., 0.])
    """
    s = row_shares(x)
    terms = -s.data * np.log(s.data) / np.log(base)
    row = np.repeat(np.arange(s.shape[0]), np.diff(s.indptr))
    return np.bincount(row, weights=terms, minlength=s.shape[0])


def variety(
    x: np.ndarray | sp.spmatrix, groups: np.ndarray, n_groups: int, *, base: float = 2.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entropy, unrelated and related variety of each row.

    Parameters
    ----------
    x : array or sparse, shape (n_regions, n_activities)
    groups : ndarray of int, shape (n_activities,)
        Group code (0 .. n_groups - 1) of every activity.
    n_groups : int
    base : float, default 2
        Base of the logarithm.

    Returns
    -------
    entropy, unrelated_variety, related_variety : ndarray, shape (n_regions,)

    Examples
    --------
    >>> h, uv, rv = variety(np.array([[1.0, 1.0, 2.0]]), np.array([0, 0, 1]), 2)
    >>> h, uv, rv
    (array([1.5]), array([1.]), array([0.5]))
    """
    s = row_shares(x)
    g = np.asarray(groups, dtype=np.int64)
    n_rows = s.shape[0]
    indicator = sp.csr_matrix((np.ones(g.size), (np.arange(g.size), g)), shape=(g.size, n_groups))
    big_p = as_csr(s @ indicator)
    log_b = np.log(base)
    row_g = np.repeat(np.arange(n_rows), np.diff(big_p.indptr))
    uv = np.bincount(row_g, weights=-big_p.data * np.log(big_p.data) / log_b, minlength=n_rows)
    row = np.repeat(np.arange(n_rows), np.diff(s.indptr))
    group_share = np.asarray(big_p[row, g[s.indices]]).ravel()
    rv_terms = s.data * np.log(group_share / s.data) / log_b
    rv = np.bincount(row, weights=rv_terms, minlength=n_rows)
    h = np.bincount(row, weights=-s.data * np.log(s.data) / log_b, minlength=n_rows)
    return h, uv, rv
