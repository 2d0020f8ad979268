"""Every write of the workspace: one transaction, one audit record each.

Records people edit carry a ``version``; :func:`update` changes a record only
if the version the editor saw is still current and raises
:class:`EditConflict` (with both versions) otherwise, so two people editing
the same record never overwrite each other silently.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from ris3.errors import InputError, Ris3Error
from ris3.workspace import analysis
from ris3.workspace.models import (
    Attendance,
    AuditLog,
    ContactLog,
    Domain,
    DomainEvidence,
    Engagement,
    Evidence,
    InterestDeclaration,
    Membership,
    Organisation,
    Stakeholder,
    Step,
    Strategy,
)


class EditConflict(Ris3Error):
    """Someone saved the record after the editor opened it.

    ``current`` is the stored record (as a dict), ``attempted`` the changes
    that were not saved.
    """

    def __init__(self, obj: models.Model, current: dict[str, Any], attempted: dict[str, Any]):
        self.obj = obj
        self.current = current
        self.attempted = attempted
        super().__init__(
            f"{type(obj).__name__} {obj.pk} was changed by someone else "
            f"(now version {current.get('version')}); nothing was saved"
        )


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Return the record's stored fields as a JSON-safe dict (for audit and conflicts)."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    for f in obj._meta.many_to_many:
        if obj.pk is not None:
            data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit(
    user: Any,
    action: str,
    obj: models.Model,
    *,
    strategy: Strategy | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Write one audit record (call inside the service's transaction)."""
    return AuditLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        strategy=strategy,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def _strategy_of(obj: models.Model) -> Strategy | None:
    if isinstance(obj, Strategy):
        return obj
    return getattr(obj, "strategy", None)


def update(user: Any, obj: Any, expected_version: int, changes: dict[str, Any]) -> Any:
    """Change fields of a versioned record if nobody saved it since ``expected_version``.

    Raises
    ------
    EditConflict
        The stored version differs; nothing is written.
    """
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        before = snapshot(current)
        if current.version != expected_version:
            raise EditConflict(current, before, changes)
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.version = expected_version + 1
        current.save()
        audit(
            user,
            "update",
            current,
            strategy=_strategy_of(current),
            before=before,
            after=snapshot(current),
        )
    return current


# ------------------------------------------------------------------ strategies


def create_strategy(
    user: Any,
    *,
    region_code: str,
    name: str,
    period_start: int,
    period_end: int,
    status: str = "draft",
    description: str = "",
    illustrative: bool = False,
) -> Strategy:
    """Create a strategy with the RIS3 Guide's six steps; the creator becomes its owner."""
    with transaction.atomic():
        strategy = Strategy(
            region_code=region_code.strip().upper(),
            name=name,
            period_start=period_start,
            period_end=period_end,
            status=status,
            description=description,
            illustrative=illustrative,
        )
        strategy.full_clean()
        strategy.save()
        for number, (key, title) in enumerate(analysis.guide_steps(), start=1):
            Step.objects.create(strategy=strategy, number=number, key=key, title=title)
        if user is not None and user.is_authenticated:
            Membership.objects.create(user=user, strategy=strategy, role="owner")
        audit(user, "create", strategy, strategy=strategy, after=snapshot(strategy))
    return strategy


def set_published(
    user: Any, strategy: Strategy, published: bool, expected_version: int
) -> Strategy:
    """Publish (or withdraw) a strategy's public pages."""
    return update(user, strategy, expected_version, {"published": published})


def add_member(user: Any, strategy: Strategy, member: Any, role: str) -> Membership:
    """Give ``member`` a role in ``strategy`` (replacing a previous role)."""
    with transaction.atomic():
        m, _ = Membership.objects.update_or_create(
            user=member, strategy=strategy, defaults={"role": role}
        )
        audit(user, "member", m, strategy=strategy, after=snapshot(m))
    return m


# ------------------------------------------------------------------ evidence


def import_profile_evidence(
    user: Any, strategy: Strategy, *, data: Any = None, data_label: str | None = None
) -> Evidence:
    """Run :func:`ris3.profile` for the strategy's region, store it, propose domains.

    The profile's tables are stored as JSON (missing cells stay null). Candidate
    domains come from :func:`ris3.strategy.candidate_domains`; each is linked to
    this evidence with its metric values and data-quality flags.
    """
    run = analysis.run_profile(strategy.region_code, data=data, data_label=data_label)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            strategy=strategy,
            function=run.function,
            parameters=run.parameters,
            data_version=run.data_version,
            tables=run.tables,
            notes=run.notes,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        audit(
            user,
            "create",
            evidence,
            strategy=strategy,
            after={
                "function": run.function,
                "parameters": run.parameters,
                "data_version": run.data_version,
                "tables": sorted(run.tables),
            },
        )
        for cand in run.domains:
            domain = Domain.objects.filter(
                strategy=strategy, codes=cand.codes, taxonomy=cand.taxonomy
            ).first()
            if domain is None:
                domain = Domain.objects.create(
                    strategy=strategy,
                    title=cand.title,
                    taxonomy=cand.taxonomy,
                    codes=cand.codes,
                    origin=cand.origin,
                )
                audit(user, "create", domain, strategy=strategy, after=snapshot(domain))
            DomainEvidence.objects.create(
                domain=domain, evidence=evidence, metrics=cand.metrics, flags=cand.flags
            )
    return evidence


# ------------------------------------------------------------------ people


def add_organisation(user: Any, strategy: Strategy, **fields: Any) -> Organisation:
    """Register an organisation in a strategy."""
    with transaction.atomic():
        org = Organisation(strategy=strategy, **fields)
        org.full_clean()
        org.save()
        audit(user, "create", org, strategy=strategy, after=snapshot(org))
    return org


def add_stakeholder(user: Any, strategy: Strategy, **fields: Any) -> Stakeholder:
    """Register a stakeholder (a person of one of the strategy's organisations)."""
    with transaction.atomic():
        person = Stakeholder(strategy=strategy, **fields)
        if person.organisation.strategy_id != strategy.pk:
            raise InputError("the organisation belongs to another strategy")
        person.full_clean()
        person.save()
        audit(user, "create", person, strategy=strategy, after=snapshot(person))
    return person


def log_contact(
    user: Any, stakeholder: Stakeholder, *, when: date, channel: str, note: str = ""
) -> ContactLog:
    """Record one contact with a stakeholder."""
    with transaction.atomic():
        c = ContactLog.objects.create(
            stakeholder=stakeholder,
            date=when,
            channel=channel,
            note=note,
            recorded_by=user if user.is_authenticated else None,
        )
        audit(user, "create", c, strategy=stakeholder.strategy, after=snapshot(c))
    return c


def import_stakeholders(
    user: Any, strategy: Strategy, table: Any, *, illustrative: bool = False
) -> tuple[int, int, Any]:
    """Create the organisations and stakeholders a table's accepted rows describe.

    Rows are checked by :func:`ris3.strategy.check_stakeholders`; the rejected
    rows (with their reasons) are returned and nothing is created for them.
    Returns ``(organisations created, stakeholders created, rejected table)``.
    """
    existing = list(
        Stakeholder.objects.filter(strategy=strategy)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    accepted, rejected = analysis.check_table(table, existing)
    n_org = n_people = 0
    created: list[int] = []
    with transaction.atomic():
        for row in accepted:
            org = Organisation.objects.filter(strategy=strategy, name=row["organisation"]).first()
            if org is None:
                org = Organisation.objects.create(
                    strategy=strategy,
                    name=row["organisation"],
                    helix=row["helix"],
                    nace=row.get("nace", ""),
                    nuts=row.get("nuts", ""),
                    is_cluster_organisation=str(row.get("cluster_organisation", "")).lower()
                    in ("true", "1", "yes"),
                    illustrative=illustrative,
                )
                n_org += 1
            person = Stakeholder.objects.create(
                strategy=strategy,
                name=row["name"],
                email=row.get("email", ""),
                organisation=org,
                role=row.get("role", ""),
                public=row.get("public_private") == "public",
                # check_stakeholders reads an empty consent cell as False: no recorded consent
                consent_contact=row.get("consent") is True,
                illustrative=illustrative,
            )
            n_people += 1
            created.append(person.pk)
        audit(
            user,
            "import",
            strategy,
            strategy=strategy,
            after={
                "organisations": n_org,
                "stakeholders": created,
                "rejected": len(rejected),
            },
        )
    return n_org, n_people, rejected


# ------------------------------------------------------------------ engagements


def record_engagement(
    user: Any,
    strategy: Strategy,
    *,
    kind: str,
    title: str,
    when: date,
    steps: list[Step],
    domains: list[Domain],
    attendees: list[Stakeholder],
    contributors: list[Stakeholder] | None = None,
    outputs: str = "",
    illustrative: bool = False,
) -> Engagement:
    """Record an engagement with its attendance, linked to steps and domains."""
    contributors = contributors or []
    for obj in [*steps, *domains, *attendees]:
        if obj.strategy_id != strategy.pk:
            raise InputError(f"{type(obj).__name__} {obj.pk} belongs to another strategy")
    with transaction.atomic():
        e = Engagement(
            strategy=strategy,
            kind=kind,
            title=title,
            date=when,
            outputs=outputs,
            illustrative=illustrative,
        )
        e.full_clean()
        e.save()
        e.steps.set(steps)
        e.domains.set(domains)
        contributing = {s.pk for s in contributors}
        Attendance.objects.bulk_create(
            Attendance(engagement=e, stakeholder=s, contributed=s.pk in contributing)
            for s in attendees
        )
        after = snapshot(e)
        after["attendance"] = sorted(s.pk for s in attendees)
        audit(user, "create", e, strategy=strategy, after=after)
    return e


def declare_interest(
    user: Any,
    stakeholder: Stakeholder,
    *,
    description: str,
    domain: Domain | None = None,
    when: date | None = None,
) -> InterestDeclaration:
    """Record a stakeholder's declared interest."""
    with transaction.atomic():
        d = InterestDeclaration.objects.create(
            strategy=stakeholder.strategy,
            stakeholder=stakeholder,
            domain=domain,
            description=description,
            declared_on=when or timezone.now().date(),
        )
        audit(user, "create", d, strategy=stakeholder.strategy, after=snapshot(d))
    return d
