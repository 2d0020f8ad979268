"""ROC AUC from ranks, and its stratified form: how well a score separates two outcomes."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from ris3.errors import DegenerateDataError, InputError

__all__ = ["roc_auc", "stratified_auc"]


def roc_auc(score: np.ndarray, outcome: np.ndarray) -> float:
    """Area under the ROC curve of ``score`` for a binary ``outcome``, from ranks.

    Raises DegenerateDataError if the outcome has only one class; NaN scores
    are not allowed (drop them first and say so).

    Examples
    --------
    >>> roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1]))
    0.75
    """
    s = np.asarray(score, dtype=np.float64)
    y = np.asarray(outcome).astype(bool)
    if np.isnan(s).any():
        raise InputError("roc_auc needs scores without NaN")
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise DegenerateDataError(
            f"ROC AUC needs both outcomes; got {n_pos} positive and {n_neg} negative cases"
        )
    r = rankdata(s)
    return float((r[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def stratified_auc(
    score: np.ndarray, outcome: np.ndarray, strata_by: np.ndarray, n_strata: int = 10
) -> float:
    """ROC AUC of ``score`` comparing only cases in the same quantile stratum of ``strata_by``.

    Per-stratum AUCs are averaged with weights ``n_pos * n_neg`` (the number
    of comparable pairs); strata with a single outcome class carry no pairs.
    NaN if no stratum has both classes.

    Examples
    --------
    >>> s = np.array([0.2, 0.9, 0.1, 0.8])
    >>> y = np.array([0, 1, 0, 1])
    >>> stratified_auc(s, y, strata_by=np.array([1.0, 1.0, 2.0, 2.0]), n_strata=2)
    1.0
    """
    y = np.asarray(outcome).astype(bool)
    z = np.asarray(strata_by, dtype=np.float64)
    stratum = np.ceil(n_strata * rankdata(z, method="max") / z.size).astype(int)
    num = den = 0.0
    for k in np.unique(stratum):
        sel = stratum == k
        pos = int(y[sel].sum())
        neg = int(sel.sum()) - pos
        if pos and neg:
            num += roc_auc(np.asarray(score)[sel], y[sel]) * pos * neg
            den += pos * neg
    return num / den if den else float("nan")
