"""Scoring runs, decisions, versions of a priority and other regions' declared priorities.

Models hold data and constraints only; every write goes through
:mod:`ris3.workspace.priorities.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import DOMAIN_STATUS, Domain, DomainEvidence, Evidence, Strategy

METHOD_CHOICES = [("weighted_sum", _("Weighted sum")), ("topsis", _("TOPSIS"))]
#: a decision's action and the status it gives the domain
ACTION_CHOICES = [
    ("select", _("Select")),
    ("activate", _("Activate")),
    ("review", _("Put under review")),
    ("retire", _("Retire")),
    ("keep", _("Keep as candidate")),
]
ACTION_STATUS = {
    "select": "selected",
    "activate": "active",
    "review": "under_review",
    "retire": "retired",
    "keep": "candidate",
}


class ScoringRun(models.Model):
    """A stored ranking of a strategy's domains: criteria, weights, values and results.

    The run is a snapshot: the values it ranked are stored with it, so a
    decision citing it can be defended even after the evidence changes.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="scoring_runs")
    method = models.CharField(_("method"), max_length=20, choices=METHOD_CHOICES)
    criteria = models.JSONField(_("criteria"), default=list)
    parameters = models.JSONField(_("parameters"), default=dict)
    values = models.JSONField(_("criterion values"), default=dict)
    ranking = models.JSONField(_("ranking"), default=dict)
    sensitivity = models.JSONField(_("weight sensitivity"), default=dict)
    notes = models.JSONField(_("notes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Decision(models.Model):
    """A decision on a domain with its rationale and the evidence it cites."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="decisions")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("action"), max_length=10, choices=ACTION_CHOICES)
    rationale = models.TextField(_("rationale"))
    status_before = models.CharField(_("status before"), max_length=20, choices=DOMAIN_STATUS)
    status_after = models.CharField(_("status after"), max_length=20, choices=DOMAIN_STATUS)
    scoring_run = models.ForeignKey(
        ScoringRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("scoring run cited"),
    )
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="decisions", verbose_name=_("evidence cited")
    )
    domain_evidence = models.ManyToManyField(
        DomainEvidence,
        blank=True,
        related_name="decisions",
        verbose_name=_("domain evidence cited"),
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-decided_at", "-id"]


class PriorityVersion(models.Model):
    """One version of a priority: its title, codes, status, review date and exit criteria."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="priority_versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    taxonomy = models.CharField(_("taxonomy"), max_length=40)
    codes = models.CharField(_("codes"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=DOMAIN_STATUS)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    exit_criteria = models.TextField(_("exit criteria"), blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["domain", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "number"], name="priority_version_unique")
        ]


class DeclaredPriority(models.Model):
    """Another region's declared priority (the fields of the JRC's Eye@RIS3 database)."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="declared_priorities"
    )
    region = models.CharField(_("region"), max_length=100)
    priority = models.TextField(_("priority"))
    nace_codes = models.CharField(_("NACE codes"), max_length=400, blank=True)
    scientific_domains = models.TextField(_("scientific domains"), blank=True)
    policy_objectives = models.TextField(_("policy objectives"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    imported_at = models.DateTimeField(auto_now_add=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["region", "id"]
