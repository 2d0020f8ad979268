"""Who may export the strategy document (merged into the workspace's table).

The document holds no personal data (stakeholders are counted, not named),
so every member of the strategy may export it.
"""

from __future__ import annotations

PERMISSIONS: dict[str, frozenset[str]] = {
    "export_document": frozenset({"owner", "facilitator", "evaluator", "stakeholder", "observer"}),
}

PAGES: dict[str, dict[str, str]] = {
    "document_page": {"GET": "export_document"},
    "document_download": {"GET": "export_document"},
}
