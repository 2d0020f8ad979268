"""The instrument register: instruments, their budgets by year and their funding.

The fields follow the tidy register of :mod:`ris3.strategy.instruments`, so a
register read from the database is checked and analysed by the same pure
functions as one read from a spreadsheet.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import Domain, Strategy, Versioned

LEVEL_CHOICES = [
    ("EU", _("EU")),
    ("national", _("National")),
    ("regional", _("Regional")),
    ("local", _("Local")),
    ("cross_border", _("Cross-border or macro-regional")),
]
# the report's three groups of cluster-policy tools (lines 1020-1038), plus generic
TOOL_GROUP_CHOICES = [
    ("cluster_organisations", _("Support to cluster organisations")),
    ("collaborative_actions", _("Collaborative actions")),
    ("business_environment", _("Upgrading the cluster-specific business environment")),
    ("generic", _("Generic instrument")),
]
ORIENTATION_CHOICES = [("vertical", _("Vertical")), ("horizontal", _("Horizontal"))]
DECISION_CHOICES = [
    ("", _("Not decided")),
    ("keep", _("Keep")),
    ("revise", _("Revise")),
    ("suppress", _("Suppress")),
]
SOURCE_CHOICES = [
    ("ERDF", "ERDF"),
    ("ESF+", "ESF+"),
    ("Horizon Europe", "Horizon Europe"),
    ("national", _("National")),
    ("regional", _("Regional")),
    ("private", _("Private")),
]


class Instrument(Versioned):
    """A policy instrument in a strategy's register."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="instruments")
    name = models.CharField(_("name"), max_length=200)
    owner_body = models.CharField(_("owner body"), max_length=200)
    level = models.CharField(_("governance level"), max_length=20, choices=LEVEL_CHOICES)
    tool_group = models.CharField(_("tool group"), max_length=30, choices=TOOL_GROUP_CHOICES)
    orientation = models.CharField(_("orientation"), max_length=10, choices=ORIENTATION_CHOICES)
    # NUTS codes separated by ";", as in the tidy register
    territory = models.CharField(_("territory (NUTS codes)"), max_length=400)
    eligible_beyond = models.CharField(
        _("eligible areas beyond the region (NUTS codes)"), max_length=400, blank=True
    )
    target_groups = models.CharField(_("target groups"), max_length=400, default="all")
    priorities = models.ManyToManyField(Domain, related_name="instruments", blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=DECISION_CHOICES, blank=True, default=""
    )
    rationale = models.TextField(_("rationale"), blank=True)
    exit_benchmark = models.TextField(_("exit benchmark"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="instrument_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentBudget(models.Model):
    """The planned budget of an instrument in one year (euro)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["instrument", "year"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "year"], name="budget_year_unique")
        ]


class InstrumentFunding(models.Model):
    """The share of an instrument's budget paid by one source (the shares sum to 1)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source"), max_length=20, choices=SOURCE_CHOICES)
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6)

    class Meta:
        ordering = ["instrument", "source"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "source"], name="funding_source_unique")
        ]
