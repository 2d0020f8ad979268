"""Did the cluster programme work? The entry point of :mod:`ris3.evaluation`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ris3._compat import renamed_parameters
from ris3._validation import check_flag, check_number, check_option, short_list
from ris3.errors import DataQualityWarning, InputError
from ris3.evaluation.results import REFERENCE_GROUPS, EvaluationResult

__all__ = ["evaluate_programme", "ESTIMATORS"]

Estimator = Literal["did_twfe", "did_staggered", "naive"]
ESTIMATORS: tuple[str, ...] = ("did_twfe", "did_staggered", "naive")
_FEW_MEMBERS = 30  # member firms per lead below which the pre-trend test is warned about
_GROUP_COLUMN = {"same_region": "group_region", "peer_regions": "group_peer"}


@renamed_parameters(year="time")
def evaluate_programme(
    panel: Any,
    *,
    firm: str,
    region: str,
    activity: str,
    time: str,
    entry_year: str,
    value_added: str | None = None,
    employment: str | None = None,
    wages: str | None = None,
    turnover: str | None = None,
    profit: str | None = None,
    exports: str | None = None,
    outcomes: Sequence[str] | None = None,
    peer_regions: Sequence[str] | None = None,
    n_peers: int = 3,
    estimators: Sequence[str] = ESTIMATORS,
    event_window: tuple[int, int] = (5, 5),
    productivity: bool = True,
    policy: Sequence[str] = (),
    controls: Sequence[str] = (),
    fixed_effects: str = "activity + year",
    region_rule: Literal["raise", "first", "last", "drop"] = "raise",
    nonpositive: Literal["raise", "drop"] = "raise",
    missing: Literal["raise", "drop"] = "raise",
    alpha: float = 0.05,
    backend: Any = None,
) -> EvaluationResult:
    """Evaluate a cluster programme on a firm-year panel against two reference groups.

    Member firms (those with an ``entry_year``) are compared with

    (a) ``"same_region"``: the other firms in the programme's region(s);
    (b) ``"peer_regions"``: firms in the members' industries in similar
        regions without the programme — ``peer_regions`` given by the user,
        or, when omitted, the closest structural peers from
        ``ris3.diversification.peers`` if that module is installed.

    For each outcome and reference group it estimates a difference in
    differences with firm-clustered standard errors — two-way fixed effects
    and the interaction-weighted estimator robust to staggered entry (Sun and
    Abraham 2021) — with an event
    study and a joint pre-trend test, the naive member vs non-member gap, and
    a productivity regression on membership, agglomeration (LQ of the firm's
    activity in its region), policy-target variables and controls.

    Parameters
    ----------
    panel : DataFrame, Parquet path/glob or Ibis table
        One row per firm and year; prepared on the engine
        (see :func:`ris3.evaluation.panel.prepare_panel`).
    firm, region, activity, time, entry_year : str
        Column names (``time`` is the year column; ``year=`` is its old name,
        accepted with a FutureWarning); ``entry_year`` is missing for firms
        that never joined.
    value_added, employment, wages, turnover, profit, exports : str, optional
        Raw columns the outcomes are built from.
    outcomes : list of str, optional
        From ``ris3.evaluation.panel.OUTCOMES``: ``value_added`` (log),
        ``value_added_growth``, ``profitability_growth`` (change of profit /
        turnover), ``wage_per_employee`` (log), ``turnover`` (log),
        ``employment`` (log), ``productivity`` (log VA per employee),
        ``productivity_growth``, ``export_intensity``. Default: all whose raw
        columns are given.
    peer_regions : list of str, optional
        Regions without the programme for reference group (b). When omitted,
        the ``n_peers`` regions most similar to each programme region in
        employment structure (first panel year) are used, found by
        :func:`ris3.diversification.peers.peers` (needs ``employment``).
    n_peers : int, default 3
        Number of structural peers per programme region when
        ``peer_regions`` is omitted; 0 skips reference group (b).
    estimators : list of {"did_twfe", "did_staggered", "naive"}
        Which effect estimators to run (all by default).
    event_window : (int, int), default (5, 5)
        Leads and lags of the event study; farther years are binned.
    productivity : bool, default True
        Run the productivity regression (needs ``value_added`` and
        ``employment``).
    policy, controls : list of str
        Columns of policy-target variables (e.g. R&D, certification) and of
        controls (age, size class, legal form) for the productivity
        regression; non-numeric columns enter as categories.
    fixed_effects : str, default "activity + year"
        Fixed effects of the productivity regression, among ``firm``,
        ``region``, ``activity``, ``year`` joined by ``+``. Regressors are
        ``member`` (ever joined; left out with firm effects, which absorb
        it), ``treated`` (member in or after the entry year), ``lq``, then
        ``policy`` and ``controls``.
    region_rule, nonpositive, missing : str
        Handling of firms switching region, of non-positive values where
        logs are needed and of missing raw values (an error by default;
        ``"drop"`` leaves the rows out of the affected outcomes and reports
        them); see :func:`ris3.evaluation.panel.prepare_panel`.
    alpha : float, default 0.05
        Significance level; intervals have coverage ``1 - alpha``.
    backend : Ibis backend, optional
        From :func:`ris3.engines.backend.connect`; default DuckDB in memory.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    InputError, ConventionError
        Bad columns or options, and the panel problems listed in
        :func:`~ris3.evaluation.panel.prepare_panel`.

    Warns
    -----
    DataQualityWarning
        No peer regions: reference group (b) is skipped. Event-study leads
        resting on fewer than 30 member firms (the pre-trend test then
        over-rejects).

    Examples
    --------
    >>> import ris3
    >>> panel = ris3.simulate_panel(1500, 8, effect=0.1, seed=3)
    >>> res = ris3.evaluate_programme(
    ...     panel, firm="firm_id", region="region", activity="activity",
    ...     time="year", entry_year="entry_year", value_added="value_added",
    ...     employment="employment", outcomes=["value_added"],
    ...     peer_regions=["R02", "R03"], policy=["rd"])
    >>> sorted(res.estimates["method"].unique())
    ['did_staggered', 'did_twfe', 'naive']
    >>> res.verdict()["verdict"].iloc[0]
    'positive effect'
    """
    from ris3.evaluation.panel import prepare_panel

    check_number("n_peers", n_peers, low=0, integer=True)
    check_flag("productivity", productivity)
    check_number("alpha", alpha, low=0, high=1, low_inclusive=False, high_inclusive=False)
    if isinstance(estimators, str):
        estimators = [estimators]
    for e in estimators:
        check_option("estimators", e, ESTIMATORS)
    if not estimators:
        raise InputError(f"estimators must name at least one of {short_list(ESTIMATORS)}; got []")
    window = _check_window(event_window)
    fe_terms = [f.strip() for f in fixed_effects.split("+") if f.strip()]
    for f in fe_terms:
        check_option("fixed_effects term", f, ("firm", "region", "activity", "year"))
    if productivity and (value_added is None or employment is None):
        raise InputError(
            "productivity=True needs value_added= and employment= (productivity is value "
            "added per employee); pass them or set productivity=False"
        )

    from ris3.engines.backend import connect

    backend = backend if backend is not None else connect()
    if peer_regions is None and n_peers > 0:
        peer_regions = _structural_peers(
            panel,
            backend,
            region=region,
            activity=activity,
            time=time,
            employment=employment,
            entry_year=entry_year,
            n_peers=n_peers,
        )
    from ris3.engines.errors import engine_errors

    source = str(panel) if isinstance(panel, str | Path) else "panel"
    with engine_errors(source):
        prep = prepare_panel(
            panel,
            firm=firm,
            region=region,
            activity=activity,
            time=time,
            entry_year=entry_year,
            value_added=value_added,
            employment=employment,
            wages=wages,
            turnover=turnover,
            profit=profit,
            exports=exports,
            outcomes=_with_productivity(outcomes, productivity),
            keep=list(dict.fromkeys([*policy, *controls])),
            peer_regions=peer_regions,
            region_rule=region_rule,
            nonpositive=nonpositive,
            missing=missing,
            with_lq=productivity,
            backend=backend,
        )
    sample = prep.sample
    effect_outcomes = (
        [o for o in prep.outcomes if o not in ("productivity", "productivity_growth")]
        if outcomes is None
        else [o for o in prep.outcomes if o in outcomes]
    ) or prep.outcomes
    groups = ["same_region"] + (["peer_regions"] if prep.peer_regions else [])
    if not prep.peer_regions:
        warnings.warn(
            "no peer regions: reference group (b) (same industries in similar regions) is "
            "skipped; pass peer_regions=[...] to compare with firms in regions without "
            "the programme",
            DataQualityWarning,
            stacklevel=2,
        )

    from ris3.evaluation import estimators as est

    rows: list[dict[str, Any]] = []
    events: list[pd.DataFrame] = []
    pretrends: list[dict[str, Any]] = []
    for group in groups:
        d = sample.loc[sample[_GROUP_COLUMN[group]]]
        if not (~d["member"]).any():
            raise InputError(
                f"reference group {group!r} has no non-member firm: nothing to compare with"
            )
        for outcome in effect_outcomes:
            key = {"outcome": outcome, "reference_group": group}
            if "did_twfe" in estimators:
                rows.append({**key, "method": "did_twfe", **est.did_twfe(d, outcome, alpha=alpha)})
            if "did_staggered" in estimators:
                att, ev, pre = est.did_staggered(d, outcome, window=window, alpha=alpha)
                rows.append({**key, "method": "did_staggered", **att})
                events.append(ev.assign(**key))
                pretrends.append({**key, **pre})
            if "naive" in estimators and group == "same_region":
                rows.append({**key, "method": "naive", **est.naive(d, outcome, alpha=alpha)})
    thin = [p for p in pretrends if 0 < p.get("min_members", 0) < _FEW_MEMBERS]
    if thin:
        fewest = min(p["min_members"] for p in thin)
        warnings.warn(
            f"some event-study leads rest on few member firms (as few as {fewest}, fewer "
            f"than {_FEW_MEMBERS}); cluster-robust standard errors are then too small and "
            "the pre-trend test rejects more often than its nominal level. Consider a "
            "shorter event_window",
            DataQualityWarning,
            stacklevel=2,
        )

    prod = pd.DataFrame()
    if productivity:
        prod = _productivity(sample, policy, controls, " + ".join(fe_terms), alpha)

    trends = _trends(sample, effect_outcomes, groups)
    from ris3.evaluation.panel import OUTCOMES

    info = {
        "programme_regions": prep.programme_regions,
        "peer_regions": prep.peer_regions,
        "member_activities": prep.member_activities,
        "report": prep.report,
        "alpha": alpha,
        "outcomes": {o: OUTCOMES[o][2] for o in effect_outcomes},
        "reference_groups": {g: REFERENCE_GROUPS[g] for g in groups},
    }
    ev_cols = [
        "outcome",
        "reference_group",
        "rel_time",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "n_members",
    ]
    return EvaluationResult(
        estimates=pd.DataFrame(rows),
        event_study=(
            pd.concat(events, ignore_index=True)[ev_cols]
            if events
            else pd.DataFrame(columns=ev_cols)
        ),
        pretrends=pd.DataFrame(
            pretrends,
            columns=["outcome", "reference_group", "statistic", "df", "p_value", "min_members"],
        ),
        productivity=prod,
        trends=trends,
        info=info,
    )


def _check_window(window: Any) -> tuple[int, int]:
    ok = (
        isinstance(window, tuple | list)
        and len(window) == 2
        and all(
            isinstance(w, int | np.integer) and not isinstance(w, bool) and w >= 1 for w in window
        )
    )
    if not ok:
        raise InputError(
            f"event_window must be two integers >= 1 (leads, lags), e.g. (5, 5); got {window!r}"
        )
    return int(window[0]), int(window[1])


def _with_productivity(outcomes: Sequence[str] | None, productivity: bool) -> list[str] | None:
    if outcomes is None:
        return None
    out = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    if productivity:
        out += [o for o in ("productivity", "productivity_growth") if o not in out]
    return out


def _productivity(
    sample: pd.DataFrame, policy: Sequence[str], controls: Sequence[str], fe: str, alpha: float
) -> pd.DataFrame:
    from ris3.evaluation.estimators import productivity_regression

    d = sample.loc[sample["group_region"]]
    # "member" (ever joined) is constant within a firm: absorbed by firm effects
    firm_fe = "firm" in [f.strip() for f in fe.split("+")]
    regressors = [*([] if firm_fe else ["member"]), "treated", "lq", *policy, *controls]
    out = []
    for outcome in ("productivity", "productivity_growth"):
        r = productivity_regression(
            d, outcome, regressors=regressors, fixed_effects=fe, alpha=alpha
        )
        out.append(r.assign(outcome=outcome))
    res = pd.concat(out, ignore_index=True)
    return res[
        ["outcome", "term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs"]
    ]


def _trends(sample: pd.DataFrame, outcomes: list[str], groups: list[str]) -> pd.DataFrame:
    label = {"same_region": "non-members, same region", "peer_regions": "firms in peer regions"}
    frames = []
    members = sample.loc[sample["member"]]
    parts = [("members", members)] + [
        (label[g], sample.loc[sample[_GROUP_COLUMN[g]] & ~sample["member"]]) for g in groups
    ]
    for name, part in parts:
        for outcome in outcomes:
            agg = part.groupby("year")[outcome].agg(["mean", "count"]).reset_index()
            firms = part.loc[part[outcome].notna()].groupby("year")["firm"].nunique()
            agg["n_firms"] = agg["year"].map(firms).fillna(0).astype(int)
            frames.append(agg.drop(columns="count").assign(outcome=outcome, group=name))
    out = pd.concat(frames, ignore_index=True)
    return out[["outcome", "year", "group", "mean", "n_firms"]]


def _structural_peers(
    panel: Any,
    backend: Any,
    *,
    region: str,
    activity: str,
    time: str,
    employment: str | None,
    entry_year: str,
    n_peers: int,
) -> list[str] | None:
    """Closest structural peers of the programme region(s) without the programme.

    Uses :func:`ris3.diversification.peers.peers` (cosine similarity of
    employment shares by activity) on employment summed by region and
    activity in the panel's first year, i.e. before the programme. Returns
    None when no employment column is given.
    """
    from ris3.diversification.peers import peers as find

    if employment is None:
        return None
    from ris3.engines.backend import table_from, to_pandas

    t = table_from(panel, backend)
    for c in (region, activity, time, employment, entry_year):
        if c not in t.columns:
            return None  # prepare_panel reports the missing column
    first = t.filter(t[time] == t[time].min())
    totals = to_pandas(
        first.group_by(
            region=first[region].cast("string"), activity=first[activity].cast("string")
        ).aggregate(employment=first[employment].sum())
    )
    programme = sorted(
        to_pandas(t.filter(t[entry_year].notnull()).select(r=t[region].cast("string")).distinct())[
            "r"
        ]
    )
    others = totals.loc[~totals["region"].isin(programme)]
    chosen: list[str] = []
    for target in programme:
        table = pd.concat([others, totals.loc[totals["region"] == target]])
        if table["region"].nunique() < 2:
            continue
        found = find(
            table,
            region="region",
            activity="activity",
            value="employment",
            target=target,
            n=n_peers,
        )
        chosen += [str(p) for p in found["region"]]
    return list(dict.fromkeys(chosen)) or None
