"""The monitoring framework's files in a workspace archive, in restore order."""

from __future__ import annotations

ENTITIES: tuple[tuple[str, str], ...] = (
    ("objectives.json", "monitoring.objective"),
    ("indicators.json", "monitoring.indicator"),
    ("targets.json", "monitoring.target"),
    ("observations.json", "monitoring.observation"),
    ("evaluations.json", "monitoring.evaluation"),
)
