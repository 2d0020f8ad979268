"""The report page of a region profile: its numbered sections built from a RegionProfile.

Each section function adds its tables and charts; a part the profile could
not compute, or a chart that cannot be drawn from its numbers, shows a notice
saying why instead of any invented content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape
from typing import Any

import pandas as pd

from ris3.errors import Ris3Error
from ris3.report.html import Column, Page, Section
from ris3.report.region_profile import RegionProfile

__all__ = ["CLUSTER_COLUMNS", "SPEC_COLUMNS", "build_page"]


def _num(fmt: str) -> Callable[[Any], str]:
    return lambda v: format(float(v), fmt)


def _pct(v: Any) -> str:
    return f"{float(v) * 100:.2f} %"


def _stars(v: Any) -> str:
    n = int(v)
    return "★" * n + "☆" * (3 - n)


SPEC_COLUMNS = [
    Column("activity", "Code"),
    Column("activity_name", "Activity"),
    Column("employment", "Persons employed", _num(",.0f"), True),
    Column("share", "Share of region", _pct, True),
    Column("lq_europe", "LQ vs Europe", _num(".3f"), True),
    Column("lq_country", "LQ vs country", _num(".3f"), True),
    Column("growth", "Growth / year", _pct, True),
    Column("stars", "Stars", _stars, True),
    Column("stage", "Stage"),
    Column("data_note", "Data note"),
]


def _against(columns: list[Column], p: RegionProfile) -> list[Column]:
    """``columns`` with "vs Europe" headers naming the profile's reference area instead.

    "vs Europe" only when the reference is Europe, "vs United States" for US
    metro areas, "vs reference" otherwise (the caption says what it is).
    """
    return [replace(c, header=c.header.replace("vs Europe", f"vs {p.lq_label}")) for c in columns]


def spec_columns(p: RegionProfile) -> list[Column]:
    """Return the specialisation table's columns, the LQ header naming the reference area."""
    return _against(SPEC_COLUMNS, p)


def with_data_note(t: pd.DataFrame) -> pd.DataFrame:
    """``t`` with a ``data_note`` column saying which rows are estimates or cross a break.

    Estimated rows (``estimated`` True) read "estimate"; rows whose growth
    crosses a break in series (``break_in_series`` True) read "break in series:
    growth not shown"; a missing or confidential cell (``employment`` or
    ``value`` missing and not estimated) reads "confidential or missing".
    """
    n = len(t)
    est = t["estimated"].fillna(False).astype(bool) if "estimated" in t else pd.Series([False] * n)
    brk = (
        t["break_in_series"].fillna(False).astype(bool)
        if "break_in_series" in t
        else pd.Series([False] * n)
    )
    val = next((c for c in ("employment", "value") if c in t.columns), None)
    gap = t[val].isna() & ~est.to_numpy() if val else pd.Series([False] * n)
    notes = []
    for e, b, g in zip(est.to_numpy(), brk.to_numpy(), gap.to_numpy()):
        parts = (["estimate"] if e else []) + (["break in series: growth not shown"] if b else [])
        parts += ["confidential or missing"] if g else []
        notes.append("; ".join(parts))
    return t.assign(data_note=notes)


def _unavailable(sec: Section, prof: RegionProfile, key: str) -> bool:
    reason = prof.unavailable.get(key)
    if reason:
        sec.notice(f"This part of the profile is not shown: {reason}.")
        return True
    return False


def headline(p: RegionProfile) -> str:
    """Return the profile's headline as one sentence: the region, its year and what stands out.

    It names the top three specialisations with their LQs against the
    reference, how many activities have an LQ of 1 or more, the leading
    cluster category when one has stars, and the share of missing cells.
    """
    top = p.top_specialisations(3)
    where = f"{p.region} {p.region_name}".strip()
    when = f"In {p.period}, " if p.period_known else "In the data's period, "
    against = f"against {'the ' if p.reference == 'United States' else ''}{p.reference}"
    if top.empty:
        sentence = f"{when}{where} had no activity with a location quotient of 1 or more {against}"
    else:
        parts = [
            f"{a} {n} (LQ {q:.2f})" if str(n) != str(a) else f"{a} (LQ {q:.2f})"
            for a, n, q in zip(top["activity"], top["activity_name"], top["lq_europe"])
        ]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        n_spec = int((p.specialisation["lq_europe"] >= 1).sum())
        sentence = (
            f"{when}{where} was most specialised in {listed}, location quotients {against}; "
            f"{n_spec} of its {len(p.specialisation)} activities have an LQ of 1 or more"
        )
    if p.clusters is not None and len(p.clusters):
        best = p.clusters.iloc[0]
        if best["stars"] == best["stars"] and int(best["stars"]) > 0:
            sentence += (
                f", and its leading cluster category is {best['cluster']} "
                f"({int(best['stars'])} star{'s' if int(best['stars']) > 1 else ''})"
            )
    missing = p.coverage["region_missing_share"]
    if missing > 0:
        sentence += f". {missing:.0%} of its activity cells are missing or confidential"
    return sentence + "."


def _headline(page: Page, p: RegionProfile) -> None:
    s = page.section("headline", "Headline")
    for line in _banners(p):
        s.raw(f'<p class="banner" role="note"><b>Estimates.</b> {escape(line)}</p>')
    s.raw(f'<p class="lead">{escape(headline(p))}</p>')
    cov = p.coverage
    top = p.top_specialisations(5)
    kpis = [
        ("Region", f"{p.region} {p.region_name}"),
        (
            "Year",
            p.period + (f" (growth since {p.compare_year})" if p.compare_year else ""),
        ),
        (
            "Cells missing or confidential",
            f"{cov['region_missing_share']:.1%} of the region's, "
            f"{cov['all_missing_share']:.1%} of all",
        ),
        ("Specialisations (LQ >= 1)", str(int((p.specialisation["lq_europe"] >= 1).sum()))),
    ]
    s.raw("".join(f'<div class="kpi"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in kpis))
    s.text(f"Data: {p.source}.")
    s.text(
        f"Coverage: {int(cov['region_missing'])} of the region's {int(cov['region_cells'])} "
        f"activity cells and {int(cov['all_missing'])} of all {int(cov['all_cells'])} cells in "
        f"{p.period} are missing or confidential; they are left out, not counted as zero."
    )
    s.table(
        with_data_note(top),
        [*spec_columns(p)[:6], SPEC_COLUMNS[-1]],
        name="top",
        caption=f"Top specialisations by LQ against {p.reference}",
    )


def _banners(p: RegionProfile) -> list[str]:
    """Warnings shown at the top of the page: estimated regions and estimated cells."""
    out = []
    if p.converted_years and not p.converted:
        src = ", ".join(p.converted_from) or "older regions"
        out.append(
            f"{p.region}'s figures for {', '.join(map(str, p.converted_years))} are not "
            f"published for {p.region}: Eurostat published them for {src} (older NUTS codes), "
            "and they were shared out to today's regions by the JRC population weights. Every "
            "growth figure, LQ change and stage of this profile starts from those estimates."
        )
    if p.converted:
        src = ", ".join(p.converted_from) or "older regions"
        sib = (
            f" {', '.join(p.split_siblings)} (estimated from the same region) "
            f"{'is' if len(p.split_siblings) == 1 else 'are'} not offered as peers."
            if p.split_siblings
            else ""
        )
        out.append(
            f"{p.region}'s figures are not published for {p.region}: Eurostat published them "
            f"for {src} (older NUTS codes), and they were shared out to today's regions by the "
            f"JRC population weights. Its activity structure is therefore partly that of "
            f"{src}, and every figure of this profile rests on that estimate.{sib}"
        )
    n_est = int(p.coverage.get("region_estimated", 0) or 0)
    if n_est:
        out.append(
            f"{n_est} of {p.region}'s {p.period} cells are confidential cells estimated within "
            "the published totals; they are marked 'estimate' in every table and drawn hollow "
            "in the charts."
        )
    return out


def _maps(page: Page, p: RegionProfile) -> None:
    from ris3.report.maps import geometry_keys, lq_map, peers_map

    s = page.section("maps", "Maps")
    if p.geometry is None:
        s.notice("No geometry was given for these regions, so the maps are not drawn.")
        return
    name = p.specialisation.set_index("activity")["activity_name"].get(
        p.map_activity, p.map_activity
    )
    id_property, name_property = geometry_keys(p.geometry, set(p.lq_map["geo"].astype(str)))
    keys: dict[str, Any] = {"id_property": id_property, "name_property": name_property}
    s.chart(
        "map_lq",
        lq_map(
            p.lq_map,
            p.geometry,
            region="geo",
            value="lq",
            highlight=p.region,
            title=f"LQ of {p.map_activity} {name}, {p.period}",
            **keys,
        ),
        caption=f"Location quotient against {p.reference}; {p.region} {p.region_name} outlined.",
    )
    if not _unavailable(s, p, "peers") and p.peers is not None:
        s.chart(
            "map_peers",
            peers_map(
                p.peers,
                p.geometry,
                highlight=p.region,
                title=f"Peer regions of {p.region} {p.region_name}",
                **keys,
            ),
        )


def _specialisation(page: Page, p: RegionProfile) -> None:
    from ris3.report.charts import specialisation_chart

    s = page.section("specialisation", "Specialisation")
    s.chart(
        "specialisation",
        specialisation_chart(
            p.specialisation,
            title=f"Location quotients of {p.region}'s top activities, {p.period}",
            reference=p.lq_label,
        ),
    )
    s.table(
        with_data_note(p.specialisation).assign(hl=p.specialisation["lq_europe"] >= 1),
        spec_columns(p),
        name="specialisation",
        highlight="hl",
        caption=f"All activities of the region, by LQ against {p.reference} (highlighted: LQ >= 1; "
        "missing or confidential cells last, shown as dashes; estimates and breaks in series "
        "are named in the last column). "
        "Stars: size, specialisation (LQ >= 2) and focus (European Cluster Observatory rules); "
        "stars and stage rate each activity as its own cluster"
        + (" (by cluster category: next section)." if p.clusters is not None else "."),
    )


def _yes_no(v: Any) -> str:
    return "yes" if bool(v) else "no"


CLUSTER_COLUMNS = [
    Column("cluster", "Cluster category"),
    Column("cluster_type", "Type"),
    Column("value", "Persons employed", _num(",.0f"), True),
    Column("share", "Share of region", _pct, True),
    Column("lq", "LQ vs Europe", _num(".3f"), True),
    Column("stars", "Stars", _stars, True),
    Column("strong", "Strong", _yes_no),
    Column("visible_share", "Visible in data", _pct, True),
    Column("incomplete_share", "On missing cells", _pct, True),
]


def _clusters(page: Page, p: RegionProfile) -> None:
    if p.clusters is None:
        return
    s = page.section("clusters", "Cluster categories")
    t = p.clusters
    unseen = t[~(t["visible_share"] > 0)]
    shown = t[t["visible_share"] > 0]
    s.table(
        shown.assign(hl=shown["stars"] >= 2),
        _against(CLUSTER_COLUMNS, p),
        name="clusters",
        highlight="hl",
        caption=f"{p.region}'s cluster categories in {p.period}, by stars then LQ against {p.reference} "
        f"(highlighted: 2 or 3 stars). Definition: {p.cluster_definition}. Stars: size and focus "
        "among the top 10 % of regions, specialisation at LQ >= 2 (European Cluster "
        "Observatory); strong: US Cluster Mapping rule for traded categories (dash: a local "
        "category, or data without establishments). "
        "Visible in data: share of the category, by the US employment behind it, on "
        "divisions the data cover; on missing cells: share on the region's missing or "
        "confidential divisions (employment then a lower bound). The division table above "
        "rates each division on its own.",
    )
    if len(unseen):
        s.text(
            f"{len(unseen)} categories lie entirely outside the activities of the data and "
            f"cannot be rated (e.g. {', '.join(map(str, unseen['cluster'].head(4)))}); "
            "they are listed in tables/clusters.csv."
        )


def _portfolio(page: Page, p: RegionProfile) -> None:
    from ris3.report.charts import portfolio_chart

    s = page.section("portfolio", "Portfolio")
    if _unavailable(s, p, "portfolio") or p.portfolio is None or p.national_growth is None:
        return
    t = p.portfolio.rename(columns={"cluster_name": "name"})
    s.text(
        f"By cluster category ({p.cluster_definition}), on the cells with a value in both years "
        "and no break in series; categories resting partly on other cells are drawn from their "
        "comparable part (incomplete_share in tables/portfolio.csv)."
        if p.clusters is not None
        else "Each activity as its own cluster, on the cells with a value in both years and no "
        "break in series."
    )
    s.chart(
        "portfolio",
        portfolio_chart(
            t,
            national_growth=p.national_growth,
            label="name",
            lq="lq",
            growth="growth",
            size="value",
            title=f"Portfolio of {p.region}: LQ {p.period} and growth {p.compare_year}-{p.period}",
            reference=p.lq_label,
        ),
    )


def _shift_share(page: Page, p: RegionProfile) -> None:
    from ris3.report.charts import shift_share_chart

    s = page.section("shift-share", "Shift-share")
    if _unavailable(s, p, "shift-share") or p.shift_share is None:
        return
    t = p.shift_share
    comps = {
        "national_effect": "national growth",
        "industry_mix_effect": "industry mix",
        "competitive_effect": "regional (competitive)",
    }
    ids = ["activity_name"] + (["estimated"] if "estimated" in t.columns else [])
    long = t.melt(id_vars=ids, value_vars=list(comps), var_name="component")
    long["component"] = long["component"].map(comps)
    s.chart(
        "shift_share",
        shift_share_chart(
            long,
            label="activity_name",
            title=f"Shift-share of employment change in {p.region}, {p.compare_year}-{p.period}",
        ),
    )
    tot = t[["change", *comps]].sum(min_count=1)
    s.text(
        "Total change {:,.0f} persons = national growth {:,.0f} + industry mix {:,.0f} + "
        "regional (competitive) {:,.0f}.".format(*(float(tot[c]) for c in ["change", *comps]))
    )


def _network(page: Page, p: RegionProfile) -> None:
    from ris3.report.charts import network_chart

    s = page.section("network", "Relatedness network")
    if _unavailable(s, p, "network") or p.network_nodes is None or p.network_edges is None:
        return
    s.chart(
        "network",
        network_chart(
            p.network_nodes,
            p.network_edges,
            node="id",
            weight="weight",
            title=f"Relatedness network, {p.region}'s specialisations highlighted",
        ),
    )


def _opportunities(page: Page, p: RegionProfile) -> None:
    from ris3.report.charts import opportunities_chart

    s = page.section("opportunities", "Opportunities")
    if _unavailable(s, p, "opportunities") or p.opportunities is None:
        return
    cand = p.opportunities[~p.opportunities["specialised"].astype(bool)]
    if "missing" in cand.columns:  # confidential cells are unknown, never candidates
        cand = cand[~cand["missing"].astype(bool)]
    s.chart(
        "opportunities",
        opportunities_chart(
            cand,
            label="activity_name",
            text="activity",
            title=f"Diversification opportunities for {p.region}, {p.period}",
        ),
    )
    cols = [
        Column("activity", "Code"),
        Column("activity_name", "Activity"),
        Column("feasibility", "Feasibility", _num(".3f"), True),
        Column("attractiveness", "Attractiveness", _num(".3f"), True),
        Column("score_balanced", "Score", _num(".3f"), True),
        Column("lq", "LQ now", _num(".3f"), True),
        Column("evidence", "Evidence: closest existing specialisations (proximity)"),
        Column("data_note", "Data note"),
    ]
    s.table(
        with_data_note(cand.head(10)),
        cols,
        name="opportunities",
        caption="Top 10 activities the region is not yet specialised in, by the balanced "
        "score. Evidence: the region's existing specialisations (LQ >= 1) closest to each "
        "activity, with their proximity; they are what makes it feasible.",
    )


def _diversity(page: Page, p: RegionProfile) -> None:
    from ris3.report.charts import diversity_chart

    s = page.section("diversity", "Diversity and variety")
    if _unavailable(s, p, "diversity") or p.diversity is None:
        return
    measures = {
        "diversity": "diversity (activities with LQ >= 1)",
        "entropy": "entropy",
        "related_variety": "related variety",
        "unrelated_variety": "unrelated variety",
    }
    have = [m for m in measures if m in p.diversity.columns]
    long = p.diversity.melt(id_vars=["geo", "name"], value_vars=have, var_name="measure")
    long["measure"] = long["measure"].map(measures)
    peers = "its peers" if p.peers is not None else "no peers (peer selection not available)"
    s.chart(
        "diversity",
        diversity_chart(
            long,
            region="geo",
            highlight=p.region,
            title=f"Diversity and variety of {p.region} and {peers}",
        ),
    )
    cols = [Column("geo", "Code"), Column("name", "Region")] + [
        Column(m, measures[m], _num(".3f") if m != "diversity" else _num(".0f"), True) for m in have
    ]
    s.table(
        p.diversity.assign(hl=p.diversity["geo"] == p.region),
        cols,
        name="diversity",
        highlight="hl",
    )


def _notes(page: Page, p: RegionProfile) -> None:
    s = page.section("notes", "Notes and sources")
    lines = list(p.notes)
    for key, why in p.unavailable.items():
        lines.append(f"Not shown: {key} — {why}.")
    s.items(lines)
    s.text(f"Data: {p.source}. {p.attribution}")
    if "region_total" in p.coverage:
        basis = (
            "x[r,.] is the region's published total (its NACE section rows) and Europe and the "
            "country are the published national rows (see the note on totals above)"
        )
    else:
        basis = (
            f"{p.reference} = all regions in the data; country = the sum of the regions of "
            "the region's country in the data (the country from a hierarchy: NUTS, the nation "
            "for US metro areas, or the countries given); totals are sums of the observed cells"
        )
    s.text(
        f"Location quotient LQ = (x[r,a] / x[r,.]) / (x[.,a] / x[.,.]); {basis}. Missing and "
        f"confidential cells are never counted as zero. Activity titles: {p.activity_label}. "
        f"Maps: {p.map_credit}."
    )
    s.text(
        "Files: the tables behind this report are in tables/ next to this page (CSV, full "
        "precision; the page rounds for display only), the figures in figures/ (PNG, SVG)."
    )


def build_page(p: RegionProfile) -> Page:
    """Return the report page of a profile (all its sections), without writing anything.

    See :func:`write_profile` for an example; ``build_page(p).specs()`` gives
    the Vega-Lite spec of every chart by name (e.g. to serve them elsewhere).
    """
    page = Page(
        title=f"{p.region} {p.region_name}: smart specialisation profile",
        subtitle=p.period
        + (f", growth since {p.compare_year}" if p.compare_year else "")
        + f" · {p.attribution}",
        footer=f"Made with ris3. {p.attribution}",
    )
    for part in (
        _headline,
        _maps,
        _specialisation,
        _clusters,
        _portfolio,
        _shift_share,
        _network,
        _opportunities,
        _diversity,
        _notes,
    ):
        before = len(page.sections)
        try:
            part(page, p)
        except Ris3Error as exc:
            # a chart that cannot be drawn from these numbers: say so in its section
            sec = (
                page.sections[-1]
                if len(page.sections) > before
                else page.section(
                    part.__name__.strip("_"),
                    part.__name__.strip("_").replace("_", " ").capitalize(),
                )
            )
            sec.notice(f"This part of the profile could not be drawn: {exc}")
            p.unavailable.setdefault(sec.id, f"could not be drawn: {exc}")
    return page
