"""The policy part's JSON API under ``/api/policy/`` (same permission table as the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from ris3.errors import InputError
from ris3.workspace.analysis import table_to_json
from ris3.workspace.models import Domain, Strategy
from ris3.workspace.policy import analysis, services
from ris3.workspace.policy.models import Instrument

PREFIX = "/policy"
router = Router(tags=["policy"])


class InstrumentIn(Schema):
    """A new instrument of the register as the API accepts it."""

    name: str
    owner_body: str
    level: str
    tool_group: str
    orientation: str
    territory: str
    eligible_beyond: str = ""
    target_groups: str = "all"
    priorities: list[int] = []
    decision: str = ""
    rationale: str = ""
    exit_benchmark: str = ""
    budgets: dict[int, float] = {}
    funding: dict[str, float] = {}


def _out(i: Instrument) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "owner_body": i.owner_body,
        "level": i.level,
        "tool_group": i.tool_group,
        "orientation": i.orientation,
        "territory": i.territory,
        "eligible_beyond": i.eligible_beyond,
        "target_groups": i.target_groups,
        "priorities": sorted(d.pk for d in i.priorities.all()),
        "decision": i.decision,
        "rationale": i.rationale,
        "exit_benchmark": i.exit_benchmark,
        "budgets": {str(b.year): float(b.budget_eur) for b in i.budgets.all()},
        "funding": {f.source: float(f.share) for f in i.funding.all()},
        "illustrative": i.illustrative,
        "version": i.version,
    }


@router.get("/strategies/{strategy_id}/instruments", url_name="api_instruments")
def instruments(request: HttpRequest, strategy_id: int) -> Any:
    """Return the instrument register with budgets by year and funding shares."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    qs = Instrument.objects.filter(strategy=s).prefetch_related("priorities", "budgets", "funding")
    return [_out(i) for i in qs]


@router.post("/strategies/{strategy_id}/instruments", url_name="api_instruments")
def add_instrument(request: HttpRequest, strategy_id: int, payload: InstrumentIn) -> Any:
    """Register an instrument (checked like the page's form; 422 with every reason)."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    data = payload.model_dump()
    pri = list(Domain.objects.filter(strategy=s, pk__in=data["priorities"]))
    if len(pri) != len(set(data["priorities"])):
        raise HttpError(422, "priorities must be domain ids of this strategy")
    fields = {k: data[k] for k in services.FIELDS}
    try:
        ins = services.create_instrument(
            request.auth,  # type: ignore[attr-defined]
            s,
            fields=fields,
            priorities=pri,
            budgets=sorted(data["budgets"].items()),
            funding=sorted(data["funding"].items()),
        )
    except InputError as exc:
        raise HttpError(422, str(exc)) from None
    return JsonResponse(_out(ins), status=201)


@router.get("/strategies/{strategy_id}/analysis", url_name="api_policy_analysis")
def policy_analysis(request: HttpRequest, strategy_id: int) -> Any:
    """Matrix, gaps, duplications, targeted share and co-funding (tables as columns + data)."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    r = analysis.policy_analysis(s, charts=False)
    keys = ("matrix", "matrix_tool_group", "gaps", "duplications", "targeted", "cofunding")
    return {k: table_to_json(r[k]) for k in keys}


@router.get("/strategies/{strategy_id}/advisor", url_name="api_policy_advisor")
def policy_advisor(request: HttpRequest, strategy_id: int) -> Any:
    """Return the region's stage, the report's recommendations and the register's contradictions."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    r = analysis.advisor(s)
    return {
        "region_stage": r["region"]["stage"],
        "region_stage_how": r["region"]["how"],
        "priorities": table_to_json(r["priorities"]),
        "advice": table_to_json(r["advice"]),
        "flags": table_to_json(r["flags"]),
    }


@router.get("/strategies/{strategy_id}/assessments", url_name="api_assessments")
def assessments(request: HttpRequest, strategy_id: int) -> Any:
    """Both self-assessments, criterion by criterion, with their summaries."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    r = analysis.assessments(s)
    out = {}
    for key in ("good_practice", "enabling_condition"):
        crit, summ = r[key]
        crit = crit.copy()
        if "evidence" in crit.columns:
            crit["evidence"] = crit["evidence"].map(list)
        out[key] = {"criteria": table_to_json(crit), "summary": table_to_json(summ)}
    return out
