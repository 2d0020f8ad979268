"""The policy mix's sections of the strategy document."""

from __future__ import annotations

import pandas as pd

from ris3.workspace.models import Strategy
from ris3.workspace.parts import Section
from ris3.workspace.policy import analysis, tables
from ris3.workspace.policy.models import Instrument


def sections(strategy: Strategy) -> list[Section]:
    """Register, matrix, gaps, duplications, co-funding, advisor and self-assessments."""
    from ris3.report.charts_policy import cofunding_chart, targeted_chart

    illustrative = Instrument.objects.filter(strategy=strategy, illustrative=True).exists()
    ins, bud, fund = tables.register(strategy)
    reg = ins.copy()
    reg["priorities"] = reg["priorities"].map("; ".join)
    mix = analysis.policy_analysis(strategy, charts=False)
    adv = analysis.advisor(strategy)
    ass = analysis.assessments(strategy)
    note = ("Instruments marked illustrative are invented examples.",) if illustrative else ()
    out = [
        Section(
            "register",
            "Instrument register",
            (
                *note,
                "Every instrument with its level, tool group, territory, target groups, "
                "priorities and the review's decision.",
            ),
            {"instruments": reg, "budgets": bud, "funding": fund},
            illustrative=illustrative,
        ),
        Section(
            "matrix",
            "Priorities and instruments",
            (
                "Count and budget over all years; an instrument serving two priorities counts "
                "whole in both.",
            ),
            {"matrix": mix["matrix"], "matrix_tool_group": mix["matrix_tool_group"]},
            illustrative=illustrative,
        ),
        Section(
            "gaps",
            "Gaps",
            (
                "Active priorities with no instrument, or without the tool group their stage "
                "calls for.",
            ),
            {"gaps": mix["gaps"]},
            illustrative=illustrative,
        ),
        Section(
            "duplications",
            "Duplications",
            (
                "Instruments at two levels with the same tool group for the same priority, "
                "overlapping in territory and target group.",
            ),
            {"duplications": mix["duplications"]},
            illustrative=illustrative,
        ),
        Section(
            "cofunding",
            "Co-funding by level over time",
            ("Each instrument's yearly budget split by its funding shares.",),
            {"cofunding": mix["cofunding"], "targeted_share": mix["targeted"]},
            charts={
                "cofunding": cofunding_chart(mix["cofunding"]),
                "targeted": targeted_chart(mix["targeted"]),
            }
            if len(mix["cofunding"])
            else {},
            illustrative=illustrative,
        ),
        Section(
            "advisor",
            "Cluster-policy advisor",
            (
                f"Region stage: {adv['region']['stage'] or 'unknown'}. {adv['region']['how']}",
                analysis.GDP_NOT_BUNDLED,
            ),
            {
                "cluster_stages": adv["priorities"],
                "advice": adv["advice"],
                "contradictions": adv["flags"],
            },
            illustrative=illustrative,
        ),
    ]
    ass_tables: dict[str, pd.DataFrame] = {}
    notes = ["Scores from 0 (no information) to 5 (excellent); not scored is not 0."]
    for key in ("enabling_condition", "good_practice"):
        crit, summ = ass[key]
        if not crit.shape[1]:
            # nothing to assess: no cluster programme in the register
            notes.append("No cluster programme in the register: no good-practice assessment.")
            continue
        if len(crit):
            crit = crit.copy()
            crit["evidence"] = crit["evidence"].map("; ".join)
        ass_tables[f"{key}_criteria"] = crit
        ass_tables[f"{key}_summary"] = summ
    out.append(
        Section(
            "self_assessments",
            "Self-assessments",
            tuple(notes),
            ass_tables,
            illustrative=any(a.illustrative for a in ass["records"]),
        )
    )
    return out
