"""Charts of relatedness, opportunities and diversity (Altair / Vega-Lite).

Re-exported by :mod:`ris3.report.charts`; same conventions: tidy tables in,
Altair charts out, no rounding, rows that cannot be drawn counted in the
subtitle.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError
from ris3.report._chart_utils import (
    ESTIMATE_NOTE,
    REGION_COLOUR,
    data_values,
    estimate_fill,
    estimate_flags,
    need_columns,
    padded_domain,
    pick_labels,
    short_names,
    title_with_notes,
)
from ris3.report.html import to_records

__all__ = ["diversity_chart", "network_chart", "opportunities_chart"]


def network_chart(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    node: str = "activity",
    label: str = "name",
    x: str = "x",
    y: str = "y",
    highlight: str = "specialised",
    source: str = "source",
    target: str = "target",
    weight: str | None = "proximity",
    title: str = "Relatedness network of activities",
    priority: str | None = "employment",
    max_labels: int = 30,
) -> Any:
    """Network of activities at given positions, the region's specialisations highlighted.

    Labels: the region's specialisations, by ``priority`` (largest first, e.g.
    employment), as many as fit without overlapping, at most ``max_labels``;
    the subtitle says how many are labelled and the tooltip names every node.

    Parameters
    ----------
    nodes : DataFrame
        One row per activity: ``node`` code, ``label``, layout position ``x``,
        ``y`` and a boolean ``highlight`` (e.g. the region's LQ >= 1).
    edges : DataFrame
        One row per link: ``source``, ``target`` (node codes) and optionally
        a ``weight`` shown in the tooltip and as line opacity.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> n = pd.DataFrame({"activity": ["a", "b"], "name": ["A", "B"], "x": [0.0, 1.0],
    ...                   "y": [0.0, 1.0], "specialised": [True, False]})
    >>> e = pd.DataFrame({"source": ["a"], "target": ["b"], "proximity": [0.4]})
    >>> len(network_chart(n, e).to_dict()["layer"])
    3
    """
    import altair as alt

    need_columns(nodes, "nodes", [node, label, x, y, highlight])
    ecols = [source, target] + ([weight] if weight else [])
    if not isinstance(edges, pd.DataFrame):
        raise InputError(f"edges must be a pandas DataFrame; got {type(edges).__name__}")
    missing = [c for c in ecols if c not in edges.columns]
    if missing:
        raise InputError(f"edges has no column(s) {short_list(missing)}")
    n = nodes[[node, label, x, y, highlight]].rename(
        columns={node: "node", label: "name", x: "x", y: "y", highlight: "specialised"}
    )
    n["specialised"] = n["specialised"].astype(bool)
    n["_priority"] = (
        pd.to_numeric(nodes[priority], errors="coerce").to_numpy()
        if priority and priority in nodes.columns
        else 0.0
    )
    pos = n.set_index("node")[["x", "y"]]
    unknown = sorted((set(edges[source]) | set(edges[target])) - set(pos.index))
    if unknown:
        raise InputError(f"edges name nodes not in nodes[{node!r}]: {short_list(unknown)}")
    e = pd.DataFrame(
        {
            "source": edges[source].to_numpy(),
            "target": edges[target].to_numpy(),
            "x": pos["x"].reindex(edges[source]).to_numpy(),
            "y": pos["y"].reindex(edges[source]).to_numpy(),
            "x2": pos["x"].reindex(edges[target]).to_numpy(),
            "y2": pos["y"].reindex(edges[target]).to_numpy(),
        }
    )
    if weight:
        e["weight"] = edges[weight].to_numpy()
    ax = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    width, height = 620, 460
    xd, yd = padded_domain(n["x"]), padded_domain(n["y"])
    xsc = alt.Scale(domain=list(xd), nice=False, zero=False)
    ysc = alt.Scale(domain=list(yd), nice=False, zero=False)
    lines = (
        alt.Chart(data_values(to_records(e)))
        .mark_rule(color="#9aa5b1", strokeWidth=0.8)
        .encode(
            x=alt.X("x:Q", axis=ax, scale=xsc),
            y=alt.Y("y:Q", axis=ax, scale=ysc),
            x2="x2:Q",
            y2="y2:Q",
            opacity=alt.Opacity("weight:Q", legend=None, scale=alt.Scale(range=[0.15, 0.8]))
            if weight
            else alt.value(0.4),
        )
    )
    points = (
        alt.Chart(data_values(to_records(n)))
        .mark_circle(stroke="#333", strokeWidth=0.4)
        .encode(
            x=alt.X("x:Q", axis=ax, scale=xsc),
            y=alt.Y("y:Q", axis=ax, scale=ysc),
            color=alt.Color(
                "specialised:N",
                title="Region specialised (LQ >= 1)",
                scale=alt.Scale(domain=[True, False], range=[REGION_COLOUR, "#c9d1da"]),
            ),
            size=alt.condition("datum.specialised", alt.value(140), alt.value(50)),
            tooltip=[alt.Tooltip("node:N", title="Code"), alt.Tooltip("name:N", title="Activity")],
        )
    )
    spec = n[n["specialised"]].sort_values("_priority", ascending=False, kind="stable")
    shown = spec[
        pick_labels(
            spec["x"],
            spec["y"],
            list(spec["node"].astype(str)),
            x_domain=xd,
            y_domain=yd,
            width=width,
            height=height,
            font_size=9,
            dx=0,
            dy=-9,
            limit=max_labels,
            align="center",
        )
    ]
    text = (
        alt.Chart(data_values(to_records(shown.drop(columns="_priority"))))
        .mark_text(dy=-9, fontSize=9)
        .encode(x=alt.X("x:Q", scale=xsc), y=alt.Y("y:Q", scale=ysc), text="node:N")
    )
    by = f" by {priority}" if priority and priority in nodes.columns else ""
    notes = [
        f"{len(n)} activities, {len(e)} links; labelled: {len(shown)} of the region's "
        f"{len(spec)} specialisations (the largest{by} whose labels do not overlap; "
        "hover for every name)."
    ]
    return alt.layer(lines, points, text).properties(
        title=title_with_notes(alt, title, notes), width=width, height=height
    )


def opportunities_chart(
    table: pd.DataFrame,
    *,
    label: str = "name",
    feasibility: str = "feasibility",
    attractiveness: str = "attractiveness",
    top: int = 10,
    text: str | None = None,
    estimated: str | None = "estimated",
    title: str = "Diversification opportunities",
) -> Any:
    """Scatter of feasibility against attractiveness with quadrant labels.

    Quadrant lines sit at the medians of both axes; the ``top`` rows of the
    table (in the given order, e.g. the ranking) are highlighted and labelled,
    in rank order, as long as a label overlaps no label drawn before it (the
    subtitle says how many are labelled; the tooltip names every point).

    Parameters
    ----------
    table : DataFrame
        One row per candidate activity with ``label``, ``feasibility`` (e.g.
        relatedness density, 0-1) and ``attractiveness``.
    text : str, optional
        Column used to label the top rows (e.g. short codes); default ``label``.
    estimated : str or None
        Boolean column marking estimated rows (drawn hollow, noted in the
        subtitle); ignored when the table has no such column.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B", "C"], "feasibility": [0.2, 0.5, 0.4],
    ...                   "attractiveness": [1.0, -0.5, 0.3]})
    >>> opportunities_chart(t, top=2).to_dict()["title"]["text"]
    'Diversification opportunities'
    """
    import altair as alt

    need_columns(table, "table", [label, feasibility, attractiveness])
    top = int(check_number("top", top, low=1, integer=True))
    need_columns(table, "table", [text or label])
    t = table[[label, feasibility, attractiveness]].rename(
        columns={label: "name", feasibility: "feasibility", attractiveness: "attractiveness"}
    )
    t["text"] = table[text or label].astype(str).to_numpy()
    t["estimated"] = estimate_flags(table, estimated).to_numpy()
    t["rank"] = np.arange(1, len(t) + 1)
    ok = t["feasibility"].notna() & t["attractiveness"].notna()
    dropped = int((~ok).sum())
    t = t[ok]
    if t.empty:
        raise InputError("table has no row with both feasibility and attractiveness")
    fx, fy = float(t["feasibility"].median()), float(t["attractiveness"].median())
    x_lo, x_hi = float(t["feasibility"].min()), float(t["feasibility"].max())
    y_lo, y_hi = float(t["attractiveness"].min()), float(t["attractiveness"].max())
    t["top"] = t["rank"] <= top
    width, height = 620, 420
    xd, yd = padded_domain(t["feasibility"]), padded_domain(t["attractiveness"])
    base = alt.Chart(data_values(to_records(t)))
    xsc = alt.Scale(domain=list(xd), nice=False, zero=False)
    ysc = alt.Scale(domain=list(yd), nice=False, zero=False)
    xs = alt.X("feasibility:Q", title="Feasibility (relatedness density)", scale=xsc)
    ys = alt.Y("attractiveness:Q", title="Attractiveness", scale=ysc)
    dots = base.mark_circle(size=60, opacity=0.75, strokeWidth=1.5).encode(
        x=xs,
        y=ys,
        fillOpacity=estimate_fill(alt),
        stroke=alt.Stroke(
            "top:N",
            scale=alt.Scale(domain=[True, False], range=[REGION_COLOUR, "#9aa5b1"]),
            legend=None,
        ),
        color=alt.Color(
            "top:N",
            title=f"Top {top}",
            scale=alt.Scale(domain=[True, False], range=[REGION_COLOUR, "#9aa5b1"]),
        ),
        tooltip=[
            alt.Tooltip("rank:Q", title="Rank"),
            alt.Tooltip("name:N", title="Activity"),
            alt.Tooltip("feasibility:Q", title="Feasibility", format=".3f"),
            alt.Tooltip("attractiveness:Q", title="Attractiveness", format=".3f"),
            alt.Tooltip("estimated:N", title="Estimate"),
        ],
    )
    tops = t[t["top"]].assign(short=short_names(t.loc[t["top"], "text"], 24))
    labelled = tops[
        pick_labels(
            tops["feasibility"],
            tops["attractiveness"],
            list(tops["short"]),
            x_domain=xd,
            y_domain=yd,
            width=width,
            height=height,
        )
    ]
    names = (
        alt.Chart(data_values(to_records(labelled)))
        .mark_text(align="left", dx=6, fontSize=10)
        .encode(x=xs, y=ys, text="short:N")
    )
    rules = alt.layer(
        alt.Chart(data_values([{"x": fx}]))
        .mark_rule(strokeDash=[4, 3], color="#444")
        .encode(x="x:Q"),
        alt.Chart(data_values([{"y": fy}]))
        .mark_rule(strokeDash=[4, 3], color="#444")
        .encode(y="y:Q"),
    )
    quad = pd.DataFrame(
        {
            "x": [x_hi, x_lo, x_hi, x_lo],
            "y": [y_hi, y_hi, y_lo, y_lo],
            "t": [
                "feasible and attractive",
                "attractive, harder to reach",
                "feasible, less attractive",
                "low priority",
            ],
            "align": ["right", "left", "right", "left"],
        }
    )
    qlabels = alt.layer(
        *[
            alt.Chart(data_values(to_records(quad.iloc[[i]])))
            .mark_text(
                align=str(quad["align"][i]),  # type: ignore[arg-type]
                baseline="top" if i < 2 else "bottom",
                color="#888",
                fontStyle="italic",
            )
            .encode(x="x:Q", y="y:Q", text="t:N")
            for i in range(4)
        ]
    )
    notes = [
        "Lines: medians.",
        f"Labelled: {len(labelled)} of the top {len(tops)} (in rank order, where the label "
        "does not overlap one drawn before).",
        f"{dropped} candidates with missing values not shown." if dropped else "",
        ESTIMATE_NOTE if bool(t["estimated"].any()) else "",
    ]
    return alt.layer(rules, qlabels, dots, names).properties(
        title=title_with_notes(alt, title, notes), width=width, height=height
    )


def diversity_chart(
    table: pd.DataFrame,
    *,
    region: str = "region",
    label: str = "name",
    measure: str = "measure",
    value: str = "value",
    highlight: str | None = None,
    title: str = "Diversity and variety against peers",
) -> Any:
    """Bars of diversity measures for a region and its peers, one panel per measure.

    Parameters
    ----------
    table : DataFrame
        Tidy long: ``region`` code, ``label`` (region name), ``measure``
        (e.g. "related variety") and ``value``.
    highlight : str, optional
        Region code drawn in the highlight colour.

    Returns
    -------
    altair.ConcatChart
        Two panels per row.

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["A", "B"], "name": ["Alpha", "Beta"],
    ...                   "measure": ["entropy", "entropy"], "value": [3.1, 2.4]})
    >>> diversity_chart(t, highlight="A").to_dict()["title"]["text"]
    'Diversity and variety against peers'
    """
    import altair as alt

    need_columns(table, "table", [region, label, measure, value])
    t = table[[region, label, measure, value]].rename(
        columns={region: "region", label: "name", measure: "measure", value: "value"}
    )
    t["focus"] = t["region"] == highlight
    panels = []
    for m in pd.unique(t["measure"]):
        sub = t[t["measure"] == m]
        panels.append(
            alt.Chart(data_values(to_records(sub)))
            .mark_bar()
            .encode(
                y=alt.Y("name:N", sort="-x", title=None),
                x=alt.X("value:Q", title=str(m)),
                color=alt.condition("datum.focus", alt.value(REGION_COLOUR), alt.value("#9aa5b1")),
                tooltip=[
                    alt.Tooltip("name:N", title="Region"),
                    alt.Tooltip("region:N", title="Code"),
                    alt.Tooltip("value:Q", title=str(m), format=".3f"),
                ],
            )
            .properties(width=170, title=str(m))
        )
    return alt.concat(*panels, columns=2).properties(title=alt.Title(title))
