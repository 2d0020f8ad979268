"""The S3 data model, first slice: strategy, people, engagement, evidence.

Models hold data and constraints only; every write goes through
:mod:`ris3.workspace.services`. Records edited by people carry a ``version``
that services compare and increment (optimistic locking).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ROLES = ("owner", "facilitator", "evaluator", "stakeholder", "observer", "applicant")
ROLE_CHOICES = [
    ("owner", _("Owner")),
    ("facilitator", _("Facilitator")),
    ("evaluator", _("Evaluator")),
    ("stakeholder", _("Stakeholder")),
    ("observer", _("Observer")),
    # submits proposals to open calls and sees only their own
    ("applicant", _("Applicant")),
]
#: the lifecycle of a priority domain
DOMAIN_STATUS = [
    ("candidate", _("Candidate")),
    ("selected", _("Selected")),
    ("active", _("Active")),
    ("under_review", _("Under review")),
    ("retired", _("Retired")),
]
#: the statuses in which a domain is one of the strategy's priorities
PRIORITY_STATUSES: tuple[str, ...] = ("selected", "active", "under_review")
# the quadruple helix and the three further groups the report names (DOMAIN.md, "Stakeholders")
HELIX_CHOICES = [
    ("business", _("Business")),
    ("research", _("Research")),
    ("government", _("Government")),
    ("civil_society", _("Civil society")),
    ("finance", _("Finance")),
    ("media", _("Media")),
    ("users", _("Users")),
]
ENGAGEMENT_KINDS = [
    ("edp_focus_group", _("EDP focus group")),
    ("workshop", _("Workshop")),
    ("interview", _("Interview")),
    ("consultation", _("Consultation")),
]
STATUS_CHOICES = [("draft", _("Draft")), ("active", _("Active")), ("closed", _("Closed"))]
STEP_STATUS = [("planned", _("Planned")), ("ongoing", _("Ongoing")), ("done", _("Done"))]
SIZE_CHOICES = [
    ("", _("Unknown")),
    ("micro", _("Micro (< 10)")),
    ("small", _("Small (10-49)")),
    ("medium", _("Medium (50-249)")),
    ("large", _("Large (250+)")),
]


class Versioned(models.Model):
    """A record people edit: a version number for optimistic locking."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Strategy(Versioned):
    """A region's Smart Specialisation Strategy for one programming period."""

    region_code = models.CharField(_("region (NUTS code)"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default="draft")
    published = models.BooleanField(_("published"), default=False)
    description = models.TextField(_("description"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["region_code", "-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="strategy_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.name} {self.period_start}-{self.period_end}"


class Step(Versioned):
    """One of the RIS3 Guide's six steps of a strategy, in order."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("number"))
    key = models.CharField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STEP_STATUS, default="planned")

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="step_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Organisation(Versioned):
    """An organisation taking part in a strategy, placed in the helix."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    helix = models.CharField(_("helix"), max_length=20, choices=HELIX_CHOICES)
    nace = models.CharField(_("NACE activities"), max_length=200, blank=True)
    nuts = models.CharField(_("NUTS region"), max_length=10, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=SIZE_CHOICES, blank=True)
    is_cluster_organisation = models.BooleanField(_("cluster organisation"), default=False)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="organisation_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Stakeholder(Versioned):
    """A person who takes part in the strategy on behalf of an organisation."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="stakeholders"
    )
    role = models.CharField(_("role in the organisation"), max_length=100, blank=True)
    public = models.BooleanField(_("public sector"), default=False)
    consent_contact = models.BooleanField(_("consents to be contacted"), default=False)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactLog(models.Model):
    """One contact with a stakeholder (for the engagement-fatigue cap)."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=40)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-date"]


class Evidence(models.Model):
    """A stored analytics run: what was computed, on which data, with what result."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evidence")
    function = models.CharField(_("function"), max_length=100)
    parameters = models.JSONField(_("parameters"), default=dict)
    data_version = models.TextField(_("data version"))
    tables = models.JSONField(_("tables"), default=dict)
    notes = models.JSONField(_("data-quality notes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.function} ({self.data_version})"


class Domain(Versioned):
    """A candidate priority domain of a strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="domains")
    title = models.CharField(_("title"), max_length=200)
    taxonomy = models.CharField(_("taxonomy"), max_length=40, default="NACE Rev. 2")
    codes = models.CharField(_("codes"), max_length=200)
    origin = models.CharField(_("where it came from"), max_length=100)
    # the lifecycle of a priority: a domain is a candidate until it is selected
    # (report: a region must be able to decide when a priority stops being one)
    status = models.CharField(
        _("status"), max_length=20, choices=DOMAIN_STATUS, default="candidate"
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    exit_criteria = models.TextField(_("exit criteria"), blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class DomainEvidence(models.Model):
    """The metric values a piece of evidence gives a domain, with their quality flags."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="domain_links")
    metrics = models.JSONField(_("metrics"), default=dict)
    flags = models.JSONField(_("data-quality flags"), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "evidence"], name="domain_evidence_unique")
        ]


class Engagement(Versioned):
    """An EDP focus group, workshop, interview or consultation."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="engagements")
    kind = models.CharField(_("kind"), max_length=20, choices=ENGAGEMENT_KINDS)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    steps = models.ManyToManyField(Step, related_name="engagements", blank=True)
    domains = models.ManyToManyField(Domain, related_name="engagements", blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class Attendance(models.Model):
    """A stakeholder who attended an engagement."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="attendance")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.PROTECT, related_name="attendance"
    )
    contributed = models.BooleanField(_("made written input"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["engagement", "stakeholder"], name="attendance_unique")
        ]


class InterestDeclaration(models.Model):
    """A stakeholder's declared interest in a domain (for the capture indicators)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="interests")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="interests")
    domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.SET_NULL)
    description = models.TextField(_("interest"))
    declared_on = models.DateField(_("declared on"))


class Membership(models.Model):
    """A user's role in one strategy."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "strategy"], name="membership_unique")
        ]


class AuditLog(models.Model):
    """Who changed what, when, from what to what."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class ApiToken(models.Model):
    """An API token; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class LoginFailure(models.Model):
    """A failed login, counted per user name and per client address for throttling."""

    username = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
