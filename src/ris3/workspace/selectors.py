"""Reads of the workspace: what a user may see, and tidy tables for the analytics."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Count, Q, QuerySet

from ris3.workspace.models import (
    Attendance,
    AuditLog,
    ContactLog,
    Engagement,
    InterestDeclaration,
    Organisation,
    Stakeholder,
    Strategy,
)


def visible_strategies(user: Any) -> QuerySet[Strategy]:
    """Strategies the user is a member of (all for a superuser), plus published ones."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Strategy.objects.all()
    if user is not None and user.is_authenticated:
        return Strategy.objects.filter(Q(memberships__user=user) | Q(published=True)).distinct()
    return Strategy.objects.filter(published=True)


def stakeholders(strategy: Strategy) -> QuerySet[Stakeholder]:
    """Return the strategy's stakeholders with their organisations."""
    return Stakeholder.objects.filter(strategy=strategy).select_related("organisation")


def organisations(strategy: Strategy) -> QuerySet[Organisation]:
    """Return the strategy's organisations."""
    return Organisation.objects.filter(strategy=strategy)


def engagements(strategy: Strategy) -> QuerySet[Engagement]:
    """Return the strategy's engagements with their steps and domains."""
    return (
        Engagement.objects.filter(strategy=strategy)
        .prefetch_related("steps", "domains")
        .annotate(n_attendees=Count("attendance"))
        .order_by("-date", "title")
    )


def audit_log(strategy: Strategy, limit: int = 500) -> QuerySet[AuditLog]:
    """Return the latest audit records of a strategy."""
    return AuditLog.objects.filter(strategy=strategy).select_related("user")[:limit]


def attendance_table(strategy: Strategy) -> pd.DataFrame:
    """One row per attendance x step of the engagement.

    Columns ``engagement``, ``kind``, ``date``, ``step`` (key), ``stakeholder``,
    ``organisation``, ``helix``, ``cluster_organisation``, ``nace``,
    ``contributed`` (bool). An engagement linked to no step gives rows with
    ``step`` missing.
    """
    # plain values, not model instances: a strategy may hold 10,000s of attendances
    step_link = Engagement.steps.through
    steps_of: dict[int, list[str]] = {}
    for eid, key in step_link.objects.filter(engagement__strategy=strategy).values_list(
        "engagement_id", "step__key"
    ):
        steps_of.setdefault(eid, []).append(key)
    rows = []
    qs = Attendance.objects.filter(engagement__strategy=strategy).values_list(
        "engagement_id",
        "engagement__kind",
        "engagement__date",
        "stakeholder_id",
        "stakeholder__organisation__name",
        "stakeholder__organisation__helix",
        "stakeholder__organisation__is_cluster_organisation",
        "stakeholder__organisation__nace",
        "contributed",
    )
    for eid, kind, when, sid, org, helix, cluster, nace, contributed in qs.iterator(
        chunk_size=5000
    ):
        keys: list[str | None] = list(steps_of.get(eid, [])) or [None]
        for key in keys:
            rows.append(
                {
                    "engagement": eid,
                    "kind": kind,
                    "date": when,
                    "step": key,
                    "stakeholder": sid,
                    "organisation": org,
                    "helix": helix,
                    "cluster_organisation": cluster,
                    "nace": nace,
                    "contributed": contributed,
                }
            )
    cols = [
        "engagement",
        "kind",
        "date",
        "step",
        "stakeholder",
        "organisation",
        "helix",
        "cluster_organisation",
        "nace",
        "contributed",
    ]
    return pd.DataFrame(rows, columns=cols)


def contact_table(strategy: Strategy) -> pd.DataFrame:
    """Contacts with stakeholders: logged contacts plus engagements attended.

    Columns ``stakeholder``, ``date``, ``channel``.
    """
    cols = ["stakeholder", "date", "channel"]
    logged = ContactLog.objects.filter(stakeholder__strategy=strategy).values_list(
        "stakeholder_id", "date", "channel"
    )
    attended = Attendance.objects.filter(engagement__strategy=strategy).values_list(
        "stakeholder_id", "engagement__date", "engagement__kind"
    )
    return pd.DataFrame([*logged, *attended], columns=cols)


def interest_table(strategy: Strategy) -> pd.DataFrame:
    """Return declared interests: ``stakeholder``, ``organisation``, ``domain``, ``description``."""
    rows = [
        {
            "stakeholder": d.stakeholder_id,
            "organisation": d.stakeholder.organisation.name,
            "domain": d.domain_id,
            "description": d.description,
        }
        for d in InterestDeclaration.objects.filter(strategy=strategy).select_related(
            "stakeholder__organisation"
        )
    ]
    return pd.DataFrame(rows, columns=["stakeholder", "organisation", "domain", "description"])
