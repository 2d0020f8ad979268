"""The core sections of the strategy document: evidence, stakeholders, priority domains.

Each is a :class:`ris3.workspace.parts.Section` of tidy tables read from the
workspace; the parts add theirs (``part_modules("document")``). The
stakeholder section counts people and organisations by helix and lists
engagements; it names no person (no names, e-mail addresses or contacts).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ris3.workspace.analysis import table_from_json
from ris3.workspace.models import Domain, Engagement, Organisation, Stakeholder, Strategy
from ris3.workspace.parts import Section, part_modules

#: the profile tables the document carries (the full profile stays in its evidence)
PROFILE_TABLES = ("specialisation", "clusters")


def document_sections(strategy: Strategy) -> list[Section]:
    """Every section of the strategy document: the core's, then each part's, in order."""
    out = [evidence_section(strategy), stakeholder_section(strategy), domain_section(strategy)]
    for module in part_modules("document"):
        out.extend(module.sections(strategy))
    return out


def evidence_section(strategy: Strategy) -> Section:
    """Return the stored analytics runs and the latest regional profile's main tables."""
    runs = [
        {
            "evidence": e.pk,
            "function": e.function,
            "data_version": e.data_version,
            "parameters": json.dumps(e.parameters, sort_keys=True, default=str),
            "tables": ", ".join(sorted(e.tables)),
            "notes": len(e.notes),
            "created": e.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        }
        for e in strategy.evidence.order_by("created_at", "id")
    ]
    cols = ["evidence", "function", "data_version", "parameters", "tables", "notes", "created"]
    tables: dict[str, Any] = {"evidence runs": pd.DataFrame(runs, columns=cols)}
    charts: dict[str, Any] = {}
    paragraphs = [
        f"{len(runs)} stored analytics runs: each names its function, parameters and data "
        "version, so every number below can be re-made."
    ]
    latest = strategy.evidence.filter(function="ris3.profile").order_by("-created_at", "-id")
    prof = latest.first()
    if prof is None:
        paragraphs.append("No regional profile is stored yet.")
    else:
        paragraphs.append(
            f"Regional profile of {strategy.region_code}: {prof.data_version}; "
            f"parameters {json.dumps(prof.parameters, sort_keys=True, default=str)}."
        )
        paragraphs.extend(f"Data note: {n}" for n in prof.notes)
        for name in PROFILE_TABLES:
            if name in prof.tables:
                tables[f"profile {name}"] = table_from_json(prof.tables[name])
        spec = tables.get("profile specialisation")
        if spec is not None and {"activity", "lq_europe"} <= set(spec.columns):
            charts["specialisation"] = _lq_chart(spec, strategy.region_code)
    return Section(
        key="evidence",
        title="Evidence profile",
        paragraphs=tuple(paragraphs),
        tables=tables,
        charts=charts,
    )


def _lq_chart(spec: pd.DataFrame, region: str) -> Any:
    import altair as alt

    top = spec[spec["lq_europe"].notna()].nlargest(15, "lq_europe")
    return (
        alt.Chart(top, title=f"Location quotients of {region}'s top activities")
        .mark_bar()
        .encode(
            y=alt.Y("activity:N", sort="-x", title=None),
            x=alt.X("lq_europe:Q", title="LQ against Europe"),
            tooltip=["activity:N", "lq_europe:Q", "employment:Q"],
        )
        .properties(width=420)
    )


def stakeholder_section(strategy: Strategy) -> Section:
    """Who took part, by helix, and the engagements: counts only, no personal data."""
    orgs = pd.DataFrame(
        list(Organisation.objects.filter(strategy=strategy).values_list("helix", "illustrative")),
        columns=["helix", "illustrative"],
    )
    people = pd.DataFrame(
        list(
            Stakeholder.objects.filter(strategy=strategy).values_list(
                "organisation__helix", "public"
            )
        ),
        columns=["helix", "public"],
    )
    helices = sorted(set(orgs["helix"]) | set(people["helix"]))
    by_helix = pd.DataFrame(
        {
            "helix": helices,
            "organisations": [int((orgs["helix"] == h).sum()) for h in helices],
            "stakeholders": [int((people["helix"] == h).sum()) for h in helices],
            "public_sector_stakeholders": [
                int(((people["helix"] == h) & people["public"].astype(bool)).sum()) for h in helices
            ],
        }
    )
    events = []
    qs = Engagement.objects.filter(strategy=strategy).prefetch_related("steps", "domains")
    for e in qs.order_by("date", "id"):
        att = e.attendance.all()
        events.append(
            {
                "date": e.date.isoformat(),
                "kind": e.get_kind_display(),
                "title": e.title,
                "steps": ", ".join(str(s.number) for s in e.steps.all()),
                "domains": ", ".join(d.title for d in e.domains.all()),
                "attendees": att.count(),
                "made_written_input": att.filter(contributed=True).count(),
                "illustrative": e.illustrative,
            }
        )
    ecols = [
        "date",
        "kind",
        "title",
        "steps",
        "domains",
        "attendees",
        "made_written_input",
        "illustrative",
    ]
    from ris3.workspace import analysis

    part = analysis.participation(strategy)
    matrix = part["matrix"]
    keep = [c for c in matrix.columns if c not in ("message",)]
    paragraphs = [
        f"{len(orgs)} organisations and {len(people)} stakeholders registered; "
        f"{len(events)} engagements recorded. Counts only: the document names no person."
    ]
    paragraphs.extend(f"Participation gap: {g}" for g in part["gaps"])
    paragraphs.extend(f"Note: {n}" for n in part["notes"])
    invented = (
        bool(orgs["illustrative"].astype(bool).any())
        or any(e["illustrative"] for e in events)
        or bool(Stakeholder.objects.filter(strategy=strategy, illustrative=True).exists())
    )
    return Section(
        key="stakeholders",
        title="Stakeholders and engagement",
        paragraphs=tuple(paragraphs),
        tables={
            "participants by helix": by_helix,
            "engagements": pd.DataFrame(events, columns=ecols),
            "participation by step and helix": matrix[keep].reset_index(drop=True),
        },
        illustrative=invented,
    )


def domain_section(strategy: Strategy) -> Section:
    """Return the domains with their status, exit criteria and the latest evidence's metrics."""
    rows = []
    for d in Domain.objects.filter(strategy=strategy).order_by("title", "id"):
        link = d.evidence_links.select_related("evidence").order_by("-evidence__created_at").first()
        m = link.metrics if link else {}
        rows.append(
            {
                "domain": d.title,
                "taxonomy": d.taxonomy,
                "codes": d.codes,
                "status": d.get_status_display(),
                "origin": d.origin,
                "review_date": d.review_date.isoformat() if d.review_date else None,
                "exit_criteria": d.exit_criteria,
                "employment": m.get("employment"),
                "lq_europe": m.get("lq_europe"),
                "stars": m.get("stars"),
                "evidence": m.get("evidence"),
                "flags": "; ".join(link.flags) if link else "",
                "evidence_run": link.evidence_id if link else None,
            }
        )
    cols = [
        "domain",
        "taxonomy",
        "codes",
        "status",
        "origin",
        "review_date",
        "exit_criteria",
        "employment",
        "lq_europe",
        "stars",
        "evidence",
        "flags",
        "evidence_run",
    ]
    df = pd.DataFrame(rows, columns=cols)
    counts = df["status"].value_counts().to_dict() if len(df) else {}
    text = ", ".join(f"{n} {s.lower()}" for s, n in counts.items()) or "none"
    return Section(
        key="domains",
        title="Priority domains",
        paragraphs=(f"{len(df)} domains: {text}. Metrics from the latest evidence of each.",),
        tables={"domains": df},
    )


def document_title(strategy: Strategy) -> tuple[str, str]:
    """Return the document's title and subtitle."""
    from django.utils import timezone

    sub = (
        f"{strategy.region_code} · {strategy.period_start}-{strategy.period_end} · "
        f"{strategy.get_status_display()} · made {timezone.now():%Y-%m-%d}"
    )
    if strategy.illustrative:
        sub += " · a demonstration strategy: sections marked illustrative rest on invented records"
    return strategy.name, sub


def export_strategy(strategy: Strategy, path: Any) -> Any:
    """Write the whole strategy document to ``path`` (.html, .pdf or .xlsx)."""
    from ris3.workspace.document.export import write_document

    title, subtitle = document_title(strategy)
    return write_document(path, title, subtitle, document_sections(strategy))
