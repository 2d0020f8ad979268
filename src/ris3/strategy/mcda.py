"""Multi-criteria ranking of candidate domains: weighted sum, TOPSIS, weight sensitivity.

Candidate priority domains (or call proposals) are scored on criteria that
mix evidence and voices. The report asks regions to choose priorities from
"a range of factors" (``clusters-and-s3-report.txt`` lines 1545-1551) and
lets calls give a criterion "a high weight" (lines 1598-1600); these
functions make the weighing explicit and show how much a ranking depends on
the weights.

The methods are small numpy kernels, chosen over an external MCDA library
on purpose. scikit-criteria (BSD 3-Clause licence, maintained) was
considered: it would bring its own decision-matrix objects and one
evaluation per weight vector, whereas the sensitivity analysis below
evaluates thousands of weight draws in one array operation (weights of shape
draws x criteria), and missing values need an explicit, reported policy
(``missing=``) rather than whatever a library does with NaN. Two formulas of
a few lines each did not justify a dependency; each formula is in its
kernel's docstring and tested against hand computations:

* weighted sum of min-max normalised criteria (cost criteria reversed);
* TOPSIS (Hwang and Yoon 1981, *Multiple Attribute Decision Making*,
  Springer, ch. 3): vector normalisation, weighted distances to the ideal and
  anti-ideal alternatives, relative closeness ``C = d- / (d+ + d-)``;
* weight sensitivity in the spirit of stochastic multicriteria acceptability
  analysis (SMAA, Lahdelma, Hokkanen and Salminen 1998, *European Journal of
  Operational Research* 106): weights are drawn from a Dirichlet
  distribution centred on the published weights, ``Dirichlet(c * w)``, whose
  concentration ``c`` says how far the weights may move (the standard
  deviation of weight ``j`` is ``sqrt(w_j (1 - w_j) / (c + 1))``).

Missing values (``missing=``): by default a missing value raises (a missing
value is not a zero). With ``missing="exclude"`` an alternative that lacks a
value on a criterion of positive weight is left out of the ranking (both
methods compare alternatives on the same criteria, and any stand-in value,
zero, the mean or the worst, would be an invented measurement); it is listed
after the ranked ones with ``score`` and ``rank`` missing and the criteria
it lacks in ``missing_criteria``. The normalisation (min-max or vector) is
then computed over the ranked alternatives only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing

__all__ = [
    "METHODS",
    "DIRECTIONS",
    "weighted_sum_scores",
    "plain_weighted_sum",
    "topsis_scores",
    "rank_alternatives",
    "weight_sensitivity",
    "MISSING_POLICIES",
]

#: Ranking methods accepted by ``method=``.
METHODS: tuple[str, ...] = ("weighted_sum", "topsis")
#: Criterion directions: more is better (benefit) or less is better (cost).
DIRECTIONS: tuple[str, ...] = ("benefit", "cost")
#: What ``missing=`` may say about an alternative without a value on a criterion.
MISSING_POLICIES: tuple[str, ...] = ("raise", "exclude")


def weighted_sum_scores(x: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Weighted sum of min-max normalised criteria (kernel).

    ``r_ij = (x_ij - min_j) / (max_j - min_j)`` for a benefit criterion and
    ``(max_j - x_ij) / (max_j - min_j)`` for a cost criterion; a criterion on
    which all alternatives are equal gets ``r = 1`` (it separates nobody);
    ``score_i = sum_j w_j r_ij``. ``weights`` may be 2-D (draws x criteria):
    the result is then draws x alternatives.

    Examples
    --------
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 20.0]])
    >>> weighted_sum_scores(x, np.array([0.5, 0.5]), np.array([True, False]))
    array([0.5, 0.5, 0.5])
    """
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    r = np.where(benefit, (x - lo) / safe, (hi - x) / safe)
    r = np.where(span > 0, r, 1.0)
    return np.asarray(r @ np.asarray(weights, dtype=float).T).T


def topsis_scores(x: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """TOPSIS relative closeness to the ideal alternative (kernel).

    ``r_ij = x_ij / sqrt(sum_i x_ij^2)``, ``v_ij = w_j r_ij``; the ideal
    ``A+`` takes the best ``v`` of each criterion (largest for benefit,
    smallest for cost), the anti-ideal ``A-`` the worst; ``d+_i`` and ``d-_i``
    are Euclidean distances to them and ``C_i = d-_i / (d+_i + d-_i)`` (Hwang
    and Yoon 1981). A criterion whose column is all zero contributes nothing.
    ``weights`` may be 2-D (draws x criteria). Where ``d+ + d- = 0`` (all
    alternatives equal) the closeness is NaN.

    Examples
    --------
    >>> x = np.array([[1.0, 1.0], [2.0, 2.0]])
    >>> topsis_scores(x, np.array([0.5, 0.5]), np.array([True, True]))
    array([0., 1.])
    """
    norm = np.sqrt((x**2).sum(axis=0))
    r = x / np.where(norm > 0, norm, 1.0)
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    v = w[:, None, :] * r[None, :, :]  # draws x alternatives x criteria
    best = np.where(benefit, v.max(axis=1), v.min(axis=1))[:, None, :]
    worst = np.where(benefit, v.min(axis=1), v.max(axis=1))[:, None, :]
    d_plus = np.sqrt(((v - best) ** 2).sum(axis=2))
    d_minus = np.sqrt(((v - worst) ** 2).sum(axis=2))
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), np.nan)
    return c[0] if np.ndim(weights) == 1 else c


def plain_weighted_sum(x: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Weighted sum of the values as given (kernel): ``sum_j w_j x_ij``, cost criteria negated.

    For criteria already on one common scale (e.g. a call's 0-10 scores).

    Examples
    --------
    >>> plain_weighted_sum(np.array([[8.0, 2.0]]), np.array([0.5, 0.5]), np.array([True, False]))
    array([3.])
    """
    signed = np.where(benefit, x, -x)
    return np.asarray(signed @ np.asarray(weights, dtype=float).T).T


_KERNELS = {"weighted_sum": weighted_sum_scores, "topsis": topsis_scores}


def _kernel(method: str, normalise: bool):  # type: ignore[no-untyped-def]
    if method == "weighted_sum" and not normalise:
        return plain_weighted_sum
    return _KERNELS[method]


def _matrix(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    *,
    alternative: str,
    criterion: str,
    value: str,
    weight: str,
    direction: str,
    missing: str = "raise",
) -> tuple[list[object], list[object], np.ndarray, np.ndarray, np.ndarray]:
    """Check the two tables; return alternatives, criteria, X, weights, benefit.

    With ``missing="exclude"`` X may hold NaN (a value missing or absent).
    """
    if missing not in MISSING_POLICIES:
        raise InputError(f"missing= must be one of {short_list(MISSING_POLICIES)}; got {missing!r}")
    sc = require_frame(scores, "scores")
    cr = require_frame(criteria, "criteria")
    require_columns(sc, "scores", alternative=alternative, criterion=criterion, value=value)
    require_columns(cr, "criteria", criterion=criterion, weight=weight, direction=direction)
    require_no_missing(
        sc,
        "scores",
        (alternative, criterion, value) if missing == "raise" else (alternative, criterion),
    )
    require_no_missing(cr, "criteria", (criterion, weight, direction))
    if cr[criterion].duplicated().any():
        dup = cr.loc[cr[criterion].duplicated(), criterion].tolist()
        raise InputError(f"criteria must list each criterion once; repeated: {short_list(dup)}")
    bad_dir = sorted(set(cr[direction]) - set(DIRECTIONS), key=str)
    if bad_dir:
        raise InputError(
            f"criteria has unknown direction values {short_list(bad_dir)}; allowed: "
            f"{short_list(DIRECTIONS)}"
        )
    w = pd.to_numeric(cr[weight], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise InputError(
            f"criteria weights must be finite numbers >= 0 with a positive sum; got {w.tolist()}"
        )
    crit = cr[criterion].tolist()
    unknown = sorted(set(sc[criterion]) - set(crit), key=str)
    if unknown:
        raise InputError(
            f"scores has criteria not in the criteria table: {short_list(unknown)}; "
            f"allowed: {short_list(crit)}"
        )
    if sc.duplicated([alternative, criterion]).any():
        dup = sc.loc[sc.duplicated([alternative, criterion]), [alternative, criterion]]
        raise InputError(
            "scores must have one value per alternative and criterion; repeated: "
            f"{short_list([tuple(r) for r in dup.itertuples(index=False)], 5)}"
        )
    vals = pd.to_numeric(sc[value], errors="coerce")
    if (vals.isna() & sc[value].notna()).any() or (missing == "raise" and vals.isna().any()):
        raise InputError(
            f"scores column {value!r} must be numeric; not numbers: "
            f"{short_list(sc.loc[vals.isna() & sc[value].notna(), value].tolist(), 5)}"
        )
    alts = list(dict.fromkeys(sc[alternative].tolist()))
    wide = (
        pd.DataFrame({"a": sc[alternative], "c": sc[criterion], "v": vals})
        .pivot(index="a", columns="c", values="v")
        .reindex(index=alts, columns=crit)
    )
    if missing == "raise" and wide.isna().any().any():
        a_i, c_i = np.argwhere(wide.isna().to_numpy())[0]
        raise InputError(
            f"alternative {alts[a_i]!r} has no value for criterion {crit[c_i]!r}; every "
            f"alternative needs a value on every criterion (a missing value is not a zero)"
        )
    x = wide.to_numpy(dtype=float)
    benefit = (cr[direction] == "benefit").to_numpy()
    return alts, crit, x, w / w.sum(), benefit


def _complete(
    alts: list[object], crit: list[object], x: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Rows with a value on every criterion of positive weight, those criteria, and why not.

    Returns the mask of complete alternatives, the mask of criteria used
    (weight > 0), the reduced X (complete rows, used criteria) and for
    every alternative the names of the criteria it lacks, joined by ", ".
    """
    used = w > 0
    gaps = np.isnan(x) & used[None, :]
    complete = ~gaps.any(axis=1)
    lacking = [", ".join(str(c) for c, g in zip(crit, row) if g) for row in gaps]
    return complete, used, x[np.ix_(complete, used)], lacking


def _ranks(scores: np.ndarray) -> pd.Series:
    """Return ranks, 1 = best; NaN: no rank.

    Scores equal up to floating-point noise (relative 1e-12) share the best rank,
    so scaling all weights by one factor never splits a tie.
    """
    s = pd.Series(scores, dtype=float)
    order = s.sort_values(ascending=False, kind="stable").dropna()
    out = pd.Series(pd.NA, index=s.index, dtype="Int64")
    prev = None
    rank = 0
    for n, (i, v) in enumerate(order.items(), start=1):
        if prev is None or not np.isclose(v, prev, rtol=1e-12, atol=1e-15):
            rank = n
        out[i] = rank
        prev = v
    return out


def _check_method(method: str) -> None:
    if method not in _KERNELS:
        raise InputError(f"method= must be one of {short_list(METHODS)}; got {method!r}")


def rank_alternatives(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    *,
    method: str = "weighted_sum",
    alternative: str = "alternative",
    criterion: str = "criterion",
    value: str = "value",
    weight: str = "weight",
    direction: str = "direction",
    normalise: bool = True,
    missing: str = "raise",
) -> pd.DataFrame:
    """Score and rank alternatives on weighted criteria.

    Parameters
    ----------
    scores : DataFrame
        Tidy: one row per alternative x criterion with its value.
    criteria : DataFrame
        One row per criterion: its weight (>= 0, normalised to sum 1) and
        direction (``"benefit"`` or ``"cost"``).
    method : {"weighted_sum", "topsis"}
        See :func:`weighted_sum_scores` and :func:`topsis_scores`.
    alternative, criterion, value, weight, direction : str
        Column names.
    normalise : bool, default True
        For the weighted sum: min-max normalise each criterion first; False
        sums the values as given (:func:`plain_weighted_sum`), for criteria
        on one common scale. TOPSIS always normalises.
    missing : {"raise", "exclude"}, default "raise"
        An alternative without a value (NaN or no row) on a criterion of
        positive weight: raise, or leave it unranked (see the module notes).

    Returns
    -------
    DataFrame
        One row per alternative, best first: the ``alternative`` column,
        ``score`` and ``rank`` (1 = best; equal scores share the best rank).
        With ``missing="exclude"`` also ``missing_criteria`` (empty for the
        ranked ones); the unranked alternatives come last with ``score``
        and ``rank`` missing.

    Raises
    ------
    InputError
        A column is missing, a value is missing or not numeric, a weight is
        negative, a direction unknown, or an alternative lacks a criterion.

    Examples
    --------
    >>> s = pd.DataFrame({"alternative": ["a", "a", "b", "b"], "criterion": ["lq", "cost"] * 2,
    ...                   "value": [2.0, 5.0, 1.0, 1.0]})
    >>> c = pd.DataFrame({"criterion": ["lq", "cost"], "weight": [3, 1],
    ...                   "direction": ["benefit", "cost"]})
    >>> rank_alternatives(s, c)
      alternative  score  rank
    0           a   0.75     1
    1           b   0.25     2
    """
    _check_method(method)
    alts, crit, x, w, benefit = _matrix(
        scores,
        criteria,
        alternative=alternative,
        criterion=criterion,
        value=value,
        weight=weight,
        direction=direction,
        missing=missing,
    )
    complete, used, xc, lacking = _complete(alts, crit, x, w)
    s = np.full(len(alts), np.nan)
    if complete.any():
        s[complete] = _kernel(method, normalise)(xc, w[used], benefit[used])
    out = pd.DataFrame({alternative: pd.Series(alts, dtype=object), "score": s})
    out["rank"] = _ranks(s)
    if missing == "exclude":
        out["missing_criteria"] = lacking
    return out.sort_values(["rank", alternative], kind="stable", na_position="last").reset_index(
        drop=True
    )


def dirichlet_weights(
    weights: np.ndarray, concentration: float, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Weights drawn around ``weights`` from ``Dirichlet(concentration * w)``.

    A zero weight stays zero (the criterion is not part of the decision).
    Returns draws x criteria, each row summing to 1.
    """
    out = np.zeros((draws, len(weights)))
    pos = weights > 0
    out[:, pos] = rng.dirichlet(concentration * weights[pos], size=draws)
    return out


def funded_mask(
    scores: np.ndarray, top_k: int | None, cost: np.ndarray | None, budget: float | None
) -> np.ndarray:
    """Which alternatives are funded in each row of ``scores`` (draws x alternatives).

    Top-k: the k best scores (ties broken by the alternatives' order).
    Budget: down the ranking, the longest run of alternatives whose
    cumulative cost stays within the budget (no alternative is skipped to fit
    a cheaper one further down).
    """
    order = np.argsort(-scores, axis=1, kind="stable")
    mask = np.zeros(scores.shape, dtype=bool)
    rows = np.arange(scores.shape[0])[:, None]
    if top_k is not None:
        mask[rows, order[:, :top_k]] = True
        return mask
    assert cost is not None and budget is not None
    cum = np.cumsum(cost[order], axis=1)
    fits = np.cumprod(cum <= budget + 1e-9, axis=1).astype(bool)
    mask[rows, order] = fits
    return mask


def weight_sensitivity(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    *,
    method: str = "weighted_sum",
    top_k: int | None = None,
    budget: float | None = None,
    cost: Mapping[object, float] | None = None,
    concentration: float = 100.0,
    draws: int = 2000,
    seed: int = 0,
    band: tuple[float, float] = (0.05, 0.95),
    alternative: str = "alternative",
    criterion: str = "criterion",
    value: str = "value",
    weight: str = "weight",
    direction: str = "direction",
    normalise: bool = True,
    missing: str = "raise",
) -> pd.DataFrame:
    """How the ranking and the selected set move when the weights vary.

    Weights are drawn ``draws`` times from ``Dirichlet(concentration * w)``
    around the published weights ``w`` (seeded by ``seed``); each draw ranks
    the alternatives with ``method``. The selected set is the ``top_k`` best,
    or, with ``budget`` and ``cost``, the longest head of the ranking whose
    costs fit the budget (see :func:`funded_mask`). ``normalise`` and
    ``missing`` are as in :func:`rank_alternatives`; alternatives left out
    for a missing value take part in no draw and come last with every
    statistic missing and ``missing_criteria`` naming what they lack.

    Returns
    -------
    DataFrame
        One row per alternative in the order of the published ranking: the
        ``alternative`` column, ``score`` and ``rank`` with the published
        weights, ``selected`` (in the set with the published weights),
        ``p_selected`` (share of draws in which it is), ``p_first`` (rank 1
        acceptability), ``mean_rank``, ``rank_p05`` and ``rank_p95`` (5th and
        95th percentile of its rank), and ``depends_on_weights``: True when
        ``band[0] < p_selected < band[1]``, i.e. its selection flips in more
        than 5% of the plausible weightings (default band).

    Raises
    ------
    InputError
        As :func:`rank_alternatives`; also neither or both of ``top_k`` and
        ``budget``, a cost missing for an alternative, or bad numbers.

    Examples
    --------
    >>> s = pd.DataFrame({"alternative": list("aabbcc"), "criterion": ["x", "y"] * 3,
    ...                   "value": [1.0, 0.0, 0.0, 1.0, 0.1, 0.1]})
    >>> c = pd.DataFrame({"criterion": ["x", "y"], "weight": [0.5, 0.5],
    ...                   "direction": ["benefit", "benefit"]})
    >>> r = weight_sensitivity(s, c, top_k=1, draws=500, seed=1)
    >>> r[["alternative", "selected", "depends_on_weights"]].sort_values("alternative")
      alternative  selected  depends_on_weights
    0           a      True                True
    1           b     False                True
    2           c     False               False
    """
    _check_method(method)
    check_number("concentration", concentration, low=0, low_inclusive=False)
    check_number("draws", draws, low=1, integer=True)
    if (top_k is None) == (budget is None):
        raise InputError("give exactly one of top_k= (number selected) or budget= (with cost=)")
    all_alts, crit, x_all, w_all, benefit_all = _matrix(
        scores,
        criteria,
        alternative=alternative,
        criterion=criterion,
        value=value,
        weight=weight,
        direction=direction,
        missing=missing,
    )
    complete, used, x, lacking = _complete(all_alts, crit, x_all, w_all)
    alts = [a for a, ok in zip(all_alts, complete) if ok]
    w, benefit = w_all[used], benefit_all[used]
    if not alts:
        raise InputError("no alternative has a value on every criterion of positive weight")
    costs: np.ndarray | None = None
    if top_k is not None:
        check_number("top_k", top_k, low=1, high=len(alts), integer=True)
    else:
        check_number("budget", budget, low=0)
        if cost is None:
            raise InputError("budget= needs cost=: a mapping from each alternative to its cost")
        lacking_cost = [a for a in alts if a not in cost]
        if lacking_cost:
            raise InputError(f"cost= has no cost for {short_list(lacking_cost, 5)}")
        costs = np.array([float(cost[a]) for a in alts])
        if not np.isfinite(costs).all() or (costs < 0).any():
            raise InputError(f"costs must be finite numbers >= 0; got {costs.tolist()}")
    kernel = _kernel(method, normalise)
    base = kernel(x, w, benefit)
    rng = np.random.default_rng(seed)
    wd = dirichlet_weights(w, float(concentration), int(draws), rng)
    sims = np.atleast_2d(kernel(x, wd, benefit))
    sims_f = np.nan_to_num(sims, nan=-np.inf)
    sel = funded_mask(sims_f, top_k, costs, budget)
    base_sel = funded_mask(np.nan_to_num(base, nan=-np.inf)[None, :], top_k, costs, budget)[0]
    ranks = (-sims_f).argsort(axis=1, kind="stable").argsort(axis=1) + 1
    p_sel = sel.mean(axis=0)
    out = pd.DataFrame(
        {
            alternative: pd.Series(alts, dtype=object),
            "score": base,
            "rank": _ranks(base),
            "selected": base_sel,
            "p_selected": p_sel,
            "p_first": (ranks == 1).mean(axis=0),
            "mean_rank": ranks.mean(axis=0),
            "rank_p05": np.percentile(ranks, 5, axis=0),
            "rank_p95": np.percentile(ranks, 95, axis=0),
            "depends_on_weights": (p_sel > band[0]) & (p_sel < band[1]),
        }
    )
    out = out.sort_values(["rank", alternative], kind="stable").reset_index(drop=True)
    if missing == "exclude":
        out["missing_criteria"] = ""
        left = [a for a, ok in zip(all_alts, complete) if not ok]
        if left:
            rest = pd.DataFrame(
                {
                    alternative: pd.Series(left, dtype=object),
                    "missing_criteria": [m for m, ok in zip(lacking, complete) if not ok],
                }
            )
            out = pd.concat([out, rest], ignore_index=True)
            out["rank"] = out["rank"].astype("Int64")
            for col in ("selected", "depends_on_weights"):
                out[col] = out[col].astype("boolean")
    return out


def criteria_table(
    weights: Mapping[str, float], directions: Mapping[str, str] | Sequence[str] | None = None
) -> pd.DataFrame:
    """Return a criteria table from a weight mapping (all benefit unless ``directions`` says cost).

    Examples
    --------
    >>> criteria_table({"lq": 2, "cost": 1}, {"cost": "cost"})
      criterion  weight direction
    0        lq       2   benefit
    1      cost       1      cost
    """
    names = list(weights)
    if directions is None:
        dirs = ["benefit"] * len(names)
    elif isinstance(directions, Mapping):
        dirs = [directions.get(n, "benefit") for n in names]
    else:
        dirs = list(directions)
    return pd.DataFrame(
        {"criterion": names, "weight": [weights[n] for n in names], "direction": dirs}
    )
