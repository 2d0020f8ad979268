"""Who may see and change the policy mix, the advisor and the self-assessments."""

from __future__ import annotations

MEMBERS = frozenset({"owner", "facilitator", "evaluator", "stakeholder", "observer"})

PERMISSIONS: dict[str, frozenset[str]] = {
    # the register holds no personal data: every member sees it, and visitors once published
    "view_policy": MEMBERS,
    "export_policy": frozenset({"owner", "facilitator", "evaluator", "observer"}),
    "edit_policy": frozenset({"owner", "facilitator"}),
    "edit_region_context": frozenset({"owner", "facilitator"}),
    "view_assessments": frozenset({"owner", "facilitator", "evaluator", "observer"}),
    "edit_assessments": frozenset({"owner", "evaluator"}),
}
PUBLISHED = frozenset({"view_policy"})

PAGES: dict[str, dict[str, str]] = {
    "instrument_list": {"GET": "view_policy"},
    "instrument_add": {"GET": "edit_policy", "POST": "edit_policy"},
    "instrument_edit": {"GET": "edit_policy", "POST": "edit_policy"},
    "instrument_import": {"GET": "edit_policy", "POST": "edit_policy"},
    "instrument_export": {"GET": "export_policy"},
    "policy_analysis": {"GET": "view_policy"},
    "policy_advisor": {"GET": "view_policy"},
    "region_context_edit": {"GET": "edit_region_context", "POST": "edit_region_context"},
    "assessment_list": {"GET": "view_assessments"},
    "assessment_strategy": {"GET": "edit_assessments", "POST": "edit_assessments"},
    "assessment_programme": {"GET": "edit_assessments", "POST": "edit_assessments"},
}

API: dict[str, dict[str, str]] = {
    "api_instruments": {"GET": "view_policy", "POST": "edit_policy"},
    "api_policy_analysis": {"GET": "view_policy"},
    "api_policy_advisor": {"GET": "view_policy"},
    "api_assessments": {"GET": "view_assessments"},
}
