"""Who may see and edit the monitoring framework (merged into the workspace's table)."""

from __future__ import annotations

_MEMBERS = frozenset({"owner", "facilitator", "evaluator", "stakeholder", "observer"})

PERMISSIONS: dict[str, frozenset[str]] = {
    # indicators, targets and the scorecard hold no personal data
    "view_monitoring": _MEMBERS,
    "edit_monitoring": frozenset({"owner", "facilitator"}),
    "compute_indicators": frozenset({"owner", "facilitator"}),
    # evaluators attach programme evaluations to instruments
    "attach_evaluations": frozenset({"owner", "facilitator", "evaluator"}),
}
#: the framework and scorecard are public once the strategy is published
PUBLISHED = frozenset({"view_monitoring"})

PAGES: dict[str, dict[str, str]] = {
    "monitoring_overview": {"GET": "view_monitoring"},
    "monitoring_indicator": {"GET": "view_monitoring", "POST": "edit_monitoring"},
    "monitoring_indicator_add": {"GET": "edit_monitoring", "POST": "edit_monitoring"},
    "monitoring_objective_add": {"GET": "edit_monitoring", "POST": "edit_monitoring"},
    "monitoring_import": {"GET": "edit_monitoring", "POST": "edit_monitoring"},
    "monitoring_compute": {"POST": "compute_indicators"},
    "monitoring_scorecard": {"GET": "view_monitoring"},
    "monitoring_scorecard_export": {"GET": "view_monitoring"},
    "monitoring_evaluation_add": {"GET": "attach_evaluations", "POST": "attach_evaluations"},
}

API: dict[str, dict[str, str]] = {
    "api_monitoring_indicators": {"GET": "view_monitoring"},
    "api_monitoring_scorecard": {"GET": "view_monitoring"},
    "api_monitoring_observations": {"POST": "edit_monitoring"},
}
