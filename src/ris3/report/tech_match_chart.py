"""Chart of the technology-economy match: RTA against LQ by NACE division.

Takes the table of :func:`ris3.tech_economy_match` and draws each division
at (LQ of employment, RTA of patents) on log axes, coloured by its match
class, with the specialisation threshold as two rules. Divisions the chart
cannot show (a missing value, or 0 on a log axis) are left out and counted
in the subtitle; nothing is rounded or rescaled.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import check_number
from ris3.report._chart_utils import data_values, need_columns, title_with_notes

__all__ = ["tech_match_chart"]

_COLOURS = {
    "both": "#1b7837",
    "technology only": "#2166ac",
    "industry only": "#b35806",
    "neither": "#777777",
}


def tech_match_chart(
    table: pd.DataFrame,
    *,
    division: str = "nace_division",
    rta: str = "rta",
    lq: str = "lq",
    match: str = "match",
    threshold: float = 1.0,
    title: str = "Technology (RTA) against employment (LQ) by NACE division",
) -> Any:
    """Return an Altair scatter chart of RTA against LQ, one point per division.

    Examples
    --------
    >>> t = pd.DataFrame({"nace_division": ["C29", "C21", "I55"], "rta": [1.6, 0.4, None],
    ...                   "lq": [1.9, 1.2, 3.0], "match": ["both", "industry only", None]})
    >>> chart = tech_match_chart(t)
    >>> len(chart.layer[0].data["values"]), chart.to_dict()["title"]["subtitle"]
    (2, '1 division without a value on both axes (or with 0) is not drawn.')
    """
    import altair as alt

    need_columns(table, "the match table", [division, rta, lq, match])
    check_number("threshold", threshold, low=0, low_inclusive=False)
    x = pd.to_numeric(table[lq], errors="coerce")
    y = pd.to_numeric(table[rta], errors="coerce")
    drawable = (x > 0) & (y > 0) & np.isfinite(x) & np.isfinite(y)
    left = int((~drawable).sum())
    rows = [
        {"division": str(d), "lq": float(a), "rta": float(b), "match": str(m)}
        for d, a, b, m in zip(
            table[division][drawable], x[drawable], y[drawable], table[match][drawable]
        )  # fmt: skip
    ]
    notes = []
    if left:
        word = "division" if left == 1 else "divisions"
        verb = "is" if left == 1 else "are"
        notes.append(f"{left} {word} without a value on both axes (or with 0) {verb} not drawn.")
    scale = alt.Scale(type="log")
    points = (
        alt.Chart(data_values(rows))
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("lq:Q", scale=scale, title="LQ of employment"),
            y=alt.Y("rta:Q", scale=scale, title="RTA of patents"),
            color=alt.Color(
                "match:N",
                title="match",
                scale=alt.Scale(domain=list(_COLOURS), range=list(_COLOURS.values())),
            ),
            tooltip=["division:N", "lq:Q", "rta:Q", "match:N"],
        )
    )
    rule_data = data_values([{"t": threshold}])
    vrule = alt.Chart(rule_data).mark_rule(strokeDash=[4, 4]).encode(x="t:Q")
    hrule = alt.Chart(rule_data).mark_rule(strokeDash=[4, 4]).encode(y="t:Q")
    return alt.layer(points, vrule, hrule).properties(
        title=title_with_notes(alt, title, notes), width=420, height=320
    )
