"""Illustrative instruments of the demo strategy (AT33 Tirol), labelled so everywhere.

Three real priorities of Tirol's profile (accommodation I55, mature; wood
products C16, declining; machinery C28, emerging) are made active, and three
invented instruments at two levels serve two of them: two collaborative
actions for tourism, regional and national, overlap in territory and target
group (one duplication), and wood products get no instrument (one gap).
"""

from __future__ import annotations

from typing import Any

from ris3.workspace.models import Strategy
from ris3.workspace.policy import services

#: the demo priorities: domain codes made active
PRIORITY_CODES: tuple[str, ...] = ("I55", "C16", "C28")

#: (fields, priority codes, budgets, funding)
INSTRUMENTS: tuple[tuple[dict[str, str], tuple[str, ...], list[tuple[int, float]], list[tuple[str, float]]], ...] = (
    (
        {
            "name": "Tourism innovation collaboration (illustrative)",
            "owner_body": "Example regional economic agency",
            "level": "regional",
            "tool_group": "collaborative_actions",
            "orientation": "vertical",
            "territory": "AT33",
            "target_groups": "SME",
            "decision": "keep",
            "rationale": "Illustrative: the region's only instrument for joint projects of hotels.",
        },
        ("I55",),
        [(2024, 1_200_000.0), (2025, 1_300_000.0)],
        [("ERDF", 0.4), ("regional", 0.6)],
    ),
    (
        {
            "name": "National tourism cooperation programme (illustrative)",
            "owner_body": "Example federal ministry",
            "level": "national",
            "tool_group": "collaborative_actions",
            "orientation": "vertical",
            "territory": "AT",
            "target_groups": "SME;research",
            "decision": "revise",
            "rationale": "Illustrative: overlaps the regional collaboration call in Tirol; "
            "align the calls or split the target groups.",
        },
        ("I55",),
        [(2024, 3_000_000.0), (2025, 3_000_000.0)],
        [("national", 0.8), ("private", 0.2)],
    ),
    (
        {
            "name": "Mechatronics cluster platform (illustrative)",
            "owner_body": "Example regional economic agency",
            "level": "regional",
            "tool_group": "cluster_organisations",
            "orientation": "vertical",
            "territory": "AT33",
            "eligible_beyond": "ITH1",
            "target_groups": "all",
            "exit_benchmark": "Illustrative: 20 member firms and two joint projects by 2026, "
            "else funding ends.",
        },
        ("C28",),
        [(2024, 250_000.0), (2025, 250_000.0)],
        [("ERDF", 0.5), ("regional", 0.5)],
    ),
)  # fmt: skip


def activate_priorities(owner: Any, strategy: Strategy) -> list[Any]:
    """Make the demo priorities' candidate domains priorities (audited); returns them.

    With the priorities part installed a candidate is selected by a recorded
    decision with its rationale; without it, its status is set to selected.
    A domain that is a priority already keeps its status.
    """
    from ris3.workspace.parts import PARTS
    from ris3.workspace.services import update

    done = []
    for code in PRIORITY_CODES:
        d = strategy.domains.filter(codes=code).first()
        if d is None:
            continue
        if d.status == "candidate":
            if "priorities" in PARTS:
                from ris3.workspace.priorities.services import record_decision

                record_decision(
                    owner,
                    d,
                    action="select",
                    rationale="Illustrative decision: a priority of the demo's policy mix.",
                    expected_version=d.version,
                    illustrative=True,
                )
                d.refresh_from_db()
            else:
                d = update(owner, d, d.version, {"status": "selected"})
        done.append(d)
    return done


def populate(owner: Any, strategy: Strategy, users: dict[str, Any]) -> None:
    """Add the illustrative instruments and make the demo priorities priorities."""
    domains = {d.codes: d for d in activate_priorities(owner, strategy)}
    made = []
    for fields, codes, budgets, funding in INSTRUMENTS:
        made.append(
            services.create_instrument(
                owner,
                strategy,
                fields=fields,
                priorities=[domains[c] for c in codes if c in domains],
                budgets=budgets,
                funding=funding,
                illustrative=True,
            )
        )
    # Austria is a federal state (a fact); GDP values are left for the user to enter
    services.save_region_context(
        owner,
        strategy,
        None,
        {
            "state_structure": "federal",
            "note": "GDP per inhabitant in PPS not entered: take it from Eurostat nama_10r_2gdp.",
        },
    )
    services.save_assessment(
        users.get("evaluator", owner),
        strategy,
        checklist="good_practice",
        instrument=made[2],
        rows=[
            {
                "criterion": "professional_management",
                "score": 3,
                "evidence": "Illustrative: a cluster manager is employed half time.",
                "comment": "Illustrative score of an invented programme.",
                "version": None,
            }
        ],
        illustrative=True,
    )
