"""The cluster-policy advisor: policy emphasis by stage of cluster and region.

"Appropriate cluster policies differ by the stage of cluster development"
and "by the overall level of regional competitiveness"
(``clusters-and-s3-report.txt`` lines 1952 and 1966). :data:`ADVISOR_RULES`
is the readable table of what the report recommends, each rule with its
lines and a short quotation; :func:`advise` applies it to a region's
priorities, :func:`advisor_flags` reads an instrument register against it.

Stages. A cluster's stage is the one of :func:`ris3.portfolio`
(emerging, growing, mature, declining, marginal, absent); it is *strong*
with at least ``strong_stars`` European Cluster Observatory stars
(:func:`ris3.cluster_stars`), else *weak*. Growing clusters are
established (specialised and of some size), so the report's rules for
established, mature clusters apply to them too. A region is *advanced* or
*lagging*: the user says which, or :func:`region_stage` computes it from
GDP per inhabitant in PPS against the EU average.
"""

from __future__ import annotations

import math
from typing import cast

import pandas as pd

from ris3._validation import check_number
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame

__all__ = [
    "ADVISOR_RULES",
    "STAGE_TOOL_GROUPS",
    "REGION_STAGES",
    "advise",
    "region_stage",
]

#: Stages of a region (report lines 1966-1976).
REGION_STAGES: tuple[str, ...] = ("advanced", "lagging")

#: The rules, one dict each: ``rule`` (key), ``applies_to`` ("cluster" or
#: "region"), ``when`` (the field and the values it applies to: ``stage``
#: of the cluster, ``strength`` "strong"/"weak", or ``region_stage``),
#: ``emphasis`` (the policy emphasis recommended), ``tool_groups`` (the
#: tool groups it calls for, possibly none), ``lines`` of the report and a
#: short ``quotation``.
ADVISOR_RULES: tuple[dict[str, object], ...] = (
    {
        "rule": "mature_collaboration",
        "applies_to": "cluster", "when": ("stage", ("mature", "growing")),
        "emphasis": "leverage existing capabilities through collaboration within the cluster",
        "tool_groups": ("collaborative_actions",),
        "lines": "1953-1954",
        "quotation": "leveraging the existing capabilities of a regional economy through "
        "enhancing collaboration within the cluster",
    },
    {
        "rule": "mature_coordination",
        "applies_to": "cluster", "when": ("stage", ("mature", "growing")),
        "emphasis": "coordinate the policy tools and instruments around the cluster's activity",
        "tool_groups": (),
        "lines": "1954-1956",
        "quotation": "coordinating different policy tools and instruments from the "
        "perspective of the economic activities that they aim to support",
    },
    {
        "rule": "mature_targeted_investment",
        "applies_to": "cluster", "when": ("stage", ("mature", "growing")),
        "emphasis": "targeted investment in joint actions or the cluster-specific business "
        "environment",
        "tool_groups": ("collaborative_actions", "business_environment"),
        "lines": "1214-1217",
        "quotation": "they often need targeted investments in joint actions or "
        "cluster-specific business environment",
    },
    {
        "rule": "emerging_process_support",
        "applies_to": "cluster", "when": ("stage", ("emerging",)),
        "emphasis": "technical and process support to bring the actors together",
        "tool_groups": ("cluster_organisations",),
        "lines": "1962-1964",
        "quotation": "oriented towards providing technical and process support to bring "
        "these organizations together",
    },
    {
        "rule": "emerging_less_money_exit",
        "applies_to": "cluster", "when": ("stage", ("emerging",)),
        "emphasis": "less money and clear benchmarks that trigger exit when not met",
        "tool_groups": (),
        "lines": "1964-1965, 1369-1370",
        "quotation": "they need to promise less money and, importantly, clear benchmarks "
        "to be met for funding to continue",
    },
    {
        "rule": "emerging_no_large_infrastructure",
        "applies_to": "cluster", "when": ("stage", ("emerging",)),
        "emphasis": "no large investment in shared infrastructure yet",
        "tool_groups": (),
        "lines": "1368-1369",
        "quotation": "Large scale investments in specific shared infrastructure are at this "
        "stage much less likely to be critical.",
    },
    {
        "rule": "weak_performance_benchmarks",
        "applies_to": "cluster", "when": ("strength", ("weak",)),
        "emphasis": "stop funding when performance benchmarks of market success are not met",
        "tool_groups": (),
        "lines": "1210-1213",
        "quotation": "if public funding is sustain even when performance benchmarks related "
        "to real market success are not met, this creates waste and distorts competition",
    },
    {
        "rule": "declining_exit_review",
        "applies_to": "cluster", "when": ("stage", ("declining",)),
        "emphasis": "review whether the priority is still one; tie funding to results",
        "tool_groups": (),
        "lines": "818-819, 1210-1213",
        "quotation": "How to decide when a particular priority stops being a priority?",
    },
    {
        "rule": "strong_leverage",
        "applies_to": "cluster", "when": ("strength", ("strong",)),
        "emphasis": "cluster efforts are most effective where a strong cluster can be leveraged",
        "tool_groups": (),
        "lines": "1359-1361",
        "quotation": "the evidence points towards higher effectiveness of cluster efforts "
        "when there is a strong underlying cluster to leverage",
    },
    {
        "rule": "advanced_organising_principle",
        "applies_to": "region", "when": ("region_stage", ("advanced",)),
        "emphasis": "leverage clusters through collaboration; clusters as an organising "
        "principle for other economic policies",
        "tool_groups": (),
        "lines": "1968-1970",
        "quotation": "using clusters as an organizing principle for other economic policies",
    },
    {
        "rule": "lagging_capacity_programmes",
        "applies_to": "region", "when": ("region_stage", ("lagging",)),
        "emphasis": "institutional capacity, EU and national programmes, a more limited "
        "financial investment",
        "tool_groups": (),
        "lines": "1349-1351",
        "quotation": "a strengthened focus on improving institutional capacity, using programs "
        "offered by the EU or the national government, and a more limited financial investment",
    },
    {
        "rule": "lagging_interest_groups",
        "applies_to": "region", "when": ("region_stage", ("lagging",)),
        "emphasis": "guard against interest groups seeking specific benefits",
        "tool_groups": (),
        "lines": "1971-1973, 1252",
        "quotation": "more vulnerable to the pressure of interest groups that try to use "
        "cluster policies to gain specific benefits",
    },
    {
        "rule": "lagging_social_capital",
        "applies_to": "region", "when": ("region_stage", ("lagging",)),
        "emphasis": "social capital and cross-cutting advantages; clusters as a process tool",
        "tool_groups": (),
        "lines": "1259-1262",
        "quotation": "Locations with lower underlying competitiveness need to focus on "
        "creating social capital and other cross-cutting competitive advantages.",
    },
)  # fmt: skip


def rule_condition(rule: dict[str, object]) -> tuple[str, tuple[str, ...]]:
    """Return the field and the values a rule of :data:`ADVISOR_RULES` applies to.

    Examples
    --------
    >>> rule_condition(ADVISOR_RULES[0])
    ('stage', ('mature', 'growing'))
    """
    field, values = cast(tuple[str, tuple[str, ...]], rule["when"])
    return field, values


def rule_tool_groups(rule: dict[str, object]) -> tuple[str, ...]:
    """Return the tool groups a rule calls for (possibly none)."""
    return cast(tuple[str, ...], rule["tool_groups"])


def _stage_needs() -> dict[str, tuple[str, ...]]:
    needs: dict[str, list[str]] = {}
    for r in ADVISOR_RULES:
        field, values = rule_condition(r)
        if field != "stage":
            continue
        for stage in values:
            for g in rule_tool_groups(r):
                needs.setdefault(stage, [])
                if g not in needs[stage]:
                    needs[stage].append(g)
    return {k: tuple(v) for k, v in needs.items()}


#: Cluster stage -> the tool groups its rules call for (any one of them
#: meets the need), derived from :data:`ADVISOR_RULES`. A stage not listed
#: calls for no particular group.
STAGE_TOOL_GROUPS: dict[str, tuple[str, ...]] = _stage_needs()


def region_stage(
    gdp: pd.DataFrame,
    *,
    region: str,
    value: str,
    eu_average: float = 100.0,
    lagging_below: float = 75.0,
) -> pd.DataFrame:
    """Advanced or lagging regions from GDP per inhabitant in PPS.

    Parameters
    ----------
    gdp : DataFrame
        One row per region; ``value`` is GDP per inhabitant in purchasing
        power standards (PPS), or already an index of the EU average.
    region, value : str
        Column names.
    eu_average : float, default 100
        The EU average in the same unit (100 when ``value`` is the index
        "EU27 = 100" that Eurostat publishes).
    lagging_below : float, default 75
        A region whose index is below this is *lagging*. 75 % of the EU
        average is the cohesion policy's threshold of less developed
        regions (Regulation (EU) 2021/1060, Article 108(2)); the report
        itself names no number.

    Returns
    -------
    DataFrame
        region, ``gdp_index`` (``100 * value / eu_average``) and
        ``region_stage`` ("advanced", "lagging", or NaN where the value is
        missing: missing is not lagging).

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame({"geo": ["AT33", "BG31", "XX"], "pps": [41000.0, 11000.0, None]})
    >>> region_stage(g, region="geo", value="pps", eu_average=33000.0)
        geo   gdp_index region_stage
    0  AT33  124.242424     advanced
    1  BG31   33.333333      lagging
    2    XX         NaN          NaN
    """
    df = require_frame(gdp, "the GDP table")
    require_columns(df, "the GDP table", region=region, value=value)
    check_number("eu_average", eu_average, low=0, low_inclusive=False)
    check_number("lagging_below", lagging_below, low=0)
    if df[region].duplicated().any():
        raise InputError("the GDP table must have one row per region; it repeats some")
    index = 100.0 * pd.to_numeric(df[value], errors="coerce") / eu_average
    stage = pd.Series(
        [
            math.nan if math.isnan(v) else ("lagging" if v < lagging_below else "advanced")
            for v in index
        ],
        index=df.index,
        dtype=object,
    )
    return pd.DataFrame({region: df[region], "gdp_index": index, "region_stage": stage})


def advise(
    clusters: pd.DataFrame,
    *,
    region_stage: str | None = None,
    strong_stars: int = 2,
) -> pd.DataFrame:
    """Return the report's recommended policy emphasis for each priority cluster.

    Parameters
    ----------
    clusters : DataFrame
        One row per priority: ``priority``, ``stage`` (a portfolio stage;
        empty when unknown) and optionally ``stars`` (0-3).
    region_stage : {"advanced", "lagging"}, optional
        Adds the region's rules to every priority.
    strong_stars : int, default 2
        A cluster with at least this many stars is strong, else weak; with
        no ``stars`` (or an empty cell) strength is unknown.

    Returns
    -------
    DataFrame
        One row per priority x applicable rule: ``priority``, ``rule``,
        ``applies_to``, ``emphasis``, ``tool_groups`` (joined by ", "),
        ``lines``, ``quotation``; priorities in input order, rules in the
        order of :data:`ADVISOR_RULES`.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"priority": ["tourism", "e-health"], "stage": ["mature", "emerging"],
    ...                   "stars": [3, 0]})
    >>> out = advise(c, region_stage="advanced")
    >>> out.groupby("priority", sort=False)["rule"].apply(list).to_dict()["e-health"]
    ['emerging_process_support', 'emerging_less_money_exit', 'emerging_no_large_infrastructure', \
'weak_performance_benchmarks', 'advanced_organising_principle']
    """
    df = require_frame(clusters, "the cluster table")
    require_columns(df, "the cluster table", priority="priority", stage="stage")
    check_number("strong_stars", strong_stars, low=0, high=3, integer=True)
    if region_stage is not None and region_stage not in REGION_STAGES:
        raise InputError(
            f"region_stage must be one of {', '.join(REGION_STAGES)}; got {region_stage!r}"
        )
    rows = []
    for _, row in df.iterrows():
        stars = row["stars"] if "stars" in df.columns else None
        facts = {
            "stage": None if pd.isna(row["stage"]) else row["stage"],
            "strength": None
            if stars is None or pd.isna(stars)
            else ("strong" if stars >= strong_stars else "weak"),
            "region_stage": region_stage,
        }
        for r in ADVISOR_RULES:
            field, values = rule_condition(r)
            if facts[field] in values:
                rows.append(
                    {
                        "priority": row["priority"],
                        "rule": r["rule"],
                        "applies_to": r["applies_to"],
                        "emphasis": r["emphasis"],
                        "tool_groups": ", ".join(rule_tool_groups(r)),
                        "lines": r["lines"],
                        "quotation": r["quotation"],
                    }
                )
    cols = ["priority", "rule", "applies_to", "emphasis", "tool_groups", "lines", "quotation"]
    return pd.DataFrame(rows, columns=cols)
