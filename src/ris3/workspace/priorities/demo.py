"""The demo's priority setting: the AT33 domains scored and one selected.

It also holds illustrative declared priorities of other regions.

The scores are computed from the real evidence of Tirol; the decision, its
rationale and the declared-priority table are invented to show the workflow
and stored with ``illustrative=True``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ris3.workspace.priorities import services
from ris3.workspace.priorities.forms import DEFAULT_WEIGHTS

#: an invented table in the shape of the JRC's Eye@RIS3 database (not real declared priorities)
ILLUSTRATIVE_DECLARED = pd.DataFrame(
    [
        ("AT32", "Tourism and leisure economy", "I55;I56;N79", "", "Competitiveness of SMEs"),
        ("AT34", "Sustainable tourism", "I55", "Environmental sciences", "Low-carbon economy"),
        ("ITH1", "Alpine tourism and hospitality", "I", "", "Competitiveness of SMEs"),
        ("DE21", "Advanced manufacturing", "C", "Engineering", "Research and innovation"),
        ("DE27", "Machinery and mechatronics", "C28", "Mechanical engineering", "Research and innovation"),
        ("CH05", "Wood construction", "C16", "Materials science", "Low-carbon economy"),
        ("ITH2", "Glass, ceramics and building materials", "C23", "", "Industrial transition"),
        ("SI04", "Smart buildings", "", "Civil engineering", "Digital transition"),
    ],
    columns=["region", "priority", "nace_codes", "scientific_domains", "policy_objectives"],
)  # fmt: skip


def populate(owner: Any, strategy: Any, users: dict[str, Any]) -> None:
    """Score the demo domains, select the best with a decision, import the illustrative table."""
    from ris3.strategy.priority_setting import check_declared

    run = services.run_scoring(
        owner, strategy, weights=dict(DEFAULT_WEIGHTS), method="weighted_sum", illustrative=True
    )
    ranking = run.ranking
    best_id = ranking["data"][0][ranking["columns"].index("alternative")]
    domain = strategy.domains.get(pk=best_id)
    ev = strategy.evidence.filter(function="ris3.profile").first()
    services.record_decision(
        owner,
        domain,
        action="select",
        rationale=(
            "Illustrative decision: first in the ranking of the evidence criteria and "
            "discussed in the tourism focus group."
        ),
        expected_version=domain.version,
        evidence=[ev] if ev is not None else [],
        domain_evidence=list(domain.evidence_links.all()),
        scoring_run=run,
        review_date=date(2027, 6, 30),
        exit_criteria=(
            "Illustrative: retire the priority if its location quotient against Europe falls "
            "below 1.5 or employment falls for three years in a row."
        ),
        illustrative=True,
    )
    accepted, _rejected = check_declared(ILLUSTRATIVE_DECLARED)
    services.import_declared(
        owner,
        strategy,
        accepted,
        source="illustrative table (invented, in the shape of the JRC's Eye@RIS3 database)",
        illustrative=True,
    )
