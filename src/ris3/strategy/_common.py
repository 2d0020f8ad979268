"""Shared checks of the strategy functions: tables, columns and vocabularies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ris3._validation import short_list
from ris3.errors import InputError


def require_frame(data: object, what: str) -> pd.DataFrame:
    """Return ``data`` if it is a DataFrame, else raise InputError."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame; got {type(data).__name__}")
    return data


def require_columns(df: pd.DataFrame, what: str, **columns: str | None) -> None:
    """Check that each keyword (``step="step"``) names a column of ``df``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), "the table", step="b")
    Traceback (most recent call last):
    ris3.errors.InputError: the table has no column 'b' (given as step=); available columns: 'a'
    """
    for role, col in columns.items():
        if col is None:
            continue
        if not isinstance(col, str):
            raise InputError(f"{role}= must be a column name (str); got {col!r}")
        if col not in df.columns:
            raise InputError(
                f"{what} has no column {col!r} (given as {role}=); "
                f"available columns: {short_list(map(str, df.columns), 20)}"
            )


def require_no_missing(df: pd.DataFrame, what: str, columns: Iterable[str]) -> None:
    """Raise InputError if a key column has empty cells (they are never dropped)."""
    for col in columns:
        empty = df[col].isna()
        if empty.any():
            rows = short_list(df.index[empty].tolist(), 5)
            raise InputError(
                f"{what} column {col!r} must have a value in every row; "
                f"{int(empty.sum())} empty (rows {rows})"
            )


def vocabulary(
    given: Sequence[str] | Sequence[tuple[str, str]] | None,
    default: tuple[tuple[str, str], ...],
    name: str,
) -> tuple[tuple[str, str], ...]:
    """Normalise ``steps=``/``helices=`` to (key, label) pairs, in order.

    A list of keys takes the labels of ``default`` (or the key itself for a
    key not in ``default``); a list of (key, label) pairs is used as given.
    """
    if given is None:
        return default
    labels = dict(default)
    out: list[tuple[str, str]] = []
    for item in given:
        if isinstance(item, str):
            out.append((item, labels.get(item, item.replace("_", " "))))
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
            out.append((item[0], item[1]))
        else:
            raise InputError(f"{name}= must list keys (str) or (key, label) pairs; got {item!r}")
    keys = [k for k, _ in out]
    if not keys:
        raise InputError(f"{name}= must list at least one key; got an empty list")
    if len(set(keys)) != len(keys):
        raise InputError(f"{name}= must not repeat a key; got {short_list(keys)}")
    return tuple(out)


def check_known(
    values: pd.Series, allowed: Sequence[str], what: str, param: str, option: str
) -> None:
    """Raise InputError naming values of ``values`` that are not in ``allowed``.

    ``option`` is the argument that sets the allowed values (e.g. ``"helices"``).
    """
    unknown = sorted(set(values.unique()) - set(allowed), key=str)
    if unknown:
        raise InputError(
            f"{what} has unknown {param} values {short_list(unknown, 5)}; "
            f"allowed: {short_list(list(allowed))} (set {option}= to use others)"
        )
