"""Charts of a region's profile as Altair (Vega-Lite) specs.

Every function takes tidy tables with documented columns (names passed by
keyword, with defaults matching :class:`ris3.report.RegionProfile`) and
returns an Altair chart. The charts never round or rescale the data: axes and
tooltips show the values given. Rows a chart cannot show (e.g. LQ = 0 on a
log axis) are left out and counted in the chart's subtitle.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ris3._validation import check_number
from ris3.errors import InputError
from ris3.report._chart_utils import (
    ESTIMATE_NOTE,
    OTHER_COLOUR,
    REGION_COLOUR,
    data_values,
    estimate_fill,
    estimate_flags,
    need_columns,
    short_names,
    title_with_notes,
)
from ris3.report.html import to_records

__all__ = [
    "diversity_chart",
    "network_chart",
    "opportunities_chart",
    "portfolio_chart",
    "shift_share_chart",
    "specialisation_chart",
]


def specialisation_chart(
    table: pd.DataFrame,
    *,
    activity: str = "activity",
    label: str = "activity_name",
    lq_europe: str = "lq_europe",
    lq_country: str = "lq_country",
    reference: str = "Europe",
    top: int = 15,
    estimated: str | None = "estimated",
    title: str = "Location quotients of the top activities",
) -> Any:
    """Dot plot of the LQ against Europe and against the country, log axis.

    Parameters
    ----------
    table : DataFrame
        One row per activity with ``activity``, ``label``, ``lq_europe`` and
        ``lq_country`` (NaN = not computable, e.g. missing cells).
    reference : str, default "Europe"
        Name of the reference area of ``lq_europe`` in the legend (e.g.
        "all regions of the data" for a table that is not Europe).
    top : int
        Show the ``top`` activities by LQ against the reference area.
    estimated : str or None
        Boolean column marking estimated rows (drawn hollow, noted in the
        subtitle); ignored when the table has no such column.

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

    need_columns(table, "table", [activity, label, lq_europe, lq_country])
    top = int(check_number("top", top, low=1, integer=True))
    t = table.sort_values(lq_europe, ascending=False, na_position="last").head(top)
    t = t.assign(estimated=estimate_flags(t, estimated).to_numpy())
    long = t.melt(
        id_vars=[activity, label, "estimated"],
        value_vars=[lq_europe, lq_country],
        var_name="reference",
        value_name="lq",
    )
    long["reference"] = long["reference"].map({lq_europe: reference, lq_country: "country"})
    shown = long[long["lq"] > 0]
    dropped = len(long) - len(shown)
    long = shown.rename(columns={activity: "activity", label: "name"})
    order = list(t[label])
    base = alt.Chart(data_values(to_records(long)))
    y = alt.Y("name:N", sort=order, title=None)
    points = base.mark_point(filled=True, size=70, strokeWidth=1.5).encode(
        x=alt.X("lq:Q", scale=alt.Scale(type="log"), title="Location quotient (log scale)"),
        y=y,
        fillOpacity=estimate_fill(alt),
        color=alt.Color(
            "reference:N",
            title="Against",
            scale=alt.Scale(domain=[reference, "country"], range=[REGION_COLOUR, OTHER_COLOUR]),
        ),
        tooltip=[
            alt.Tooltip("activity:N", title="Code"),
            alt.Tooltip("name:N", title="Activity"),
            alt.Tooltip("reference:N", title="Against"),
            alt.Tooltip("lq:Q", title="LQ", format=".3f"),
            alt.Tooltip("estimated:N", title="Estimate"),
        ],
    )
    rule = (
        alt.Chart(data_values([{"x": 1.0}]))
        .mark_rule(color="#444", strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    note = f"{dropped} value(s) missing or 0 not shown." if dropped else ""
    est = ESTIMATE_NOTE if bool(long["estimated"].any()) else ""
    return alt.layer(rule, points).properties(
        title=title_with_notes(alt, title, ["Dashed line: LQ = 1.", note, est]), width=520
    )


def portfolio_chart(
    table: pd.DataFrame,
    *,
    national_growth: float,
    label: str = "name",
    lq: str = "lq",
    growth: str = "growth",
    size: str = "employment",
    estimated: str | None = "estimated",
    title: str = "Portfolio: specialisation and growth",
    reference: str = "Europe",
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
    estimated : str or None
        Boolean column marking estimated rows (drawn hollow, noted in the
        subtitle); ignored when the table has no such column.

    reference : str, default "Europe"
        Name of the reference area of the LQ, for the axis title.

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

    need_columns(table, "table", [label, lq, growth, size])
    g0 = float(check_number("national_growth", national_growth))
    t = table[[label, lq, growth, size]].rename(
        columns={label: "name", lq: "lq", growth: "growth", size: "employment"}
    )
    t["estimated"] = estimate_flags(table, estimated).to_numpy()
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
        alt.Chart(data_values(to_records(t)))
        .mark_circle(opacity=0.65, stroke="#333", strokeWidth=0.8)
        .encode(
            fillOpacity=estimate_fill(alt),
            x=alt.X("lq:Q", scale=xs, title=f"Location quotient against {reference} (log scale)"),
            y=alt.Y("growth:Q", scale=ys, title="Employment growth", axis=alt.Axis(format="%")),
            size=alt.Size("employment:Q", title="Employment", scale=alt.Scale(range=[30, 2500])),
            color=alt.condition(
                f"datum.lq >= 1 && datum.growth >= {g0!r}",
                alt.value(REGION_COLOUR),
                alt.value(OTHER_COLOUR),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Activity"),
                alt.Tooltip("lq:Q", title="LQ", format=".3f"),
                alt.Tooltip("growth:Q", title="Growth", format=".2%"),
                alt.Tooltip("employment:Q", title="Employment", format=",.0f"),
                alt.Tooltip("estimated:N", title="Estimate"),
            ],
        )
    )
    # label the largest specialised activities and the most specialised ones
    specialised = t[t["lq"] >= 1]
    picked = pd.concat([specialised.nlargest(6, "employment"), t.nlargest(3, "lq")])
    picked = picked[~picked.index.duplicated()]
    text = (
        alt.Chart(data_values(to_records(picked.assign(short=short_names(picked["name"], 26)))))
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
        alt.Chart(data_values([{"x": 1.0}]))
        .mark_rule(color="#444", strokeDash=[4, 3])
        .encode(x=alt.X("x:Q", scale=xs)),
        alt.Chart(data_values([{"y": g0}]))
        .mark_rule(color="#444", strokeDash=[4, 3])
        .encode(y=alt.Y("y:Q", scale=ys)),
    )
    labels = alt.layer(
        *[
            alt.Chart(data_values([q]))
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
        ESTIMATE_NOTE if bool(t["estimated"].any()) else "",
    ]
    return alt.layer(lines, labels, bubbles, text).properties(
        title=title_with_notes(alt, title, notes), width=620, height=420
    )


def shift_share_chart(
    table: pd.DataFrame,
    *,
    label: str = "name",
    component: str = "component",
    value: str = "value",
    top: int = 15,
    estimated: str | None = "estimated",
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
    estimated : str or None
        Boolean column marking rows that rest on estimates (drawn pale,
        noted in the subtitle); ignored when the table has no such column.

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

    need_columns(table, "table", [label, component, value])
    top = int(check_number("top", top, low=1, integer=True))
    t = table[[label, component, value]].rename(
        columns={label: "name", component: "component", value: "value"}
    )
    t["estimated"] = estimate_flags(table, estimated).to_numpy()
    total = t.groupby("name", sort=False)["value"].sum(min_count=1)
    keep = total.abs().sort_values(ascending=False).head(top).index
    t = t[t["name"].isin(keep)]
    order = list(total[keep].sort_values(ascending=False).index)
    tot = pd.DataFrame({"name": keep, "total": total[keep].to_numpy()})
    bars = (
        alt.Chart(data_values(to_records(t)))
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=order, title=None),
            x=alt.X("value:Q", title="Change in persons employed"),
            color=alt.Color("component:N", title="Component"),
            opacity=alt.condition("datum.estimated", alt.value(0.35), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("name:N", title="Activity"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("value:Q", title="Change", format=",.1f"),
                alt.Tooltip("estimated:N", title="Estimate"),
            ],
        )
    )
    ticks = (
        alt.Chart(data_values(to_records(tot)))
        .mark_tick(color="#000", thickness=2, size=14)
        .encode(
            y=alt.Y("name:N", sort=order),
            x="total:Q",
            tooltip=[alt.Tooltip("total:Q", title="Total change", format=",.1f")],
        )
    )
    return alt.layer(bars, ticks).properties(
        title=title_with_notes(
            alt,
            title,
            [
                "Black tick: total change.",
                "Pale bars: estimates." if bool(t["estimated"].any()) else "",
            ],
        ),
        width=560,
    )


# the relatedness, opportunity and diversity charts live in their own module
from ris3.report.charts_relatedness import (  # noqa: E402
    diversity_chart,
    network_chart,
    opportunities_chart,
)
