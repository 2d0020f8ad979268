"""Economic complexity kernels: ECI, PCI, complexity outlook (COI, COG).

Default conventions are those of the Growth Lab's Stata ``ecomplexity``
package (see docs/DESIGN.md), for a binary presence matrix ``M``
(regions x activities) with diversity ``k = M 1`` and ubiquity ``u = M'1``:

* ``Mpp = diag(1/u) M' diag(1/k) M``; ``kp`` is the eigenvector of its
  second-largest eigenvalue, ``kc = diag(1/k) M kp``. ris3 solves the
  symmetric form ``S = D_u^{-1/2} M' D_k^{-1} M D_u^{-1/2}`` (same
  eigenvalues; ``kp = D_u^{-1/2} v``) with a dense symmetric solver for up to
  :data:`DENSE_LIMIT` activities and ``eigsh`` on the operator, with the
  trivial eigenvector removed, above it.
* sign: both flipped so that ``corr(kc, k) > 0``. (When ``kc`` is
  uncorrelated with diversity the sign cannot be fixed this way and is the
  solver's.)
* ``standardise="rows"``: ``m`` and ``s`` are the mean and standard
  deviation (ddof = 1) of ``kc`` over all region x activity rows (each
  region counted once per activity, as Stata's ``summarize`` on the long
  table); ``ECI = (kc - m) / s``, ``PCI = (kp - m) / s``.
  ``standardise="regions"``: mean and population standard deviation
  (ddof = 0) across regions -- what the Python ``ecomplexity`` 0.5.3 does.
* ``COI[c] = sum_p d[c, p] (1 - M[c, p]) kp[p]``, standardised like ECI
  (its own mean and sd).
* ``COG[c, p] = (1 - M[c, p]) sum_q (1 - M[c, q]) phi[q, p] kp[q] / phi[q, .] / s``
  with ``phi`` the proximity with its diagonal set to 0 (Stata) or kept
  (``self_proximity=True``, Python ``ecomplexity``), each term ``q``
  weighted by ``q``'s row sum of proximity, as in both packages.

Degenerate inputs are never turned into silent NaN for everybody: regions
with zero diversity, activities with zero ubiquity and nodes outside the
largest connected component of the region-activity network are left out of
the eigenvector problem (NaN ECI/PCI for them only). The kernel returns
which ones (:class:`ComplexityArrays` ``diversity``, ``ubiquity``,
``included_regions``, ``included_activities``, ``n_components``) and
:func:`ris3.measures.complexity.complexity` names them in a
:class:`~ris3.errors.DegenerateDataWarning`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, eigsh

from ris3._validation import check_number
from ris3.errors import DegenerateDataError, DegenerateDataWarning
from ris3.kernels.relatedness import (
    ProximityMethod,
    as_presence,
    proximity,
    relatedness_density,
)

__all__ = [
    "COMPLEXITY_METHODS",
    "DENSE_LIMIT",
    "STANDARDISATIONS",
    "ComplexityArrays",
    "economic_complexity",
]

ComplexityMethod = Literal["eigenvector", "reflections", "fitness"]
Standardisation = Literal["rows", "regions"]
COMPLEXITY_METHODS: tuple[str, ...] = ("eigenvector", "reflections", "fitness")
STANDARDISATIONS: tuple[str, ...] = ("rows", "regions")

#: up to this many activities the eigenproblem is solved densely (``eigh``)
DENSE_LIMIT = 200


@dataclass
class ComplexityArrays:
    """Arrays produced by :func:`economic_complexity` (one period).

    Attributes
    ----------
    eci, kc, diversity, coi : ndarray, shape (n_regions,)
    pci, kp, ubiquity : ndarray, shape (n_activities,)
    density, cog : ndarray, shape (n_regions, n_activities)
    proximity : ndarray, shape (n_activities, n_activities)
    mean, sd : float
        The ``m`` and ``s`` used to standardise (NaN for ``"fitness"``).
    eigenvalue : float
        Second-largest eigenvalue of ``Mpp`` (NaN unless ``"eigenvector"``).
    included_regions, included_activities : ndarray of bool
        Nodes that entered the complexity computation.
    iterations : int
        Iterations used by ``"reflections"`` / ``"fitness"`` (0 otherwise).
    n_components : int
        Connected components of the region-activity network (regions and
        activities with a specialisation); only the largest one is used.
    """

    eci: np.ndarray
    pci: np.ndarray
    kc: np.ndarray
    kp: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    density: np.ndarray
    proximity: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    mean: float
    sd: float
    eigenvalue: float
    included_regions: np.ndarray
    included_activities: np.ndarray
    iterations: int = 0
    n_components: int = 1


def economic_complexity(
    m: np.ndarray | sp.spmatrix,
    *,
    method: ComplexityMethod = "eigenvector",
    standardise: Standardisation = "rows",
    self_proximity: bool = False,
    proximity_method: ProximityMethod = "hidalgo",
    rca: np.ndarray | sp.spmatrix | None = None,
    iterations: int = 20,
    tol: float = 1e-12,
    max_iter: int = 10_000,
    when: str = "",
) -> ComplexityArrays:
    """ECI, PCI, density, COI and COG of one binary presence matrix.

    Parameters
    ----------
    m : array or sparse, shape (n_regions, n_activities)
        Binary presence ``M``.
    method : {"eigenvector", "reflections", "fitness"}, default "eigenvector"
        ``"eigenvector"``: the second eigenvector of ``Mpp`` (module
        docstring). ``"reflections"``: the method of reflections (Hidalgo and
        Hausmann 2009): starting from ``kc0 = k``, ``kp1`` is the mean
        diversity of each activity's regions, then ``kp <- Mpp kp`` for
        ``iterations`` steps, removing at each step the trivial constant
        component (the left eigenvector of ``Mpp`` for eigenvalue 1 is ``u``)
        and rescaling; it approaches the eigenvector solution as iterations
        grow. ``"fitness"``: fitness-complexity (Tacchella et al. 2012),
        ``F = M Q``, ``Q = 1 / (M' (1 / F))``, each normalised to mean 1 per
        step until the largest change is below ``tol``; ECI/PCI then hold
        fitness and complexity (mean 1, not standardised) and COI/COG use
        ``kp = Q`` without standardisation.
    standardise : {"rows", "regions"}, default "rows"
        ``"rows"``: mean and sd (ddof=1) of ``kc`` over region x activity
        rows (Stata ``ecomplexity``); ``"regions"``: mean and population sd
        across regions (Python ``ecomplexity`` 0.5.3).
    self_proximity : bool, default False
        Keep each activity's proximity to itself in density and COG
        (Python ``ecomplexity`` 0.5.3); the default leaves it out (Stata).
    proximity_method : str, default "hidalgo"
        See :func:`ris3.kernels.relatedness.proximity`.
    rca : array or sparse, optional
        Needed only for ``proximity_method="rca_correlation"``.
    iterations : int, default 20
        Number ``N`` of ``kp <- Mpp kp`` updates of the method of
        reflections. Counted in single reflections (each an average over
        one side of ``M``, from ``kc0 = k``), the ECI is ``kc`` after
        ``2N + 2`` of them: EconGeo's ``MORc(M, steps=20)`` is
        ``iterations=9``.
    tol, max_iter : float, int
        Convergence of fitness-complexity.
    when : str, optional
        Appended to error and warning messages (e.g. ``"in year=2021"``).

    Returns
    -------
    ComplexityArrays

    Regions with zero diversity, activities with zero ubiquity and nodes
    outside the largest connected component get NaN ECI/PCI; the result
    says which (``included_regions``, ``included_activities``,
    ``n_components``) and the caller names them.

    Warns
    -----
    DegenerateDataWarning
        Fitness-complexity not converged or degenerate.

    Raises
    ------
    DegenerateDataError
        When fewer than two regions or two activities remain, or the
        remaining network has no second eigenvector (e.g. every region
        present in every activity).

    References
    ----------
    Hidalgo, C. A. and Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575.
    Tacchella, A., Cristelli, M., Caldarelli, G., Gabrielli, A. and
    Pietronero, L. (2012). A new metrics for countries' fitness and
    products' complexity. Scientific Reports 2, 723.

    Examples
    --------
    >>> m = np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0]])
    >>> res = economic_complexity(m)
    >>> res.eci.round(3)
    array([ 1.299,  0.433, -0.433, -1.299])
    >>> bool(np.all(np.diff(res.pci) > 0))
    True
    """
    from ris3._validation import check_option

    check_option("method", method, COMPLEXITY_METHODS)
    check_option("standardise", standardise, STANDARDISATIONS)
    mm = as_presence(m)
    n_r, n_a = mm.shape
    diversity = np.asarray(mm.sum(axis=1)).ravel()
    ubiquity = np.asarray(mm.sum(axis=0)).ravel()
    suffix = f" {when}" if when else ""

    reg_ok, act_ok, n_components = _largest_component(mm, diversity > 0, ubiquity > 0)
    rows = np.flatnonzero(reg_ok)
    cols = np.flatnonzero(act_ok)
    if rows.size < 2 or cols.size < 2:
        raise DegenerateDataError(
            f"economic complexity needs at least 2 regions and 2 activities with "
            f"specialisations{suffix}; got {rows.size} region(s) and {cols.size} activit(ies)"
        )
    sub = mm[rows][:, cols]
    k, u = diversity[rows], ubiquity[cols]

    eigenvalue = np.nan
    used = 0
    if method == "eigenvector":
        kp_sub, eigenvalue = _second_eigenvector(sub, k, u, suffix)
    elif method == "reflections":
        check_number("iterations", iterations, low=1, integer=True)
        kp_sub = _reflections(sub, k, u, int(iterations))
        used = int(iterations)
    else:
        kc_f, kp_sub, used = _fitness(sub, tol, max_iter, suffix)

    kc = np.full(n_r, np.nan)
    kp = np.full(n_a, np.nan)
    kp[cols] = kp_sub
    if method == "fitness":
        kc[rows] = kc_f
        mean = sd = np.nan
        eci, pci = kc.copy(), kp.copy()
    else:
        kc_sub = np.asarray(sub @ kp_sub).ravel() / k
        if np.corrcoef(kc_sub, k)[0, 1] < 0:
            kc_sub, kp_sub = -kc_sub, -kp_sub
            kp[cols] = kp_sub
        kc[rows] = kc_sub
        mean, sd = _location_scale(kc_sub, standardise, n_a)
        if not sd > 1e-12 * max(1.0, abs(mean)):
            raise DegenerateDataError(
                f"economic complexity is undefined{suffix}: kc is the same for every region "
                "(e.g. all regions have the same specialisations), so it cannot be standardised"
            )
        eci = (kc - mean) / sd
        pci = (kp - mean) / sd

    phi = proximity(mm, method=proximity_method, rca=rca)
    density = relatedness_density(mm, phi, include_diagonal=self_proximity)
    coi_raw, cog_raw = _outlook(mm, phi, density, kp, self_proximity)
    if method == "fitness":
        coi, cog = coi_raw, cog_raw
    else:
        coi_mean, coi_sd = _location_scale(coi_raw[np.isfinite(coi_raw)], standardise, n_a)
        coi = (coi_raw - coi_mean) / coi_sd
        cog = cog_raw / sd
    return ComplexityArrays(
        eci=eci,
        pci=pci,
        kc=kc,
        kp=kp,
        coi=coi,
        cog=cog,
        density=density,
        proximity=phi,
        diversity=diversity,
        ubiquity=ubiquity,
        mean=float(mean),
        sd=float(sd),
        eigenvalue=float(eigenvalue),
        included_regions=reg_ok,
        included_activities=act_ok,
        iterations=used,
        n_components=n_components,
    )


def _location_scale(x: np.ndarray, standardise: str, n_activities: int) -> tuple[float, float]:
    """Mean and sd of per-region values, over rows (ddof=1) or regions (ddof=0)."""
    mean = float(x.mean())
    ss = float(((x - mean) ** 2).sum())
    if standardise == "rows":
        n_rows = x.size * n_activities
        sd = np.sqrt(n_activities * ss / (n_rows - 1)) if n_rows > 1 else np.nan
    else:
        sd = np.sqrt(ss / x.size)
    return mean, float(sd)


def _largest_component(
    mm: sp.csr_matrix, reg_ok: np.ndarray, act_ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Keep the largest connected component of the bipartite network; count the components."""
    n_r, n_a = mm.shape
    adj = sp.bmat([[None, mm], [mm.T, None]], format="csr")  # type: ignore[call-overload]
    n_comp, label = connected_components(adj, directed=False)
    node_ok = np.concatenate([reg_ok, act_ok])
    comp_sizes = np.bincount(label[node_ok], minlength=n_comp)
    n_components = int((comp_sizes > 0).sum())
    if n_components <= 1:
        return reg_ok, act_ok, max(n_components, 1)
    keep = label == int(np.argmax(comp_sizes))
    return reg_ok & keep[:n_r], act_ok & keep[n_r:], n_components


def _second_eigenvector(
    sub: sp.csr_matrix, k: np.ndarray, u: np.ndarray, suffix: str
) -> tuple[np.ndarray, float]:
    """Return kp and lambda_2 of Mpp via its symmetric form."""
    inv_sqrt_u = 1.0 / np.sqrt(u)
    # a = D_k^{-1/2} M D_u^{-1/2}, scaling the stored entries directly
    a = sp.csr_matrix(sub, copy=True)
    row_of_entry = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    a.data = a.data / np.sqrt(k)[row_of_entry] * inv_sqrt_u[a.indices]
    n = sub.shape[1]
    if n <= DENSE_LIMIT:
        s = np.asarray((a.T @ a).toarray())
        vals, vecs = np.linalg.eigh(s)
        lam, v = vals[-2], vecs[:, -2]
    else:
        # deflate the trivial eigenvector sqrt(u) (eigenvalue 1)
        v1 = np.sqrt(u) / np.linalg.norm(np.sqrt(u))

        def matvec(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x).ravel()
            return np.asarray(a.T @ (a @ x)).ravel() - v1 * (v1 @ x)

        op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)  # type: ignore[call-arg]
        v0 = np.random.default_rng(0).standard_normal(n)
        vals, vecs = eigsh(op, k=1, which="LA", v0=v0, tol=0)
        lam, v = vals[0], vecs[:, 0]
    if not lam < 1.0 - 1e-10:
        raise DegenerateDataError(
            f"the presence matrix has no second eigenvector{suffix} (second eigenvalue "
            f"{lam:.6g}): every region has the same specialisations, so complexity is undefined"
        )
    return v * inv_sqrt_u, float(lam)


def _reflections(sub: sp.csr_matrix, k: np.ndarray, u: np.ndarray, iterations: int) -> np.ndarray:
    kp = np.asarray(sub.T @ k).ravel() / u  # mean diversity of each activity's regions
    for step in range(iterations + 1):
        kp = kp - (u @ kp) / u.sum()
        norm = np.linalg.norm(kp)
        if not norm > 1e-300:
            raise DegenerateDataError(
                "economic complexity is undefined: kc is the same for every region "
                "(the method of reflections has nothing left after removing the constant)"
            )
        kp = kp / norm
        if step == iterations:
            return kp
        kc = np.asarray(sub @ kp).ravel() / k
        kp = np.asarray(sub.T @ kc).ravel() / u
    return kp


def _fitness(
    sub: sp.csr_matrix, tol: float, max_iter: int, suffix: str
) -> tuple[np.ndarray, np.ndarray, int]:
    n_r, n_a = sub.shape
    f = np.ones(n_r)
    q = np.ones(n_a)
    # the map drives the fitness of weak regions towards 0 (the algorithm's known
    # limit); once it underflows, 1/f is inf. That is reported below, not printed
    # as numpy RuntimeWarnings.
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        for it in range(1, max_iter + 1):
            f_new = np.asarray(sub @ q).ravel()
            q_new = 1.0 / np.asarray(sub.T @ (1.0 / f)).ravel()
            f_new /= f_new.mean()
            q_new /= q_new.mean()
            change = max(np.abs(f_new - f).max(), np.abs(q_new - q).max())
            f, q = f_new, q_new
            if change < tol:
                _warn_degenerate_fitness(f, q, suffix)
                return f, q, it
    _warn_degenerate_fitness(f, q, suffix)
    warnings.warn(
        f"fitness-complexity did not converge to tol={tol:g} in {max_iter} iterations{suffix} "
        f"(last change {change:.3g}); results are those of the last iteration",
        DegenerateDataWarning,
        stacklevel=3,
    )
    return f, q, max_iter


def _warn_degenerate_fitness(f: np.ndarray, q: np.ndarray, suffix: str) -> None:
    bad_f = int(np.count_nonzero(~np.isfinite(f) | (f == 0)))
    bad_q = int(np.count_nonzero(~np.isfinite(q) | (q == 0)))
    if bad_f or bad_q:
        warnings.warn(
            f"fitness-complexity is degenerate{suffix}: {bad_f} region fitness value(s) and "
            f"{bad_q} activity complexity value(s) reached 0 or left the float range "
            "(regions present only in ubiquitous activities); treat their values as limits",
            DegenerateDataWarning,
            stacklevel=4,
        )


def _outlook(
    mm: sp.csr_matrix, phi: np.ndarray, density: np.ndarray, kp: np.ndarray, self_proximity: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Unstandardised COI and COG; sums run over activities with a defined kp."""
    ok = np.isfinite(kp)
    kp0 = np.where(ok, kp, 0.0)
    # COI[c] = sum_p d (1 - M) kp = sum_p d kp - sum_p M d kp
    d0 = np.where(np.isfinite(density) & ok[None, :], density, 0.0)
    coi = d0 @ kp0 - np.asarray(mm.multiply(d0 * kp0[None, :]).sum(axis=1)).ravel()
    w = np.array(phi, dtype=np.float64, copy=True)
    if not self_proximity:
        np.fill_diagonal(w, 0.0)
    rowsum = w.sum(axis=1)
    scale = np.zeros_like(kp0)
    np.divide(kp0, rowsum, out=scale, where=(rowsum > 0) & ok)
    w *= scale[:, None]
    # sum_q (1 - M[c, q]) W[q, p] = colsum(W)[p] - (M W)[c, p]
    inner = w.sum(axis=0)[None, :] - np.asarray(mm @ w)
    cog = inner
    present = mm.tocoo()
    cog[present.row, present.col] = 0.0
    return coi, cog
