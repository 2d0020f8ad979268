"""Reads of the workspace: what a user may see, and tidy tables for the analytics."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Q, QuerySet

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
    """The strategy's stakeholders with their organisations."""
    return Stakeholder.objects.filter(strategy=strategy).select_related("organisation")


def organisations(strategy: Strategy) -> QuerySet[Organisation]:
    """The strategy's organisations."""
    return Organisation.objects.filter(strategy=strategy)


def engagements(strategy: Strategy) -> QuerySet[Engagement]:
    """The strategy's engagements with their steps and domains."""
    return (
        Engagement.objects.filter(strategy=strategy)
        .prefetch_related("steps", "domains")
        .order_by("-date", "title")
    )


def audit_log(strategy: Strategy, limit: int = 500) -> QuerySet[AuditLog]:
    """The latest audit records of a strategy."""
    return AuditLog.objects.filter(strategy=strategy).select_related("user")[:limit]


def attendance_table(strategy: Strategy) -> pd.DataFrame:
    """One row per attendance x step of the engagement.

    Columns ``engagement``, ``kind``, ``date``, ``step`` (key), ``stakeholder``,
    ``organisation``, ``helix``, ``cluster_organisation``, ``nace``,
    ``contributed`` (bool). An engagement linked to no step gives rows with
    ``step`` missing.
    """
    rows = []
    qs = (
        Attendance.objects.filter(engagement__strategy=strategy)
        .select_related("engagement", "stakeholder__organisation")
        .prefetch_related("engagement__steps")
    )
    for a in qs:
        steps = [s.key for s in a.engagement.steps.all()] or [None]
        org = a.stakeholder.organisation
        for number in steps:
            rows.append(
                {
                    "engagement": a.engagement_id,
                    "kind": a.engagement.kind,
                    "date": a.engagement.date,
                    "step": number,
                    "stakeholder": a.stakeholder_id,
                    "organisation": org.name,
                    "helix": org.helix,
                    "cluster_organisation": org.is_cluster_organisation,
                    "nace": org.nace,
                    "contributed": a.contributed,
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
    rows = [
        {"stakeholder": c.stakeholder_id, "date": c.date, "channel": c.channel}
        for c in ContactLog.objects.filter(stakeholder__strategy=strategy)
    ]
    rows += [
        {"stakeholder": a.stakeholder_id, "date": a.engagement.date, "channel": a.engagement.kind}
        for a in Attendance.objects.filter(engagement__strategy=strategy).select_related(
            "engagement"
        )
    ]
    return pd.DataFrame(rows, columns=["stakeholder", "date", "channel"])


def interest_table(strategy: Strategy) -> pd.DataFrame:
    """Declared interests: ``stakeholder``, ``organisation``, ``domain``, ``description``."""
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
