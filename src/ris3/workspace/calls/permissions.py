"""The calls part's rows of the workspace's permission table.

Object-level rules (which proposal, assignment or score a visitor may read)
are applied by :mod:`.selectors` on top of these: an applicant reads only
their own proposals, an evaluator only their assignments and their own
scores; nobody reads scores or results before the panel closes.
"""

from __future__ import annotations

ALL_ROLES = frozenset({"owner", "facilitator", "evaluator", "stakeholder", "observer", "applicant"})
MANAGERS = frozenset({"owner", "facilitator"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "view_calls": ALL_ROLES,
    "manage_calls": MANAGERS,
    "submit_proposals": frozenset({"applicant"}),
    # each role sees only its own rows (selectors.visible_proposals)
    "view_proposals": MANAGERS | {"evaluator", "applicant"},
    "declare_conflicts": frozenset({"evaluator"}),
    "score_proposals": frozenset({"evaluator"}),
    "view_call_results": MANAGERS,
    # an applicant reads the letters of their own proposals only
    "view_feedback": MANAGERS | {"applicant"},
}

PAGES: dict[str, dict[str, str]] = {
    "call_list": {"GET": "view_calls"},
    "call_create": {"GET": "manage_calls", "POST": "manage_calls"},
    "call_detail": {"GET": "view_calls"},
    "call_edit": {"GET": "manage_calls", "POST": "manage_calls"},
    "criterion_add": {"GET": "manage_calls", "POST": "manage_calls"},
    "call_status": {"POST": "manage_calls"},
    "call_panel": {"GET": "manage_calls", "POST": "manage_calls"},
    "proposal_submit": {"GET": "submit_proposals", "POST": "submit_proposals"},
    "proposal_list": {"GET": "view_proposals"},
    "proposal_detail": {"GET": "view_proposals"},
    "attachment_download": {"GET": "view_proposals"},
    "conflict_declare": {"GET": "declare_conflicts", "POST": "declare_conflicts"},
    "assignment_score": {"GET": "score_proposals", "POST": "score_proposals"},
    "call_results": {"GET": "view_call_results"},
    "feedback_letter": {"GET": "view_feedback"},
    "feedback_letter_pdf": {"GET": "view_feedback"},
}

API: dict[str, dict[str, str]] = {
    "api_calls": {"GET": "view_calls"},
    "api_call": {"GET": "view_calls"},
    "api_call_proposals": {"GET": "view_proposals", "POST": "submit_proposals"},
    "api_call_assignments": {"GET": "view_proposals"},
    "api_assignment_scores": {"GET": "view_proposals", "POST": "score_proposals"},
    "api_call_results": {"GET": "view_call_results"},
}
