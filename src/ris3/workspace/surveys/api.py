"""JSON API of the surveys part, under ``/api/strategies/{strategy_id}/surveys``.

The permission table (:mod:`ris3.workspace.surveys.permissions`) is applied
by the core's bearer token before a call runs. Results hold aggregates
only: cells with fewer respondents than the survey's threshold are left out
and listed under ``hidden``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from ris3.errors import Ris3Error
from ris3.workspace.analysis import table_to_json
from ris3.workspace.models import Step, Strategy
from ris3.workspace.surveys import analysis, services
from ris3.workspace.surveys.models import Survey

PREFIX = "/strategies/"
router = Router(tags=["surveys"])


class SurveyIn(Schema):
    """A new survey as the API accepts it."""

    title: str
    step: int
    intro: str = ""
    min_respondents: int = 5
    target_mix: dict[str, float] = {}


class QuestionIn(Schema):
    """A new question of a survey as the API accepts it."""

    kind: str
    text: str
    code: str = ""
    choices: list[str] = []
    scale_min: int = 1
    scale_max: int = 5
    required: bool = False


class LinksIn(Schema):
    """A request for personal links: one per label, plus ``count`` unlabelled ones."""

    labels: list[str] = []
    count: int = 0


def _survey_out(s: Survey, questions: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.pk,
        "title": s.title,
        "step": s.step.number,
        "status": s.status,
        "min_respondents": s.min_respondents,
        "target_mix": s.target_mix,
        "public_link": bool(s.public_token_hash),
        "responses": s.responses.count(),
        "illustrative": s.illustrative,
        "version": s.version,
    }
    if questions:
        out["questions"] = [
            {"number": q.number, "code": q.code, "kind": q.kind, "text": q.text,
             "choices": q.choices, "scale_min": q.scale_min, "scale_max": q.scale_max,
             "required": q.required}
            for q in s.questions.all()
        ]  # fmt: skip
    return out


def _get(strategy_id: int, survey_id: int) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("step"), pk=survey_id, strategy_id=strategy_id
    )


@router.get("{strategy_id}/surveys", url_name="api_surveys")
def surveys(request: HttpRequest, strategy_id: int) -> Any:
    """Return the strategy's surveys, newest first."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    return [_survey_out(x) for x in Survey.objects.filter(strategy=s).select_related("step")]


@router.post("{strategy_id}/surveys", url_name="api_surveys", response={201: dict})
def create_survey(request: HttpRequest, strategy_id: int, payload: SurveyIn) -> Any:
    """Create a draft survey run in step number ``step``."""
    s = get_object_or_404(Strategy, pk=strategy_id)
    step = Step.objects.filter(strategy=s, number=payload.step).first()
    if step is None:
        raise HttpError(422, f"no step {payload.step} in this strategy (steps are 1-6)")
    try:
        new = services.create_survey(
            request.auth, s, step=step, title=payload.title, intro=payload.intro,  # type: ignore[attr-defined]
            min_respondents=payload.min_respondents, target_mix=payload.target_mix,
        )  # fmt: skip
    except (Ris3Error, ValueError) as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _survey_out(new, questions=True))


@router.get("{strategy_id}/surveys/{survey_id}", url_name="api_survey")
def survey(request: HttpRequest, strategy_id: int, survey_id: int) -> Any:
    """One survey with its questions."""
    return _survey_out(_get(strategy_id, survey_id), questions=True)


@router.post(
    "{strategy_id}/surveys/{survey_id}/questions",
    url_name="api_survey_questions",
    response={201: dict},
)
def add_question(
    request: HttpRequest, strategy_id: int, survey_id: int, payload: QuestionIn
) -> Any:
    """Add a question at the end of the survey."""
    from django.core.exceptions import ValidationError

    s = _get(strategy_id, survey_id)
    try:
        q = services.add_question(request.auth, s, **payload.model_dump())  # type: ignore[attr-defined]
    except Ris3Error as exc:
        raise HttpError(422, str(exc)) from None
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from None
    return Status(201, {"number": q.number, "code": q.code, "kind": q.kind})


@router.get("{strategy_id}/surveys/{survey_id}/links", url_name="api_survey_links")
def links(request: HttpRequest, strategy_id: int, survey_id: int) -> Any:
    """Personal links: prefix, label, whether answered or revoked (never the token)."""
    s = _get(strategy_id, survey_id)
    return [
        {"id": i.pk, "prefix": i.prefix, "label": i.label, "answered": hasattr(i, "response"),
         "revoked": i.revoked_at is not None}
        for i in s.invitations.select_related("response")
    ]  # fmt: skip


@router.post(
    "{strategy_id}/surveys/{survey_id}/links",
    url_name="api_survey_links",
    response={201: list[dict]},
)
def issue_links(request: HttpRequest, strategy_id: int, survey_id: int, payload: LinksIn) -> Any:
    """Make personal links; the answer holds each token once (only its hash is kept)."""
    if not 0 <= payload.count <= 1000:
        raise HttpError(422, f"count must be between 0 and 1000; got {payload.count}")
    s = _get(strategy_id, survey_id)
    made = services.issue_links(request.auth, s, payload.labels, count=payload.count)  # type: ignore[attr-defined]
    out = [
        {"id": i.pk, "prefix": i.prefix, "label": i.label, "token": t,
         "path": f"/survey/answer/{t}/"}
        for i, t in made
    ]  # fmt: skip
    return Status(201, out)


@router.get("{strategy_id}/surveys/{survey_id}/results", url_name="api_survey_results")
def results(request: HttpRequest, strategy_id: int, survey_id: int) -> Any:
    """Return the analysis tables (small groups left out and listed under ``hidden``)."""
    s = _get(strategy_id, survey_id)
    tables, result = analysis.report_tables(s)
    return {
        "survey": s.pk,
        "respondents": result["respondents"],
        "min_respondents": s.min_respondents,
        "illustrative": s.illustrative,
        "errors": result["errors"],
        "tables": {name: table_to_json(t) for name, t in tables.items()},
    }
