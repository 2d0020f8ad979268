"""Charts of a policy mix as Altair (Vega-Lite) specs.

Inputs are the tables of :func:`ris3.strategy.cofunding` and
:func:`ris3.strategy.targeted_share`. Values are shown as given; a year or
cell with an unknown budget is left out and counted in the subtitle (a gap
in a bar, never a zero).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ris3.report._chart_utils import need_columns, title_with_notes

__all__ = ["cofunding_chart", "targeted_chart"]


def cofunding_chart(table: pd.DataFrame, *, title: str = "Budget by year and level") -> Any:
    """Stacked bars: each year's budget by governance level, split by funding source.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2024, 2024], "level": ["EU", "regional"],
    ...                   "source": ["ERDF", "regional"], "budget_eur": [1e6, 2e6]})
    >>> cofunding_chart(t).to_dict()["mark"]["type"]
    'bar'
    """
    import altair as alt

    need_columns(table, "the co-funding table", ["year", "level", "source", "budget_eur"])
    known = table[table["budget_eur"].notna()].copy()
    n_unknown = len(table) - len(known)
    notes = [f"{n_unknown} cell(s) with an unknown budget left out"] if n_unknown else []
    known["year"] = known["year"].astype(str)
    return (
        alt.Chart(known, title=title_with_notes(alt, title, notes))
        .mark_bar()
        .encode(
            x=alt.X("year:N", title="Year"),
            y=alt.Y("sum(budget_eur):Q", title="Budget (EUR)"),
            color=alt.Color("level:N", title="Governance level"),
            xOffset="level:N",
            tooltip=["year:N", "level:N", "source:N", alt.Tooltip("budget_eur:Q", format=",.0f")],
        )
        .properties(width=420, height=240, description=title)
    )


def targeted_chart(
    table: pd.DataFrame, *, title: str = "Budget geared to the priorities and generic budget"
) -> Any:
    """Stacked bars of targeted and generic budget per year.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2024], "budget_targeted": [3e6], "budget_generic": [1e6]})
    >>> targeted_chart(t).to_dict()["mark"]["type"]
    'bar'
    """
    import altair as alt

    need_columns(table, "the targeted-share table", ["year", "budget_targeted", "budget_generic"])
    long = table.melt(
        id_vars="year",
        value_vars=["budget_targeted", "budget_generic"],
        var_name="part",
        value_name="budget_eur",
    )
    long["part"] = long["part"].map(
        {"budget_targeted": "geared to priorities", "budget_generic": "generic"}
    )
    known = long[long["budget_eur"].notna()].copy()
    n_years = int(table[["budget_targeted", "budget_generic"]].isna().any(axis=1).sum())
    notes = [f"{n_years} year(s) with an unknown budget left out"] if n_years else []
    known["year"] = known["year"].astype(str)
    return (
        alt.Chart(known, title=title_with_notes(alt, title, notes))
        .mark_bar()
        .encode(
            x=alt.X("year:N", title="Year"),
            y=alt.Y("budget_eur:Q", title="Budget (EUR)", stack="zero"),
            color=alt.Color("part:N", title="Budget"),
            tooltip=["year:N", "part:N", alt.Tooltip("budget_eur:Q", format=",.0f")],
        )
        .properties(width=420, height=240, description=title)
    )
