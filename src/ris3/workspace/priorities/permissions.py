"""Who may do what in priority setting (merged into the workspace's one permission table).

Everyone with a role but applicants sees the scoring, decisions, lifecycle,
distinctiveness and technology match; visitors of a published strategy too
(these pages hold no personal data: who decided is shown only to roles that
may see people). Facilitators may run scorings and import tables; only the
owner decides on and edits priorities (selection needs political endorsement).
"""

from __future__ import annotations

VIEWERS = frozenset({"owner", "facilitator", "evaluator", "stakeholder", "observer"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "view_priorities": VIEWERS,
    "score_priorities": frozenset({"owner", "facilitator"}),
    "decide_priorities": frozenset({"owner"}),
    "edit_priorities": frozenset({"owner"}),
    "import_declared": frozenset({"owner", "facilitator"}),
    "analyse_technology": frozenset({"owner", "facilitator"}),
}
PUBLISHED = frozenset({"view_priorities"})

PAGES: dict[str, dict[str, str]] = {
    "priorities_scoring": {"GET": "view_priorities", "POST": "score_priorities"},
    "priorities_run": {"GET": "view_priorities"},
    "priorities_decide": {"GET": "decide_priorities", "POST": "decide_priorities"},
    "priorities_lifecycle": {"GET": "view_priorities"},
    "priorities_edit": {"GET": "edit_priorities", "POST": "edit_priorities"},
    "priorities_review": {"GET": "view_priorities"},
    "priorities_distinctiveness": {"GET": "view_priorities"},
    "priorities_declared_import": {"GET": "import_declared", "POST": "import_declared"},
    "priorities_tech_match": {"GET": "view_priorities", "POST": "analyse_technology"},
}

API: dict[str, dict[str, str]] = {
    "api_priority_runs": {"GET": "view_priorities", "POST": "score_priorities"},
    "api_priority_decisions": {"GET": "view_priorities", "POST": "decide_priorities"},
    "api_priority_versions": {"GET": "view_priorities"},
    "api_priority_distinctiveness": {"GET": "view_priorities"},
}
