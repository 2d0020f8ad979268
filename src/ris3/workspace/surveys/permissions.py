"""Who may do what with surveys (merged into :mod:`ris3.workspace.permissions`).

Survey results are aggregates with small groups left out, so every role
that reads the strategy's evidence may read them; building a survey, its
links and imports is for owners and facilitators. Respondents need no
account: the answer pages are ``public`` and the token in the address is
checked by the view (a wrong, revoked or used token is refused there).
"""

from __future__ import annotations

VIEWERS = frozenset({"owner", "facilitator", "evaluator", "observer"})
EDITORS = frozenset({"owner", "facilitator"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "view_surveys": VIEWERS,
    "export_surveys": VIEWERS,
    "edit_surveys": EDITORS,
}

PAGES: dict[str, dict[str, str]] = {
    "survey_list": {"GET": "view_surveys"},
    "survey_create": {"GET": "edit_surveys", "POST": "edit_surveys"},
    "survey_detail": {"GET": "view_surveys"},
    "survey_edit": {"GET": "edit_surveys", "POST": "edit_surveys"},
    "question_add": {"GET": "edit_surveys", "POST": "edit_surveys"},
    "survey_links": {"GET": "edit_surveys", "POST": "edit_surveys"},
    "survey_import": {"GET": "edit_surveys", "POST": "edit_surveys"},
    "survey_analysis": {"GET": "view_surveys"},
    "survey_export": {"GET": "export_surveys"},
    "survey_answer": {"GET": "public", "POST": "public"},
    "survey_public": {"GET": "public", "POST": "public"},
}

API: dict[str, dict[str, str]] = {
    "api_surveys": {"GET": "view_surveys", "POST": "edit_surveys"},
    "api_survey": {"GET": "view_surveys"},
    "api_survey_questions": {"POST": "edit_surveys"},
    "api_survey_links": {"GET": "edit_surveys", "POST": "edit_surveys"},
    "api_survey_results": {"GET": "view_surveys"},
}
