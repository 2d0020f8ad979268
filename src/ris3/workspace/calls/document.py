"""The calls' sections of the strategy document: results of calls whose panel closed.

No personal data: proposals by title, no applicant, evaluator or score of
an individual evaluator.
"""

from __future__ import annotations

from typing import Any

from ris3.errors import Ris3Error
from ris3.workspace.calls import selectors
from ris3.workspace.calls.models import Call
from ris3.workspace.parts import Section

RANKING_COLUMNS = {
    "rank": "rank",
    "title": "proposal",
    "weighted_score": "weighted score",
    "weighted_z": "standardised score",
    "rank_z": "rank (standardised)",
    "requested": "requested (EUR)",
    "funded": "funded",
    "p_funded": "share of weightings funded",
    "depends_on_weights": "depends on the weights",
}


def sections(strategy: Any) -> list[Section]:
    """One section per call whose panel closed: the ranking with its robustness, and agreement."""
    out = []
    for call in Call.objects.filter(strategy=strategy, status="panel_closed").order_by("opens_at"):
        try:
            res = selectors.results(call)
        except Ris3Error:
            continue
        ranking = res["ranking"][list(RANKING_COLUMNS)].rename(columns=RANKING_COLUMNS)
        flagged = int(res["ranking"]["depends_on_weights"].sum())
        paragraphs = [
            f"{len(ranking)} proposals scored on {len(res['criteria'])} published criteria; "
            f"money available {float(call.budget_eur):,.0f} EUR.",
            "Weighted score: published weights (normalised) times the mean score of the "
            "evaluators; standardised score: the same on each evaluator's z-scores per criterion. "
            f"Robustness: {res['draws']} weightings drawn from a Dirichlet distribution centred on "
            f"the published weights (concentration {call.robustness_concentration:g}, seed "
            f"{call.robustness_seed}); {flagged} proposals are funded under some and not under "
            "others (between 5% and 95% of the weightings).",
            "Agreement: ICC(1,1) (Shrout and Fleiss 1979) and Krippendorff's interval alpha per "
            "criterion.",
        ]
        if call.illustrative:
            paragraphs.insert(
                0, "Illustrative: the proposals and scores of this call are invented."
            )
        out.append(
            Section(
                key=f"call-{call.pk}",
                title=f"Open call results: {call.title}",
                paragraphs=tuple(paragraphs),
                tables={"ranking": ranking, "agreement": res["agreement"]},
                illustrative=call.illustrative,
            )
        )
    return out
