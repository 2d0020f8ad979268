"""The monitoring API under ``/api/monitoring/`` (token and permission table as the core's)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from ris3.errors import Ris3Error
from ris3.report.html import to_records
from ris3.workspace.models import Strategy
from ris3.workspace.monitoring import frames, services
from ris3.workspace.monitoring.models import Indicator

PREFIX = "/monitoring"
router = Router(tags=["monitoring"])


class ObservationIn(Schema):
    """A new observation of an indicator as the API accepts it."""

    indicator: int
    date: date
    value: float
    note: str = ""


def _strategy(strategy_id: int) -> Strategy:
    # the permission was checked by the core's BearerToken
    return get_object_or_404(Strategy, pk=strategy_id)


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows]


@router.get("/strategies/{strategy_id}/indicators", url_name="api_monitoring_indicators")
def indicators(request: HttpRequest, strategy_id: int) -> Any:
    """List indicators with their baselines, targets and observations (missing values are null)."""
    s = _strategy(strategy_id)
    ind = to_records(frames.indicator_table(s))
    targets = frames.target_table(s)
    obs = frames.observation_table(s)
    for row in ind:
        t = targets[targets["indicator"] == row["indicator"]]
        o = obs[obs["indicator"] == row["indicator"]]
        row["targets"] = to_records(t.drop(columns=["indicator"]))
        row["observations"] = _jsonable(to_records(o.drop(columns=["indicator"])))
    return ind


@router.get("/strategies/{strategy_id}/scorecard", url_name="api_monitoring_scorecard")
def scorecard(request: HttpRequest, strategy_id: int) -> Any:
    """Return the scorecard: one row per indicator with progress and status, and the summaries."""
    s = _strategy(strategy_id)
    card = frames.scorecard(s)
    return {
        "indicators": _jsonable(to_records(card)),
        "by_priority": to_records(frames.summary(card, by="priority")),
        "by_instrument": to_records(frames.summary(card, by="instrument")),
    }


@router.post(
    "/strategies/{strategy_id}/observations",
    response={201: dict[str, Any]},
    url_name="api_monitoring_observations",
)
def add_observation(request: HttpRequest, strategy_id: int, payload: ObservationIn) -> Any:
    """Record an observed value of one of the strategy's indicators (provenance "entered")."""
    s = _strategy(strategy_id)
    ind = Indicator.objects.filter(strategy=s, pk=payload.indicator).first()
    if ind is None:
        raise HttpError(422, f"no indicator {payload.indicator} in this strategy")
    try:
        o = services.add_observation(
            request.auth,  # type: ignore[attr-defined]
            ind,
            when=payload.date,
            value=payload.value,
            note=payload.note,
        )
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    from ris3.workspace.api import api

    body = {
        "id": o.pk,
        "indicator": ind.pk,
        "date": o.date.isoformat(),
        "value": o.value,
        "provenance": o.provenance,
    }
    return api.create_response(request, body, status=201)
