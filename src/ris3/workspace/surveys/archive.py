"""The surveys' files in a workspace archive, in restore order."""

from __future__ import annotations

ENTITIES: tuple[tuple[str, str], ...] = (
    ("surveys.json", "surveys.survey"),
    ("survey_questions.json", "surveys.question"),
    ("survey_invitations.json", "surveys.invitation"),
    ("survey_responses.json", "surveys.response"),
    ("survey_answers.json", "surveys.answer"),
)
