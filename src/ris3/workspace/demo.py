"""The demo workspace: a strategy for AT33 Tirol with real evidence and illustrative people.

The evidence is the real profile of Tirol (:func:`ris3.profile` on the
bundled Eurostat data). The organisations, stakeholders and events are
invented to show the workflow; every one is stored with ``illustrative=True``
and labelled so on every page and in the API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ris3.errors import InputError
from ris3.workspace import identity, services
from ris3.workspace.models import ROLES, Stakeholder, Strategy
from ris3.workspace.parts import part_modules

DEMO_REGION = "AT33"
DEMO_NAME = "Tirol smart specialisation strategy (demo)"

#: invented organisations: (name, helix, NACE, cluster organisation)
ORGANISATIONS: tuple[tuple[str, str, str, bool], ...] = (
    ("Example Alpine Hotels cooperative", "business", "I55", False),
    ("Example ropeway operator", "business", "H49", False),
    ("Example wood products firm", "business", "C16", False),
    ("Example mechatronics cluster", "business", "C28", True),
    ("Example university institute", "research", "M72", False),
    ("Example applied research centre", "research", "M72", False),
    ("Example regional economic agency", "government", "O84", False),
    ("Example municipality association", "government", "O84", False),
    ("Example environmental association", "civil_society", "S94", False),
    ("Example regional savings bank", "finance", "K64", False),
)

#: invented people: (name, organisation index, role, public)
PEOPLE: tuple[tuple[str, int, str, bool], ...] = (
    ("Anna Beispiel", 0, "managing director", False),
    ("Bernd Muster", 0, "owner", False),
    ("Clara Probe", 1, "head of innovation", False),
    ("David Exempel", 2, "CEO", False),
    ("Eva Vorlage", 3, "cluster manager", False),
    ("Franz Schema", 3, "project manager", False),
    ("Gerda Modell", 4, "professor", True),
    ("Hans Entwurf", 5, "research director", False),
    ("Ida Skizze", 6, "head of unit", True),
    ("Jakob Plan", 7, "secretary general", True),
    ("Karin Muster", 8, "chair", False),
    ("Lukas Probe", 9, "SME banking", False),
)

#: invented events: (kind, title, date, step numbers, people indices, contributors)
EVENTS: tuple[tuple[str, str, date, tuple[int, ...], tuple[int, ...], tuple[int, ...]], ...] = (
    (
        "edp_focus_group",
        "EDP focus group: tourism and leisure",
        date(2025, 3, 12),
        (1,),
        (0, 1, 2, 6, 8),
        (0, 1),
    ),
    (
        "workshop",
        "Workshop: a shared vision for Tirol",
        date(2025, 5, 20),
        (3,),
        (0, 3, 4, 6, 7, 8, 10, 11),
        (4, 10),
    ),
    (
        "edp_focus_group",
        "EDP focus group: wood and mechatronics",
        date(2025, 6, 4),
        (4,),
        (3, 4, 5, 7),
        (4, 5),
    ),
    ("interview", "Interview: cluster management", date(2025, 6, 18), (4,), (4,), (4,)),
)


def demo_users(password: str) -> dict[str, Any]:
    """One user per role, ``ROLE@example.org``, all with ``password``."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    users = {}
    for role in ROLES:
        email = f"{role}@example.org"
        existing = user_model.objects.filter(username=email).first()
        users[role] = existing or identity.create_user(email, password)
    return users


def build_demo(password: str) -> Strategy:
    """Add the demo strategy (and its users) to the configured database."""
    if Strategy.objects.filter(region_code=DEMO_REGION, name=DEMO_NAME).exists():
        raise InputError("the demo strategy is in this database already")
    users = demo_users(password)
    owner = users["owner"]
    strategy = services.create_strategy(
        owner,
        region_code=DEMO_REGION,
        name=DEMO_NAME,
        period_start=2021,
        period_end=2027,
        description="Demonstration: the evidence is the real profile of Tirol; organisations, "
        "stakeholders and events are illustrative (invented).",
        illustrative=True,
    )
    for role, user in users.items():
        if role != "owner":
            services.add_member(owner, strategy, user, role)
    services.import_profile_evidence(owner, strategy)
    orgs = [
        services.add_organisation(
            owner,
            strategy,
            name=n,
            helix=h,
            nace=nace,
            nuts=DEMO_REGION,
            is_cluster_organisation=cl,
            illustrative=True,
        )
        for n, h, nace, cl in ORGANISATIONS
    ]
    people: list[Stakeholder] = [
        services.add_stakeholder(
            owner,
            strategy,
            name=n,
            email=f"{n.split()[0].lower()}@example.org",
            organisation=orgs[i],
            role=r,
            public=pub,
            consent_contact=True,
            illustrative=True,
        )
        for n, i, r, pub in PEOPLE
    ]
    steps = {s.number: s for s in strategy.steps.all()}
    domains = list(strategy.domains.all()[:2])
    for kind, title, when, step_numbers, who, contributed in EVENTS:
        services.record_engagement(
            owner,
            strategy,
            kind=kind,
            title=title,
            when=when,
            steps=[steps[n] for n in step_numbers],
            domains=domains,
            attendees=[people[i] for i in who],
            contributors=[people[i] for i in contributed],
            outputs="Illustrative record of an invented event.",
            illustrative=True,
        )
    if domains:
        services.declare_interest(
            owner,
            people[0],
            domain=domains[0],
            description="Owns hotels in the domain (illustrative).",
            when=date(2025, 3, 1),
        )
    # the parts' illustrative records (surveys, calls, instruments, ...)
    for module in part_modules("demo"):
        module.populate(owner, strategy, users)
    services.set_published(owner, strategy, True, Strategy.objects.get(pk=strategy.pk).version)
    return strategy
