"""The monitoring framework: objectives, indicators with baselines and targets, observations.

The fields follow the tidy tables of :mod:`ris3.strategy.monitoring`, so a
framework read from the database is checked and scored by the same pure
functions as one read from a spreadsheet. Programme evaluations
(:func:`ris3.evaluate_programme`) are stored with their parameters and
result table and attached to an instrument of the policy mix.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import Domain, Evidence, Strategy, Versioned
from ris3.workspace.policy.models import Instrument

KIND_CHOICES = [
    ("output", _("Output")),
    ("result", _("Result")),
    ("context", _("Context")),
]
DIRECTION_CHOICES = [
    ("", _("From the targets")),
    ("increase", _("Increase")),
    ("decrease", _("Decrease")),
]
PROVENANCE_CHOICES = [
    ("entered", _("Entered")),
    ("imported", _("Imported")),
    ("computed", _("Computed")),
]
#: what a computed indicator measures in its domain (ris3.strategy.domain_observations)
MEASURE_CHOICES = [
    ("", _("Not computed")),
    ("employment", _("Employment")),
    ("lq", _("Location quotient")),
    ("stars", _("Cluster stars")),
]


class Objective(Versioned):
    """An objective of a priority's intervention logic."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField(_("objective"))
    instruments = models.ManyToManyField(Instrument, related_name="objectives", blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["domain", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(Versioned):
    """An output, result or context indicator of a priority, with its baseline."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="indicators")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=60)
    source = models.CharField(_("source"), max_length=300)
    direction = models.CharField(
        _("desired direction"), max_length=10, choices=DIRECTION_CHOICES, blank=True, default=""
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    measure = models.CharField(
        _("computed measure"), max_length=12, choices=MEASURE_CHOICES, blank=True, default=""
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["domain", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="indicator_name_unique"),
            models.CheckConstraint(
                condition=models.Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | models.Q(baseline_year__isnull=False),
                name="indicator_baseline_has_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """The value an indicator should reach in a year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_year_unique")
        ]


class Observation(models.Model):
    """A measured value of an indicator, with where it came from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    date = models.DateField(_("date"))
    # missing stays missing: a computed value can be NaN (a confidential cell)
    value = models.FloatField(_("value"), null=True, blank=True)
    provenance = models.CharField(_("provenance"), max_length=10, choices=PROVENANCE_CHOICES)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    note = models.TextField(_("note"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["indicator", "date", "id"]


class Evaluation(models.Model):
    """A programme evaluation (:func:`ris3.evaluate_programme`) attached to an instrument."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evaluations")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="evaluations")
    title = models.CharField(_("title"), max_length=200)
    function = models.CharField(_("function"), max_length=100, default="ris3.evaluate_programme")
    parameters = models.JSONField(_("parameters"), default=dict)
    data_version = models.TextField(_("data version"))
    # EvaluationResult.tidy() and verdict(), as {"columns": [...], "data": [[...]]}
    tables = models.JSONField(_("tables"), default=dict)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["instrument", "-created_at"]

    def __str__(self) -> str:
        return self.title
