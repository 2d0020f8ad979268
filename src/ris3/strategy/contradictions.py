"""Contradictions between an instrument register and the cluster-policy rules.

Among the mistakes of cluster policy the report lists "Support mature and
emerging clusters with the same tools" (``clusters-and-s3-report.txt`` lines
1214-1221) and "Continue to fund weak or emerging clusters despite lack of
results" (lines 1210-1213). :func:`advisor_flags` reads a register against
the stages of the priorities it serves and names each contradiction with
the report's lines.
"""

from __future__ import annotations

import pandas as pd

from ris3._validation import check_number
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame
from ris3.strategy.advisor import REGION_STAGES
from ris3.strategy.instruments import codes

__all__ = ["FLAGS", "advisor_flags"]

#: The contradictions, as (flag, what it means, report lines, quotation).
FLAGS: tuple[tuple[str, str, str, str], ...] = (
    (
        "same_tools_mature_emerging",
        "an emerging cluster gets a large mature-cluster tool (collaborative actions or "
        "business environment) without an exit benchmark",
        "1214-1221, 1964-1965",
        "Support mature and emerging clusters with the same tools",
    ),
    (
        "large_infrastructure_emerging",
        "an emerging cluster gets a large investment in its business environment",
        "1368-1369",
        "Large scale investments in specific shared infrastructure are at this stage "
        "much less likely to be critical.",
    ),
    (
        "no_exit_benchmark",
        "an emerging, declining or weak cluster is funded without a benchmark that ends "
        "funding when missed",
        "1210-1213, 1369-1370",
        "design clear benchmarks for performance that trigger exit if not met",
    ),
    (
        "lagging_large_investment",
        "a lagging region puts a large budget of its own (regional or local level) into "
        "a cluster instrument",
        "1349-1351",
        "a more limited financial investment might be appropriate",
    ),
)
_FLAG = {f[0]: f for f in FLAGS}
_MATURE_TOOLS = ("collaborative_actions", "business_environment")


def advisor_flags(
    instruments: pd.DataFrame,
    budgets: pd.DataFrame,
    priorities: pd.DataFrame,
    *,
    large_budget_eur: float = 1_000_000.0,
    strong_stars: int = 2,
    region_stage: str | None = None,
) -> pd.DataFrame:
    """Flag instruments that contradict the report's advice for the clusters they serve.

    Parameters
    ----------
    instruments : DataFrame
        The register: ``instrument``, ``level``, ``tool_group``,
        ``priorities``, optionally ``exit_benchmark`` (text; empty = none)
        and ``decision`` (instruments to ``suppress`` are not flagged).
    budgets : DataFrame
        ``instrument``, ``year``, ``budget_eur``; an instrument's size is
        its largest yearly budget.
    priorities : DataFrame
        ``priority``, ``stage`` (portfolio stage), optionally ``stars``.
    large_budget_eur : float, default 1,000,000
        A yearly budget at or above this is "large". The report gives no
        number: set it to the region's scale.
    strong_stars : int, default 2
        Fewer stars than this make a cluster weak.
    region_stage : {"advanced", "lagging"}, optional
        Enables the flag for lagging regions.

    Returns
    -------
    DataFrame
        One row per instrument x priority x flag: ``instrument``,
        ``priority``, ``flag`` (see :data:`FLAGS`), ``detail``, ``lines``,
        ``quotation``. An instrument whose budget is unknown is never
        "large" (and is not flagged for size).

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["Joint R&D"], "level": ["regional"],
    ...     "tool_group": ["collaborative_actions"], "priorities": ["e-health"]})
    >>> bud = pd.DataFrame({"instrument": ["Joint R&D"], "year": [2024], "budget_eur": [3e6]})
    >>> pri = pd.DataFrame({"priority": ["e-health"], "stage": ["emerging"]})
    >>> advisor_flags(reg, bud, pri)["flag"].tolist()
    ['same_tools_mature_emerging', 'no_exit_benchmark']
    """
    df = require_frame(instruments, "the instrument register")
    require_columns(df, "the instrument register", instrument="instrument", level="level")
    require_columns(df, "the instrument register", tool_group="tool_group", priorities="priorities")
    pri = require_frame(priorities, "the priority table")
    require_columns(pri, "the priority table", priority="priority", stage="stage")
    b = require_frame(budgets, "the budgets table")
    require_columns(b, "the budgets table", instrument="instrument", budget_eur="budget_eur")
    check_number("large_budget_eur", large_budget_eur, low=0)
    check_number("strong_stars", strong_stars, low=0, high=3, integer=True)
    if region_stage is not None and region_stage not in REGION_STAGES:
        raise InputError(
            f"region_stage must be one of {', '.join(REGION_STAGES)}; got {region_stage!r}"
        )
    largest = pd.to_numeric(b["budget_eur"], errors="coerce").groupby(b["instrument"]).max()
    info = pri.set_index("priority")
    unknown = sorted(
        {p for ps in df["priorities"].map(codes) for p in ps} - set(info.index), key=str
    )
    if unknown:
        raise InputError(f"instruments serve priorities not in the priority table: {unknown}")
    rows: list[dict[str, object]] = []
    for _, ins in df.iterrows():
        if ins.get("decision") == "suppress":
            continue
        size = largest.get(ins["instrument"], float("nan"))
        large = bool(size >= large_budget_eur)  # NaN compares False: unknown is not large
        bench = ins.get("exit_benchmark")
        has_exit = isinstance(bench, str) and bool(bench.strip())
        tool = ins["tool_group"]
        for p in codes(ins["priorities"]):
            stage = info.at[p, "stage"]
            stars = info.at[p, "stars"] if "stars" in info.columns else None
            weak = stars is not None and not pd.isna(stars) and stars < strong_stars
            found = []
            if stage == "emerging" and tool in _MATURE_TOOLS and large and not has_exit:
                found.append(("same_tools_mature_emerging", f"{tool}, {size:,.0f} EUR a year"))
            if stage == "emerging" and tool == "business_environment" and large:
                found.append(("large_infrastructure_emerging", f"{size:,.0f} EUR a year"))
            if (stage in ("emerging", "declining") or weak) and tool != "generic" and not has_exit:
                why = f"stage {stage}" + (f", {stars:g} stars" if weak else "")
                found.append(("no_exit_benchmark", why))
            lagging_own = ins["level"] in ("regional", "local") and tool != "generic"
            if region_stage == "lagging" and lagging_own and large:
                found.append(
                    ("lagging_large_investment", f"{ins['level']}, {size:,.0f} EUR a year")
                )
            for flag, detail in found:
                _, _, lines, quote = _FLAG[flag]
                rows.append(
                    {
                        "instrument": ins["instrument"],
                        "priority": p,
                        "flag": flag,
                        "detail": detail,
                        "lines": lines,
                        "quotation": quote,
                    }
                )
    return pd.DataFrame(
        rows, columns=["instrument", "priority", "flag", "detail", "lines", "quotation"]
    )
