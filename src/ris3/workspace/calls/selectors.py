"""Who sees which call, proposal, assignment and score; the panel's results.

Object-level rules on top of the permission table: call managers (owner,
facilitator, administrators) see every proposal; an applicant sees only
their own; an evaluator only those assigned to them. Scores are read by their
own evaluator, and by anybody else only once the panel has closed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import QuerySet

from ris3.strategy.calls import call_results
from ris3.workspace.calls.models import Assignment, Call, Criterion, Proposal, Score
from ris3.workspace.calls.services import conflict_pairs
from ris3.workspace.models import Strategy
from ris3.workspace.permissions import role_of

MANAGERS = ("owner", "facilitator")
#: draws of the weight-robustness analysis
DRAWS = 2000


def is_manager(user: Any, strategy: Strategy, role: str | None = None) -> bool:
    """Owner, facilitator or administrator: sees every proposal and runs the panel."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    role = role if role is not None else role_of(user, strategy)
    return role in MANAGERS


def visible_calls(user: Any, strategy: Strategy) -> QuerySet[Call]:
    """Return the calls of the strategy: drafts only for managers."""
    calls = Call.objects.filter(strategy=strategy)
    return calls if is_manager(user, strategy) else calls.exclude(status="draft")


def visible_proposals(user: Any, call: Call) -> QuerySet[Proposal]:
    """Return the proposals of ``call`` this user may read."""
    proposals = Proposal.objects.filter(call=call).select_related("applicant")
    if is_manager(user, call.strategy):
        return proposals
    if not user.is_authenticated:
        return proposals.none()
    role = role_of(user, call.strategy)
    if role == "applicant":
        return proposals.filter(applicant=user)
    if role == "evaluator":
        return proposals.filter(assignments__evaluator=user).distinct()
    return proposals.none()


def own_assignments(user: Any, call: Call) -> QuerySet[Assignment]:
    """Return the assignments of the signed-in evaluator in ``call``."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(proposal__call=call, evaluator=user).select_related("proposal")


def readable_scores(user: Any, assignment: Assignment) -> QuerySet[Score]:
    """Scores of an assignment: its evaluator's own; everyone else's only after the panel closes."""
    call = assignment.proposal.call
    if assignment.evaluator_id == getattr(user, "pk", None):
        return assignment.scores.select_related("criterion")
    if call.status == "panel_closed" and is_manager(user, call.strategy):
        return assignment.scores.select_related("criterion")
    return Score.objects.none()


def criteria_table(call: Call) -> pd.DataFrame:
    """Return the call's criteria as the pure functions take them."""
    rows = list(
        Criterion.objects.filter(call=call).values(
            "pk", "name", "weight", "direction", "scale_min", "scale_max"
        )
    )
    return pd.DataFrame(
        rows, columns=["pk", "name", "weight", "direction", "scale_min", "scale_max"]
    ).rename(columns={"name": "criterion"})


def scores_table(call: Call) -> tuple[pd.DataFrame, int]:
    """Return submitted scores (proposal, evaluator, criterion name, score) and the number left out.

    Scores of an evaluator who declared a conflict with one of the proposal's
    organisations after submitting are left out of the results.
    """
    blocked = conflict_pairs(call)
    rows = list(
        Score.objects.filter(
            assignment__proposal__call=call, assignment__submitted_at__isnull=False
        ).values_list(
            "assignment__proposal_id", "assignment__evaluator_id", "criterion__name", "value"
        )
    )
    kept = [r for r in rows if (r[0], r[1]) not in blocked]
    table = pd.DataFrame(kept, columns=["proposal", "evaluator", "criterion", "score"])
    return table, len(rows) - len(kept)


def results(call: Call) -> dict[str, Any]:
    """Return the panel's result (:func:`ris3.strategy.calls.call_results`) once it closed."""
    if call.status != "panel_closed":
        raise PermissionError("results open when the panel closes")
    scores, excluded = scores_table(call)
    criteria = criteria_table(call)
    proposals = {p.pk: p for p in call.proposals.all()}
    scored = [pk for pk in proposals if pk in set(scores["proposal"])]
    cost = {pk: float(proposals[pk].budget_eur) for pk in scored}
    out = call_results(
        scores,
        criteria,
        cost,
        float(call.budget_eur),
        concentration=call.robustness_concentration,
        draws=DRAWS,
        seed=call.robustness_seed,
    )
    ranking = out["ranking"]
    ranking.insert(1, "title", ranking["proposal"].map(lambda pk: proposals[pk].title))
    return {
        "ranking": ranking,
        "agreement": out["agreement"],
        "excluded_scores": excluded,
        "unscored": [p for pk, p in proposals.items() if pk not in scored],
        "draws": DRAWS,
        "criteria": criteria,
    }


def letter(proposal: Proposal) -> dict[str, Any]:
    """Return a feedback letter's content: per criterion the mean score, every score and comment.

    Evaluators are numbered, never named.
    """
    call = proposal.call
    res = results(call)
    row = res["ranking"][res["ranking"]["proposal"] == proposal.pk]
    blocked = conflict_pairs(call)
    assignments = [
        a
        for a in proposal.assignments.filter(submitted_at__isnull=False).order_by("pk")
        if (proposal.pk, a.evaluator_id) not in blocked
    ]
    number = {a.pk: i for i, a in enumerate(assignments, start=1)}
    criteria = []
    for c in call.criteria.all():
        given = [
            (number[s.assignment_id], s.value, s.comment)
            for s in Score.objects.filter(criterion=c, assignment__in=assignments).order_by(
                "assignment_id"
            )
        ]
        mean = sum(v for _, v, _ in given) / len(given) if given else None
        criteria.append({"criterion": c, "mean": mean, "scores": given})
    return {
        "proposal": proposal,
        "call": call,
        "criteria": criteria,
        "result": row.iloc[0].to_dict() if len(row) else None,
        "n_proposals": len(res["ranking"]),
    }
