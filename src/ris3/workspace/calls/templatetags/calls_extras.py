"""Number formatting for the calls pages: a missing value shows as "not defined", never 0."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def num(value: Any, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals; None or NaN as "not defined"."""
    if value is None:
        return _("not defined")
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return _("not defined")
    return f"{x:,.{int(digits)}f}"


@register.filter
def pct(value: Any) -> str:
    """Return a share as a percentage with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("not defined")
    return f"{100 * float(value):.1f} %"
