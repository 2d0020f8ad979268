"""The JSON API under ``/api/`` (OpenAPI schema at ``/api/openapi.json``).

Every call needs ``Authorization: Bearer TOKEN`` (401 without a valid one)
and obeys the same permission table as the pages
(:data:`ris3.workspace.permissions.API`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from ris3.errors import Ris3Error
from ris3.workspace import analysis, identity, selectors, services
from ris3.workspace.models import ApiToken, Organisation, Strategy
from ris3.workspace.parts import part_modules
from ris3.workspace.permissions import API, user_may


class BearerToken(HttpBearer):
    """Authenticate by token, then apply the permission table before the call runs.

    Unknown or revoked tokens give 401; a user whose role does not allow the
    operation gets 403 before the request body is even read.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the token's active user or None; refuse (403) what the role does not allow."""
        t = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=identity.hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if t is None or not t.user.is_active:
            return None
        request.user = t.user
        match = request.resolver_match
        name = match.url_name if match is not None else ""
        action = API[name or ""][request.method or "GET"]
        strategy = None
        if match is not None and "strategy_id" in match.kwargs:
            strategy = get_object_or_404(Strategy, pk=match.kwargs["strategy_id"])
        if not user_may(t.user, action, strategy):
            raise HttpError(403, "not allowed for your role in this strategy")
        return t.user


api = NinjaAPI(
    title="ris3 workspace API",
    version="1",
    description="Strategies, stakeholders, engagements, domains and evidence of the ris3 "
    "strategy workspace.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url=None,
    # served by openapi_json below, which answers GET only
    openapi_url=None,
)


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    """Return the OpenAPI schema of the API (open to everyone: it describes, it holds no data)."""
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/"))


def _strategy(strategy_id: int) -> Strategy:
    # the permission was checked by BearerToken.authenticate
    return get_object_or_404(Strategy, pk=strategy_id)


#: rows per call of the long lists unless ``limit`` asks otherwise, and the most allowed
DEFAULT_LIMIT = 100
MAX_LIMIT = 5000


class Window(Schema):
    """A window on a long list: ``offset`` rows skipped, at most ``limit`` returned.

    The answer's ``X-Total-Count`` header gives the length of the whole list.
    """

    offset: int = 0
    limit: int = DEFAULT_LIMIT


def _window(rows: Any, window: Window, response: HttpResponse) -> Any:
    if window.offset < 0:
        raise HttpError(422, f"offset must be 0 or more; got {window.offset}")
    if not 1 <= window.limit <= MAX_LIMIT:
        raise HttpError(422, f"limit must be between 1 and {MAX_LIMIT}; got {window.limit}")
    response["X-Total-Count"] = str(rows.count())
    return rows[window.offset : window.offset + window.limit]


class StrategyOut(Schema):
    """A strategy as the API returns it."""

    id: int
    region_code: str
    name: str
    period_start: int
    period_end: int
    status: str
    published: bool
    illustrative: bool
    version: int


class StakeholderIn(Schema):
    """A new stakeholder as the API accepts it."""

    name: str
    email: str = ""
    organisation: str
    role: str = ""
    public: bool = False
    consent_contact: bool = False


class StakeholderOut(Schema):
    """A stakeholder as the API returns it."""

    id: int
    name: str
    email: str
    organisation: str
    helix: str
    role: str
    public: bool
    consent_contact: bool
    illustrative: bool
    version: int


def _stakeholder_out(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "email": s.email,
        "organisation": s.organisation.name,
        "helix": s.organisation.helix,
        "role": s.role,
        "public": s.public,
        "consent_contact": s.consent_contact,
        "illustrative": s.illustrative,
        "version": s.version,
    }


@api.get("/strategies", response=list[StrategyOut], url_name="api_strategies")
def strategies(request: HttpRequest) -> Any:
    """Strategies the token's user may see."""
    return list(selectors.visible_strategies(request.auth))  # type: ignore[attr-defined]


@api.get("/strategies/{strategy_id}", response=StrategyOut, url_name="api_strategy")
def strategy(request: HttpRequest, strategy_id: int) -> Any:
    """One strategy."""
    return _strategy(strategy_id)


@api.get(
    "/strategies/{strategy_id}/stakeholders",
    response=list[StakeholderOut],
    url_name="api_stakeholders",
)
def stakeholders(
    request: HttpRequest, strategy_id: int, response: HttpResponse, window: Query[Window]
) -> Any:
    """Return the strategy's stakeholders by name (personal data: roles that may see them only).

    ``limit`` rows (default 100, at most 5,000) from ``offset``; the header
    ``X-Total-Count`` gives the number of stakeholders.
    """
    s = _strategy(strategy_id)
    rows = selectors.stakeholders(s).order_by("name", "id")
    return [_stakeholder_out(p) for p in _window(rows, window, response)]


@api.post(
    "/strategies/{strategy_id}/stakeholders",
    response={201: StakeholderOut},
    url_name="api_stakeholders",
)
def add_stakeholder(request: HttpRequest, strategy_id: int, payload: StakeholderIn) -> Any:
    """Add a stakeholder of an organisation already registered in the strategy."""
    s = _strategy(strategy_id)
    org = Organisation.objects.filter(strategy=s, name=payload.organisation).first()
    if org is None:
        raise HttpError(422, f"no organisation {payload.organisation!r} in this strategy")
    fields = payload.model_dump()
    fields["organisation"] = org
    try:
        person = services.add_stakeholder(request.auth, s, **fields)  # type: ignore[attr-defined]
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    return api.create_response(request, _stakeholder_out(person), status=201)


@api.get("/strategies/{strategy_id}/engagements", url_name="api_engagements")
def engagements(
    request: HttpRequest, strategy_id: int, response: HttpResponse, window: Query[Window]
) -> Any:
    """Engagements, newest first, with their steps, domains and the number of attendees.

    ``limit`` rows (default 100, at most 5,000) from ``offset``; the header
    ``X-Total-Count`` gives the number of engagements.
    """
    s = _strategy(strategy_id)
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "title": e.title,
            "date": e.date.isoformat(),
            "steps": [st.number for st in e.steps.all()],
            "domains": [d.pk for d in e.domains.all()],
            "attendees": e.n_attendees,
            "outputs": e.outputs,
            "illustrative": e.illustrative,
        }
        for e in _window(
            selectors.engagements(s).order_by("-date", "title", "id"), window, response
        )
    ]


@api.get("/strategies/{strategy_id}/domains", url_name="api_domains")
def domains(request: HttpRequest, strategy_id: int) -> Any:
    """Candidate domains with the metric values and flags each piece of evidence gives them."""
    s = _strategy(strategy_id)
    return [
        {
            "id": d.pk,
            "title": d.title,
            "taxonomy": d.taxonomy,
            "codes": d.codes,
            "origin": d.origin,
            "evidence": [
                {"evidence": link.evidence_id, "metrics": link.metrics, "flags": link.flags}
                for link in d.evidence_links.all()
            ],
        }
        for d in s.domains.prefetch_related("evidence_links")
    ]


@api.get("/strategies/{strategy_id}/evidence", url_name="api_evidence")
def evidence(request: HttpRequest, strategy_id: int) -> Any:
    """Return stored analytics runs: function, parameters, data version, table names and notes."""
    s = _strategy(strategy_id)
    return [
        {
            "id": e.pk,
            "function": e.function,
            "parameters": e.parameters,
            "data_version": e.data_version,
            "tables": sorted(e.tables),
            "notes": e.notes,
            "created_at": e.created_at.isoformat(),
        }
        for e in s.evidence.all()
    ]


@api.get("/strategies/{strategy_id}/participation", url_name="api_participation")
def participation(request: HttpRequest, strategy_id: int) -> Any:
    """Return the participation matrix (step x helix), its gaps and the capture indicators."""
    s = _strategy(strategy_id)
    return analysis.participation_json(s)


# the API routes of the workspace's parts (surveys, calls, ...), after the core's
for _module in part_modules("api"):
    api.add_router(_module.PREFIX, _module.router)
