"""The indicators of one priority, for the review page of the priorities part."""

from __future__ import annotations

from typing import Any

from ris3.report.html import to_records
from ris3.workspace.models import Domain

#: the keys of each row of :func:`indicator_rows`
ROW_KEYS = (
    "id",
    "indicator",
    "type",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "observed_date",
    "observed_value",
    "provenance",
    "expected_value",
    "progress",
    "status",
    "status_label",
    "note",
    "illustrative",
)


def indicator_rows(domain: Domain) -> list[dict[str, Any]]:
    """Return the domain's indicators with their latest observation and scorecard status.

    One dict per indicator with the keys of :data:`ROW_KEYS`; the status
    follows the rule of :func:`ris3.strategy.scorecard` (``on_track``,
    ``at_risk``, ``off_track``, ``no_data``). Missing values are ``None``.
    """
    from ris3.workspace.monitoring import frames

    card = frames.scorecard(domain.strategy, domain=domain)
    ids = frames.indicator_table(domain.strategy, domain=domain)["id"].tolist()
    card = card.assign(id=ids if len(card) else [])
    return [{k: r.get(k) for k in ROW_KEYS} for r in to_records(card)]
