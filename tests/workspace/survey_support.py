"""A survey with a domain matrix and one question of every other kind, for the survey tests."""

from __future__ import annotations

from typing import Any

from ris3.workspace import services as core
from ris3.workspace.surveys import services
from ris3.workspace.surveys.models import Survey


def make_survey(owner: Any, strategy: Any, *, status: str = "open", **kw: Any) -> Survey:
    survey = services.create_survey(
        owner, strategy, step=strategy.steps.get(number=4), title="Strengths", **kw
    )
    services.add_question(owner, survey, kind="matrix", code="strength", text="How strong?")
    services.add_question(
        owner, survey, kind="single", code="size", text="Size", choices=["small", "large"]
    )
    services.add_question(
        owner, survey, kind="multiple", code="needs", text="Needs", choices=["skills", "money"]
    )
    services.add_question(owner, survey, kind="likert", code="involved", text="Involved?")
    services.add_question(
        owner, survey, kind="ranking", code="goals", text="Goals", choices=["jobs", "green", "r&d"]
    )
    services.add_question(owner, survey, kind="text", code="remarks", text="Remarks")
    if status != "draft":
        survey = core.update(
            owner, Survey.objects.get(pk=survey.pk), survey.version, {"status": status}
        )
    return survey


def matrix_answers(survey: Survey, ratings: dict[int, int]) -> list[tuple[Any, str, str]]:
    q = survey.questions.get(code="strength")
    return [(q, str(d), str(r)) for d, r in ratings.items()]
