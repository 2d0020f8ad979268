"""Co-location kernels on continuous values (employment, establishments).

Two activities are co-located when their values rise and fall together
across regions. Unlike the presence-based proximities of
:mod:`ris3.kernels.relatedness` (which binarise location quotients), these
work on the values themselves, as the co-location component of the US
Cluster Mapping relatedness does (Delgado, Porter and Stern 2016: the
correlation of industry employment across regions).

``x`` is a regions x activities matrix (dense or scipy sparse); results are
dense activities x activities matrices.

``"correlation"``
    Pearson correlation of the columns of ``x`` across regions. Because a
    correlation ignores the scale of each column, the correlation of
    employment levels equals that of the activities' regional shares
    ``x[r, a] / x[., a]``.
``"cosine"``
    ``x[:, p] . x[:, q] / (|x[:, p]| |x[:, q]|)``: cosine similarity of the
    columns (no centring; values >= 0 give results in [0, 1]).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp

from ris3.errors import InputError

__all__ = ["VALUE_METHODS", "ValueMethod", "value_colocation"]

ValueMethod = Literal["correlation", "cosine"]
VALUE_METHODS: tuple[str, ...] = ("correlation", "cosine")


def value_colocation(
    x: np.ndarray | sp.spmatrix | sp.sparray, *, method: ValueMethod = "correlation"
) -> tuple[np.ndarray, np.ndarray]:
    """Co-location of activities from their values across regions.

    Parameters
    ----------
    x : array or sparse, shape (n_regions, n_activities)
        Non-negative finite values (zeros may be implicit in a sparse matrix).
    method : {"correlation", "cosine"}
        See the module docstring.

    Returns
    -------
    values : ndarray, shape (n_activities, n_activities)
        Symmetric; diagonal 1 for defined activities. Pairs involving an
        undefined activity are NaN.
    undefined : ndarray of bool, shape (n_activities,)
        Activities whose co-location is undefined: constant across regions
        (``"correlation"``) or zero everywhere (``"cosine"``).

    Examples
    --------
    >>> x = np.array([[10.0, 20.0, 0.0], [5.0, 10.0, 1.0], [0.0, 1.0, 3.0]])
    >>> r, undefined = value_colocation(x)
    >>> r.round(4)
    array([[ 1.    ,  0.9995, -0.982 ],
           [ 0.9995,  1.    , -0.9758],
           [-0.982 , -0.9758,  1.    ]])
    >>> float(value_colocation(x, method="cosine")[0][0, 1].round(3))
    0.999
    """
    if method not in VALUE_METHODS:
        from ris3._validation import check_option

        check_option("method", method, VALUE_METHODS)
    xs = sp.csr_matrix(x, dtype=np.float64)
    if xs.ndim != 2:
        raise InputError(f"x must be a 2-d regions x activities matrix; got shape {xs.shape}")
    if xs.nnz and not np.all(np.isfinite(xs.data)):
        raise InputError("x must hold finite values only")
    n = xs.shape[0]
    gram = np.asarray((xs.T @ xs).toarray())
    if method == "cosine":
        norm = np.sqrt(np.diag(gram))
        undefined = norm == 0
        denom = np.outer(norm, norm)
        out = np.full_like(gram, np.nan)
        np.divide(gram, denom, out=out, where=denom > 0)
    else:
        if n < 2:
            raise InputError(f"correlation needs at least 2 regions; got {n}")
        colsum = np.asarray(xs.sum(axis=0)).ravel()
        # centred cross-products from the sparse Gram matrix: no dense x needed
        cov = gram - np.outer(colsum, colsum) / n
        var = np.diag(cov).copy()
        # values equal in every region have (numerically) zero variance
        scale = np.maximum(np.diag(gram), 1e-300)
        undefined = var <= 1e-12 * scale
        sd = np.sqrt(np.where(undefined, 1.0, var))
        out = cov / np.outer(sd, sd)
        out = np.clip(out, -1.0, 1.0)
    out[undefined, :] = np.nan
    out[:, undefined] = np.nan
    diag = np.where(undefined, np.nan, 1.0)
    np.fill_diagonal(out, diag)
    return out, undefined
