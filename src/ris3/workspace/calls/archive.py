"""The calls part's files in a workspace archive, in restore order, and its stored files."""

from __future__ import annotations

from ris3.workspace.parts import StoredFiles

ENTITIES: tuple[tuple[str, str], ...] = (
    ("calls.json", "calls.call"),
    ("call_criteria.json", "calls.criterion"),
    ("call_proposals.json", "calls.proposal"),
    ("call_attachments.json", "calls.attachment"),
    ("call_panel.json", "calls.panelmember"),
    ("call_conflicts.json", "calls.conflict"),
    ("call_assignments.json", "calls.assignment"),
    ("call_scores.json", "calls.score"),
)

#: proposal attachments, kept in ``attachments/`` of the workspace folder
STORED_FILES: tuple[StoredFiles, ...] = (
    StoredFiles("attachments", "calls.attachment", "stored_as", "size", "sha256"),
)
