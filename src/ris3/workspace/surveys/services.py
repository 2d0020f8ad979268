"""Every write of the surveys part: one transaction and one audit record each.

Personal links are random tokens of which only the SHA-256 hash is stored;
the token is returned once, when the link is made. A response through a
personal link is refused by the database itself when the link has one
already (a one-to-one key), so two submissions racing each other cannot
both be stored: the loser gets :class:`AlreadyAnswered`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ris3.errors import InputError, Ris3Error
from ris3.strategy.survey_import import ImportPlan
from ris3.workspace.identity import hash_token
from ris3.workspace.models import Stakeholder, Step, Strategy
from ris3.workspace.services import audit, snapshot
from ris3.workspace.surveys.models import Answer, Invitation, Question, Response, Survey


class AlreadyAnswered(Ris3Error):
    """The personal link has a response already; the new one was not stored."""


class SurveyClosed(Ris3Error):
    """The survey does not take responses (draft or closed), or the link is revoked."""


def create_survey(
    user: Any,
    strategy: Strategy,
    *,
    step: Step,
    title: str,
    intro: str = "",
    min_respondents: int = 5,
    target_mix: dict[str, float] | None = None,
    illustrative: bool = False,
) -> Survey:
    """Create a survey of ``strategy`` run in ``step`` (a draft)."""
    if step.strategy_id != strategy.pk:
        raise InputError(f"step {step.number} belongs to another strategy")
    with transaction.atomic():
        s = Survey(
            strategy=strategy,
            step=step,
            title=title,
            intro=intro,
            min_respondents=min_respondents,
            target_mix=target_mix or {},
            illustrative=illustrative,
        )
        s.full_clean()
        s.save()
        audit(user, "create", s, strategy=strategy, after=snapshot(s))
    return s


def add_question(
    user: Any,
    survey: Survey,
    *,
    kind: str,
    text: str,
    code: str = "",
    choices: Sequence[str] = (),
    scale_min: int = 1,
    scale_max: int = 5,
    required: bool = False,
) -> Question:
    """Add a question at the end of the survey (code ``q<number>`` unless given)."""
    choices = [c.strip() for c in choices if c.strip()]
    if kind in ("single", "multiple", "ranking") and len(choices) < 2:
        raise InputError(f"a {kind} question needs at least two choices; got {len(choices)}")
    if len(set(choices)) != len(choices):
        raise InputError("the choices of a question must differ from each other")
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        number = (survey.questions.aggregate(m=Max("number"))["m"] or 0) + 1
        q = Question(
            survey=survey,
            number=number,
            code=code or f"q{number}",
            kind=kind,
            text=text,
            choices=choices if kind in ("single", "multiple", "ranking") else [],
            scale_min=scale_min,
            scale_max=scale_max,
            required=required,
        )
        q.full_clean()
        q.save()
        audit(user, "create", q, strategy=survey.strategy, after=snapshot(q))
    return q


def new_token() -> str:
    """Return a random token for a link (43 characters, URL-safe)."""
    return secrets.token_urlsafe(32)


def issue_links(
    user: Any,
    survey: Survey,
    labels: Iterable[str] = (),
    *,
    count: int = 0,
    stakeholders: Iterable[Stakeholder] = (),
) -> list[tuple[Invitation, str]]:
    """Make personal links: one per label, per stakeholder, plus ``count`` unlabelled.

    Returns (invitation, token) pairs: the token is shown now or never (only
    its hash is stored).
    """
    wanted: list[tuple[str, Stakeholder | None]] = [
        (label.strip(), None) for label in labels if label.strip()
    ]
    wanted += [(p.name, p) for p in stakeholders]
    wanted += [("", None)] * int(count)
    for _label, person in wanted:
        if person is not None and person.strategy_id != survey.strategy_id:
            raise InputError(f"stakeholder {person.pk} belongs to another strategy")
    out = []
    with transaction.atomic():
        for label, person in wanted:
            token = new_token()
            inv = Invitation.objects.create(
                survey=survey,
                token_hash=hash_token(token),
                prefix=token[:8],
                label=label,
                stakeholder=person,
            )
            out.append((inv, token))
        audit(
            user,
            "links",
            survey,
            strategy=survey.strategy,
            after={"issued": [inv.prefix for inv, _ in out]},
        )
    return out


def revoke_link(user: Any, invitation: Invitation) -> Invitation:
    """Revoke a personal link: it stops working at once (a stored response stays)."""
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if inv.revoked_at is None:
            inv.revoked_at = timezone.now()
            inv.save()
            audit(user, "revoke", inv, strategy=inv.survey.strategy, after={"prefix": inv.prefix})
    return inv


def set_public_link(user: Any, survey: Survey, on: bool) -> str | None:
    """Open a new public link (returned once; any earlier one stops) or close it."""
    token = new_token() if on else None
    with transaction.atomic():
        s = Survey.objects.select_for_update().get(pk=survey.pk)
        s.public_token_hash = hash_token(token) if token else ""
        s.public_prefix = token[:8] if token else ""
        s.save(update_fields=["public_token_hash", "public_prefix", "updated_at"])
        audit(user, "public_link", s, strategy=s.strategy, after={"prefix": s.public_prefix})
    return token


def invitation_for(token: str) -> Invitation | None:
    """Return the personal link a token opens (revoked ones too), or None."""
    return (
        Invitation.objects.select_related("survey__strategy")
        .filter(token_hash=hash_token(token))
        .first()
    )


def survey_for_public(token: str) -> Survey | None:
    """Return the survey whose public link is ``token``, or None."""
    if not token:
        return None
    return (
        Survey.objects.select_related("strategy")
        .filter(public_token_hash=hash_token(token))
        .first()
    )


def submit(
    survey: Survey,
    *,
    helix: str,
    sector: str,
    answers: Sequence[tuple[Question, str, str]],
    invitation: Invitation | None = None,
    illustrative: bool = False,
) -> Response:
    """Store one response (through ``invitation``, else through the public link).

    Raises
    ------
    SurveyClosed
        The survey is not open or the link was revoked.
    AlreadyAnswered
        The link has a response already (checked by the database's unique
        key, so also when two submissions arrive at the same moment).
    """
    if survey.status != "open":
        raise SurveyClosed("this survey does not take responses now")
    if invitation is not None and invitation.revoked_at is not None:
        raise SurveyClosed("this link was revoked")
    for q, _item, _value in answers:
        if q.survey_id != survey.pk:
            raise InputError(f"question {q.pk} belongs to another survey")
    try:
        with transaction.atomic():
            r = Response.objects.create(
                survey=survey,
                invitation=invitation,
                via="token" if invitation is not None else "public",
                helix=helix,
                sector=sector,
                illustrative=illustrative,
            )
            Answer.objects.bulk_create(
                Answer(response=r, question=q, item=item, value=value) for q, item, value in answers
            )
            audit(
                None,
                "respond",
                r,
                strategy=survey.strategy,
                after={"survey": survey.pk, "via": r.via, "answers": len(answers)},
            )
    except IntegrityError:
        if invitation is not None and Response.objects.filter(invitation=invitation).exists():
            raise AlreadyAnswered("this link has been used to answer already") from None
        raise
    return r


def import_responses(user: Any, survey: Survey, plan: ImportPlan, source: str) -> int:
    """Write the accepted respondents of an import plan (one response each).

    Respondents already imported into the survey (same source id) are
    skipped by the plan; the database's unique key on the source id guards
    against a second import running at the same time. Returns the number of
    responses created.
    """
    questions = {q.code: q for q in survey.questions.all()}
    with transaction.atomic():
        created = []
        by_who = {w: part for w, part in plan.answers.groupby("respondent", sort=False)}
        for row in plan.respondents.to_dict("records"):
            r = Response.objects.create(
                survey=survey,
                via="import",
                helix=row["helix"],
                sector=row["sector"],
                source_ref=f"{source}:{row['respondent']}",
            )
            part = by_who.get(row["respondent"])
            if part is not None:
                Answer.objects.bulk_create(
                    Answer(response=r, question=questions[q], item=str(it), value=str(v))
                    for q, it, v in zip(part["question"], part["item"], part["value"])
                )
            created.append(r.pk)
        audit(
            user,
            "import",
            survey,
            strategy=survey.strategy,
            after={"source": source, "responses": created, "rejected": len(plan.rejected)},
        )
    return len(created)
