"""Every write of the priority part: one transaction, one audit record each.

A scoring run stores the values it ranked (a snapshot); a decision stores
its rationale, the status before and after, and links to the evidence and
the run it cites; every change of a priority's title, codes, status, review
date or exit criteria adds a :class:`PriorityVersion`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
from django.db import transaction

from ris3.errors import InputError
from ris3.workspace.analysis import table_to_json
from ris3.workspace.models import Domain, DomainEvidence, Evidence, Strategy
from ris3.workspace.priorities import analysis
from ris3.workspace.priorities.models import (
    ACTION_STATUS,
    Decision,
    DeclaredPriority,
    PriorityVersion,
    ScoringRun,
)
from ris3.workspace.services import EditConflict, audit, snapshot

#: the fields whose change makes a new version of a priority
VERSIONED_FIELDS = ("title", "taxonomy", "codes", "status", "review_date", "exit_criteria")
#: how the ranking treats a missing criterion value (shown on the page)
MISSING_RULE = (
    "A domain without a value on a chosen criterion (of positive weight) is not ranked: "
    "it is listed after the ranked ones with the criteria it lacks. No value is replaced by "
    "0, the mean or the worst; normalisation uses the ranked domains only."
)


def _user(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


def run_scoring(
    user: Any,
    strategy: Strategy,
    *,
    weights: dict[str, float],
    method: str = "weighted_sum",
    seed: int = 0,
    draws: int = 2000,
    concentration: float = 100.0,
    top_k: int = 3,
    illustrative: bool = False,
) -> ScoringRun:
    """Rank the strategy's domains (all but the retired) on the chosen criteria and store it.

    ``weights`` maps criterion keys of :func:`analysis.criteria_catalogue`
    to weights (> 0). The ranking is :func:`ris3.strategy.rank_alternatives`
    with ``missing="exclude"``; the weight sensitivity is
    :func:`ris3.strategy.weight_sensitivity` (SMAA, ``Dirichlet(c w)``,
    seeded), ``top_k`` domains counting as selected in each draw.
    """
    from ris3.strategy.mcda import rank_alternatives, weight_sensitivity

    catalogue = {c[0]: c for c in analysis.criteria_catalogue()}
    bad = {k: w for k, w in weights.items() if not math.isfinite(float(w)) or float(w) < 0}
    if bad:
        raise InputError(f"weights must be finite numbers >= 0; got {bad}")
    # a weight of 0 leaves the criterion out (the form says so)
    chosen = {k: float(w) for k, w in weights.items() if float(w) > 0}
    unknown = sorted(set(chosen) - set(catalogue))
    if unknown:
        raise InputError(f"unknown criteria {unknown}; allowed: {sorted(catalogue)}")
    if not chosen:
        raise InputError("choose at least one criterion with a weight above 0")
    if method not in ("weighted_sum", "topsis"):
        raise InputError(f"method must be 'weighted_sum' or 'topsis'; got {method!r}")
    values = analysis.criterion_values(strategy, list(chosen))
    if values.empty:
        raise InputError("the strategy has no domains to score")
    criteria = pd.DataFrame(
        {
            "criterion": list(chosen),
            "label": [catalogue[k][1] for k in chosen],
            "weight": list(chosen.values()),
            "direction": [catalogue[k][2] for k in chosen],
        }
    )
    scores = values.rename(columns={"domain": "alternative"})[["alternative", "criterion", "value"]]
    scores = scores.assign(value=pd.to_numeric(scores["value"]).astype(float))
    ranking = rank_alternatives(scores, criteria, method=method, missing="exclude")
    titles = dict(zip(values["domain"], values["title"]))
    ranking.insert(1, "title", ranking["alternative"].map(titles))
    notes = [MISSING_RULE]
    n_ranked = int(ranking["rank"].notna().sum())
    sensitivity = None
    if n_ranked >= 2:
        k = min(top_k, n_ranked - 1)
        sensitivity = weight_sensitivity(
            scores,
            criteria,
            method=method,
            top_k=k,
            concentration=concentration,
            draws=draws,
            seed=seed,
            missing="exclude",
        )
        sensitivity.insert(1, "title", sensitivity["alternative"].map(titles))
        notes.append(
            f"Weight sensitivity: {draws} weightings drawn from Dirichlet({concentration:g} w) "
            f"around the chosen weights (seed {seed}); 'selected' means among the best {k}."
        )
    else:
        notes.append("Fewer than two domains are ranked: no weight sensitivity.")
    parameters = {
        "method": method,
        "seed": seed,
        "draws": draws,
        "concentration": concentration,
        "top_k": top_k,
        "missing": "exclude",
    }
    with transaction.atomic():
        run = ScoringRun.objects.create(
            strategy=strategy,
            method=method,
            criteria=criteria.to_dict("records"),
            parameters=parameters,
            values=table_to_json(values),
            ranking=table_to_json(ranking),
            sensitivity=table_to_json(sensitivity) if sensitivity is not None else {},
            notes=notes,
            created_by=_user(user),
            illustrative=illustrative,
        )
        audit(
            user,
            "score",
            run,
            strategy=strategy,
            after={"method": method, "criteria": criteria.to_dict("records"), **parameters},
        )
    return run


def _version_fields(domain: Domain) -> dict[str, Any]:
    return {f: getattr(domain, f) for f in VERSIONED_FIELDS}


def _ensure_first_version(domain: Domain, user: Any) -> None:
    if not domain.priority_versions.exists():
        PriorityVersion.objects.create(
            domain=domain,
            number=1,
            reason="as first recorded",
            changed_by=_user(user),
            **_version_fields(domain),
        )


def _add_version(domain: Domain, user: Any, reason: str, decision: Decision | None = None) -> None:
    last = domain.priority_versions.order_by("-number").first()
    if last is not None and all(getattr(last, f) == getattr(domain, f) for f in VERSIONED_FIELDS):
        return
    PriorityVersion.objects.create(
        domain=domain,
        number=(last.number + 1) if last is not None else 1,
        reason=reason[:200],
        decision=decision,
        changed_by=_user(user),
        **_version_fields(domain),
    )


def record_decision(
    user: Any,
    domain: Domain,
    *,
    action: str,
    rationale: str,
    expected_version: int,
    evidence: list[Evidence] | None = None,
    domain_evidence: list[DomainEvidence] | None = None,
    scoring_run: ScoringRun | None = None,
    review_date: date | None = None,
    exit_criteria: str | None = None,
    illustrative: bool = False,
) -> Decision:
    """Record a decision on a domain: its new status, rationale and the evidence it cites.

    Raises
    ------
    InputError
        Unknown action, empty rationale, or cited records of another strategy.
    EditConflict
        The domain changed since the decider opened it; nothing is written.
    """
    if action not in ACTION_STATUS:
        raise InputError(f"action must be one of {sorted(ACTION_STATUS)}; got {action!r}")
    if not rationale or not rationale.strip():
        raise InputError("a decision needs its rationale")
    evidence = evidence or []
    domain_evidence = domain_evidence or []
    sid = domain.strategy_id
    for e in evidence:
        if e.strategy_id != sid:
            raise InputError(f"evidence {e.pk} belongs to another strategy")
    for de in domain_evidence:
        if de.domain.strategy_id != sid:
            raise InputError(f"domain evidence {de.pk} belongs to another strategy")
    if scoring_run is not None and scoring_run.strategy_id != sid:
        raise InputError(f"scoring run {scoring_run.pk} belongs to another strategy")
    with transaction.atomic():
        current = Domain.objects.select_for_update().get(pk=domain.pk)
        before = snapshot(current)
        if current.version != expected_version:
            raise EditConflict(current, before, {"action": action})
        _ensure_first_version(current, user)
        status_before = current.status
        current.status = ACTION_STATUS[action]
        if review_date is not None:
            current.review_date = review_date
        if exit_criteria is not None:
            current.exit_criteria = exit_criteria
        current.full_clean()
        current.version = expected_version + 1
        current.save()
        decision = Decision.objects.create(
            strategy_id=sid,
            domain=current,
            action=action,
            rationale=rationale.strip(),
            status_before=status_before,
            status_after=current.status,
            scoring_run=scoring_run,
            decided_by=_user(user),
            illustrative=illustrative,
        )
        decision.evidence.set(evidence)
        decision.domain_evidence.set(domain_evidence)
        _add_version(current, user, f"decision: {action}", decision)
        after = snapshot(current)
        after["decision"] = snapshot(decision)
        audit(user, "decide", current, strategy=current.strategy, before=before, after=after)
    return decision


def edit_priority(
    user: Any, domain: Domain, expected_version: int, changes: dict[str, Any]
) -> Domain:
    """Change a priority's title, codes, review date or exit criteria (a new version).

    The status changes by decisions only (:func:`record_decision`).
    """
    allowed = {"title", "codes", "review_date", "exit_criteria"}
    bad = sorted(set(changes) - allowed)
    if bad:
        raise InputError(f"a priority edit may change {sorted(allowed)}; got {bad}")
    from ris3.workspace.services import update

    with transaction.atomic():
        _ensure_first_version(domain, user)
        current = update(user, domain, expected_version, changes)
        _add_version(current, user, "edited")
    return current


def import_declared(
    user: Any,
    strategy: Strategy,
    accepted: pd.DataFrame,
    *,
    source: str,
    illustrative: bool = False,
) -> int:
    """Store the accepted rows of :func:`ris3.strategy.priority_setting.check_declared`."""
    fields = ("region", "priority", "nace_codes", "scientific_domains", "policy_objectives")
    with transaction.atomic():
        objs = DeclaredPriority.objects.bulk_create(
            DeclaredPriority(
                strategy=strategy,
                source=source[:300],
                illustrative=illustrative,
                **{f: ("" if pd.isna(r.get(f)) else str(r.get(f))) for f in fields},
            )
            for r in accepted.to_dict("records")
        )
        audit(
            user,
            "import",
            strategy,
            strategy=strategy,
            after={"declared_priorities": len(objs), "source": source},
        )
    return len(objs)
