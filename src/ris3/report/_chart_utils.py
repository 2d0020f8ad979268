"""Helpers shared by the chart modules (not public)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
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
    """Return the rows of ``table`` that are estimates (all False without the column)."""
    if column is None or column not in table.columns:
        return pd.Series(False, index=table.index)
    return table[column].fillna(False).astype(bool)


def estimate_fill(alt: Any) -> Any:
    """``fillOpacity`` encoding that draws estimated rows hollow (needs ``estimated``)."""
    return alt.condition("datum.estimated", alt.value(0.0), alt.value(1.0))


def padded_domain(values: Any, pad: float = 0.04) -> tuple[float, float]:
    """Min and max of ``values`` widened by ``pad`` of the range on each side."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return 0.0, 1.0
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


def pick_labels(
    x: Any,
    y: Any,
    texts: Sequence[str],
    *,
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    width: float,
    height: float,
    font_size: float = 10.0,
    dx: float = 6.0,
    dy: float = 0.0,
    limit: int | None = None,
    align: str = "left",
) -> np.ndarray:
    """Which labels to draw so that none overlaps another: a greedy pass in the given order.

    Points are placed on the chart's linear scales (``x_domain``, ``y_domain``
    over ``width`` x ``height`` pixels); each label is a box of about 0.6 x
    ``font_size`` per character, offset by ``dx``, ``dy`` from its point
    (``align="center"``: centred on it, as Vega's text marks by default). A
    label is kept when its box overlaps no label kept before and lies inside
    the chart, up to ``limit`` labels; the order of the rows is the priority.

    Examples
    --------
    >>> pick_labels([0.0, 0.001, 1.0], [0.0, 0.0, 1.0], ["first", "second", "far"],
    ...             x_domain=(0, 2), y_domain=(0, 2), width=200, height=200).tolist()
    [True, False, True]
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    (x0, x1), (y0, y1) = x_domain, y_domain
    px = (xs - x0) / ((x1 - x0) or 1.0) * width + dx
    py = height - (ys - y0) / ((y1 - y0) or 1.0) * height + dy
    keep = np.zeros(len(xs), dtype=bool)
    boxes: list[tuple[float, float, float, float]] = []
    for i, t in enumerate(texts):
        if limit is not None and len(boxes) >= limit:
            break
        if not (np.isfinite(px[i]) and np.isfinite(py[i])):
            continue
        w = 0.6 * font_size * len(str(t)) + 2.0
        h = font_size + 2.0
        left = px[i] - (w / 2 if align == "center" else 0.0)
        box = (left, py[i] - h / 2, left + w, py[i] + h / 2)
        if box[2] > width + 40 or box[1] < -h or box[3] > height + h:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        keep[i] = True
    return keep
