"""Helpers shared by the chart modules (not public)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ris3._validation import short_list
from ris3.errors import InputError

REGION_COLOUR = "#d95f02"
OTHER_COLOUR = "#7570b3"


def data_values(values: list[dict[str, Any]]) -> dict[str, Any]:
    # a plain dict: alt.Data(values=...) validates every row, which is slow on big tables
    return {"values": values}


def short_names(names: pd.Series, n: int) -> list[str]:
    """Names cut to ``n`` characters for labels (tooltips keep the full name)."""
    return [s if len(s) <= n else s[: n - 1].rstrip() + "…" for s in names.astype(str)]


def need_columns(df: pd.DataFrame, what: str, columns: Sequence[str]) -> None:
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


def title_with_notes(alt: Any, title: str, notes: Sequence[str]) -> Any:
    sub = " ".join(n for n in notes if n)
    return alt.Title(title, subtitle=sub) if sub else alt.Title(title)


#: Subtitle note of a chart that shows estimates.
ESTIMATE_NOTE = (
    "Hollow markers: estimates (confidential cells filled within published totals, or a "
    "region converted between NUTS versions)."
)


def estimate_flags(table: pd.DataFrame, column: str | None) -> pd.Series:
    """The rows of ``table`` that are estimates (all False without the column)."""
    if column is None or column not in table.columns:
        return pd.Series(False, index=table.index)
    return table[column].fillna(False).astype(bool)


def estimate_fill(alt: Any) -> Any:
    """``fillOpacity`` encoding that draws estimated rows hollow (needs ``estimated``)."""
    return alt.condition("datum.estimated", alt.value(0.0), alt.value(1.0))
