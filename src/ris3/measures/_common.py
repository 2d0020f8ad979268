"""Small helpers shared by the measures, cluster and opportunity adapters.

Argument checks and message fragments that several adapters need in the
same wording: presence options, period labels, intervals in years and
"did you mean" suggestions.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from ris3._validation import check_flag, check_number, did_you_mean, short_list
from ris3.errors import InputError
from ris3.tidy import CodedTable

__all__ = [
    "annual_growth",
    "check_presence_args",
    "interval_years",
    "period_index",
    "plain",
    "suggest",
    "when",
]


def check_presence_args(threshold: float, strict: bool) -> None:
    """Check the presence options ``LQ >= threshold`` (``>`` when ``strict``).

    Examples
    --------
    >>> check_presence_args(1.0, False)
    >>> check_presence_args(0, False)
    Traceback (most recent call last):
    ...
    ris3.errors.InputError: threshold must be a number > 0; got 0
    """
    check_number("threshold", threshold, low=0, low_inclusive=False)
    check_flag("strict", strict)


def plain(label: object) -> object:
    """Return a numpy scalar as the Python scalar, so messages read 2011, not np.int64(2011).

    Examples
    --------
    >>> plain(np.int64(2011))
    2011
    """
    return label.item() if isinstance(label, np.generic) else label


def when(ct: CodedTable, t: int) -> str:
    """``" in year=2011"`` for period code ``t`` of a table with time, else ``""``."""
    if ct.times is None:
        return ""
    return f" in {ct.columns['time']}={plain(ct.times[t])!r}"


def suggest(label: object, labels: pd.Index) -> str:
    """``"; did you mean 'EU28'?"``: :func:`ris3._validation.did_you_mean` (one wording).

    Examples
    --------
    >>> suggest("EU2B", pd.Index(["EU27", "EU28", "AT"]))
    "; did you mean 'EU28', 'EU27'?"
    """
    return did_you_mean(label, labels)


def period_index(ct: CodedTable, label: Hashable | None, name: str) -> int:
    """Code of the period ``label`` (given as parameter ``name``); None = the last period.

    Raises
    ------
    InputError
        ``label`` is not a period of the time column, or a period is given
        for a table without time.
    """
    if ct.times is None:
        if label is not None:
            raise InputError(f"{name}={label!r} needs time= (the table has no time column)")
        return 0
    if label is None:
        return ct.n_times - 1
    pos = int(ct.times.get_indexer(pd.Index([label]))[0])
    if pos < 0:
        raise InputError(
            f"{name}={label!r} is not a period of column {ct.columns['time']!r}; periods: "
            f"{short_list(plain(t) for t in ct.times)}"
        )
    return pos


def interval_years(start: Hashable, end: Hashable, years: float | None) -> float:
    """Length in years of the interval start -> end: ``years``, or ``end - start``.

    Examples
    --------
    >>> interval_years(2010, 2015, None)
    5.0
    >>> interval_years("2010Q1", "2015Q1", 5)
    5.0
    """
    if years is None:
        try:
            years = float(end) - float(start)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InputError(
                f"periods {start!r} and {end!r} are not numbers; pass years= (the length "
                "of the interval) to compute annual growth"
            ) from None
    check_number("years", years, low=0, low_inclusive=False)
    return float(years)


def annual_growth(start: np.ndarray, end: np.ndarray, years: float) -> np.ndarray:
    """Compound annual growth ``(end / start) ** (1 / years) - 1``; NaN where ``start`` is 0.

    Examples
    --------
    >>> annual_growth(np.array([100.0, 0.0]), np.array([121.0, 5.0]), 2)
    array([0.1, nan])
    """
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(start > 0, (end / start) ** (1.0 / years) - 1.0, np.nan)
