"""Surveys tied to a step: questions, personal token links, responses and answers.

A response comes through a personal link (one per link: the database refuses
a second, whatever the timing), through the survey's public link (one per
submission, flagged as such), or from an imported file (one per source
respondent). Tokens are stored as SHA-256 hashes only and shown once.
Responses hold no names: the respondent states a helix and a sector only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import HELIX_CHOICES, Stakeholder, Step, Strategy, Versioned

SURVEY_STATUS = [("draft", _("Draft")), ("open", _("Open")), ("closed", _("Closed"))]
QUESTION_KINDS = [
    ("single", _("Single choice")),
    ("multiple", _("Multiple choice")),
    ("likert", _("Likert scale")),
    ("ranking", _("Ranking")),
    ("text", _("Free text")),
    ("matrix", _("Domain x rating matrix")),
]
SECTOR_CHOICES = [("public", _("Public sector")), ("private", _("Private sector"))]
VIA_CHOICES = [
    ("token", _("Personal link")),
    ("public", _("Public link")),
    ("import", _("Imported")),
]


class Survey(Versioned):
    """A survey of a strategy, run in one of its steps."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="surveys")
    step = models.ForeignKey(Step, on_delete=models.RESTRICT, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction for respondents"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SURVEY_STATUS, default="draft")
    # the smallest group any breakdown shows or exports
    min_respondents = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=5,
        help_text=_("Breakdowns with fewer respondents are neither shown nor exported."),
    )
    # helix -> share, for post-stratification ({} = none)
    target_mix = models.JSONField(_("target helix mix"), default=dict, blank=True)
    public_token_hash = models.CharField(max_length=64, blank=True, default="")
    public_prefix = models.CharField(max_length=8, blank=True, default="")
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-created_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_respondents__gte=1), name="survey_min_respondents_positive"
            ),
            models.UniqueConstraint(
                fields=["public_token_hash"],
                condition=~models.Q(public_token_hash=""),
                name="survey_public_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of a survey, in order."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=QUESTION_KINDS)
    text = models.CharField(_("question"), max_length=500)
    # single, multiple and ranking: the choices, in order
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # Likert and matrix: the rating scale
    scale_min = models.SmallIntegerField(_("lowest rating"), default=1)
    scale_max = models.SmallIntegerField(_("highest rating"), default=5)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="question_number_unique"),
            models.UniqueConstraint(fields=["survey", "code"], name="question_code_unique"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="question_scale_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Invitation(models.Model):
    """A personal link: only the token's hash is kept; revoked links stop working."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(_("label"), max_length=200, blank=True)
    stakeholder = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class Response(models.Model):
    """One respondent's answers; at most one per personal link (a unique key)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # one-to-one: the database itself refuses a second response to the same link
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.RESTRICT, related_name="response"
    )
    via = models.CharField(_("received through"), max_length=10, choices=VIA_CHOICES)
    helix = models.CharField(_("helix"), max_length=20, choices=HELIX_CHOICES)
    sector = models.CharField(_("sector"), max_length=10, choices=SECTOR_CHOICES)
    # the respondent's id in an imported file ("" otherwise)
    source_ref = models.CharField(max_length=200, blank=True, default="")
    submitted_at = models.DateTimeField(auto_now_add=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="response_source_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(via="token") | models.Q(invitation__isnull=False),
                name="response_token_has_invitation",
            ),
        ]


class Answer(models.Model):
    """One answer: a question, an item (a choice, a domain id, or "") and a value."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=200, blank=True, default="")
    value = models.TextField()

    class Meta:
        ordering = ["response", "question", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "item"], name="answer_item_unique"
            )
        ]
