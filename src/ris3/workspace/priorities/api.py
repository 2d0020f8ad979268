"""JSON API of priority setting, under ``/api/priorities/`` (same permission table as the pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from ris3.errors import Ris3Error
from ris3.workspace.analysis import table_to_json
from ris3.workspace.models import Domain, DomainEvidence, Evidence, Strategy
from ris3.workspace.priorities import analysis, services
from ris3.workspace.priorities.models import ScoringRun
from ris3.workspace.services import EditConflict

PREFIX = "/priorities"
router = Router(tags=["priorities"])


def _strategy(strategy_id: int) -> Strategy:
    # the permission was checked by BearerToken.authenticate
    return get_object_or_404(Strategy, pk=strategy_id)


def _created(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, status=201)


def _run_out(r: ScoringRun) -> dict[str, Any]:
    return {
        "id": r.pk,
        "method": r.method,
        "criteria": r.criteria,
        "parameters": r.parameters,
        "values": r.values,
        "ranking": r.ranking,
        "sensitivity": r.sensitivity,
        "notes": r.notes,
        "created_at": r.created_at.isoformat(),
        "illustrative": r.illustrative,
    }


class ScoringIn(Schema):
    """A scoring request: weights by criterion key, method and sensitivity options."""

    weights: dict[str, float]
    method: str = "weighted_sum"
    seed: int = 0
    draws: int = 2000
    concentration: float = 100.0
    top_k: int = 3


@router.get("/strategies/{strategy_id}/runs", url_name="api_priority_runs")
def runs(request: HttpRequest, strategy_id: int) -> Any:
    """List the stored scoring runs, newest first.

    Each with criteria, weights, values (null: missing), ranking and weight
    sensitivity.
    """
    return [_run_out(r) for r in _strategy(strategy_id).scoring_runs.all()]


@router.post("/strategies/{strategy_id}/runs", response={201: dict}, url_name="api_priority_runs")
def score(request: HttpRequest, strategy_id: int, payload: ScoringIn) -> Any:
    """Score the strategy's domains (weights by criterion key; method weighted_sum or topsis)."""
    if not 100 <= payload.draws <= 20000:
        raise HttpError(422, f"draws must be between 100 and 20000; got {payload.draws}")
    try:
        r = services.run_scoring(
            request.auth,  # type: ignore[attr-defined]
            _strategy(strategy_id),
            **payload.model_dump(),
        )
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    return _created(request, _run_out(r))


class DecisionIn(Schema):
    """A decision on a domain as the API accepts it."""

    domain: int
    action: str
    rationale: str
    version: int
    scoring_run: int | None = None
    evidence: list[int] = []
    domain_evidence: list[int] = []
    review_date: date | None = None
    exit_criteria: str | None = None


def _decision_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "domain": d.domain_id,
        "action": d.action,
        "rationale": d.rationale,
        "status_before": d.status_before,
        "status_after": d.status_after,
        "scoring_run": d.scoring_run_id,
        "evidence": sorted(e.pk for e in d.evidence.all()),
        "domain_evidence": sorted(e.pk for e in d.domain_evidence.all()),
        "decided_at": d.decided_at.isoformat(),
        "illustrative": d.illustrative,
    }


@router.get("/strategies/{strategy_id}/decisions", url_name="api_priority_decisions")
def decisions(request: HttpRequest, strategy_id: int) -> Any:
    """Every decision on the strategy's domains with its rationale and the evidence it cites."""
    s = _strategy(strategy_id)
    return [_decision_out(d) for d in s.decisions.prefetch_related("evidence", "domain_evidence")]


@router.post(
    "/strategies/{strategy_id}/decisions",
    response={201: dict},
    url_name="api_priority_decisions",
)
def decide(request: HttpRequest, strategy_id: int, payload: DecisionIn) -> Any:
    """Record a decision (select, activate, review, retire, keep) on a domain of the strategy.

    ``version`` is the domain's version the decider saw (409 if it changed).
    """
    s = _strategy(strategy_id)
    domain = get_object_or_404(Domain, pk=payload.domain, strategy=s)
    run = (
        get_object_or_404(ScoringRun, pk=payload.scoring_run, strategy=s)
        if payload.scoring_run is not None
        else None
    )
    ev = list(Evidence.objects.filter(pk__in=payload.evidence, strategy=s))
    dev = list(DomainEvidence.objects.filter(pk__in=payload.domain_evidence, domain=domain))
    if len(ev) != len(set(payload.evidence)) or len(dev) != len(set(payload.domain_evidence)):
        raise HttpError(422, "cited evidence must belong to this strategy and domain")
    try:
        d = services.record_decision(
            request.auth,  # type: ignore[attr-defined]
            domain,
            action=payload.action,
            rationale=payload.rationale,
            expected_version=payload.version,
            evidence=ev,
            domain_evidence=dev,
            scoring_run=run,
            review_date=payload.review_date,
            exit_criteria=payload.exit_criteria,
        )
    except EditConflict as exc:
        raise HttpError(409, str(exc)) from None
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    return _created(request, _decision_out(d))


@router.get("/strategies/{strategy_id}/versions", url_name="api_priority_versions")
def versions(request: HttpRequest, strategy_id: int) -> Any:
    """Every version of every priority of the strategy (by domain, newest first)."""
    s = _strategy(strategy_id)
    return [
        {
            "domain": d.pk,
            "status": d.status,
            "review_date": d.review_date.isoformat() if d.review_date else None,
            "exit_criteria": d.exit_criteria,
            "versions": [
                {
                    "number": v.number,
                    "title": v.title,
                    "taxonomy": v.taxonomy,
                    "codes": v.codes,
                    "status": v.status,
                    "review_date": v.review_date.isoformat() if v.review_date else None,
                    "exit_criteria": v.exit_criteria,
                    "reason": v.reason,
                    "decision": v.decision_id,
                    "changed_at": v.changed_at.isoformat(),
                }
                for v in d.priority_versions.all()
            ],
        }
        for d in s.domains.prefetch_related("priority_versions")
    ]


@router.get("/strategies/{strategy_id}/distinctiveness", url_name="api_priority_distinctiveness")
def distinctiveness(request: HttpRequest, strategy_id: int) -> Any:
    """Other regions specialised in or declaring each domain, with its granularity."""
    table, note = analysis.distinctiveness(_strategy(strategy_id))
    return {
        "table": table_to_json(table) if table is not None else None,
        "note": note,
    }
