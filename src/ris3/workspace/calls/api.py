"""The calls API under ``/api/calls/`` (bearer token; the permission table as the pages).

Object-level rules are those of the pages (:mod:`.selectors`): an applicant
lists only their own proposals, an evaluator only their assignments and
their own scores; nobody reads another evaluator's scores, or the results,
before the panel closes (404 and 409).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from ris3.errors import Ris3Error
from ris3.workspace.calls import selectors, services
from ris3.workspace.calls.models import Assignment, Call
from ris3.workspace.models import Domain, Strategy

PREFIX = "/calls/"
router = Router(tags=["calls"])


def _call(request: HttpRequest, strategy_id: int, call_id: int) -> Call:
    strategy = get_object_or_404(Strategy, pk=strategy_id)
    call = selectors.visible_calls(request.auth, strategy).filter(pk=call_id).first()  # type: ignore[attr-defined]
    if call is None:
        raise HttpError(404, "no such call")
    return call


def _created(request: HttpRequest, body: dict[str, Any]) -> Any:
    from ris3.workspace.api import api

    return api.create_response(request, body, status=201)


def _call_out(c: Call) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "description": c.description,
        "eligibility": c.eligibility,
        "opens_at": c.opens_at.isoformat(),
        "closes_at": c.closes_at.isoformat(),
        "budget_eur": float(c.budget_eur),
        "evaluators_per_proposal": c.evaluators_per_proposal,
        "status": c.status,
        "illustrative": c.illustrative,
        "version": c.version,
        "criteria": [
            {
                "id": k.pk,
                "name": k.name,
                "description": k.description,
                "weight": k.weight,
                "scale_min": k.scale_min,
                "scale_max": k.scale_max,
                "direction": k.direction,
            }
            for k in c.criteria.all()
        ],
    }


@router.get("/{strategy_id}", url_name="api_calls")
def calls(request: HttpRequest, strategy_id: int) -> Any:
    """Return the strategy's calls with their published criteria (drafts for call managers only)."""
    strategy = get_object_or_404(Strategy, pk=strategy_id)
    return [_call_out(c) for c in selectors.visible_calls(request.auth, strategy)]  # type: ignore[attr-defined]


@router.get("/{strategy_id}/{call_id}", url_name="api_call")
def call(request: HttpRequest, strategy_id: int, call_id: int) -> Any:
    """One call with its criteria."""
    return _call_out(_call(request, strategy_id, call_id))


class ProposalIn(Schema):
    """A proposal as an applicant submits it."""

    title: str
    summary: str
    lead_organisation: str
    partners: list[str] = []
    domains: list[int] = []
    budget_eur: float


@router.get("/{strategy_id}/{call_id}/proposals", url_name="api_call_proposals")
def proposals(request: HttpRequest, strategy_id: int, call_id: int) -> Any:
    """Return the proposals the token's user may read (an applicant: their own only)."""
    c = _call(request, strategy_id, call_id)
    return [
        {
            "id": p.pk,
            "title": p.title,
            "summary": p.summary,
            "lead_organisation": p.lead_organisation,
            "partners": p.organisations()[1:],
            "domains": [d.pk for d in p.domains.all()],
            "budget_eur": float(p.budget_eur),
            "submitted_at": p.submitted_at.isoformat(),
            "illustrative": p.illustrative,
        }
        for p in selectors.visible_proposals(request.auth, c).prefetch_related("domains")  # type: ignore[attr-defined]
    ]


@router.post(
    "/{strategy_id}/{call_id}/proposals", response={201: dict}, url_name="api_call_proposals"
)
def submit(request: HttpRequest, strategy_id: int, call_id: int, payload: ProposalIn) -> Any:
    """Submit a proposal (no attachments through the API: the form takes them)."""
    c = _call(request, strategy_id, call_id)
    domains = list(Domain.objects.filter(strategy=c.strategy, pk__in=payload.domains))
    if len(domains) != len(set(payload.domains)):
        raise HttpError(
            422, f"domains must be ids of this strategy's domains; got {payload.domains}"
        )
    try:
        p = services.submit_proposal(
            request.auth,  # type: ignore[attr-defined]
            c,
            title=payload.title,
            summary=payload.summary,
            lead_organisation=payload.lead_organisation,
            partners="\n".join(payload.partners),
            domains=domains,
            budget_eur=payload.budget_eur,
        )
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    return _created(request, {"id": p.pk, "title": p.title})


@router.get("/{strategy_id}/{call_id}/assignments", url_name="api_call_assignments")
def assignments(request: HttpRequest, strategy_id: int, call_id: int) -> Any:
    """Return assignments: an evaluator's own; a call manager's view of all (no scores)."""
    c = _call(request, strategy_id, call_id)
    user = request.auth  # type: ignore[attr-defined]
    if selectors.is_manager(user, c.strategy):
        rows = Assignment.objects.filter(proposal__call=c)
    else:
        rows = selectors.own_assignments(user, c)
    return [
        {
            "id": a.pk,
            "proposal": a.proposal_id,
            "evaluator": a.evaluator_id,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
        }
        for a in rows.order_by("pk")
    ]


def _assignment(request: HttpRequest, c: Call, assignment_id: int) -> Assignment:
    a = get_object_or_404(
        Assignment.objects.select_related("proposal__call"), pk=assignment_id, proposal__call=c
    )
    return a


class ScoreIn(Schema):
    """One criterion's score and comment as an evaluator submits it."""

    criterion: int
    score: float
    comment: str


@router.get(
    "/{strategy_id}/{call_id}/assignments/{assignment_id}/scores",
    url_name="api_assignment_scores",
)
def scores(request: HttpRequest, strategy_id: int, call_id: int, assignment_id: int) -> Any:
    """Return an assignment's scores: to its evaluator; to a call manager after the panel closes."""
    c = _call(request, strategy_id, call_id)
    a = _assignment(request, c, assignment_id)
    user = request.auth  # type: ignore[attr-defined]
    if a.evaluator_id != user.pk:
        if not selectors.is_manager(user, c.strategy):
            raise HttpError(404, "no such assignment")
        if c.status != "panel_closed":
            raise HttpError(409, "scores open when the panel closes")
    return [
        {
            "criterion": s.criterion_id,
            "name": s.criterion.name,
            "score": s.value,
            "comment": s.comment,
        }
        for s in selectors.readable_scores(user, a)
    ]


@router.post(
    "/{strategy_id}/{call_id}/assignments/{assignment_id}/scores",
    response={201: dict},
    url_name="api_assignment_scores",
)
def submit_scores(
    request: HttpRequest, strategy_id: int, call_id: int, assignment_id: int, payload: list[ScoreIn]
) -> Any:
    """Submit the scores of one's own assignment (every criterion once); locked afterwards (409)."""
    c = _call(request, strategy_id, call_id)
    a = _assignment(request, c, assignment_id)
    if a.evaluator_id != request.auth.pk:  # type: ignore[attr-defined]
        raise HttpError(404, "no such assignment")
    try:
        services.submit_scores(
            request.auth,  # type: ignore[attr-defined]
            a,
            {s.criterion: (s.score, s.comment) for s in payload},
        )
    except services.ScoresLocked as exc:
        raise HttpError(409, str(exc)) from None
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    return _created(request, {"assignment": a.pk, "criteria": len(payload)})


@router.get("/{strategy_id}/{call_id}/results", url_name="api_call_results")
def results(request: HttpRequest, strategy_id: int, call_id: int) -> Any:
    """Return ranking (raw and standardised), robustness, agreement; 409 before the panel closes."""
    c = _call(request, strategy_id, call_id)
    if c.status != "panel_closed":
        raise HttpError(409, "results open when the panel closes")
    try:
        res = selectors.results(c)
    except Ris3Error as exc:
        raise HttpError(409, str(exc)) from None
    return {
        "illustrative": c.illustrative,
        "draws": res["draws"],
        "seed": c.robustness_seed,
        "concentration": c.robustness_concentration,
        "agreement_method": "ICC(1,1) (Shrout and Fleiss 1979) and Krippendorff's interval alpha",
        "excluded_scores": res["excluded_scores"],
        # through pandas' JSON writer: NaN becomes null, numpy numbers plain numbers
        "ranking": json.loads(res["ranking"].to_json(orient="records")),
        "agreement": json.loads(res["agreement"].to_json(orient="records")),
    }
