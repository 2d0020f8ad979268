"""The priority part's bridge to the analytics: database rows in, ris3 results out.

The computations are :mod:`ris3.strategy.priority_setting`,
:mod:`ris3.strategy.mcda`, :mod:`ris3.strategy.distinctiveness` and
:func:`ris3.tech_economy_match`; this module reads the strategy's evidence
and engagements into the tables they take, and loads the bundled data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd

from ris3.workspace.analysis import table_from_json

#: a criterion: (key, label, direction, function(strategy) -> {domain id: value or None})
Criterion = tuple[str, str, str, Callable[[Any], dict[int, float | None]]]

#: the NCSES economies that are also countries of the Eurostat SBS table
NCSES_ECONOMIES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "DK": "Denmark", "FI": "Finland", "FR": "France",
    "DE": "Germany", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "NL": "Netherlands",
    "ES": "Spain", "SE": "Sweden", "UK": "United Kingdom",
}  # fmt: skip
#: the patent years matched to the SBS year of the demo (2014): three years, as counts are small
PATENT_YEARS = (2012, 2014)


def latest_profile(strategy: Any) -> Any:
    """Return the strategy's latest ``ris3.profile`` evidence, or None."""
    return strategy.evidence.filter(function="ris3.profile").order_by("-created_at", "-id").first()


def _table(evidence: Any, name: str) -> pd.DataFrame | None:
    if evidence is None or name not in evidence.tables:
        return None
    return table_from_json(evidence.tables[name])


def _domains(strategy: Any) -> list[Any]:
    return list(strategy.domains.exclude(status="retired").order_by("title", "id"))


def evidence_values(strategy: Any) -> pd.DataFrame:
    """:func:`ris3.strategy.priority_setting.evidence_criteria` on the latest profile evidence.

    ``feasibility`` and ``attractiveness`` are those stored with each domain's
    link to that evidence (missing for domains it did not propose).
    """
    from ris3.strategy.priority_setting import evidence_criteria

    ev = latest_profile(strategy)
    rows = []
    for d in _domains(strategy):
        link = d.evidence_links.filter(evidence=ev).first() if ev is not None else None
        metrics = link.metrics if link is not None else {}
        rows.append(
            {
                "domain": d.pk,
                "code": d.codes,
                "feasibility": metrics.get("feasibility"),
                "attractiveness": metrics.get("attractiveness"),
            }
        )
    table = pd.DataFrame(rows, columns=["domain", "code", "feasibility", "attractiveness"])
    return evidence_criteria(
        table,
        specialisation=_table(ev, "specialisation"),
        opportunities=_table(ev, "opportunities"),
    )


def _evidence_function(key: str) -> Callable[[Any], dict[int, float | None]]:
    def values(strategy: Any) -> dict[int, float | None]:
        t = evidence_values(strategy)
        t = t[t["criterion"] == key]
        return {int(d): (None if pd.isna(v) else float(v)) for d, v in zip(t["domain"], t["value"])}

    return values


def edp_values(strategy: Any) -> dict[int, float | None]:
    """EDP support: distinct attendees of engagements linked to each domain (None: not discussed)."""
    from ris3.strategy.priority_setting import edp_support
    from ris3.workspace.models import Attendance

    rows = Attendance.objects.filter(engagement__strategy=strategy).values_list(
        "engagement__domains", "stakeholder"
    )
    att = pd.DataFrame(list(rows), columns=["domain", "stakeholder"])
    t = edp_support(att, [d.pk for d in _domains(strategy)])
    return {int(d): (None if pd.isna(v) else float(v)) for d, v in zip(t["domain"], t["value"])}


def criteria_catalogue() -> list[Criterion]:
    """Every criterion the owner may choose: evidence, EDP support and the other parts'."""
    from ris3.strategy.priority_setting import EVIDENCE_CRITERIA
    from ris3.workspace.parts import part_modules

    out: list[Criterion] = [
        (key, label, direction, _evidence_function(key))
        for key, label, direction, _ in EVIDENCE_CRITERIA
    ]
    out.append(
        ("edp_support", "EDP support (people who discussed the domain)", "benefit", edp_values)
    )
    seen = {c[0] for c in out}
    for module in part_modules("criteria"):
        for key, label, direction, fn in module.CRITERIA:
            if direction not in ("benefit", "cost"):
                raise RuntimeError(
                    f"{module.__name__}: criterion {key!r} has direction {direction!r}; "
                    "allowed: 'benefit', 'cost'"
                )
            if key not in seen:
                out.append((key, str(label), direction, fn))
                seen.add(key)
    return out


def criterion_values(strategy: Any, keys: list[str]) -> pd.DataFrame:
    """Tidy ``domain, title, criterion, value`` for the chosen criteria (value None: missing)."""
    catalogue = {c[0]: c for c in criteria_catalogue()}
    titles = {d.pk: d.title for d in _domains(strategy)}
    rows = []
    for key in keys:
        values = catalogue[key][3](strategy)
        for d, title in titles.items():
            v = values.get(d)
            rows.append((d, title, key, None if v is None or pd.isna(v) else float(v)))
    return pd.DataFrame(rows, columns=["domain", "title", "criterion", "value"])


@functools.lru_cache(maxsize=4)
def specialisation_table(year: int) -> pd.DataFrame:
    """LQ and presence of every region x division of the bundled SBS data in ``year``.

    Missing cells are left out (``missing="drop"``): a region with a
    confidential cell is not compared on that activity, never counted as
    not specialised.
    """
    import ris3
    from ris3.datasets import load

    sbs = load("eu-sbs")
    sbs = sbs[sbs["year"] == year]
    return ris3.location_quotient(
        sbs, region="geo", activity="nace_r2", value="persons_employed", missing="drop"
    )


def distinctiveness(strategy: Any) -> tuple[pd.DataFrame | None, str]:
    """:func:`ris3.strategy.distinctiveness` of the strategy's domains and a note."""
    from ris3.strategy.distinctiveness import distinctiveness as compute
    from ris3.strategy.distinctiveness import nace_code

    domains = [d for d in _domains(strategy) if nace_code(d.codes) is not None]
    if not domains:
        return None, "no domain with one readable NACE code"
    ev = latest_profile(strategy)
    year = int(ev.parameters.get("year", 2014)) if ev is not None else 2014
    declared = pd.DataFrame(
        list(
            strategy.declared_priorities.values(
                "region", "priority", "nace_codes", "scientific_domains", "policy_objectives"
            )
        ),
        columns=["region", "priority", "nace_codes", "scientific_domains", "policy_objectives"],
    )
    table = compute(
        [d.codes for d in domains],
        own_region=strategy.region_code,
        specialisation=specialisation_table(year),
        declared=declared if len(declared) else None,
        region="geo",
        activity="nace_r2",
    )
    table.insert(0, "title", [d.title for d in domains])
    table.insert(0, "domain_id", [d.pk for d in domains])
    note = (
        f"Regions specialised: LQ >= 1 against all regions of the Eurostat SBS table in {year} "
        "(regions with a missing cell are not compared on it)."
    )
    without = int(table.attrs.get("declared_without_codes", 0))
    if without:
        note += f" Declared priorities without NACE codes (they cannot be matched): {without}."
    return table, note


@functools.lru_cache(maxsize=1)
def _patents() -> tuple[pd.DataFrame, pd.DataFrame]:
    from ris3.datasets import load

    p = load("patents-wipo")
    p = p[p["year"].between(*PATENT_YEARS)]
    agg = load("patents-wipo", "aggregates")
    world = agg[(agg["geo_type"] == "world") & agg["year"].between(*PATENT_YEARS)]
    world = world.groupby("wipo_field", as_index=False)["patent_families"].sum()
    return p, world


def country_match(country: str, year: int = 2014) -> pd.DataFrame | None:
    """Return :func:`ris3.tech_economy_match` of a country.

    It compares NCSES patent families (2012-2014, against the world's) and SBS
    national employment (``year``, against the SBS countries).
    """
    import ris3
    from ris3.datasets import load

    if country not in NCSES_ECONOMIES:
        return None
    p, world = _patents()
    p = p[p["economy"] == NCSES_ECONOMIES[country]]
    tech = p.groupby("wipo_field", as_index=False)["patent_families"].sum().assign(region=country)
    sbs = load("eu-sbs", "countries")
    sbs = sbs[sbs["year"] == year].rename(columns={"geo": "region"})
    return ris3.tech_economy_match(
        tech,
        sbs,
        field="wipo_field",
        patents="patent_families",
        activity="nace_r2",
        value="persons_employed",
        technology_reference=world,
    )


def region_match(technology: pd.DataFrame, region: str, year: int = 2014) -> pd.DataFrame:
    """Return :func:`ris3.tech_economy_match` of a region's own patent table.

    The table (columns ``field``, ``patents``) is compared against the world's
    patent families and the SBS regions' employment.
    """
    import ris3
    from ris3.datasets import load

    _, world = _patents()
    sbs = load("eu-sbs")
    sbs = sbs[sbs["year"] == year].rename(columns={"geo": "region"})
    tech = technology.assign(region=region)
    return ris3.tech_economy_match(
        tech,
        sbs[["region", "nace_r2", "persons_employed"]],
        activity="nace_r2",
        value="persons_employed",
        technology_reference=world.rename(
            columns={"wipo_field": "field", "patent_families": "patents"}
        ),
    )


def review_series(domain: Any, since: int) -> pd.DataFrame:
    """:func:`ris3.strategy.priority_setting.domain_indicator_series` on the bundled SBS data."""
    from ris3.datasets import load
    from ris3.strategy.priority_setting import domain_indicator_series

    codes = [c.strip() for c in domain.codes.replace(",", ";").split(";") if c.strip()]
    return domain_indicator_series(
        load("eu-sbs"),
        codes,
        region="geo",
        activity="nace_r2",
        value="persons_employed",
        time="year",
        target=domain.strategy.region_code,
        since=since,
    )


def match_chart_svg(table: pd.DataFrame) -> str:
    """:func:`ris3.report.tech_match_chart.tech_match_chart` as inline SVG (drawn offline)."""
    import vl_convert

    from ris3.report.tech_match_chart import tech_match_chart

    svg = vl_convert.vegalite_to_svg(tech_match_chart(table).to_dict())
    # the page gives the chart its accessible name; the drawing's own markup is decoration
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
