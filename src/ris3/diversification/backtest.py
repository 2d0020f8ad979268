"""Honest backtest of whether relatedness density predicts new specialisations.

Between a ``start`` and an ``end`` period, a *candidate* is a region x
activity cell observed in both periods (a row with a value in each; cells
missing or confidential in either period are left out and counted) in which
the region is not specialised at the start (``LQ < threshold``). It *enters*
if the region is specialised at the end. Each predictor measured at the
start is scored by the ROC AUC of separating entries from non-entries -- the
probability that a random entry ranks above a random non-entry (0.5 = no
better than chance), computed exactly from ranks (Mann-Whitney U, ties
counted one half):

* ``density``: relatedness density around the activity (self excluded);
* ``lq``: the cell's own location quotient at the start, the naive baseline
  (a region close to the threshold is likelier to cross it);
* ``density_within_lq``: density again, but compared only between cells in
  the same decile of start LQ (a stratified AUC: per-decile AUCs averaged
  with weights n_entries x n_non_entries). It asks whether density adds
  information *beyond* the baseline.

LQs and presence of each period are computed on the regions and activities
common to both periods, with all of them as the reference.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata

from ris3._validation import check_option
from ris3.diversification.auc import roc_auc, stratified_auc
from ris3.errors import DegenerateDataError, InputError
from ris3.kernels import relatedness as kr
from ris3.kernels import specialisation as ks
from ris3.measures._common import period_index
from ris3.measures.relatedness import check_presence_options
from ris3.tidy import MissingPolicy, encode

__all__ = [
    "BacktestResult",
    "backtest",
    "roc_auc",
    "stratified_auc",
]  # AUCs: ris3.diversification.auc


@dataclass
class BacktestResult:
    """Outcome of :func:`backtest`.

    Attributes
    ----------
    start, end : label
        The two periods.
    n_candidates, n_entries : int
        Candidate cells and how many of them became specialisations.
    n_unobserved : int
        Cells of common regions x activities left out because they were
        missing (no row or missing value) in one of the two periods.
    auc : dict
        ROC AUC of each predictor: ``"density"``, ``"lq"``.
    """

    start: Hashable
    end: Hashable
    n_candidates: int
    n_entries: int
    n_unobserved: int
    auc: dict[str, float]
    candidates: pd.DataFrame = field(repr=False)

    def tidy(self) -> pd.DataFrame:
        """One row per candidate: region, activity, ``density``, ``lq``, ``entered``."""
        return self.candidates.copy()

    def by_decile(self, predictor: str = "density") -> pd.DataFrame:
        """Entry rate by decile of a predictor (``decile`` 1 = lowest)."""
        check_option("predictor", predictor, tuple(self.auc))
        c = self.candidates
        dec = np.ceil(10 * rankdata(c[predictor], method="max") / len(c)).astype(int)
        g = c.assign(decile=dec).groupby("decile")
        return pd.DataFrame(
            {
                "candidates": g.size(),
                "entries": g["entered"].sum(),
                "entry_rate": g["entered"].mean(),
                f"mean_{predictor}": g[predictor].mean(),
            }
        ).reset_index()

    def summary(self) -> str:
        """Two lines with the counts and the AUCs."""
        rate = self.n_entries / self.n_candidates
        return (
            f"Backtest {self.start} -> {self.end}: {self.n_candidates} candidate cells, "
            f"{self.n_entries} entries ({rate:.1%}); {self.n_unobserved} cells unobserved\n"
            + ", ".join(f"AUC {k} = {v:.3f}" for k, v in self.auc.items())
        )


def backtest(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    start: Hashable,
    end: Hashable,
    threshold: float = 1.0,
    strict: bool = False,
    proximity_method: str = "hidalgo",
    missing: MissingPolicy = "raise",
) -> BacktestResult:
    """Score relatedness density (and the naive LQ baseline) as predictors of entry.

    Parameters
    ----------
    data : DataFrame or path
        Tidy table with a time column.
    region, activity, value, time : str
        Column names.
    start, end : label
        The two periods (``start`` predicts, ``end`` is the outcome).
    threshold, strict : float, bool
        Presence is ``LQ >= threshold`` (``>`` if strict).
    proximity_method : str, default "hidalgo"
        Proximity measure used for density (as in :func:`ris3.proximity`).
    missing : {"raise", "drop", "zero"}, default "raise"
        Missing values stop with an error naming them (as everywhere in
        ris3; the default was ``"drop"`` in 0.1). With ``"drop"`` cells with
        missing values are left out of the candidates (counted in
        ``n_unobserved``); ``"zero"`` would count them as 0.

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "y": [1] * 9 + [2] * 9,
    ...     "r": list("AAABBBCCC") * 2,
    ...     "a": list("xyz") * 6,
    ...     "v": [5, 1, 1, 4, 4, 1, 1, 3, 6, 5, 4, 1, 4, 4, 1, 1, 3, 6]})
    >>> res = backtest(df, region="r", activity="a", value="v", time="y", start=1, end=2)
    >>> res.n_candidates, res.n_entries
    (3, 1)
    """
    proximity = proximity_method
    check_presence_options(threshold, strict, False)
    check_option("proximity_method", proximity, kr.PROXIMITY_METHODS)
    if time is None:
        raise InputError("backtest needs time= naming the period column")
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    t0 = period_index(ct, start, "start")
    t1 = period_index(ct, end, "end")
    if t0 == t1:
        raise InputError(f"start and end must be different periods; both are {start!r}")

    def observed(t: int) -> sp.csr_matrix:
        rows = ct.time_code == t
        return sp.csr_matrix(
            (np.ones(int(rows.sum())), (ct.region_code[rows], ct.activity_code[rows])),
            shape=(ct.n_regions, ct.n_activities),
        )

    x0, x1 = ct.matrix(t0), ct.matrix(t1)
    rs0, rs1 = np.asarray(x0.sum(1)).ravel(), np.asarray(x1.sum(1)).ravel()
    cs0, cs1 = np.asarray(x0.sum(0)).ravel(), np.asarray(x1.sum(0)).ravel()
    rr = np.flatnonzero((rs0 > 0) & (rs1 > 0))
    aa = np.flatnonzero((cs0 > 0) & (cs1 > 0))
    if rr.size < 2 or aa.size < 2:
        raise DegenerateDataError(
            f"start={start!r} and end={end!r} share {rr.size} region(s) and {aa.size} "
            "activit(ies) with positive totals; a backtest needs at least 2 of each"
        )
    sub0, sub1 = x0[rr][:, aa], x1[rr][:, aa]
    lq0 = ks.location_quotient(sub0)
    m0 = ks.presence(lq0, threshold=threshold, strict=strict)
    m1 = ks.presence(ks.location_quotient(sub1), threshold=threshold, strict=strict)
    phi = kr.proximity(m0, method=proximity, rca=lq0)  # type: ignore[arg-type]
    # activities related to nothing have NaN density: they are no candidates (below)
    dens = kr.relatedness_density(m0, phi)
    obs = (observed(t0)[rr][:, aa].toarray() > 0) & (observed(t1)[rr][:, aa].toarray() > 0)
    cand = obs & (m0.toarray() == 0) & ~np.isnan(dens)
    ri, ai = np.nonzero(cand)
    entered = m1.toarray()[ri, ai] > 0
    d = dens[ri, ai]
    lq = lq0.toarray()[ri, ai]
    candidates = pd.DataFrame(
        {
            region: ct.regions[rr[ri]].to_numpy(),
            activity: ct.activities[aa[ai]].to_numpy(),
            "density": d,
            "lq": lq,
            "entered": entered,
        }
    )
    auc = {
        "density": roc_auc(d, entered),
        "lq": roc_auc(lq, entered),
        "density_within_lq": stratified_auc(d, entered, lq, n_strata=10),
    }
    return BacktestResult(
        start=ct.times[t0],  # type: ignore[index]
        end=ct.times[t1],  # type: ignore[index]
        n_candidates=int(cand.sum()),
        n_entries=int(entered.sum()),
        n_unobserved=int((~obs).sum()),
        auc=auc,
        candidates=candidates,
    )
