"""Relatedness kernels: co-occurrence, proximity and relatedness density.

All functions take a binary presence matrix ``M`` (regions x activities,
scipy CSR or dense array, 1 where the region is specialised) and return
arrays; they know nothing of labels. What is undefined comes back as NaN
(activities related to nothing, constant RCA columns) and the callers in
:mod:`ris3.measures` name those activities in their warnings.

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

For cosine and Jaccard, ``normalisation="econgeo"`` follows EconGeo's
``relatedness()`` (Balland, R package) instead: with ``c`` the co-occurrence
matrix with its diagonal set to 0 and ``s[p] = sum_q c[p, q]`` its row sums,
cosine is ``c[p, q] / sqrt(s[p] s[q])`` and Jaccard
``c[p, q] / (s[p] + s[q] - c[p, q])``, diagonal 0 -- row sums of
co-occurrences take the place of ubiquity. The default
``normalisation="ubiquity"`` is the textbook form above.
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

from typing import Literal

import numpy as np
import scipy.sparse as sp

from ris3.errors import InputError

__all__ = [
    "NORMALISATIONS",
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
#: how cosine and Jaccard normalise co-occurrences: by ubiquity (textbook) or
#: by co-occurrence row sums (EconGeo)
NORMALISATIONS: tuple[str, ...] = ("ubiquity", "econgeo")


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
    normalisation: str = "ubiquity",
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
    normalisation : {"ubiquity", "econgeo"}, default "ubiquity"
        For ``"cosine"`` and ``"jaccard"``: divide by ubiquity (textbook) or,
        as EconGeo does, by the row sums of the co-occurrence matrix without
        its diagonal (module docstring). Other methods accept only the default.

    Returns
    -------
    ndarray, shape (n_activities, n_activities)
        Symmetric proximity matrix (dense: proximity between activities is
        dense in real data).

    ``"rca_correlation"`` with activities whose RCA is constant across
    regions: their correlations are undefined and set to NaN (the caller
    names them).

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
    >>> float(proximity(m, method="jaccard", normalisation="econgeo")[1, 2])
    0.2
    """
    from ris3._validation import check_option

    check_option("method", method, PROXIMITY_METHODS)
    check_option("normalisation", normalisation, NORMALISATIONS)
    if normalisation == "econgeo" and method not in ("cosine", "jaccard"):
        raise InputError(
            f"normalisation='econgeo' applies to method='cosine' or 'jaccard'; got method={method!r}"
        )
    if method == "rca_correlation":
        if rca is None:
            raise InputError("method='rca_correlation' needs the rca= matrix")
        return _rca_correlation(rca)
    c = cooccurrence(m)
    if normalisation == "econgeo":
        return _econgeo(c, method)
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


def _econgeo(c: np.ndarray, method: str) -> np.ndarray:
    """Cosine or Jaccard normalised by co-occurrence row sums (diagonal 0), as EconGeo."""
    c = np.array(c, dtype=np.float64, copy=True)
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=1)
    if method == "cosine":
        out = _safe_divide(c, np.sqrt(s[:, None] * s[None, :]))
    else:
        out = _safe_divide(c, s[:, None] + s[None, :] - c)
    np.fill_diagonal(out, 0.0)
    return out


def _rca_correlation(rca: np.ndarray | sp.spmatrix) -> np.ndarray:
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
    return (1.0 + np.clip(r, -1.0, 1.0)) / 2.0


def constant_rca(rca: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Activities whose RCA is the same in every region: their ``rca_correlation`` is NaN.

    Examples
    --------
    >>> constant_rca(np.array([[1.0, 2.0], [1.0, 0.5]]))
    array([ True, False])
    """
    x = np.asarray(sp.csr_matrix(rca).toarray() if sp.issparse(rca) else rca, dtype=np.float64)  # type: ignore[arg-type]
    return np.asarray(np.sqrt(((x - x.mean(axis=0)) ** 2).sum(axis=0)) == 0)


def unrelated(density: np.ndarray) -> np.ndarray:
    """Activities related to nothing: their density column is NaN (see :func:`relatedness_density`).

    Examples
    --------
    >>> unrelated(np.array([[0.5, np.nan], [1.0, np.nan]]))
    array([False,  True])
    """
    d = np.asarray(density, dtype=np.float64)
    if d.shape[0] == 0:
        return np.zeros(d.shape[1], dtype=bool)
    return np.asarray(np.isnan(d).all(axis=0))


def relatedness_density(
    m: np.ndarray | sp.spmatrix,
    phi: np.ndarray,
    *,
    include_diagonal: bool = False,
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

    Returns
    -------
    ndarray, shape (n_regions, n_activities)
        Density in [0, 1]. Activities whose column of ``phi`` sums to 0 (no
        related activity at all) have NaN density (:func:`unrelated` finds
        them; the caller names them).

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
    d[:, empty] = np.nan
    return d
