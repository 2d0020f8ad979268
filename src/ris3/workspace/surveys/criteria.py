"""Survey criteria for priority setting: ``CRITERIA`` read by the priorities part.

Each entry is ``(key, label, direction, function)``; ``direction`` is
``"benefit"`` (higher is better) or ``"cost"``; ``function(strategy)`` returns
``{domain id: value or None}`` for every domain of the strategy. None means
no value that may be shown: the domain was rated by fewer respondents than
the survey's threshold (or by nobody), never a zero.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from ris3.strategy.surveys import perceived_strength
from ris3.workspace.models import Strategy
from ris3.workspace.surveys.analysis import ratings_frame
from ris3.workspace.surveys.models import Survey


def source_survey(strategy: Strategy) -> Survey | None:
    """Return the survey the criteria read: the newest open or closed one with domain ratings."""
    return (
        Survey.objects.filter(
            strategy=strategy,
            status__in=("open", "closed"),
            responses__answers__question__kind="matrix",
        )
        .order_by("-created_at", "-id")
        .first()
    )


def survey_strength(strategy: Strategy) -> dict[int, float | None]:
    """Mean perceived strength of each domain in :func:`source_survey` (None: too few raters)."""
    out: dict[int, float | None] = {
        pk: None for pk in strategy.domains.values_list("pk", flat=True)
    }
    survey = source_survey(strategy)
    if survey is None:
        return out
    ratings = ratings_frame(survey)
    if ratings.empty:
        return out
    # the mean needs no interval here: one resample keeps the call cheap
    table = perceived_strength(ratings, min_respondents=survey.min_respondents, n_boot=1)
    for dom, mean, sup in zip(table["domain"], table["mean"], table["suppressed"]):
        if int(dom) in out and not sup and mean == mean:
            out[int(dom)] = float(mean)
    return out


CRITERIA: list[tuple[str, str, str, Callable[[Strategy], dict[int, float | None]]]] = [
    ("survey_strength", str(_("Perceived strength (survey)")), "benefit", survey_strength),
]
