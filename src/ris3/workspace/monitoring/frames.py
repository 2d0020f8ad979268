"""The monitoring framework as the tidy tables of :mod:`ris3.strategy.monitoring`.

This module only reads database rows into tables and hands them to the pure
functions (:func:`ris3.strategy.scorecard`,
:func:`ris3.strategy.check_intervention_logic`,
:func:`ris3.strategy.scorecard_summary`); it computes nothing itself.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ris3.workspace.analysis import table_from_json
from ris3.workspace.models import Strategy
from ris3.workspace.monitoring.models import Evaluation, Indicator, Observation, Target
from ris3.workspace.monitoring.services import PRIORITY_STATUSES

INDICATOR_COLUMNS = [
    "indicator",
    "priority",
    "type",
    "definition",
    "unit",
    "source",
    "baseline_year",
    "baseline_value",
    "objective",
    "instrument",
    "direction",
    "measure",
    "illustrative",
    "id",
]
#: statuses of the scorecard as people read them
STATUS_LABELS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "no data",
}
STATUS_COLOURS = {
    "on_track": "#1b7837",
    "at_risk": "#b35806",
    "off_track": "#b2182b",
    "no_data": "#6b6b6b",
}


def _priority_labels(strategy: Strategy) -> dict[int, str]:
    domains = list(strategy.domains.order_by("title", "id"))
    counts: dict[str, int] = {}
    for d in domains:
        counts[d.title] = counts.get(d.title, 0) + 1
    return {d.pk: d.title if counts[d.title] == 1 else f"{d.title} ({d.pk})" for d in domains}


def indicator_table(strategy: Strategy, *, domain: Any = None) -> pd.DataFrame:
    """One row per indicator (``indicator`` is its name; ``priority`` its domain)."""
    labels = _priority_labels(strategy)
    qs = Indicator.objects.filter(strategy=strategy).select_related("objective", "instrument")
    if domain is not None:
        qs = qs.filter(domain=domain)
    rows = [
        {
            "indicator": i.name,
            "priority": labels[i.domain_id],
            "type": i.kind,
            "definition": i.definition,
            "unit": i.unit,
            "source": i.source,
            "baseline_year": i.baseline_year,
            "baseline_value": i.baseline_value,
            "objective": i.objective.text if i.objective else None,
            "instrument": i.instrument.name if i.instrument else None,
            "direction": i.direction or None,
            "measure": i.measure or None,
            "illustrative": i.illustrative,
            "id": i.pk,
        }
        for i in qs.order_by("domain__title", "domain_id", "kind", "name")
    ]
    df = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for c in ("baseline_year", "baseline_value"):
        df[c] = pd.to_numeric(df[c]).astype(float)
    return df


def target_table(strategy: Strategy, *, domain: Any = None) -> pd.DataFrame:
    """Tabulate ``indicator``, ``year``, ``value`` of every target."""
    qs = Target.objects.filter(indicator__strategy=strategy)
    if domain is not None:
        qs = qs.filter(indicator__domain=domain)
    rows = qs.order_by("indicator__name", "year").values_list("indicator__name", "year", "value")
    return pd.DataFrame(list(rows), columns=["indicator", "year", "value"])


def observation_table(strategy: Strategy, *, domain: Any = None) -> pd.DataFrame:
    """Tabulate ``indicator``, ``date``, ``value`` (missing kept), ``provenance``, ``note``."""
    qs = Observation.objects.filter(indicator__strategy=strategy)
    if domain is not None:
        qs = qs.filter(indicator__domain=domain)
    rows = qs.order_by("indicator__name", "date", "id").values_list(
        "indicator__name", "date", "value", "provenance", "note", "illustrative"
    )
    df = pd.DataFrame(
        list(rows), columns=["indicator", "date", "value", "provenance", "note", "illustrative"]
    )
    df["value"] = pd.to_numeric(df["value"]).astype(float)
    return df


def active_priorities(strategy: Strategy) -> list[str]:
    """Labels of the domains that are priorities (selected, active or under review)."""
    labels = _priority_labels(strategy)
    ids = strategy.domains.filter(status__in=PRIORITY_STATUSES).values_list("pk", flat=True)
    return [labels[pk] for pk in ids]


def checks(strategy: Strategy) -> pd.DataFrame:
    """Where the framework departs from the guidance (:func:`ris3.strategy.check_intervention_logic`)."""
    from ris3.strategy import check_intervention_logic

    ind = indicator_table(strategy)
    return check_intervention_logic(
        ind, target_table(strategy), priorities=active_priorities(strategy)
    )


def scorecard(strategy: Strategy, *, domain: Any = None, as_of: Any = None) -> pd.DataFrame:
    """Return the scorecard (:func:`ris3.strategy.scorecard`) with evaluations of each instrument.

    Adds ``status_label`` (the status in words), ``illustrative`` (the
    indicator or its latest observation is invented) and ``evaluations``
    (titles and verdicts of the evaluations attached to the indicator's
    instrument).
    """
    from ris3.strategy import scorecard as score

    ind = indicator_table(strategy, domain=domain)
    obs = observation_table(strategy, domain=domain)
    card = score(
        ind.drop(columns=["illustrative"]),
        target_table(strategy, domain=domain),
        obs.drop(columns=["illustrative", "note"]),
        as_of=as_of,
    )
    if card.empty:
        card = pd.DataFrame(
            columns=[
                "indicator",
                "priority",
                "instrument",
                "type",
                "baseline_year",
                "baseline_value",
                "observed_date",
                "observed_value",
                "provenance",
                "expected_value",
                "target_year",
                "target_value",
                "progress",
                "status",
                "note",
            ]
        )
    card["status_label"] = card["status"].map(STATUS_LABELS)
    invented_obs = set(obs.loc[obs["illustrative"].astype(bool), "indicator"])
    card["illustrative"] = [
        bool(flag) or name in invented_obs
        for name, flag in zip(ind["indicator"], ind["illustrative"])
    ]
    verdicts = evaluation_verdicts(strategy)
    card["evaluations"] = [verdicts.get(i, "") if i else "" for i in card["instrument"]]
    return card


def summary(card: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Status counts by ``priority`` or ``instrument`` (:func:`ris3.strategy.scorecard_summary`)."""
    from ris3.strategy import STATUSES, scorecard_summary

    if card.empty:
        return pd.DataFrame(columns=[by, *STATUSES, "n_indicators"])
    return scorecard_summary(card, by=by)


def evaluation_verdicts(strategy: Strategy) -> dict[str, str]:
    """Instrument name -> its evaluations' verdicts in one line (newest first)."""
    out: dict[str, list[str]] = {}
    for e in Evaluation.objects.filter(strategy=strategy).select_related("instrument"):
        out.setdefault(e.instrument.name, []).append(f"{e.title}: {verdict_text(e)}")
    return {k: "; ".join(v) for k, v in out.items()}


def verdict_text(evaluation: Evaluation) -> str:
    """Return the stored verdict of each outcome, as ``outcome: verdict`` joined by commas."""
    stored = evaluation.tables.get("verdict")
    if not stored:
        return "no verdict stored"
    v = table_from_json(stored)
    if "verdict" not in v.columns:
        return "no verdict stored"
    return ", ".join(f"{r['outcome']}: {r['verdict']}" for r in v.to_dict("records"))


def evaluation_tables(evaluation: Evaluation) -> dict[str, pd.DataFrame]:
    """Return the stored tables of an evaluation as DataFrames."""
    return {name: table_from_json(t) for name, t in evaluation.tables.items()}


def scorecard_chart(card: pd.DataFrame) -> Any:
    """Return a bar chart of the scorecard's statuses per priority (an Altair chart)."""
    import altair as alt

    from ris3.strategy import STATUSES

    counts = (
        card.groupby(["priority", "status"], sort=False).size().rename("indicators").reset_index()
        if len(card)
        else pd.DataFrame({"priority": [], "status": [], "indicators": []})
    )
    counts["status_label"] = counts["status"].map(STATUS_LABELS)
    order = [STATUS_LABELS[s] for s in STATUSES]
    return (
        alt.Chart(counts, title="Indicators by status and priority")
        .mark_bar()
        .encode(
            y=alt.Y("priority:N", title=None),
            x=alt.X("indicators:Q", title="indicators", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "status_label:N",
                title="status",
                scale=alt.Scale(domain=order, range=[STATUS_COLOURS[s] for s in STATUSES]),
            ),
            order=alt.Order("status:N"),
            tooltip=["priority:N", "status_label:N", "indicators:Q"],
        )
        .properties(width=420)
    )


def chart_svg(chart: Any) -> str:
    """Return the chart drawn as SVG by vl-convert on the server (no script, no request)."""
    import vl_convert as vlc

    from ris3.report._assets import vega_lite_version

    return str(vlc.vegalite_to_svg(chart.to_dict(), vl_version=vega_lite_version()))
