"""Priority setting's sections of the strategy document."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ris3.workspace.analysis import table_from_json
from ris3.workspace.parts import Section


def _evidence_summary(domain: Any) -> str:
    parts = []
    for link in domain.evidence_links.all():
        m = link.metrics
        text = m.get("evidence") or ", ".join(
            f"{k} {v}" for k, v in m.items() if k in ("lq_europe", "stars", "growth")
        )
        parts.append(f"{link.evidence.function} ({link.evidence.data_version}): {text}")
    return "; ".join(parts)


def sections(strategy: Any) -> list[Section]:
    """Return the priorities and the latest ranking with its weight sensitivity.

    Each priority with status, review date, exit criteria, evidence and latest
    decision.
    """
    rows = []
    for d in strategy.domains.order_by("title").prefetch_related(
        "evidence_links__evidence", "decisions"
    ):
        last = d.decisions.order_by("-decided_at", "-id").first()
        rows.append(
            {
                "domain": d.title,
                "codes": f"{d.taxonomy} {d.codes}",
                "status": d.get_status_display(),
                "review_date": d.review_date.isoformat() if d.review_date else None,
                "exit_criteria": d.exit_criteria or None,
                "evidence": _evidence_summary(d) or None,
                "latest_decision": last.get_action_display() if last else None,
                "rationale": last.rationale if last else None,
                "decided_on": last.decided_at.date().isoformat() if last else None,
            }
        )
    tables: dict[str, Any] = {"priorities": pd.DataFrame(rows)}
    paragraphs = [
        "Candidate domains come from the region's evidence; each decision records its "
        "rationale and the evidence and scoring run it cites."
    ]
    run = strategy.scoring_runs.first()
    if run is not None:
        tables["ranking"] = table_from_json(run.ranking)
        if run.sensitivity:
            tables["weight_sensitivity"] = table_from_json(run.sensitivity)
        weights = ", ".join(f"{c['criterion']} {c['weight']:g}" for c in run.criteria)
        paragraphs.append(f"Latest ranking: {run.get_method_display()}; weights {weights}.")
        paragraphs.extend(run.notes)
    illustrative = bool(
        strategy.illustrative
        or strategy.decisions.filter(illustrative=True).exists()
        or strategy.scoring_runs.filter(illustrative=True).exists()
    )
    return [
        Section(
            key="priorities",
            title="Priority setting: scoring, decisions and distinctiveness",
            paragraphs=tuple(paragraphs),
            tables=tables,
            illustrative=illustrative,
        )
    ]
