"""Charts of a region's profile as Altair (Vega-Lite) specs.

Every function takes tidy tables with documented columns (names passed by
keyword, with defaults matching :class:`ris3.report.RegionProfile`) and
returns an Altair chart. The charts never round or rescale the data: axes and
tooltips show the values given. Rows a chart cannot show (e.g. LQ = 0 on a
log axis) are left out and counted in the chart's subtitle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError
from ris3.report.html import to_records

__all__ = [
    "diversity_chart",
    "network_chart",
    "opportunities_chart",
    "portfolio_chart",
    "shift_share_chart",
    "specialisation_chart",
]

_REGION = "#d95f02"
_OTHER = "#7570b3"


def _data(values: list[dict[str, Any]]) -> dict[str, Any]:
    # a plain dict: alt.Data(values=...) validates every row, which is slow on big tables
    return {"values": values}


def _short(names: pd.Series, n: int) -> list[str]:
    """Names cut to ``n`` characters for labels (tooltips keep the full name)."""
    return [s if len(s) <= n else s[: n - 1].rstrip() + "…" for s in names.astype(str)]


def _need(df: pd.DataFrame, what: str, columns: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame; got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"{what} has no column(s) {short_list(missing)}; "
            f"available: {short_list(map(str, df.columns), 20)}"
        )
    if len(df) == 0:
        raise InputError(f"{what} is empty: nothing to draw")


def _title(alt: Any, title: str, notes: Sequence[str]) -> Any:
    sub = " ".join(n for n in notes if n)
    return alt.Title(title, subtitle=sub) if sub else alt.Title(title)


def specialisation_chart(
    table: pd.DataFrame,
    *,
    activity: str = "activity",
    label: str = "activity_name",
    lq_europe: str = "lq_europe",
    lq_country: str = "lq_country",
    top: int = 15,
    title: str = "Location quotients of the top activities",
) -> Any:
    """Dot plot of the LQ against Europe and against the country, log axis.

    Parameters
    ----------
    table : DataFrame
        One row per activity with ``activity``, ``label``, ``lq_europe`` and
        ``lq_country`` (NaN = not computable, e.g. missing cells).
    top : int
        Show the ``top`` activities by LQ against Europe.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> t = pd.DataFrame({"activity": ["I55", "C13"], "activity_name": ["Hotels", "Textiles"],
    ...                   "lq_europe": [6.1, 0.2], "lq_country": [3.0, 0.5]})
    >>> specialisation_chart(t).to_dict()["title"]["text"]
    'Location quotients of the top activities'
    """
    import altair as alt

    _need(table, "table", [activity, label, lq_europe, lq_country])
    top = int(check_number("top", top, low=1, integer=True))
    t = table.sort_values(lq_europe, ascending=False, na_position="last").head(top)
    long = t.melt(
        id_vars=[activity, label],
        value_vars=[lq_europe, lq_country],
        var_name="reference",
        value_name="lq",
    )
    long["reference"] = long["reference"].map({lq_europe: "Europe", lq_country: "country"})
    shown = long[long["lq"] > 0]
    dropped = len(long) - len(shown)
    long = shown.rename(columns={activity: "activity", label: "name"})
    order = list(t[label])
    base = alt.Chart(_data(to_records(long)))
    y = alt.Y("name:N", sort=order, title=None)
    points = base.mark_point(filled=True, size=70).encode(
        x=alt.X("lq:Q", scale=alt.Scale(type="log"), title="Location quotient (log scale)"),
        y=y,
        color=alt.Color(
            "reference:N",
            title="Against",
            scale=alt.Scale(domain=["Europe", "country"], range=[_REGION, _OTHER]),
        ),
        tooltip=[
            alt.Tooltip("activity:N", title="Code"),
            alt.Tooltip("name:N", title="Activity"),
            alt.Tooltip("reference:N", title="Against"),
            alt.Tooltip("lq:Q", title="LQ", format=".3f"),
        ],
    )
    rule = alt.Chart(_data([{"x": 1.0}])).mark_rule(color="#444", strokeDash=[4, 3]).encode(x="x:Q")
    note = f"{dropped} value(s) missing or 0 not shown." if dropped else ""
    return alt.layer(rule, points).properties(
        title=_title(alt, title, ["Dashed line: LQ = 1.", note]), width=520
    )


def portfolio_chart(
    table: pd.DataFrame,
    *,
    national_growth: float,
    label: str = "name",
    lq: str = "lq",
    growth: str = "growth",
    size: str = "employment",
    title: str = "Portfolio: specialisation and growth",
) -> Any:
    """Bubble chart of LQ (log scale) against growth, sized by employment.

    Quadrant lines at LQ = 1 and at the national growth rate split the
    portfolio into specialised and growing, specialised and lagging,
    emerging, and weak activities.

    Parameters
    ----------
    table : DataFrame
        One row per activity or cluster: ``label``, ``lq`` (> 0 to be drawn),
        ``growth`` (a rate, e.g. 0.05 = +5 %), ``size`` (employment).
    national_growth : float
        Growth rate of the country over the same period (horizontal line).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Hotels", "Textiles"], "lq": [6.1, 0.2],
    ...                   "growth": [0.1, -0.2], "employment": [30000, 800]})
    >>> len(portfolio_chart(t, national_growth=0.02).to_dict()["layer"])
    4
    """
    import altair as alt

    _need(table, "table", [label, lq, growth, size])
    g0 = float(check_number("national_growth", national_growth))
    t = table[[label, lq, growth, size]].rename(
        columns={label: "name", lq: "lq", growth: "growth", size: "employment"}
    )
    ok = (t["lq"] > 0) & t["growth"].notna() & t["employment"].notna()
    dropped = int((~ok).sum())
    t = t[ok]
    if t.empty:
        raise InputError("table has no row with LQ > 0 and a known growth and employment")
    x_lo, x_hi = float(t["lq"].min()) / 1.5, float(t["lq"].max()) * 1.5
    x_lo, x_hi = min(x_lo, 0.5), max(x_hi, 2.0)
    y_lo, y_hi = float(min(t["growth"].min(), g0)), float(max(t["growth"].max(), g0))
    pad = (y_hi - y_lo) * 0.08 or 0.05
    y_lo, y_hi = y_lo - pad, y_hi + pad
    xs = alt.Scale(type="log", domain=[x_lo, x_hi], nice=False)
    ys = alt.Scale(domain=[y_lo, y_hi], nice=False)
    bubbles = (
        alt.Chart(_data(to_records(t)))
        .mark_circle(opacity=0.65, stroke="#333", strokeWidth=0.5)
        .encode(
            x=alt.X("lq:Q", scale=xs, title="Location quotient against Europe (log scale)"),
            y=alt.Y("growth:Q", scale=ys, title="Employment growth", axis=alt.Axis(format="%")),
            size=alt.Size("employment:Q", title="Employment", scale=alt.Scale(range=[30, 2500])),
            color=alt.condition(
                f"datum.lq >= 1 && datum.growth >= {g0!r}", alt.value(_REGION), alt.value(_OTHER)
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Activity"),
                alt.Tooltip("lq:Q", title="LQ", format=".3f"),
                alt.Tooltip("growth:Q", title="Growth", format=".2%"),
                alt.Tooltip("employment:Q", title="Employment", format=",.0f"),
            ],
        )
    )
    # label the largest specialised activities and the most specialised ones
    specialised = t[t["lq"] >= 1]
    picked = pd.concat([specialised.nlargest(6, "employment"), t.nlargest(3, "lq")])
    picked = picked[~picked.index.duplicated()]
    text = (
        alt.Chart(_data(to_records(picked.assign(short=_short(picked["name"], 26)))))
        .mark_text(align="left", dx=7, fontSize=10)
        .encode(x=alt.X("lq:Q", scale=xs), y=alt.Y("growth:Q", scale=ys), text="short:N")
    )
    quad: list[dict[str, Any]] = [
        {"x": x_hi / 1.05, "y": y_hi, "t": "specialised, growing", "a": "right"},
        {"x": x_hi / 1.05, "y": y_lo, "t": "specialised, lagging", "a": "right"},
        {"x": x_lo * 1.05, "y": y_hi, "t": "emerging", "a": "left"},
        {"x": x_lo * 1.05, "y": y_lo, "t": "weak, lagging", "a": "left"},
    ]
    lines = alt.layer(
        alt.Chart(_data([{"x": 1.0}]))
        .mark_rule(color="#444", strokeDash=[4, 3])
        .encode(x=alt.X("x:Q", scale=xs)),
        alt.Chart(_data([{"y": g0}]))
        .mark_rule(color="#444", strokeDash=[4, 3])
        .encode(y=alt.Y("y:Q", scale=ys)),
    )
    labels = alt.layer(
        *[
            alt.Chart(_data([q]))
            .mark_text(
                align=q["a"],
                baseline="top" if q["y"] == y_hi else "bottom",
                color="#888",
                fontStyle="italic",
            )
            .encode(x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text="t:N")
            for q in quad
        ]
    )
    notes = [
        f"Lines: LQ = 1 and national growth ({g0:.2%}).",
        f"{dropped} activities with LQ 0 or missing values not shown." if dropped else "",
    ]
    return alt.layer(lines, labels, bubbles, text).properties(
        title=_title(alt, title, notes), width=620, height=420
    )


def shift_share_chart(
    table: pd.DataFrame,
    *,
    label: str = "name",
    component: str = "component",
    value: str = "value",
    top: int = 15,
    title: str = "Shift-share of employment change",
) -> Any:
    """Diverging stacked bars of shift-share components per activity.

    Parameters
    ----------
    table : DataFrame
        Tidy long: one row per activity x component (e.g. national growth,
        industry mix, regional shift) with the employment change ``value``.
    top : int
        Activities with the largest absolute total change.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "A", "B", "B"],
    ...                   "component": ["national", "regional"] * 2,
    ...                   "value": [10.0, -3.0, 2.0, 5.0]})
    >>> shift_share_chart(t).to_dict()["title"]["text"]
    'Shift-share of employment change'
    """
    import altair as alt

    _need(table, "table", [label, component, value])
    top = int(check_number("top", top, low=1, integer=True))
    t = table[[label, component, value]].rename(
        columns={label: "name", component: "component", value: "value"}
    )
    total = t.groupby("name", sort=False)["value"].sum(min_count=1)
    keep = total.abs().sort_values(ascending=False).head(top).index
    t = t[t["name"].isin(keep)]
    order = list(total[keep].sort_values(ascending=False).index)
    tot = pd.DataFrame({"name": keep, "total": total[keep].to_numpy()})
    bars = (
        alt.Chart(_data(to_records(t)))
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=order, title=None),
            x=alt.X("value:Q", title="Change in persons employed"),
            color=alt.Color("component:N", title="Component"),
            tooltip=[
                alt.Tooltip("name:N", title="Activity"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("value:Q", title="Change", format=",.1f"),
            ],
        )
    )
    ticks = (
        alt.Chart(_data(to_records(tot)))
        .mark_tick(color="#000", thickness=2, size=14)
        .encode(
            y=alt.Y("name:N", sort=order),
            x="total:Q",
            tooltip=[alt.Tooltip("total:Q", title="Total change", format=",.1f")],
        )
    )
    return alt.layer(bars, ticks).properties(
        title=_title(alt, title, ["Black tick: total change."]), width=560
    )


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
) -> Any:
    """Network of activities at given positions, the region's specialisations highlighted.

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

    _need(nodes, "nodes", [node, label, x, y, highlight])
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
    lines = (
        alt.Chart(_data(to_records(e)))
        .mark_rule(color="#9aa5b1", strokeWidth=0.8)
        .encode(
            x=alt.X("x:Q", axis=ax),
            y=alt.Y("y:Q", axis=ax),
            x2="x2:Q",
            y2="y2:Q",
            opacity=alt.Opacity("weight:Q", legend=None, scale=alt.Scale(range=[0.15, 0.8]))
            if weight
            else alt.value(0.4),
        )
    )
    points = (
        alt.Chart(_data(to_records(n)))
        .mark_circle(stroke="#333", strokeWidth=0.4)
        .encode(
            x=alt.X("x:Q", axis=ax),
            y=alt.Y("y:Q", axis=ax),
            color=alt.Color(
                "specialised:N",
                title="Region specialised (LQ >= 1)",
                scale=alt.Scale(domain=[True, False], range=[_REGION, "#c9d1da"]),
            ),
            size=alt.condition("datum.specialised", alt.value(140), alt.value(50)),
            tooltip=[alt.Tooltip("node:N", title="Code"), alt.Tooltip("name:N", title="Activity")],
        )
    )
    text = (
        alt.Chart(_data(to_records(n[n["specialised"]])))
        .mark_text(dy=-9, fontSize=9)
        .encode(x="x:Q", y="y:Q", text="node:N")
    )
    notes = [f"{len(n)} activities, {len(e)} links; labelled: the region's specialisations."]
    return alt.layer(lines, points, text).properties(
        title=_title(alt, title, notes), width=620, height=460
    )


def opportunities_chart(
    table: pd.DataFrame,
    *,
    label: str = "name",
    feasibility: str = "feasibility",
    attractiveness: str = "attractiveness",
    top: int = 10,
    text: str | None = None,
    title: str = "Diversification opportunities",
) -> Any:
    """Scatter of feasibility against attractiveness with quadrant labels.

    Quadrant lines sit at the medians of both axes; the ``top`` rows of the
    table (in the given order, e.g. the ranking) are labelled.

    Parameters
    ----------
    table : DataFrame
        One row per candidate activity with ``label``, ``feasibility`` (e.g.
        relatedness density, 0-1) and ``attractiveness``.
    text : str, optional
        Column used to label the top rows (e.g. short codes); default ``label``.

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

    _need(table, "table", [label, feasibility, attractiveness])
    top = int(check_number("top", top, low=1, integer=True))
    _need(table, "table", [text or label])
    t = table[[label, feasibility, attractiveness]].rename(
        columns={label: "name", feasibility: "feasibility", attractiveness: "attractiveness"}
    )
    t["text"] = table[text or label].astype(str).to_numpy()
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
    base = alt.Chart(_data(to_records(t)))
    xs = alt.X(
        "feasibility:Q", title="Feasibility (relatedness density)", scale=alt.Scale(zero=False)
    )
    ys = alt.Y("attractiveness:Q", title="Attractiveness", scale=alt.Scale(zero=False))
    dots = base.mark_circle(size=60, opacity=0.75).encode(
        x=xs,
        y=ys,
        color=alt.Color(
            "top:N",
            title=f"Top {top}",
            scale=alt.Scale(domain=[True, False], range=[_REGION, "#9aa5b1"]),
        ),
        tooltip=[
            alt.Tooltip("rank:Q", title="Rank"),
            alt.Tooltip("name:N", title="Activity"),
            alt.Tooltip("feasibility:Q", title="Feasibility", format=".3f"),
            alt.Tooltip("attractiveness:Q", title="Attractiveness", format=".3f"),
        ],
    )
    names = (
        alt.Chart(_data(to_records(t[t["top"]].assign(short=_short(t.loc[t["top"], "text"], 24)))))
        .mark_text(align="left", dx=6, fontSize=10)
        .encode(x="feasibility:Q", y="attractiveness:Q", text="short:N")
    )
    rules = alt.layer(
        alt.Chart(_data([{"x": fx}])).mark_rule(strokeDash=[4, 3], color="#444").encode(x="x:Q"),
        alt.Chart(_data([{"y": fy}])).mark_rule(strokeDash=[4, 3], color="#444").encode(y="y:Q"),
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
            alt.Chart(_data(to_records(quad.iloc[[i]])))
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
        f"{dropped} candidates with missing values not shown." if dropped else "",
    ]
    return alt.layer(rules, qlabels, dots, names).properties(
        title=_title(alt, title, notes), width=620, height=420
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

    _need(table, "table", [region, label, measure, value])
    t = table[[region, label, measure, value]].rename(
        columns={region: "region", label: "name", measure: "measure", value: "value"}
    )
    t["focus"] = t["region"] == highlight
    panels = []
    for m in pd.unique(t["measure"]):
        sub = t[t["measure"] == m]
        panels.append(
            alt.Chart(_data(to_records(sub)))
            .mark_bar()
            .encode(
                y=alt.Y("name:N", sort="-x", title=None),
                x=alt.X("value:Q", title=str(m)),
                color=alt.condition("datum.focus", alt.value(_REGION), alt.value("#9aa5b1")),
                tooltip=[
                    alt.Tooltip("name:N", title="Region"),
                    alt.Tooltip("region:N", title="Code"),
                    alt.Tooltip("value:Q", title=str(m), format=".3f"),
                ],
            )
            .properties(width=170, title=str(m))
        )
    return alt.concat(*panels, columns=2).properties(title=alt.Title(title))
