"""The policy part's bridge to :mod:`ris3.strategy`: run the analyses on a strategy.

Tables come from :mod:`ris3.workspace.policy.tables`; every number is computed
by the pure functions of :mod:`ris3.strategy` and every chart by
:mod:`ris3.report.charts_policy`. Views only show what these return.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any

import pandas as pd

from ris3.workspace.models import Strategy
from ris3.workspace.policy import tables

#: GDP per inhabitant in PPS is not bundled: why, in words the advisor page shows
GDP_NOT_BUNDLED = (
    "Eurostat's regional GDP per inhabitant in PPS (nama_10r_2gdp) is not part of the data "
    "ris3 bundles: the bundled tables are structural business statistics (employment by "
    "activity), and a GDP value is revised every year, so a copy shipped with ris3 would "
    "age without notice. Enter the region's value and the EU average from the same Eurostat "
    "release, with its year and source, so the stage can be checked against it."
)


def svg(chart: Any) -> str:
    """Return an Altair chart drawn as inline SVG on the server (no script, no other host)."""
    import vl_convert as vlc

    from ris3.report._assets import vega_lite_version

    return str(vlc.vegalite_to_svg(chart.to_dict(), vl_version=vega_lite_version()))


def policy_analysis(strategy: Strategy, *, charts: bool = True) -> dict[str, Any]:
    """Matrix, gaps, duplications, targeted share and co-funding of the register."""
    from ris3.report.charts_policy import cofunding_chart, targeted_chart
    from ris3.strategy import (
        cofunding,
        policy_duplications,
        policy_gaps,
        policy_matrix,
        targeted_share,
    )

    ins, bud, fund = tables.register(strategy)
    pri = tables.priorities(strategy)
    out: dict[str, Any] = {"n_instruments": len(ins), "priorities": pri, "register": ins}
    out["matrix"] = policy_matrix(ins, bud, by="instrument")
    out["matrix_tool_group"] = policy_matrix(ins, bud, by="tool_group")
    out["gaps"] = policy_gaps(ins, pri[["priority", "active", "stage"]])
    out["duplications"] = policy_duplications(ins)
    out["targeted"] = targeted_share(ins, bud)
    out["cofunding"] = cofunding(ins, bud, fund)
    out["charts"] = {}
    if charts and len(out["cofunding"]):
        out["charts"]["cofunding"] = svg(cofunding_chart(out["cofunding"]))
        out["charts"]["targeted"] = svg(targeted_chart(out["targeted"]))
    return out


_PARTNER_CACHE: dict[tuple[str, int], pd.DataFrame | str] = {}
_PARTNER_LOCK = threading.Lock()


def _specialisation_partners(region: str, year: int) -> pd.DataFrame | str:
    """:func:`ris3.partners` on the bundled eu-sbs data (NUTS 2), or why not."""
    key = (region, year)
    with _PARTNER_LOCK:
        if key in _PARTNER_CACHE:
            return _PARTNER_CACHE[key]
    import ris3
    from ris3.errors import Ris3Error

    try:
        data = ris3.datasets.load("eu-sbs")
        cur = data[(data["year"] == year) & (data["geo"].str.len() == len(region))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            phi = ris3.proximity(
                cur, region="geo", activity="nace_r2", value="persons_employed", missing="drop"
            )
            result: pd.DataFrame | str = ris3.partners(
                cur,
                region="geo",
                activity="nace_r2",
                value="persons_employed",
                target=region,
                proximity=phi,
                missing="drop",
            )
    except (Ris3Error, KeyError, ValueError) as exc:
        result = f"no specialisation partners: {exc}"
    with _PARTNER_LOCK:
        _PARTNER_CACHE[key] = result
    return result


def cross_border(strategy: Strategy) -> dict[str, Any]:
    """Partner regions (specialisation and shared priorities) and the instruments open to them.

    Specialisation partners: :func:`ris3.partners` on the bundled eu-sbs data
    of the year of the latest profile evidence. Shared priorities:
    :func:`ris3.strategy.priority_overlap` over the domain codes of this
    strategy and of the published strategies of other regions in the
    workspace. Instruments are open to a partner when their territory or
    their eligible areas reach it (:func:`ris3.strategy.open_instruments`).
    """
    from ris3.strategy import open_instruments, partner_regions, priority_overlap
    from ris3.workspace.models import Domain

    notes: list[str] = []
    region = strategy.region_code
    spec = None
    _, ev = tables.latest_specialisation(strategy)
    if ev is not None and ev.parameters.get("dataset") == "eu-sbs":
        found = _specialisation_partners(region, int(ev.parameters["year"]))
        if isinstance(found, str):
            notes.append(found)
        else:
            spec = found.rename(columns={"geo": "region"})
            notes.append(
                f"Specialisation partners: ris3.partners on eu-sbs {ev.parameters['year']}, "
                "regions of the same NUTS level."
            )
    else:
        notes.append("No profile evidence from the bundled data: no specialisation partners.")
    rows = list(
        Domain.objects.filter(strategy__published=True)
        .exclude(strategy__region_code=region)
        .exclude(status__in=("candidate", "retired"))
        .values_list("strategy__region_code", "codes")
    )
    mine = [
        (region, c.strip())
        for d in tables.domains(strategy)
        if d.status in tables.ACTIVE_STATUSES
        for c in d.codes.split(";")
        if c.strip()
    ]
    pri = None
    theirs = [(r, c.strip()) for r, codes in rows for c in codes.split(";") if c.strip()]
    if mine and theirs:
        overlap = priority_overlap(
            pd.DataFrame(mine + theirs, columns=["region", "code"]),
            region="region",
            priority="code",
            target=region,
        )
        pri = overlap if len(overlap) else None
    if pri is None:
        notes.append(
            "Shared priorities: no published strategy of another region in this workspace "
            "shares a priority code."
        )
    partners = (
        partner_regions(
            region="region",
            specialisation=None if spec is None else spec.head(10),
            priorities=pri,
        )
        if spec is not None or pri is not None
        else pd.DataFrame(columns=["region", "partner_score", "n_shared", "jaccard", "source"])
    )
    ins, _, _ = tables.register(strategy)
    reach = ins.copy()
    reach["territory"] = [
        ";".join(filter(None, [t, e])) for t, e in zip(ins["territory"], ins["eligible_beyond"])
    ]
    opened = open_instruments(reach, home=region, partners=partners["region"].tolist())
    return {"partners": partners, "open": opened, "notes": notes}


def region_context(strategy: Strategy) -> dict[str, Any]:
    """Return the region's stage: the user's override, or computed from the GDP values entered."""
    from ris3.strategy import region_stage

    ctx = getattr(strategy, "region_context", None)
    info: dict[str, Any] = {"context": ctx, "stage": None, "gdp_index": None, "how": ""}
    if ctx is None:
        info["how"] = "No GDP values entered: the region's stage is unknown."
        return info
    if ctx.gdp_pps is not None and ctx.eu_average_pps is not None:
        g = region_stage(
            pd.DataFrame({"region": [strategy.region_code], "pps": [float(ctx.gdp_pps)]}),
            region="region",
            value="pps",
            eu_average=float(ctx.eu_average_pps),
        )
        info["gdp_index"] = float(g["gdp_index"].iloc[0])
        info["stage"] = g["region_stage"].iloc[0]
        info["how"] = (
            f"{info['gdp_index']:.1f} % of the EU average ({ctx.gdp_year or 'year not given'}; "
            f"{ctx.gdp_source or 'source not given'}): {info['stage']} "
            "(below 75 % is lagging)."
        )
    if ctx.stage_override:
        info["how"] = f"Set by the user to {ctx.stage_override}" + (
            f"; {info['how']}" if info["how"] else "."
        )
        info["stage"] = ctx.stage_override
    if info["stage"] is None and not info["how"]:
        info["how"] = "No GDP values entered: the region's stage is unknown."
    return info


def advisor(strategy: Strategy) -> dict[str, Any]:
    """Return the report's recommendations per priority and the register's contradictions."""
    from ris3.strategy import advise, advisor_flags

    pri = tables.priorities(strategy)
    active = pri[pri["active"]].reset_index(drop=True)
    region = region_context(strategy)
    stage = region["stage"] if region["stage"] in ("advanced", "lagging") else None
    advice = advise(active[["priority", "stage", "stars"]], region_stage=stage)
    ins, bud, _ = tables.register(strategy)
    ctx = region["context"]
    large = float(ctx.large_budget_eur) if ctx is not None else 1_000_000.0
    flags = advisor_flags(
        ins,
        bud,
        pri[["priority", "stage", "stars"]],
        region_stage=stage,
        large_budget_eur=large,
    )
    return {
        "priorities": active,
        "advice": advice,
        "flags": flags,
        "region": region,
        "large_budget_eur": large,
    }


def assessments(strategy: Strategy) -> dict[str, Any]:
    """Both self-assessments scored by :func:`ris3.strategy.score_assessment`."""
    from ris3.strategy import score_assessment
    from ris3.strategy.instruments import CLUSTER_TOOL_GROUPS
    from ris3.workspace.policy.models import Assessment, Instrument

    programmes = list(
        Instrument.objects.filter(strategy=strategy, tool_group__in=CLUSTER_TOOL_GROUPS)
    )
    recs = list(Assessment.objects.filter(strategy=strategy).select_related("instrument"))

    def frame(checklist: str, subjects: list[str]) -> pd.DataFrame:
        rows = [
            {
                "subject": a.instrument.name if a.instrument else "strategy",
                "criterion": a.criterion,
                "score": a.score,
                "evidence": [ln.strip() for ln in a.evidence.splitlines() if ln.strip()],
                "comment": a.comment,
            }
            for a in recs
            if a.checklist == checklist
        ]
        have = {r["subject"] for r in rows}
        from ris3.strategy.assessment import CHECKLISTS

        first = CHECKLISTS[checklist][0][0]
        # a subject nobody has scored yet still shows, every criterion "not scored"
        rows += [
            {"subject": s, "criterion": first, "score": None, "evidence": [], "comment": ""}
            for s in subjects
            if s not in have
        ]
        return pd.DataFrame(rows, columns=["subject", "criterion", "score", "evidence", "comment"])

    def scored(checklist: str, subjects: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        table = frame(checklist, subjects)
        if not len(table):
            return pd.DataFrame(), pd.DataFrame()
        return score_assessment(table, checklist=checklist)

    gp_crit, gp_sum = scored("good_practice", [p.name for p in programmes])
    ec_crit, ec_sum = scored("enabling_condition", ["strategy"])
    return {
        "programmes": programmes,
        "good_practice": (gp_crit, gp_sum),
        "enabling_condition": (ec_crit, ec_sum),
        "records": recs,
    }
