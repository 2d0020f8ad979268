"""Relatedness kernels: co-occurrence, proximity and relatedness density.

All functions take a binary presence matrix ``M`` (regions x activities,
scipy CSR or dense array, 1 where the region is specialised) and return
arrays; they know nothing of labels (optional ``activity_labels`` are only
used to name activities in warnings).

Proximity normalisations of the co-occurrence matrix ``C = M'M``, with
ubiquity ``u = diag(C)`` (number of regions present in each activity):

``"hidalgo"`` (default; Hidalgo, Klinger, Barabasi and Hausmann 2007)
    ``phi[p, q] = C[p, q] / max(u[p], u[q])`` -- the smaller of the two
    conditional probabilities of being present in one activity given the
    other. Diagonal 1 (for activities present somewhere).
``"cosine"``
    ``C[p, q] / sqrt(u[p] u[q])``: cosine similarity of the presence
    columns. Diagonal 1.
``"jaccard"``
    ``C[p, q] / (u[p] + u[q] - C[p, q])``: regions present in both over
    regions present in either. Diagonal 1.
``"association"`` (association strength, van Eck and Waltman 2009, as in
    EconGeo's ``relatedness(method="association")``)
    with ``c`` the co-occurrence matrix with its diagonal set to 0,
    ``s[p] = sum_q c[p, q]`` and ``T = sum_pq c[p, q]``:
    ``c[p, q] T / (s[p] s[q])``. Observed over expected co-occurrences;
    1 means "as often as chance". Diagonal 0.
``"probability"`` (EconGeo's ``relatedness(method="prob")``, Steijn 2017)
    same ``c``, ``s`` and ``T``;
    ``c[p, q] / ((T / 2) * ((s[p] / T) * (s[q] / (T - s[p]))
    + (s[q] / T) * (s[p] / (T - s[q]))))``: observed co-occurrences over
    those expected when the ``T / 2`` co-occurring pairs are drawn without
    repetition. Diagonal 0.
``"rca_correlation"``
    ``(1 + r[p, q]) / 2`` with ``r`` the Pearson correlation of the RCA
    columns over regions (needs ``rca``); the rescaling to [0, 1] is the
    one of ecomplexity's ``continuous=True`` proximity. Diagonal 1.

Pairs whose denominator is 0 (an activity nobody is specialised in) get
proximity 0, as in EconGeo; :func:`relatedness_density` then reports such
activities.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import scipy.sparse as sp

from ris3.errors import DegenerateDataWarning, InputError

__all__ = [
    "PROXIMITY_METHODS",
    "ProximityMethod",
    "as_presence",
    "cooccurrence",
    "proximity",
    "relatedness_density",
]

ProximityMethod = Literal[
    "hidalgo", "cosine", "jaccard", "association", "probability", "rca_correlation"
]
PROXIMITY_METHODS: tuple[str, ...] = (
    "hidalgo",
    "cosine",
    "jaccard",
    "association",
    "probability",
    "rca_correlation",
)


def as_presence(m: np.ndarray | sp.spmatrix | sp.sparray) -> sp.csr_matrix:
    """Return a binary presence matrix as float64 CSR, checking it is 0/1.

    Examples
    --------
    >>> as_presence(np.array([[1, 0], [1, 1]])).toarray()
    array([[1., 0.],
           [1., 1.]])
    """
    out = sp.csr_matrix(m, dtype=np.float64, copy=True)  # type: ignore[arg-type]
    out.eliminate_zeros()
    if out.nnz and not np.all(out.data == 1.0):
        bad = out.data[out.data != 1.0][:3]
        raise InputError(
            f"a presence matrix must hold only 0 and 1; got values such as {bad.tolist()}"
        )
    return out


def cooccurrence(m: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Co-occurrence ``C = M'M`` of a binary presence matrix, dense.

    ``C[p, q]`` counts regions present in both activities; ``C[p, p]`` is the
    ubiquity of ``p``.

    Examples
    --------
    >>> cooccurrence(np.array([[1, 1, 0], [1, 0, 1]]))
    array([[2., 1., 1.],
           [1., 1., 0.],
           [1., 0., 1.]])
    """
    mm = as_presence(m)
    return np.asarray((mm.T @ mm).toarray(), dtype=np.float64)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(num, den).shape, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def proximity(
    m: np.ndarray | sp.spmatrix,
    *,
    method: ProximityMethod = "hidalgo",
    rca: np.ndarray | sp.spmatrix | None = None,
    activity_labels: Sequence[object] | None = None,
) -> np.ndarray:
    """Proximity between activities from a binary presence matrix.

    Parameters
    ----------
    m : array or sparse, shape (n_regions, n_activities)
        Binary presence ``M`` (1 = specialised).
    method : {"hidalgo", "cosine", "jaccard", "association", "probability", \
"rca_correlation"}, default "hidalgo"
        Normalisation of the co-occurrences; formulas in the module docstring.
    rca : array or sparse, shape (n_regions, n_activities), optional
        RCA (location quotient) values; required by ``"rca_correlation"``.
    activity_labels : sequence, optional
        Names of the activities, used only in warnings.

    Returns
    -------
    ndarray, shape (n_activities, n_activities)
        Symmetric proximity matrix (dense: proximity between activities is
        dense in real data).

    Warns
    -----
    DegenerateDataWarning
        ``"rca_correlation"`` with activities whose RCA is constant across
        regions: their correlations are undefined and set to NaN.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabasi, A.-L. and Hausmann, R. (2007). The
    product space conditions the development of nations. Science 317, 482-487.
    van Eck, N. J. and Waltman, L. (2009). How to normalize cooccurrence data?
    JASIST 60(8), 1635-1651.

    Examples
    --------
    >>> m = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]])
    >>> proximity(m)
    array([[1.        , 0.66666667, 0.66666667],
           [0.66666667, 1.        , 0.5       ],
           [0.66666667, 0.5       , 1.        ]])
    >>> float(proximity(m, method="jaccard")[1, 2])
    0.3333333333333333
    """
    if method not in PROXIMITY_METHODS:
        from ris3._validation import check_option

        check_option("method", method, PROXIMITY_METHODS)
    if method == "rca_correlation":
        if rca is None:
            raise InputError("method='rca_correlation' needs the rca= matrix")
        return _rca_correlation(rca, activity_labels)
    c = cooccurrence(m)
    u = np.diag(c).copy()
    if method == "hidalgo":
        return _safe_divide(c, np.maximum(u[:, None], u[None, :]))
    if method == "cosine":
        return _safe_divide(c, np.sqrt(u[:, None] * u[None, :]))
    if method == "jaccard":
        return _safe_divide(c, u[:, None] + u[None, :] - c)
    # association strength and probability index work on off-diagonal counts
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=0)
    total = s.sum()
    if method == "association":
        out = _safe_divide(c * total, s[:, None] * s[None, :])
    else:
        si, sj = s[:, None], s[None, :]
        if total > 0:
            expected = (total / 2.0) * (
                (si / total) * _safe_divide(sj, total - si)
                + (sj / total) * _safe_divide(si, total - sj)
            )
        else:
            expected = np.zeros_like(c)
        out = _safe_divide(c, expected)
    np.fill_diagonal(out, 0.0)
    return out


def _rca_correlation(rca: np.ndarray | sp.spmatrix, labels: Sequence[object] | None) -> np.ndarray:
    x = np.asarray(sp.csr_matrix(rca).toarray() if sp.issparse(rca) else rca, dtype=np.float64)  # type: ignore[arg-type]
    if not np.all(np.isfinite(x)):
        raise InputError("rca= must be finite for method='rca_correlation'")
    centred = x - x.mean(axis=0)
    norm = np.sqrt((centred**2).sum(axis=0))
    constant = norm == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = centred / np.where(constant, 1.0, norm)
    r = z.T @ z
    r[constant, :] = np.nan
    r[:, constant] = np.nan
    np.fill_diagonal(r, 1.0)
    if constant.any():
        warnings.warn(
            f"proximity(method='rca_correlation'): {int(constant.sum())} activit(ies) have the "
            f"same RCA in every region, so their correlations are undefined (NaN): "
            f"{_names(np.flatnonzero(constant), labels)}",
            DegenerateDataWarning,
            stacklevel=3,
        )
    return (1.0 + np.clip(r, -1.0, 1.0)) / 2.0


def _names(idx: np.ndarray, labels: Sequence[object] | None) -> str:
    from ris3._validation import short_list

    if labels is None:
        return "positions " + short_list(idx.tolist())
    return short_list([labels[i] for i in idx.tolist()])


def relatedness_density(
    m: np.ndarray | sp.spmatrix,
    phi: np.ndarray,
    *,
    include_diagonal: bool = False,
    activity_labels: Sequence[object] | None = None,
) -> np.ndarray:
    """Relatedness density of every region around every activity.

    ``d[c, p] = sum_q M[c, q] phi[q, p] / sum_q phi[q, p]``, with the
    activity's proximity to itself left out (``phi[p, p] = 0``) unless
    ``include_diagonal`` -- the share of ``p``'s related activities, weighted
    by proximity, in which region ``c`` is specialised.

    Parameters
    ----------
    m : array or sparse, shape (n_regions, n_activities)
        Binary presence ``M``.
    phi : ndarray, shape (n_activities, n_activities)
        Non-negative proximity (e.g. from :func:`proximity`); NaN entries
        are not allowed.
    include_diagonal : bool, default False
        Keep ``phi[p, p]`` in both sums (the convention of the Python
        ``ecomplexity`` package 0.5.3; the Stata package and ris3 drop it).
    activity_labels : sequence, optional
        Names of the activities, used only in warnings.

    Returns
    -------
    ndarray, shape (n_regions, n_activities)
        Density in [0, 1]. Activities whose column of ``phi`` sums to 0 (no
        related activity at all) have NaN density, with a warning.

    Warns
    -----
    DegenerateDataWarning
        Naming the activities whose density is undefined.

    Examples
    --------
    >>> m = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]])
    >>> relatedness_density(m, proximity(m)).round(4)
    array([[0.5   , 0.5714, 1.    ],
           [0.5   , 1.    , 0.5714],
           [1.    , 1.    , 1.    ]])
    """
    mm = as_presence(m)
    w = np.array(phi, dtype=np.float64, copy=True)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] != mm.shape[1]:
        raise InputError(
            f"phi must be a square (n_activities, n_activities) matrix with "
            f"n_activities = {mm.shape[1]}; got shape {w.shape}"
        )
    if np.isnan(w).any() or (w < 0).any():
        raise InputError(
            "relatedness density needs a proximity matrix without NaN or negative "
            "entries; drop the activities with undefined proximity first"
        )
    if not include_diagonal:
        np.fill_diagonal(w, 0.0)
    colsum = w.sum(axis=0)
    empty = colsum <= 0
    num = np.asarray(mm @ w)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = num / colsum[None, :]
    if empty.any():
        d[:, empty] = np.nan
        warnings.warn(
            f"relatedness density is undefined (NaN) for {int(empty.sum())} activit(ies) "
            "with no proximity to any other activity (nobody is specialised in them, or "
            f"they never co-occur): {_names(np.flatnonzero(empty), activity_labels)}",
            DegenerateDataWarning,
            stacklevel=2,
        )
    return d
