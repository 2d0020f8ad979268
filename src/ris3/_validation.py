"""Declarative checks of arguments with one message template.

Messages always say which parameter, what is allowed and what was received:
``"threshold must be a number > 0; got -1"``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ris3.errors import ConventionError, InputError

__all__ = [
    "Boolean",
    "Interval",
    "Options",
    "check",
    "check_flag",
    "check_number",
    "check_option",
    "did_you_mean",
    "plain_repr",
    "short_list",
]


@dataclass(frozen=True)
class Interval:
    """Numbers of one kind within bounds: ``Interval(Integral, 1, None)`` is ``n >= 1``.

    ``kind`` is :class:`numbers.Integral` or :class:`numbers.Real`, so numpy
    scalars (``np.int64(1)``, ``np.float32(0.5)``) pass; ``True`` and ``False``
    never count as numbers and NaN is never in an interval. ``closed`` says
    which bounds are included.

    Examples
    --------
    >>> from numbers import Real
    >>> check("threshold", -1, Interval(Real, 0, None, closed="neither"))
    Traceback (most recent call last):
    ...
    ris3.errors.InputError: threshold must be a number > 0; got -1
    """

    kind: type
    low: float | None
    high: float | None
    closed: Literal["both", "left", "right", "neither"] = "both"

    def describe(self) -> str:
        """Return what is allowed, e.g. ``"an integer >= 1"``."""
        want = "an integer" if self.kind is numbers.Integral else "a number"
        bounds = []
        if self.low is not None:
            bounds.append(f"{'>=' if self.closed in ('both', 'left') else '>'} {self.low:g}")
        if self.high is not None:
            bounds.append(f"{'<=' if self.closed in ('both', 'right') else '<'} {self.high:g}")
        return want + (" " + " and ".join(bounds) if bounds else "")

    def accepts(self, value: Any) -> bool:
        """Return True if ``value`` is of the right kind and within the bounds."""
        if isinstance(value, bool | np.bool_):
            return False
        if not isinstance(value, self.kind):
            return False
        number: Any = value
        if isinstance(number, numbers.Real) and math.isnan(float(number)):
            return False
        if self.low is not None:
            if number < self.low or (self.closed in ("right", "neither") and number == self.low):
                return False
        if self.high is not None:
            if number > self.high or (self.closed in ("left", "neither") and number == self.high):
                return False
        return True


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values (type and value must match: ``True`` is not ``1``).

    Examples
    --------
    >>> check("missing", "zero", Options(("raise", "drop")))
    Traceback (most recent call last):
    ...
    ris3.errors.ConventionError: missing must be one of 'raise', 'drop'; got 'zero'
    """

    values: tuple[Any, ...]

    def describe(self) -> str:
        """Return what is allowed, e.g. ``"one of 'raise', 'drop'"``."""
        return "one of " + ", ".join(plain_repr(a) for a in self.values)

    def accepts(self, value: Any) -> bool:
        """Return True if ``value`` is one of the options."""
        return any(type(value) is type(a) and value == a for a in self.values)


@dataclass(frozen=True)
class _Boolean:
    """``True`` or ``False`` (numpy bools too); ``1``, ``"yes"`` and None are refused."""

    def describe(self) -> str:
        return "True or False"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool | np.bool_)

    def __repr__(self) -> str:
        return "Boolean"


#: the constraint of every True/False parameter
Boolean = _Boolean()

Constraint = Interval | Options | _Boolean


def check(name: str, value: Any, constraint: Constraint) -> Any:
    """Return ``value`` if it meets ``constraint``, else raise with one message template.

    The message is ``"<name> must be <what is allowed>; got <value>"``. Values
    out of range or of the wrong kind raise :class:`~ris3.errors.InputError`;
    an unknown option raises :class:`~ris3.errors.ConventionError`.

    Examples
    --------
    >>> import numpy as np
    >>> from numbers import Integral
    >>> int(check("n", np.int64(3), Interval(Integral, 1, None)))  # numpy integers pass
    3
    >>> check("strict", 1, Boolean)
    Traceback (most recent call last):
    ...
    ris3.errors.InputError: strict must be True or False; got 1
    """
    if constraint.accepts(value):
        return value
    error = ConventionError if isinstance(constraint, Options) else InputError
    raise error(f"{name} must be {constraint.describe()}; got {plain_repr(value)}")


def check_flag(name: str, value: Any) -> bool:
    """Return ``value`` if it is True or False, else raise InputError.

    Examples
    --------
    >>> check_flag("strict", "yes")
    Traceback (most recent call last):
    ...
    ris3.errors.InputError: strict must be True or False; got 'yes'
    """
    return bool(check(name, value, Boolean))


def check_option(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise ConventionError.

    Examples
    --------
    >>> check_option("missing", "drop", ("raise", "drop", "zero"))
    'drop'
    """
    return check(name, value, Options(tuple(allowed)))


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> Any:
    """Return ``value`` if it is a number (an integer if ``integer``) in the range.

    Shorthand for :func:`check` with an :class:`Interval` of
    :class:`numbers.Integral` or :class:`numbers.Real`.

    Examples
    --------
    >>> check_number("threshold", 1, low=0, low_inclusive=False)
    1
    >>> check_number("n", 2.0, low=1, integer=True)
    Traceback (most recent call last):
    ...
    ris3.errors.InputError: n must be an integer >= 1; got 2.0
    """
    closed: Literal["both", "left", "right", "neither"] = (
        ("both" if high_inclusive else "left")
        if low_inclusive
        else ("right" if high_inclusive else "neither")
    )
    kind = numbers.Integral if integer else numbers.Real
    return check(name, value, Interval(kind, low, high, closed))


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


def short_list(items: Iterable[Any], limit: int = 10) -> str:
    """Format up to ``limit`` items for an error message, saying how many more."""
    items = list(items)
    shown = ", ".join(repr(i) if isinstance(i, str) else str(i) for i in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def did_you_mean(
    label: Any, labels: Iterable[Any] = (), *, matches: Iterable[Any] | None = None, n: int = 3
) -> str:
    """``"; did you mean 'EU28', 'EU27'?"`` for a label that was not found, else ``""``.

    The one wording of every "did you mean" in ris3. ``matches`` are the
    suggestions when the caller has its own way of finding them (e.g. region
    names as well as codes); otherwise the ``n`` labels closest to ``label``
    (``difflib``, similarity >= 0.5) are suggested.

    Examples
    --------
    >>> did_you_mean("EU2B", ["EU27", "EU28", "AT"])
    "; did you mean 'EU28', 'EU27'?"
    >>> did_you_mean("AT3", matches=["AT33 Tirol"])
    "; did you mean 'AT33 Tirol'?"
    >>> did_you_mean("ZZ", ["EU27"])
    ''
    """
    if matches is None:
        import difflib

        matches = difflib.get_close_matches(str(label), [str(x) for x in labels], n=n, cutoff=0.5)
    found = [str(m) for m in matches]
    return f"; did you mean {short_list(found)}?" if found else ""
