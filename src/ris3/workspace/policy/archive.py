"""The policy mix's files in a workspace archive, in restore order."""

from __future__ import annotations

ENTITIES: tuple[tuple[str, str], ...] = (
    ("instruments.json", "policy.instrument"),
    ("instrument_budgets.json", "policy.instrumentbudget"),
    ("instrument_funding.json", "policy.instrumentfunding"),
    ("region_contexts.json", "policy.regioncontext"),
    ("assessments.json", "policy.assessment"),
)
