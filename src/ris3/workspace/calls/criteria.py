"""What open calls say about each domain, as criteria of priority setting.

``CRITERIA``: (key, label, direction, function(strategy) -> {domain id: value}).
A domain no proposal named has 0 proposals received (a count) but no
proposal score (None: nothing was scored, which is not a score of 0). Only
calls whose panel has closed give scores; a strategy without any call that
closed its submissions gives None everywhere (no call, no evidence).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ris3.errors import Ris3Error
from ris3.workspace.calls import selectors
from ris3.workspace.calls.models import Call, Proposal

Criterion = tuple[str, str, str, Callable[[Any], dict[int, float | None]]]


def proposals_received(strategy: Any) -> dict[int, float | None]:
    """Count the proposals naming each domain, over calls whose submissions have closed."""
    domains = list(strategy.domains.values_list("pk", flat=True))
    closed = Call.objects.filter(strategy=strategy, status__in=("closed", "panel_closed"))
    if not closed.exists():
        return {d: None for d in domains}
    counts = dict.fromkeys(domains, 0.0)
    links = Proposal.domains.through.objects.filter(proposal__call__in=closed)
    for domain_id in links.values_list("domain_id", flat=True):
        counts[domain_id] = (counts.get(domain_id) or 0.0) + 1.0
    return dict(counts)


def proposal_score(strategy: Any) -> dict[int, float | None]:
    """Mean weighted score (raw, on each call's own scale) of the proposals naming each domain.

    Over the calls whose panel closed; None for a domain no scored proposal names.
    """
    sums: dict[int, list[float]] = {}
    for call in Call.objects.filter(strategy=strategy, status="panel_closed"):
        try:
            ranking = selectors.results(call)["ranking"]
        except Ris3Error:
            continue
        score = dict(zip(ranking["proposal"], ranking["weighted_score"], strict=True))
        for p in call.proposals.prefetch_related("domains"):
            if p.pk in score:
                for d in p.domains.all():
                    sums.setdefault(d.pk, []).append(float(score[p.pk]))
    return {
        d: (sum(sums[d]) / len(sums[d]) if d in sums else None)
        for d in strategy.domains.values_list("pk", flat=True)
    }


CRITERIA: list[Criterion] = [
    ("proposals_received", "Proposals received in open calls", "benefit", proposals_received),
    ("proposal_score", "Mean weighted score of its call proposals", "benefit", proposal_score),
]
