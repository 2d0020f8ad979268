"""The surveys' sections of the strategy document: results tables only, no personal data.

No free text, no link labels and no single response goes into the
document; cells with fewer respondents than the survey's threshold are left
out and named in the hidden table.
"""

from __future__ import annotations

from ris3.workspace.models import Strategy
from ris3.workspace.parts import Section
from ris3.workspace.surveys.analysis import report_tables
from ris3.workspace.surveys.models import Survey

#: the tables a document section carries (all aggregates)
DOCUMENT_TABLES = {
    "overall": "Perceived strength by domain",
    "gap": "Public minus private perceived strength",
    "perception": "Perceived against measured strength",
    "hidden": "Breakdowns left out (too few respondents)",
}


def sections(strategy: Strategy) -> list[Section]:
    """One section per open or closed survey with responses."""
    out = []
    surveys = Survey.objects.filter(strategy=strategy, status__in=("open", "closed")).order_by(
        "created_at", "id"
    )
    for s in surveys:
        tables, result = report_tables(s)
        if not result["respondents"]:
            continue
        paragraphs = [
            f"Survey of perceived strengths in step {s.step.number} ({s.step.title}): "
            f"{result['respondents']} responses. Mean ratings with 95% bootstrap intervals; "
            f"no breakdown with fewer than {s.min_respondents} respondents is shown.",
        ]
        if s.illustrative:
            paragraphs.append("Illustrative: the responses are invented, not real answers.")
        out.append(
            Section(
                key=f"survey-{s.pk}",
                title=f"Survey: {s.title}",
                paragraphs=tuple(paragraphs),
                tables={label: tables[k] for k, label in DOCUMENT_TABLES.items() if k in tables},
                illustrative=s.illustrative,
            )
        )
    return out
