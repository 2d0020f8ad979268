"""Open calls: scoring proposals, agreement between evaluators, robustness, assignment.

The report describes open calls in which "regional collaborative
partnerships compete for funding", whose "evaluation criteria can be
adjusted for the particular needs of the region" by weighting them
(``clusters-and-s3-report.txt`` lines 1597-1600), and warns that their
value depends on the "quality of selection procedures" (lines 1624-1627).
These functions make a panel's result checkable: the weighted ranking, the
same ranking on per-evaluator standardised scores (lenient and harsh raters
corrected), the agreement between evaluators on each criterion, the
probability that each proposal is funded when the weights vary, and a
balanced assignment of evaluators that respects declared conflicts of
interest.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing
from ris3.strategy.mcda import weight_sensitivity

__all__ = [
    "call_ranking",
    "call_agreement",
    "call_robustness",
    "call_results",
    "orient_scores",
    "assign_evaluators",
    "icc",
    "krippendorff_alpha_interval",
]


def _scores(
    scores: pd.DataFrame, proposal: str, evaluator: str, criterion: str, score: str
) -> pd.DataFrame:
    df = require_frame(scores, "scores")
    require_columns(
        df, "scores", proposal=proposal, evaluator=evaluator, criterion=criterion, score=score
    )
    require_no_missing(df, "scores", (proposal, evaluator, criterion, score))
    vals = pd.to_numeric(df[score], errors="coerce")
    if vals.isna().any():
        raise InputError(
            f"scores column {score!r} must be numeric; not numbers: "
            f"{short_list(df.loc[vals.isna(), score].tolist(), 5)}"
        )
    keys = [proposal, evaluator, criterion]
    if df.duplicated(keys).any():
        dup = df.loc[df.duplicated(keys), keys]
        raise InputError(
            "scores must have one score per proposal, evaluator and criterion; repeated: "
            f"{short_list([tuple(r) for r in dup.itertuples(index=False)], 3)}"
        )
    return df.assign(**{score: vals.astype(float)})


def _weights(weights: Mapping[str, float], criteria: list[object]) -> pd.Series:
    w = pd.Series({k: float(v) for k, v in weights.items()})
    missing = [c for c in criteria if c not in w.index]
    if missing:
        raise InputError(f"weights= has no weight for criteria {short_list(missing)}")
    if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
        raise InputError(
            f"weights must be finite numbers >= 0 with a positive sum; got {w.to_dict()}"
        )
    return w / w.sum()


def call_ranking(
    scores: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    proposal: str = "proposal",
    evaluator: str = "evaluator",
    criterion: str = "criterion",
    score: str = "score",
) -> pd.DataFrame:
    """Weighted score of each proposal, on raw and on per-evaluator standardised scores.

    Raw: the mean score per proposal and criterion over its evaluators, then
    ``sum_j w_j mean_j`` with the weights normalised to sum 1. Standardised:
    each score first becomes ``z = (s - m_e) / sd_e`` with ``m_e`` and
    ``sd_e`` the mean and standard deviation (ddof=1) of all scores evaluator
    ``e`` gave on that criterion, so that a lenient evaluator (high ``m_e``)
    and a harsh one count alike; then the same weighted mean. An evaluator
    with fewer than two scores, or all equal, on a criterion has no
    standard deviation: those z-scores are NaN (not 0), the proposal's
    standardised score uses its other evaluators, and ``z_incomplete`` says so.

    Returns
    -------
    DataFrame
        One row per proposal, best raw score first: the ``proposal`` column,
        ``evaluators`` (distinct), ``weighted_score``, ``rank``,
        ``weighted_z``, ``rank_z``, ``rank_change`` (rank - rank_z) and
        ``z_incomplete``.

    Examples
    --------
    >>> s = pd.DataFrame({"proposal": ["p1", "p2", "p1", "p2"], "evaluator": ["lenient"] * 2 + ["harsh"] * 2,
    ...                   "criterion": "quality", "score": [9, 8, 3, 1]})
    >>> call_ranking(s, {"quality": 1})[["proposal", "weighted_score", "weighted_z", "rank_z"]]
      proposal  weighted_score  weighted_z  rank_z
    0       p1             6.0    0.707107       1
    1       p2             4.5   -0.707107       2
    """
    df = _scores(scores, proposal, evaluator, criterion, score)
    crits = list(dict.fromkeys(df[criterion]))
    w = _weights(weights, crits)
    grp = df.groupby([evaluator, criterion])[score]
    sd = grp.transform("std", ddof=1)
    z = (df[score] - grp.transform("mean")) / sd.where(sd > 0)
    df = df.assign(_z=z)
    props = list(dict.fromkeys(df[proposal]))
    raw = (
        df.groupby([proposal, criterion])[score]
        .mean()
        .unstack()
        .reindex(index=props, columns=crits)
    )
    zm = (
        df.groupby([proposal, criterion])["_z"].mean().unstack().reindex(index=props, columns=crits)
    )
    wv = w.reindex(crits).to_numpy()
    raw_missing = raw.isna().any(axis=1)
    if raw_missing.any():
        lacking = [p for p, m in zip(props, raw_missing) if m]
        raise InputError(
            f"proposals {short_list(lacking, 5)} have no score on some criterion; every proposal "
            "needs at least one score per criterion (a missing score is not a zero)"
        )
    out = pd.DataFrame(
        {
            proposal: pd.Series(props, dtype=object),
            "evaluators": df.groupby(proposal)[evaluator].nunique().reindex(props).to_numpy(),
            "weighted_score": raw.to_numpy() @ wv,
            "weighted_z": np.where(zm.isna().any(axis=1), np.nan, zm.fillna(0).to_numpy() @ wv),
            "z_incomplete": df.groupby(proposal)["_z"]
            .apply(lambda s: bool(s.isna().any()))
            .reindex(props)
            .to_numpy(),
        }
    )
    out["rank"] = out["weighted_score"].rank(ascending=False, method="min").astype("Int64")
    out["rank_z"] = out["weighted_z"].rank(ascending=False, method="min").astype("Int64")
    out["rank_change"] = out["rank"] - out["rank_z"]
    cols = [
        proposal,
        "evaluators",
        "weighted_score",
        "rank",
        "weighted_z",
        "rank_z",
        "rank_change",
        "z_incomplete",
    ]
    return out[cols].sort_values(["rank", proposal], kind="stable").reset_index(drop=True)


def icc(ratings: np.ndarray, form: str = "1") -> float:
    """Intraclass correlation of a targets x raters matrix (kernel; NaN = not rated).

    Shrout and Fleiss (1979), *Psychological Bulletin* 86(2), 420-428, single
    rater forms. With ``BMS`` and ``WMS`` the between- and within-target mean
    squares of a one-way ANOVA, and ``JMS``, ``EMS`` the rater and residual
    mean squares of the two-way ANOVA on ``n`` targets and ``k`` raters:

    * ``"1"`` ICC(1,1), one-way random: ``(BMS - WMS) / (BMS + (k0 - 1) WMS)``;
      it allows each target its own set of raters (missing cells), with
      ``k0 = (N - sum n_i^2 / N) / (n - 1)`` the mean group size of the
      unbalanced one-way ANOVA (``N`` ratings, ``n_i`` per target), equal to
      ``k`` when the design is complete;
    * ``"2,1"`` two-way random, absolute agreement:
      ``(BMS - EMS) / (BMS + (k - 1) EMS + k (JMS - EMS) / n)``;
    * ``"3,1"`` two-way mixed, consistency: ``(BMS - EMS) / (BMS + (k - 1) EMS)``.

    The two-way forms need every rater to rate every target; otherwise NaN.

    Examples
    --------
    Shrout and Fleiss's Table 2 (6 targets, 4 judges); published values
    ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71:

    >>> x = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    >>> [round(icc(x, f), 2) for f in ("1", "2,1", "3,1")]
    [0.17, 0.29, 0.71]
    """
    x = np.asarray(ratings, dtype=float)
    keep = (~np.isnan(x)).sum(axis=1) > 0
    x = x[keep]
    n = x.shape[0]
    if n < 2:
        return float("nan")
    obs = ~np.isnan(x)
    if form == "1":
        ni = obs.sum(axis=1)
        total = ni.sum()
        if (ni < 1).any() or total <= n:
            return float("nan")
        means = np.nansum(x, axis=1) / ni
        grand = np.nansum(x) / total
        bms = (ni * (means - grand) ** 2).sum() / (n - 1)
        wms = np.nansum((x - means[:, None]) ** 2) / (total - n)
        k0 = (total - (ni**2).sum() / total) / (n - 1)
        den = bms + (k0 - 1) * wms
        return float((bms - wms) / den) if den > 0 else float("nan")
    if form not in ("2,1", "3,1"):
        raise InputError(f"form= must be '1', '2,1' or '3,1'; got {form!r}")
    k = x.shape[1]
    if not obs.all() or k < 2:
        return float("nan")
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_err = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    bms, jms, ems = ss_rows / (n - 1), ss_cols / (k - 1), ss_err / ((n - 1) * (k - 1))
    if form == "2,1":
        den = bms + (k - 1) * ems + k * (jms - ems) / n
    else:
        den = bms + (k - 1) * ems
    return float((bms - ems) / den) if den > 0 else float("nan")


def krippendorff_alpha_interval(ratings: np.ndarray) -> float:
    """Krippendorff's alpha for interval data of a units x raters matrix (kernel; NaN = missing).

    ``alpha = 1 - D_o / D_e`` with the squared difference ``(c - k)^2``:
    ``D_o = (1/N) sum_u (1/(m_u - 1)) sum_{i != j} (v_ui - v_uj)^2`` over units
    with ``m_u >= 2`` values (``N`` = the number of those values) and
    ``D_e = (1/(N(N - 1))) sum_{a != b} (v_a - v_b)^2`` over all pairable
    values (Krippendorff 2011, *Computing Krippendorff's alpha-reliability*,
    Annenberg School for Communication, University of Pennsylvania).

    Examples
    --------
    Krippendorff's own example (4 observers, 12 units, values 1-5, missing
    cells); published interval alpha 0.849:

    >>> nan = np.nan
    >>> x = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...               [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...               [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...               [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]).T
    >>> round(krippendorff_alpha_interval(x), 3)
    0.849
    """
    x = np.asarray(ratings, dtype=float)
    do_sum = 0.0
    pooled: list[np.ndarray] = []
    for row in x:
        v = row[~np.isnan(row)]
        if len(v) < 2:
            continue
        diff = ((v[:, None] - v[None, :]) ** 2).sum()
        do_sum += diff / (len(v) - 1)
        pooled.append(v)
    if not pooled:
        return float("nan")
    allv = np.concatenate(pooled)
    n = len(allv)
    d_o = do_sum / n
    # sum over ordered pairs of squared differences = 2 n sum (v - mean)^2
    d_e = 2 * n * ((allv - allv.mean()) ** 2).sum() / (n * (n - 1))
    return float(1 - d_o / d_e) if d_e > 0 else float("nan")


def call_agreement(
    scores: pd.DataFrame,
    *,
    proposal: str = "proposal",
    evaluator: str = "evaluator",
    criterion: str = "criterion",
    score: str = "score",
) -> pd.DataFrame:
    """Agreement between evaluators on each criterion: ICC(1,1) and Krippendorff's alpha.

    Proposals are the targets (units), evaluators the raters. ICC(1,1) (see
    :func:`icc`) is the form that allows each proposal its own evaluators,
    as an assignment of k evaluators per proposal produces; ICC(2,1) is also
    given when every evaluator scored every proposal on the criterion (NaN
    otherwise). Krippendorff's interval alpha (:func:`krippendorff_alpha_interval`)
    treats missing cells the same way. Both are NaN where undefined (fewer
    than two proposals with two scores, or no variation at all).

    Returns
    -------
    DataFrame
        One row per criterion: the ``criterion`` column, ``proposals``,
        ``evaluators``, ``scores``, ``icc1``, ``icc2_1``, ``alpha_interval``.

    Examples
    --------
    >>> s = pd.DataFrame({"proposal": ["a", "a", "b", "b", "c", "c"], "evaluator": ["x", "y"] * 3,
    ...                   "criterion": "impact", "score": [5, 4, 2, 2, 4, 5]})
    >>> call_agreement(s).round(3)
      criterion  proposals  evaluators  scores   icc1  icc2_1  alpha_interval
    0    impact          3           2       6  0.852   0.846           0.821
    """
    df = _scores(scores, proposal, evaluator, criterion, score)
    rows = []
    for crit, part in df.groupby(criterion, sort=False):
        m = part.pivot(index=proposal, columns=evaluator, values=score).to_numpy(dtype=float)
        rows.append(
            {
                criterion: crit,
                "proposals": m.shape[0],
                "evaluators": m.shape[1],
                "scores": len(part),
                "icc1": icc(m, "1"),
                "icc2_1": icc(m, "2,1"),
                "alpha_interval": krippendorff_alpha_interval(m),
            }
        )
    return pd.DataFrame(rows)


def call_robustness(
    scores: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    top_k: int | None = None,
    budget: float | None = None,
    cost: Mapping[object, float] | None = None,
    standardised: bool = False,
    concentration: float = 100.0,
    draws: int = 2000,
    seed: int = 0,
    proposal: str = "proposal",
    evaluator: str = "evaluator",
    criterion: str = "criterion",
    score: str = "score",
) -> pd.DataFrame:
    """Probability that each proposal is funded when the weights vary around the published ones.

    The mean score per proposal and criterion (raw, or z-scores with
    ``standardised=True``, see :func:`call_ranking`) is ranked by the weighted
    sum of the means as scored (no re-normalisation: the call's own scale) for
    weights drawn from ``Dirichlet(concentration * w)``; see
    :func:`ris3.strategy.mcda.weight_sensitivity` for the columns. A proposal
    whose ``depends_on_weights`` is True is funded under some plausible
    weightings and not under others.

    Examples
    --------
    >>> s = pd.DataFrame({"proposal": ["a", "a", "b", "b", "c", "c"], "evaluator": "e",
    ...                   "criterion": ["impact", "team"] * 3, "score": [9, 1, 1, 9, 4, 4]})
    >>> r = call_robustness(s, {"impact": 0.5, "team": 0.5}, top_k=1, draws=400, seed=2)
    >>> r[["proposal", "selected", "depends_on_weights"]]
      proposal  selected  depends_on_weights
    0        a      True                True
    1        b     False                True
    2        c     False               False
    """
    df = _scores(scores, proposal, evaluator, criterion, score)
    crits = list(dict.fromkeys(df[criterion]))
    w = _weights(weights, crits)
    if standardised:
        grp = df.groupby([evaluator, criterion])[score]
        sd = grp.transform("std", ddof=1)
        df = df.assign(**{score: (df[score] - grp.transform("mean")) / sd.where(sd > 0)})
    means = df.groupby([proposal, criterion], sort=False)[score].mean().reset_index()
    if means[score].isna().any():
        bad = means.loc[means[score].isna(), proposal].unique().tolist()
        raise InputError(
            f"proposals {short_list(bad, 5)} have no standardised score on some criterion "
            "(their evaluators gave a single or constant score); use standardised=False"
        )
    crit_table = pd.DataFrame(
        {"criterion": crits, "weight": w.reindex(crits).to_numpy(), "direction": "benefit"}
    )
    out = weight_sensitivity(
        means.rename(columns={proposal: "alternative", criterion: "criterion", score: "value"}),
        crit_table,
        normalise=False,
        top_k=top_k,
        budget=budget,
        cost=cost,
        concentration=concentration,
        draws=draws,
        seed=seed,
    )
    return out.rename(columns={"alternative": proposal})


def assign_evaluators(
    proposals: list[object] | pd.Series,
    evaluators: list[object] | pd.Series,
    k: int,
    conflicts: pd.DataFrame | None = None,
    *,
    proposal: str = "proposal",
    evaluator: str = "evaluator",
) -> pd.DataFrame:
    """Assign ``k`` evaluators to every proposal, balancing load, never across a conflict.

    A declared conflict of interest (a row of ``conflicts``) removes that
    evaluator from that proposal. Among all feasible assignments the one
    returned has the smallest possible maximum load (found as a maximum flow
    with evaluator capacities raised from ``ceil(n k / m)`` until every
    proposal gets ``k``) and, within that, the smallest sum of squared loads
    (a minimum-cost flow in which an evaluator's s-th proposal costs s), so
    loads are as even as the conflicts allow; the solution is deterministic
    for given inputs.

    Returns
    -------
    DataFrame
        One row per (proposal, evaluator) assigned, with ``load`` (that
        evaluator's number of proposals), sorted by proposal then evaluator.

    Raises
    ------
    InputError
        ``k`` is not an integer >= 1, names repeat, a conflict names an
        unknown proposal or evaluator, or a proposal has fewer than ``k``
        evaluators without a conflict (the proposal is named).

    Examples
    --------
    >>> c = pd.DataFrame({"proposal": ["p1"], "evaluator": ["ana"]})
    >>> a = assign_evaluators(["p1", "p2", "p3"], ["ana", "ben", "cem"], 2, c)
    >>> a.groupby("proposal")["evaluator"].apply(list).to_dict()["p1"]
    ['ben', 'cem']
    >>> sorted(a.groupby("evaluator").size().tolist())
    [2, 2, 2]
    """
    props, evs = list(proposals), list(evaluators)
    check_number("k", k, low=1, integer=True)
    for name, items in (("proposals", props), ("evaluators", evs)):
        if len(set(items)) != len(items):
            raise InputError(f"{name} must not repeat; got {short_list(items)}")
    blocked: set[tuple[object, object]] = set()
    if conflicts is not None:
        cf = require_frame(conflicts, "conflicts")
        require_columns(cf, "conflicts", proposal=proposal, evaluator=evaluator)
        require_no_missing(cf, "conflicts", (proposal, evaluator))
        unknown_p = sorted(set(cf[proposal]) - set(props), key=str)
        unknown_e = sorted(set(cf[evaluator]) - set(evs), key=str)
        if unknown_p or unknown_e:
            raise InputError(
                f"conflicts name unknown proposals {short_list(unknown_p)} or evaluators "
                f"{short_list(unknown_e)}"
            )
        blocked = set(zip(cf[proposal], cf[evaluator]))
    eligible = {p: [e for e in evs if (p, e) not in blocked] for p in props}
    short = [p for p in props if len(eligible[p]) < k]
    if short:
        p = short[0]
        raise InputError(
            f"proposal {p!r} has {len(eligible[p])} evaluators without a conflict of interest, "
            f"fewer than k={k}"
            + (f" (and {len(short) - 1} more proposals)" if len(short) > 1 else "")
        )
    need = len(props) * k
    cap = -(-need // len(evs))
    while True:
        g = nx.DiGraph()
        for i, p in enumerate(props):
            g.add_edge("s", ("p", i), capacity=k)
            for e in eligible[p]:
                g.add_edge(("p", i), ("e", evs.index(e)), capacity=1)
        for j in range(len(evs)):
            g.add_edge(("e", j), "t", capacity=cap)
        value, flow = nx.maximum_flow(g, "s", "t")
        if value == need:
            break
        cap += 1
    # within that cap, spread the load: an evaluator's s-th proposal costs s, so the
    # min-cost flow minimises the sum of squared loads (the most even loads possible)
    g = nx.DiGraph()
    for i, p in enumerate(props):
        g.add_edge("s", ("p", i), capacity=k, weight=0)
        for e in eligible[p]:
            g.add_edge(("p", i), ("e", evs.index(e)), capacity=1, weight=0)
    for j in range(len(evs)):
        for slot in range(1, cap + 1):
            g.add_edge(("e", j), ("slot", j, slot), capacity=1, weight=slot)
            g.add_edge(("slot", j, slot), "t", capacity=1, weight=0)
    flow = nx.max_flow_min_cost(g, "s", "t")
    rows = [
        (p, evs[node[1]])
        for i, p in enumerate(props)
        for node, f in flow[("p", i)].items()
        if f > 0
    ]
    out = pd.DataFrame(rows, columns=[proposal, evaluator])
    out["load"] = out.groupby(evaluator)[proposal].transform("size").astype(np.int64)
    order = {p: i for i, p in enumerate(props)}
    eorder = {e: i for i, e in enumerate(evs)}
    out = out.assign(_p=out[proposal].map(order), _e=out[evaluator].map(eorder))
    return out.sort_values(["_p", "_e"]).drop(columns=["_p", "_e"]).reset_index(drop=True)


def orient_scores(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    *,
    criterion: str = "criterion",
    score: str = "score",
) -> pd.DataFrame:
    """Scores turned so that more is better on every criterion, each checked against its scale.

    ``criteria`` has one row per criterion with ``scale_min``, ``scale_max``
    and ``direction`` (``"benefit"``: more is better; ``"cost"``: less is
    better, e.g. risk). A cost score ``s`` becomes ``scale_min + scale_max - s``
    (its mirror on the same scale), so a weighted sum of the oriented scores
    rewards low cost. A score outside its criterion's scale is an error, not
    clipped.

    Examples
    --------
    >>> s = pd.DataFrame({"criterion": ["impact", "risk"], "score": [8, 2]})
    >>> c = pd.DataFrame({"criterion": ["impact", "risk"], "scale_min": [0, 0],
    ...                   "scale_max": [10, 10], "direction": ["benefit", "cost"]})
    >>> orient_scores(s, c)["score"].tolist()
    [8.0, 8.0]
    """
    df = require_frame(scores, "scores")
    cr = require_frame(criteria, "criteria")
    require_columns(df, "scores", criterion=criterion, score=score)
    require_columns(
        cr, "criteria", criterion=criterion, scale_min="scale_min", scale_max="scale_max"
    )
    require_columns(cr, "criteria", direction="direction")
    meta = cr.set_index(criterion)
    unknown = sorted(set(df[criterion]) - set(meta.index), key=str)
    if unknown:
        raise InputError(
            f"scores name criteria {short_list(unknown)} that the call does not have; "
            f"allowed: {short_list(meta.index.tolist())}"
        )
    bad_dir = sorted(set(meta["direction"]) - {"benefit", "cost"}, key=str)
    if bad_dir:
        raise InputError(f"direction must be 'benefit' or 'cost'; got {short_list(bad_dir)}")
    lo = df[criterion].map(meta["scale_min"]).astype(float)
    hi = df[criterion].map(meta["scale_max"]).astype(float)
    vals = pd.to_numeric(df[score], errors="coerce").astype(float)
    outside = (vals < lo) | (vals > hi) | vals.isna()
    if outside.any():
        i = int(np.flatnonzero(outside.to_numpy())[0])
        raise InputError(
            f"score {vals.iloc[i]:g} on {df[criterion].iloc[i]!r} is outside its scale "
            f"{lo.iloc[i]:g}-{hi.iloc[i]:g}"
        )
    cost = df[criterion].map(meta["direction"]).eq("cost").to_numpy()
    return df.assign(**{score: np.where(cost, lo + hi - vals, vals)})


def call_results(
    scores: pd.DataFrame,
    criteria: pd.DataFrame,
    cost: Mapping[object, float],
    budget: float,
    *,
    concentration: float = 100.0,
    draws: int = 2000,
    seed: int = 0,
    band: tuple[float, float] = (0.05, 0.95),
) -> dict[str, pd.DataFrame]:
    """Return a panel's whole result: ranking (raw and standardised), agreement, robustness.

    ``scores`` has the columns ``proposal``, ``evaluator``, ``criterion``,
    ``score``; ``criteria`` has ``criterion``, ``weight``, ``direction``,
    ``scale_min`` and ``scale_max``; ``cost`` maps each proposal to its
    requested budget and ``budget`` is the call's money. Scores are first
    oriented (:func:`orient_scores`), then:

    * ``ranking``: :func:`call_ranking` (weighted sum of the mean scores, and
      of the per-evaluator standardised scores), joined with the funded set
      at the published weights and its robustness from :func:`call_robustness`
      on the raw scores: ``funded`` (in the budget-constrained funded set:
      down the raw ranking while the cumulative requested budget fits),
      ``p_funded`` (share of the ``draws`` weightings drawn from
      ``Dirichlet(concentration * w)`` in which it is funded) and
      ``depends_on_weights`` (``band[0] < p_funded < band[1]``);
    * ``agreement``: :func:`call_agreement` on the oriented scores.

    Examples
    --------
    >>> s = pd.DataFrame({"proposal": list("aabbcc"), "evaluator": "e",
    ...                   "criterion": ["impact", "team"] * 3, "score": [9, 1, 1, 9, 4, 4]})
    >>> c = pd.DataFrame({"criterion": ["impact", "team"], "weight": [1, 1],
    ...                   "direction": "benefit", "scale_min": 0, "scale_max": 10})

    With money for one of the three, a and b tie at the published weights
    (a is funded by the order of the table); either wins when the weights
    move, so both depend on the weights; c is never funded:

    >>> r = call_results(s, c, {"a": 50, "b": 50, "c": 50}, 60, draws=400)["ranking"]
    >>> r[["proposal", "weighted_score", "funded", "depends_on_weights"]]
      proposal  weighted_score  funded  depends_on_weights
    0        a             5.0    True                True
    1        b             5.0   False                True
    2        c             4.0   False               False
    """
    oriented = orient_scores(scores, criteria)
    weights = dict(zip(criteria["criterion"], criteria["weight"].astype(float)))
    ranking = call_ranking(oriented, weights)
    robust = call_robustness(
        oriented,
        weights,
        budget=budget,
        cost=cost,
        concentration=concentration,
        draws=draws,
        seed=seed,
    )
    lo, hi = band
    robust = robust.assign(
        depends_on_weights=(robust["p_selected"] > lo) & (robust["p_selected"] < hi)
    )
    merged = ranking.merge(
        robust[["proposal", "selected", "p_selected", "mean_rank", "depends_on_weights"]].rename(
            columns={"selected": "funded", "p_selected": "p_funded"}
        ),
        on="proposal",
        how="left",
    )
    merged.insert(
        merged.columns.get_loc("funded"),
        "requested",
        merged["proposal"].map(lambda p: float(cost[p])),
    )
    return {"ranking": merged, "agreement": call_agreement(oriented)}
