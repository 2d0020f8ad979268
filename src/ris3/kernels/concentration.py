"""Concentration and inequality kernels: Herfindahl, Krugman, Hoover, Gini.

Arrays in, arrays out. ``x`` is a non-negative regions x activities matrix
(dense or sparse); all regions and activities passed in take part, so callers
select the regions and activities of one period before calling.

Formulas (``s[r, a] = x[r, a] / x[r, .]``, ``S[a] = x[., a] / x[., .]``):

* Herfindahl of a region: ``sum_a s[r, a]**2``; of an activity:
  ``sum_r (x[r, a] / x[., a])**2``.
* Krugman specialisation index: ``K[r] = sum_a |s[r, a] - S[a]|`` in [0, 2];
  the halved form ``K[r] / 2`` in [0, 1] is the coefficient of specialisation.
* Hoover coefficient of localisation of an activity:
  ``0.5 * sum_r |x[r, a] / x[., a] - x[r, .] / x[., .]|``.
* Gini of a vector ``y`` of ``n`` values sorted ascending:
  ``sum_i (2 i - n - 1) y_i / (n sum_i y_i)``, i = 1..n.
* Locational Gini of an activity (Krugman 1991): regions ordered by
  increasing LQ; ``X_k``, ``Y_k`` cumulative shares of total value and of the
  activity's value; ``G = 1 - sum_k (X_k - X_{k-1}) (Y_k + Y_{k-1})``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ris3.kernels.specialisation import as_csr

__all__ = [
    "row_shares",
    "herfindahl",
    "share_gap",
    "hoover_localisation",
    "gini_rows",
    "locational_gini",
]


def row_shares(x: np.ndarray | sp.spmatrix) -> sp.csr_matrix:
    """Each row divided by its sum, as CSR (rows summing to 0 stay empty).

    Examples
    --------
    >>> row_shares(np.array([[1.0, 3.0], [2.0, 0.0]])).toarray()
    array([[0.25, 0.75],
           [1.  , 0.  ]])
    """
    m = as_csr(x)
    rs = np.asarray(m.sum(axis=1)).ravel()
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    return sp.csr_matrix((m.data / rs[row], m.indices.copy(), m.indptr.copy()), shape=m.shape)


def herfindahl(x: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Herfindahl index of each row's shares, ``sum_j (x_ij / x_i.)**2``.

    Transpose ``x`` for the Herfindahl of each activity across regions.

    Examples
    --------
    >>> herfindahl(np.array([[1.0, 1.0], [3.0, 0.0]]))
    array([0.5, 1. ])
    """
    s = row_shares(x)
    return np.asarray(s.multiply(s).sum(axis=1), dtype=np.float64).ravel()


def share_gap(x: np.ndarray | sp.spmatrix, reference_shares: np.ndarray) -> np.ndarray:
    """``sum_a |s[r, a] - reference_shares[a]|`` for every row (Krugman index).

    Sparse-friendly: cells where ``x`` is 0 contribute ``reference_shares[a]``.

    Examples
    --------
    >>> share_gap(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([0.5, 0.5]))
    array([1., 0.])
    """
    s = row_shares(x)
    ref = np.asarray(reference_shares, dtype=np.float64)
    stored = np.abs(s.data - ref[s.indices]) - ref[s.indices]
    row = np.repeat(np.arange(s.shape[0]), np.diff(s.indptr))
    return ref.sum() + np.bincount(row, weights=stored, minlength=s.shape[0])


def hoover_localisation(x: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Hoover coefficient of localisation of every column (activity).

    ``0.5 * sum_r |x[r, a] / x[., a] - x[r, .] / x[., .]|``, in [0, 1).

    Examples
    --------
    >>> hoover_localisation(np.array([[1.0, 0.0], [0.0, 1.0]]))
    array([0.5, 0.5])
    """
    m = as_csr(x)
    col = np.asarray(m.sum(axis=0)).ravel()
    region_share = np.asarray(m.sum(axis=1)).ravel() / col.sum()
    return 0.5 * share_gap(m.T.tocsr(), region_share)


def gini_rows(y: np.ndarray) -> np.ndarray:
    """Gini coefficient of each row of a dense non-negative array.

    ``sum_i (2 i - n - 1) y_(i) / (n sum y)`` with values sorted ascending;
    0 when all values are equal, ``(n - 1) / n`` when one value holds all.
    A row summing to 0 gives NaN.

    Examples
    --------
    >>> gini_rows(np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 4.0]]))
    array([0.  , 0.75])
    """
    v = np.sort(np.asarray(y, dtype=np.float64), axis=-1)
    n = v.shape[-1]
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    total = v.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (v @ weights) / (n * np.where(total > 0, total, 1.0)), np.nan)


def locational_gini(x: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Locational Gini (Krugman 1991) of every column (activity) across rows.

    Regions are ordered by increasing location quotient of the activity; the
    Lorenz curve plots the cumulative share of the activity (y) against the
    cumulative share of total value (x); the Gini is one minus twice the area
    under it. 0 when the activity is spread like total value.

    Examples
    --------
    >>> locational_gini(np.array([[1.0, 1.0], [1.0, 1.0]]))
    array([0., 0.])
    >>> round(float(locational_gini(np.array([[1.0, 0.0], [0.0, 1.0]]))[0]), 3)
    0.5
    """
    d = as_csr(x).toarray()
    region_share = d.sum(axis=1) / d.sum()
    col = d.sum(axis=0)
    act_share = d / np.where(col > 0, col, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = act_share / region_share[:, None]
    lq = np.where(np.isfinite(lq), lq, 0.0)
    order = np.argsort(lq, axis=0, kind="stable")
    xs = np.cumsum(region_share[order], axis=0)
    ys = np.cumsum(np.take_along_axis(act_share, order, axis=0), axis=0)
    zero = np.zeros((1, d.shape[1]))
    xs = np.vstack([zero, xs])
    ys = np.vstack([zero, ys])
    area = np.sum(np.diff(xs, axis=0) * (ys[1:] + ys[:-1]), axis=0)
    return np.where(col > 0, 1.0 - area, np.nan)
