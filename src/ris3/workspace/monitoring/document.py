"""The monitoring sections of the strategy document: the framework and the scorecard."""

from __future__ import annotations

import pandas as pd

from ris3.workspace.models import Strategy
from ris3.workspace.monitoring import frames
from ris3.workspace.monitoring.models import Evaluation, Objective, Observation
from ris3.workspace.parts import Section


def _invented(strategy: Strategy) -> bool:
    return (
        strategy.indicators.filter(illustrative=True).exists()
        or Observation.objects.filter(indicator__strategy=strategy, illustrative=True).exists()
        or Objective.objects.filter(strategy=strategy, illustrative=True).exists()
        or Evaluation.objects.filter(strategy=strategy, illustrative=True).exists()
    )


def sections(strategy: Strategy) -> list[Section]:
    """Return the monitoring framework and scorecard.

    The framework: intervention logic, indicators, targets, checks.
    """
    ind = frames.indicator_table(strategy)
    objectives = pd.DataFrame(
        [
            {
                "priority": o.domain.title,
                "objective": o.text,
                "instruments": ", ".join(i.name for i in o.instruments.all()),
                "illustrative": o.illustrative,
            }
            for o in Objective.objects.filter(strategy=strategy).select_related("domain")
        ],
        columns=["priority", "objective", "instruments", "illustrative"],
    )
    problems = frames.checks(strategy)
    invented = _invented(strategy)
    framework = Section(
        key="monitoring",
        title="Monitoring framework",
        paragraphs=(
            f"{len(ind)} indicators ({(ind['type'] == 'output').sum()} output, "
            f"{(ind['type'] == 'result').sum()} result, {(ind['type'] == 'context').sum()} "
            f"context) for {ind['priority'].nunique()} priorities; {len(problems)} departures "
            "from the guidance (a parsimonious set, baselines for result indicators, targets "
            "for all output and result indicators).",
            "Computed context indicators (employment, location quotient and cluster stars) are "
            "re-run from Eurostat data by ris3; each run is stored as evidence.",
        ),
        tables={
            "objectives": objectives,
            "indicators": ind.drop(columns=["id"]),
            "targets": frames.target_table(strategy),
            "observations": frames.observation_table(strategy),
            "checks": problems,
        },
        illustrative=invented,
    )
    card = frames.scorecard(strategy)
    evaluations = pd.DataFrame(
        [
            {
                "instrument": e.instrument.name,
                "evaluation": e.title,
                "verdict": frames.verdict_text(e),
                "data_version": e.data_version,
                "illustrative": e.illustrative,
            }
            for e in Evaluation.objects.filter(strategy=strategy).select_related("instrument")
        ],
        columns=["instrument", "evaluation", "verdict", "data_version", "illustrative"],
    )
    counts = card["status"].value_counts().to_dict() if len(card) else {}
    text = ", ".join(f"{n} {frames.STATUS_LABELS[s]}" for s, n in counts.items()) or "no indicator"
    score = Section(
        key="scorecard",
        title="Scorecard",
        paragraphs=(
            f"Status of each indicator against its targets: {text}.",
            "Rule: the planned path runs in straight lines from the baseline through the "
            "targets; progress is the share of the planned change achieved by the latest "
            "observation: on track at 0.9 or more, at risk from 0.6, off track below 0.6; "
            "no data without a baseline, a target or an observation.",
        ),
        tables={
            "scorecard": card,
            "by priority": frames.summary(card, by="priority"),
            "by instrument": frames.summary(card, by="instrument"),
            "evaluations": evaluations,
        },
        charts={"status by priority": frames.scorecard_chart(card)} if len(card) else {},
        illustrative=invented,
    )
    return [framework, score]
