"""An illustrative call on the demo strategy: invented proposals, panel and scores.

Everything here is invented to show the workflow (``illustrative=True`` on
the call and its proposals, and labelled so on every page, in the API and in
the strategy document). Two further evaluators and two further applicants
are created without a usable password: they cannot log in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model

from ris3.workspace import services as core
from ris3.workspace.calls import services
from ris3.workspace.calls.models import Call
from ris3.workspace.models import Strategy

TITLE = "Collaborative innovation projects 2025 (illustrative)"
#: (name, description, weight, direction)
CRITERIA = (
    ("Excellence", "Novelty and quality of the proposed work.", 0.4, "benefit"),
    (
        "Regional impact",
        "Jobs, firms and public/private/research participation in the region.",
        0.4,
        "benefit",
    ),
    ("Risk", "Technical and financial risk of the plan.", 0.2, "cost"),
)
#: (title, lead, partners, requested EUR, applicant key)
PROPOSALS = (
    ("Timber hybrid construction pilot", "Example wood products firm",
     "Example applied research centre", 380_000, "applicant"),
    ("Ropeway predictive maintenance", "Example ropeway operator",
     "Example mechatronics cluster\nExample university institute", 420_000, "applicant"),
    ("Low-carbon alpine hospitality", "Example Alpine Hotels cooperative",
     "Example environmental association", 300_000, "applicant-2"),
    ("Mechatronics skills academy", "Example mechatronics cluster",
     "Example municipality association", 260_000, "applicant-3"),
    ("Regional venture matching", "Example regional savings bank", "", 200_000, "applicant-3"),
)  # fmt: skip
#: invented scores: proposal index -> evaluator key -> (excellence, impact, risk) on 0-10
SCORES: dict[int, dict[str, tuple[int, int, int]]] = {
    0: {"evaluator": (8, 7, 4), "evaluator-2": (7, 8, 3), "evaluator-3": (8, 7, 3)},
    1: {"evaluator": (9, 5, 5), "evaluator-2": (8, 6, 6), "evaluator-3": (9, 5, 6)},
    2: {"evaluator": (5, 8, 2), "evaluator-2": (6, 9, 2), "evaluator-3": (5, 8, 3)},
    3: {"evaluator": (6, 7, 2), "evaluator-2": (6, 6, 3), "evaluator-3": (7, 7, 2)},
    4: {"evaluator": (4, 5, 4), "evaluator-2": (5, 4, 5), "evaluator-3": (4, 4, 4)},
}
#: the demo evaluator declares a conflict with this organisation (a partner of proposal 1)
CONFLICT = "Example university institute"


def _extra_user(owner: Any, strategy: Strategy, key: str, role: str) -> Any:
    user_model = get_user_model()
    email = f"{key}@example.org"
    user = user_model.objects.filter(username=email).first()
    if user is None:
        user = user_model.objects.create_user(username=email, email=email, password=None)
    core.add_member(owner, strategy, user, role)
    return user


def populate(owner: Any, strategy: Strategy, users: dict[str, Any]) -> Call:
    """Add the illustrative call, taken through to a closed panel, to ``strategy``."""
    people = dict(users)
    for key, role in (
        ("evaluator-2", "evaluator"),
        ("evaluator-3", "evaluator"),
        ("applicant-2", "applicant"),
        ("applicant-3", "applicant"),
    ):
        people[key] = _extra_user(owner, strategy, key, role)
    call = services.create_call(
        owner,
        strategy,
        title=TITLE,
        description="An invented call to show how proposals are scored, ranked and funded.",
        eligibility="Partnerships of at least one firm and one research or public body located "
        "in the region; projects of 12 to 36 months (illustrative rules).",
        opens_at=datetime(2025, 9, 1, tzinfo=UTC),
        closes_at=datetime(2025, 10, 31, 23, 59, tzinfo=UTC),
        budget_eur=1_000_000,
        evaluators_per_proposal=2,
        illustrative=True,
        criteria=[
            {
                "name": n,
                "description": d,
                "weight": w,
                "direction": dr,
                "scale_min": 0,
                "scale_max": 10,
            }
            for n, d, w, dr in CRITERIA
        ],
    )
    call = services.set_status(owner, call, "open", call.version)
    domains = list(strategy.domains.order_by("pk")[:3])
    proposals = []
    for i, (title, lead, partners, budget, who) in enumerate(PROPOSALS):
        proposals.append(
            services.submit_proposal(
                people[who],
                call,
                title=title,
                summary="Illustrative proposal invented for the demo.",
                lead_organisation=lead,
                partners=partners,
                domains=domains[i % len(domains) : i % len(domains) + 1] if domains else [],
                budget_eur=budget,
                illustrative=True,
                when=datetime(2025, 10, 1 + i, 12, tzinfo=UTC),
            )
        )
    call = services.set_status(owner, call, "closed", Call.objects.get(pk=call.pk).version)
    for key in ("evaluator", "evaluator-2", "evaluator-3"):
        services.add_panel_member(owner, call, people[key])
    services.declare_conflict(
        people["evaluator"], call, CONFLICT, "Former employer (illustrative)."
    )
    services.auto_assign(owner, call)
    criteria = list(call.criteria.order_by("number"))
    for i, p in enumerate(proposals):
        for a in p.assignments.select_related("evaluator"):
            key = next(k for k in SCORES[i] if people[k].pk == a.evaluator_id)
            values = SCORES[i][key]
            services.submit_scores(
                a.evaluator,
                a,
                {
                    c.pk: (v, f"Illustrative comment on {c.name.lower()}.")
                    for c, v in zip(criteria, values, strict=True)
                },
            )
    return services.set_status(owner, call, "panel_closed", Call.objects.get(pk=call.pk).version)
