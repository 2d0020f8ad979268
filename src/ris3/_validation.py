"""Declarative checks of arguments with one message template.

Messages always say which parameter, what is allowed and what was received:
``"threshold must be a number > 0; got -1"``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ris3.errors import ConventionError, InputError


def check_option(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise ConventionError.

    Examples
    --------
    >>> check_option("missing", "drop", ("raise", "drop", "zero"))
    'drop'
    """
    allowed = tuple(allowed)
    # compare type as well as value, so that True is not taken for 1 nor 1.0 for "1"
    if not any(type(value) is type(a) and value == a for a in allowed):
        raise ConventionError(f"{name} must be one of {_fmt(allowed)}; got {plain_repr(value)}")
    return value


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Return ``value`` as a number if it lies in the allowed range.

    Examples
    --------
    >>> check_number("threshold", 1, low=0, low_inclusive=False)
    1
    """
    kind = "an integer" if integer else "a number"
    bounds = []
    if low is not None:
        bounds.append(f"{'>=' if low_inclusive else '>'} {low:g}")
    if high is not None:
        bounds.append(f"{'<=' if high_inclusive else '<'} {high:g}")
    want = f"{kind}" + (" " + " and ".join(bounds) if bounds else "")
    ok_type = isinstance(value, int | float) and not isinstance(value, bool)
    if integer:
        ok_type = ok_type and float(value).is_integer()
    if not ok_type or (isinstance(value, float) and math.isnan(value)):
        raise InputError(f"{name} must be {want}; got {plain_repr(value)}")
    if low is not None and (value < low or (not low_inclusive and value == low)):
        raise InputError(f"{name} must be {want}; got {plain_repr(value)}")
    if high is not None and (value > high or (not high_inclusive and value == high)):
        raise InputError(f"{name} must be {want}; got {plain_repr(value)}")
    return value


def plain_repr(value: Any) -> str:
    """``repr`` without numpy's wrappers: ``2008``, not ``np.int64(2008)``.

    Examples
    --------
    >>> import numpy as np
    >>> plain_repr(np.float64(-5.0)), plain_repr("drop")
    ('-5.0', "'drop'")
    """
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        value = item()
    return repr(value)


def _fmt(allowed: tuple[Any, ...]) -> str:
    return ", ".join(plain_repr(a) for a in allowed)


def short_list(items: Iterable[Any], limit: int = 10) -> str:
    """Format up to ``limit`` items for an error message, saying how many more."""
    items = list(items)
    shown = ", ".join(repr(i) if isinstance(i, str) else str(i) for i in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")
