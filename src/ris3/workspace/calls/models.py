"""Open calls: a call and its criteria, proposals and attachments, panel, conflicts, scores.

The report describes calls in which "regional collaborative partnerships
compete for funding" on criteria weighted to the region's needs
(``clusters-and-s3-report.txt`` lines 1597-1600). A call publishes its
eligibility rules and weighted criteria with it; applicants submit
proposals; evaluators of the panel score the proposals assigned to them.

Submitted scores are locked: :mod:`.services` never changes them, and the
database refuses it too (triggers of migration 0002: a score row is never
updated, and a submitted assignment is never un-submitted).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import Domain, Strategy, Versioned

CALL_STATUS = [
    ("draft", _("Draft")),
    ("open", _("Open")),
    ("closed", _("Closed for submissions")),
    ("panel_closed", _("Panel closed")),
]
#: the order a call moves through
STATUS_ORDER = ("draft", "open", "closed", "panel_closed")
DIRECTION_CHOICES = [("benefit", _("More is better")), ("cost", _("Less is better"))]


class Call(Versioned):
    """An open call for proposals of a strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("eligibility rules"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    budget_eur = models.DecimalField(_("money available (EUR)"), max_digits=16, decimal_places=2)
    evaluators_per_proposal = models.PositiveSmallIntegerField(
        _("evaluators per proposal"), default=2
    )
    status = models.CharField(_("status"), max_length=20, choices=CALL_STATUS, default="draft")
    #: the seed and spread of the weight-robustness analysis, published with the results
    robustness_seed = models.PositiveIntegerField(_("robustness seed"), default=0)
    robustness_concentration = models.FloatField(_("weight concentration"), default=100.0)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_window_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_eur__gte=0), name="call_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A published evaluation criterion of a call: its weight, scale and direction."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.FloatField(_("weight"))
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    direction = models.CharField(
        _("direction"), max_length=10, choices=DIRECTION_CHOICES, default="benefit"
    )

    class Meta:
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="criterion_name_unique"),
            models.UniqueConstraint(fields=["call", "number"], name="criterion_number_unique"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_ordered",
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="criterion_weight_ok"),
        ]

    def __str__(self) -> str:
        return self.name


class Proposal(Versioned):
    """A proposal an applicant submitted to a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="proposals")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    lead_organisation = models.CharField(_("lead organisation"), max_length=200)
    # one organisation per line
    partners = models.TextField(_("partner organisations (one per line)"), blank=True)
    domains = models.ManyToManyField(Domain, related_name="proposals", blank=True)
    budget_eur = models.DecimalField(_("requested budget (EUR)"), max_digits=16, decimal_places=2)
    submitted_at = models.DateTimeField(_("submitted"))
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["call", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_eur__gt=0), name="proposal_budget_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def organisations(self) -> list[str]:
        """Return the lead organisation and the partners, as written."""
        partners = [p.strip() for p in self.partners.splitlines() if p.strip()]
        return [self.lead_organisation.strip(), *partners]


class Attachment(models.Model):
    """A file attached to a proposal, stored under the workspace folder (never public)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    # path relative to the workspace folder's attachment store
    stored_as = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "id"]


class PanelMember(models.Model):
    """An evaluator on the panel of a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="panel")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_panels"
    )

    class Meta:
        ordering = ["call", "evaluator__username"]
        constraints = [
            models.UniqueConstraint(fields=["call", "evaluator"], name="panel_member_unique")
        ]


class Conflict(models.Model):
    """An evaluator's declared conflict of interest with an organisation in a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflicts")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_conflicts"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "evaluator", "organisation"], name="conflict_unique"
            )
        ]


class Assignment(models.Model):
    """A proposal given to an evaluator; ``submitted_at`` set once the scores are in."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "evaluator__username"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "evaluator"], name="assignment_unique")
        ]


class Score(models.Model):
    """One evaluator's score and comment on one criterion of one proposal (locked)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.FloatField(_("score"))
    comment = models.TextField(_("comment"))

    class Meta:
        ordering = ["assignment", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique")
        ]
