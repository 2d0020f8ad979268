"""Every write of the calls part: one transaction and one audit record each.

Scores are locked on submission: :func:`submit_scores` writes them once and
refuses a second time (:class:`ScoresLocked`); the database refuses any
update as well (migration 0002). A declared conflict of interest blocks an
assignment: :func:`assign` refuses it (:class:`ConflictOfInterest`) and the
refused attempt is audited.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ris3.errors import InputError, Ris3Error
from ris3.strategy.calls import assign_evaluators
from ris3.workspace.calls.models import (
    STATUS_ORDER,
    Assignment,
    Attachment,
    Call,
    Conflict,
    Criterion,
    PanelMember,
    Proposal,
    Score,
)
from ris3.workspace.models import Domain, Membership, Strategy
from ris3.workspace.services import audit, snapshot, update

#: attachments: the most per proposal, the largest file, and the types accepted
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: extension -> (content type, magic bytes the file must start with)
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".csv": ("text/csv", ()),
    ".txt": ("text/plain", ()),
}


class ScoresLocked(Ris3Error):
    """The evaluator submitted the scores of this assignment already; they cannot change."""


class ConflictOfInterest(Ris3Error):
    """The evaluator declared a conflict with an organisation of the proposal."""


def attachment_root() -> Path:
    """Where attachments are stored: ``attachments/`` in the workspace folder (never served)."""
    return Path(settings.WORKSPACE_DIR) / "attachments"


def normalise_organisation(name: str) -> str:
    """Return an organisation name as compared for conflicts: case and spacing ignored.

    >>> normalise_organisation("  Example   Hotels  COOP ")
    'example hotels coop'
    """
    return " ".join(name.split()).casefold()


def _now() -> datetime:
    return timezone.now()


def _clean(obj: Any) -> None:
    """Validate a record; a Django validation error becomes a one-line :class:`InputError`."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        parts = [
            f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
            for field, msgs in exc.message_dict.items()
        ]
        raise InputError(f"{type(obj).__name__.lower()} not saved: {'; '.join(parts)}") from None


# ------------------------------------------------------------------ calls


def create_call(
    user: Any,
    strategy: Strategy,
    *,
    criteria: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    """Create a call (status draft) with its criteria, numbered in the order given."""
    with transaction.atomic():
        call = Call(strategy=strategy, **fields)
        _clean(call)
        call.save()
        for i, c in enumerate(criteria or [], start=1):
            _new_criterion(call, i, c)
        audit(user, "create", call, strategy=strategy, after=snapshot(call))
    return call


def _new_criterion(call: Call, number: int, fields: dict[str, Any]) -> Criterion:
    c = Criterion(call=call, number=number, **fields)
    _clean(c)
    c.save()
    return c


def _require_status(call: Call, *allowed: str, doing: str) -> None:
    if call.status not in allowed:
        names = " or ".join(allowed)
        raise InputError(f"{doing} needs the call to be {names}; it is {call.status}")


def add_criterion(user: Any, call: Call, **fields: Any) -> Criterion:
    """Add a criterion to a draft call (criteria are published when the call opens)."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _require_status(call, "draft", doing="adding a criterion")
        number = (
            call.criteria.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        c = _new_criterion(call, number, fields)
        audit(user, "create", c, strategy=call.strategy, after=snapshot(c))
    return c


def edit_call(user: Any, call: Call, expected_version: int, changes: dict[str, Any]) -> Call:
    """Change a draft call (optimistic locking; published calls do not change)."""
    _require_status(call, "draft", doing="editing")
    return update(user, call, expected_version, changes)  # type: ignore[no-any-return]


def set_status(user: Any, call: Call, status: str, expected_version: int) -> Call:
    """Move the call one step on: draft -> open -> closed -> panel_closed.

    Opening needs criteria with a positive total weight; closing the panel
    needs every assignment submitted and every proposal scored.
    """
    if (
        status not in STATUS_ORDER
        or STATUS_ORDER.index(status) != STATUS_ORDER.index(call.status) + 1
    ):
        raise InputError(
            f"a {call.status} call can only move to the next status; got {status!r} "
            f"(order: {', '.join(STATUS_ORDER)})"
        )
    if status == "open":
        weights = list(call.criteria.values_list("weight", flat=True))
        if not weights or sum(weights) <= 0:
            raise InputError("a call opens with criteria whose weights sum to more than 0")
    if status == "panel_closed":
        open_left = Assignment.objects.filter(proposal__call=call, submitted_at__isnull=True)
        if open_left.exists():
            raise InputError(
                f"{open_left.count()} assignments are not submitted yet; the panel closes "
                "when every evaluator has submitted"
            )
        unscored = call.proposals.exclude(assignments__submitted_at__isnull=False)
        if unscored.exists():
            raise InputError(
                f"{unscored.count()} proposals have no submitted scores; assign evaluators first"
            )
    return update(user, call, expected_version, {"status": status})  # type: ignore[no-any-return]


# ------------------------------------------------------------------ proposals


def _check_upload(upload: Any) -> tuple[str, str]:
    name = Path(upload.name).name
    ext = Path(name).suffix.lower()
    if ext not in ATTACHMENT_TYPES:
        raise InputError(
            f"attachment {name!r} has a type not accepted; allowed: "
            f"{', '.join(sorted(ATTACHMENT_TYPES))}"
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise InputError(
            f"attachment {name!r} is {upload.size / 1e6:.1f} MB; the most allowed is "
            f"{MAX_ATTACHMENT_BYTES / 1e6:.1f} MB"
        )
    content_type, magic = ATTACHMENT_TYPES[ext]
    head = upload.read(16)
    upload.seek(0)
    if magic and not any(head.startswith(m) for m in magic):
        raise InputError(f"attachment {name!r} is not a {ext} file (its content does not match)")
    return name, content_type


def submit_proposal(
    user: Any,
    call: Call,
    *,
    title: str,
    summary: str,
    lead_organisation: str,
    partners: str = "",
    domains: list[Domain] | None = None,
    budget_eur: Decimal | float,
    attachments: list[Any] | None = None,
    illustrative: bool = False,
    when: datetime | None = None,
) -> Proposal:
    """Submit a proposal to an open call, inside its window, with its attachments."""
    now = when or _now()
    _require_status(call, "open", doing="submitting a proposal")
    if not call.opens_at <= now <= call.closes_at:
        raise InputError(
            f"the call takes proposals from {call.opens_at:%Y-%m-%d %H:%M} to "
            f"{call.closes_at:%Y-%m-%d %H:%M} UTC; it is {now:%Y-%m-%d %H:%M} UTC"
        )
    files = list(attachments or [])
    if len(files) > MAX_ATTACHMENTS:
        raise InputError(f"{len(files)} attachments; the most allowed is {MAX_ATTACHMENTS}")
    checked = [(f, *_check_upload(f)) for f in files]
    foreign = [d for d in domains or [] if d.strategy_id != call.strategy_id]
    if foreign:
        raise InputError(f"domains {[d.title for d in foreign]} are not domains of this strategy")
    root = attachment_root()
    written: list[Path] = []
    stored_all = False
    try:
        with transaction.atomic():
            p = Proposal(
                call=call,
                applicant=user,
                title=title,
                summary=summary,
                lead_organisation=lead_organisation.strip(),
                partners=partners,
                budget_eur=Decimal(str(budget_eur)),
                submitted_at=now,
                illustrative=illustrative,
            )
            _clean(p)
            p.save()
            p.domains.set(domains or [])
            for upload, name, content_type in checked:
                stored = uuid.uuid4().hex
                root.mkdir(parents=True, exist_ok=True)
                target = root / stored
                digest = hashlib.sha256()
                with open(target, "xb") as out:
                    for chunk in upload.chunks():
                        digest.update(chunk)
                        out.write(chunk)
                written.append(target)
                Attachment.objects.create(
                    proposal=p,
                    name=name,
                    stored_as=stored,
                    content_type=content_type,
                    size=target.stat().st_size,
                    sha256=digest.hexdigest(),
                )
            # only ids: the audit log is open to roles that must not read proposals
            audit(
                user,
                "create",
                p,
                strategy=call.strategy,
                after={"call": call.pk, "proposal": p.pk, "attachments": len(checked)},
            )
        stored_all = True
    finally:
        if not stored_all:  # the transaction rolled back: no file without its record
            for path in written:
                path.unlink(missing_ok=True)
    return p


# ------------------------------------------------------------------ panel


def add_panel_member(user: Any, call: Call, evaluator: Any) -> PanelMember:
    """Put an evaluator of the strategy on the call's panel."""
    if not Membership.objects.filter(
        user=evaluator, strategy=call.strategy, role="evaluator"
    ).exists():
        raise InputError(f"{evaluator.username} is not an evaluator of this strategy")
    with transaction.atomic():
        m, _ = PanelMember.objects.get_or_create(call=call, evaluator=evaluator)
        audit(user, "panel", m, strategy=call.strategy, after=snapshot(m))
    return m


def conflict_pairs(call: Call) -> set[tuple[int, int]]:
    """(proposal id, evaluator id) pairs blocked by a declared conflict of interest."""
    declared: dict[int, set[str]] = {}
    for c in Conflict.objects.filter(call=call):
        declared.setdefault(c.evaluator_id, set()).add(normalise_organisation(c.organisation))
    out = set()
    for p in call.proposals.all():
        orgs = {normalise_organisation(o) for o in p.organisations()}
        for ev, names in declared.items():
            if orgs & names:
                out.add((p.pk, ev))
    return out


def declare_conflict(user: Any, call: Call, organisation: str, reason: str = "") -> Conflict:
    """Record that the signed-in evaluator declares a conflict with an organisation.

    Assignments not yet submitted to proposals that name the organisation
    (lead or partner) are withdrawn in the same transaction; submitted scores
    of such proposals are left in the record and left out of the results.
    """
    name = " ".join(organisation.split())
    if not name:
        raise InputError("name the organisation the conflict is with")
    with transaction.atomic():
        c, _ = Conflict.objects.get_or_create(
            call=call, evaluator=user, organisation=name, defaults={"reason": reason}
        )
        audit(user, "declare_conflict", c, strategy=call.strategy, after=snapshot(c))
        key = normalise_organisation(name)
        for a in Assignment.objects.filter(
            proposal__call=call, evaluator=user, submitted_at__isnull=True
        ).select_related("proposal"):
            if key in {normalise_organisation(o) for o in a.proposal.organisations()}:
                audit(user, "withdraw_assignment", a, strategy=call.strategy, before=snapshot(a))
                a.delete()
    return c


def assign(user: Any, call: Call, evaluator: Any, proposal: Proposal) -> Assignment:
    """Assign one proposal to one panel member; a declared conflict refuses it (audited)."""
    _require_status(call, "closed", doing="assigning evaluators")
    if proposal.call_id != call.pk:
        raise InputError("the proposal belongs to another call")
    if not PanelMember.objects.filter(call=call, evaluator=evaluator).exists():
        raise InputError(f"{evaluator.username} is not on the panel of this call")
    if (proposal.pk, evaluator.pk) in conflict_pairs(call):
        with transaction.atomic():
            audit(
                user,
                "assign_refused",
                proposal,
                strategy=call.strategy,
                after={"evaluator": evaluator.pk, "reason": "declared conflict of interest"},
            )
        raise ConflictOfInterest(
            f"{evaluator.username} declared a conflict of interest with an organisation of "
            f"proposal {proposal.title!r}; the assignment is refused"
        )
    with transaction.atomic():
        a, _ = Assignment.objects.get_or_create(proposal=proposal, evaluator=evaluator)
        audit(user, "assign", a, strategy=call.strategy, after=snapshot(a))
    return a


def auto_assign(user: Any, call: Call) -> list[Assignment]:
    """Assign ``evaluators_per_proposal`` panel members to every proposal, load balanced.

    Uses :func:`ris3.strategy.calls.assign_evaluators` (no assignment across
    a declared conflict; the smallest possible largest load). Proposals that
    already have assignments keep them; only what is missing is added.
    """
    _require_status(call, "closed", doing="assigning evaluators")
    proposals = list(call.proposals.order_by("pk").values_list("pk", flat=True))
    panel = list(call.panel.order_by("evaluator__username").values_list("evaluator_id", flat=True))
    if not proposals or not panel:
        raise InputError("assignment needs proposals and a panel with at least one evaluator")
    blocked = conflict_pairs(call)
    existing = set(
        Assignment.objects.filter(proposal__call=call).values_list("proposal_id", "evaluator_id")
    )
    conflicts = pd.DataFrame(
        sorted(blocked | existing), columns=["proposal", "evaluator"], dtype=object
    )
    have = {p: sum(1 for q, _ in existing if q == p) for p in proposals}
    k = call.evaluators_per_proposal
    need = [p for p in proposals if have[p] < k]
    made: list[Assignment] = []
    if not need:
        return made
    # evaluators already assigned to a proposal count as blocked for it; each proposal
    # gets the k it lacks (the kernel takes one k, so it runs per shortfall size)
    with transaction.atomic():
        for shortfall in sorted({k - have[p] for p in need}):
            group = [p for p in need if k - have[p] == shortfall]
            sub = conflicts[conflicts["proposal"].isin(group) & conflicts["evaluator"].isin(panel)]
            table = assign_evaluators(group, panel, shortfall, sub)
            for row in table.itertuples(index=False):
                a = Assignment.objects.create(proposal_id=row.proposal, evaluator_id=row.evaluator)
                audit(user, "assign", a, strategy=call.strategy, after=snapshot(a))
                made.append(a)
    return made


# ------------------------------------------------------------------ scores


def submit_scores(user: Any, assignment: Assignment, scores: dict[int, tuple[float, str]]) -> None:
    """Submit an evaluator's score and comment on every criterion; locked from then on.

    ``scores`` maps each criterion id of the call to (score, comment); every
    criterion needs one, within its scale, with a comment.
    """
    with transaction.atomic():
        a = (
            Assignment.objects.select_for_update()
            .select_related("proposal__call")
            .get(pk=assignment.pk)
        )
        call = a.proposal.call
        if a.evaluator_id != getattr(user, "pk", None):
            raise InputError("only the assigned evaluator submits these scores")
        if a.submitted_at is not None:
            raise ScoresLocked(
                f"the scores of this assignment were submitted on {a.submitted_at:%Y-%m-%d %H:%M} "
                "UTC and cannot change"
            )
        _require_status(call, "closed", doing="scoring")
        if (a.proposal_id, a.evaluator_id) in conflict_pairs(call):
            raise ConflictOfInterest(
                "you declared a conflict with an organisation of this proposal"
            )
        criteria = {c.pk: c for c in call.criteria.all()}
        missing = [criteria[c].name for c in criteria if c not in scores]
        extra = [c for c in scores if c not in criteria]
        if missing or extra:
            raise InputError(
                f"every criterion needs a score; missing: {missing or 'none'}, unknown: "
                f"{extra or 'none'}"
            )
        for cid, (value, comment) in scores.items():
            c = criteria[cid]
            if not c.scale_min <= float(value) <= c.scale_max:
                raise InputError(
                    f"score {value} on {c.name!r} is outside its scale {c.scale_min}-{c.scale_max}"
                )
            if not str(comment).strip():
                raise InputError(f"a comment on {c.name!r} is needed (it goes to the applicant)")
            Score.objects.create(assignment=a, criterion=c, value=float(value), comment=comment)
        a.submitted_at = _now()
        a.save(update_fields=["submitted_at"])
        audit(
            user,
            "submit_scores",
            a,
            strategy=call.strategy,
            after={"criteria": len(scores), "submitted_at": a.submitted_at.isoformat()},
        )
