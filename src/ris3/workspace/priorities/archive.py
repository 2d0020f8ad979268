"""Priority setting's files in a workspace archive, in restore order."""

from __future__ import annotations

ENTITIES: tuple[tuple[str, str], ...] = (
    ("scoring_runs.json", "priorities.scoringrun"),
    ("decisions.json", "priorities.decision"),
    ("priority_versions.json", "priorities.priorityversion"),
    ("declared_priorities.json", "priorities.declaredpriority"),
)
