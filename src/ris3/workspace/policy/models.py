"""The instrument register: instruments, their budgets by year and their funding.

The fields follow the tidy register of :mod:`ris3.strategy.instruments`, so a
register read from the database is checked and analysed by the same pure
functions as one read from a spreadsheet.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
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


REGION_STAGE_CHOICES = [
    ("", _("Computed from GDP")),
    ("advanced", _("Advanced")),
    ("lagging", _("Lagging")),
]
REGION_SIZE_CHOICES = [
    ("", _("Not given")),
    ("small", _("Small")),
    ("medium", _("Medium")),
    ("large", _("Large")),
]
STATE_CHOICES = [("", _("Not given")), ("federal", _("Federal")), ("unitary", _("Unitary"))]
CHECKLIST_CHOICES = [
    ("good_practice", _("Good practice of a cluster programme")),
    ("enabling_condition", _("Enabling condition: good governance of the strategy")),
]


class RegionContext(Versioned):
    """What the advisor needs about the region that the bundled data does not hold.

    GDP per inhabitant in PPS (Eurostat ``nama_10r_2gdp``) is not bundled with
    ris3, so the user enters the region's value and the EU average with their
    year and source; the stage is computed by :func:`ris3.strategy.region_stage`
    unless the user overrides it.
    """

    strategy = models.OneToOneField(
        Strategy, on_delete=models.CASCADE, related_name="region_context"
    )
    gdp_pps = models.DecimalField(
        _("GDP per inhabitant in PPS (region)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    eu_average_pps = models.DecimalField(
        _("GDP per inhabitant in PPS (EU average)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    gdp_year = models.PositiveSmallIntegerField(_("year of the GDP values"), null=True, blank=True)
    gdp_source = models.CharField(_("source of the GDP values"), max_length=300, blank=True)
    stage_override = models.CharField(
        _("region stage"), max_length=10, choices=REGION_STAGE_CHOICES, blank=True, default=""
    )
    size = models.CharField(
        _("region size"), max_length=10, choices=REGION_SIZE_CHOICES, blank=True, default=""
    )
    state_structure = models.CharField(
        _("federal or unitary state"), max_length=10, choices=STATE_CHOICES, blank=True, default=""
    )
    large_budget_eur = models.DecimalField(
        _("a large yearly budget from (EUR)"),
        max_digits=16,
        decimal_places=2,
        default=1_000_000,
    )
    note = models.TextField(_("note"), blank=True)


class Assessment(Versioned):
    """One criterion of a self-assessment: a 0-5 score with evidence links and a comment.

    ``good_practice`` criteria are scored per cluster programme (an
    instrument of a cluster tool group); ``enabling_condition`` criteria per
    strategy (``instrument`` empty).
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="assessments")
    checklist = models.CharField(_("checklist"), max_length=20, choices=CHECKLIST_CHOICES)
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.CharField(_("criterion"), max_length=40)
    score = models.PositiveSmallIntegerField(
        _("score (0-5)"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    evidence = models.TextField(_("evidence (links, one a line)"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["strategy", "checklist", "instrument", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "checklist", "instrument", "criterion"],
                condition=models.Q(instrument__isnull=False),
                name="assessment_programme_unique",
            ),
            models.UniqueConstraint(
                fields=["strategy", "checklist", "criterion"],
                condition=models.Q(instrument__isnull=True),
                name="assessment_strategy_unique",
            ),
        ]
