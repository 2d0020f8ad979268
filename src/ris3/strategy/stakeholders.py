"""Checks of an imported stakeholder table: what would be created, what is rejected and why.

A region registers its stakeholders from a spreadsheet. Every row of the
file ends up in exactly one of two tables: the rows that would be created
(with their values in the workspace's vocabulary) and the rejected rows with
the reason. Nothing is dropped and nothing is guessed: a row with an unknown
helix, a malformed e-mail or a duplicate e-mail is shown back to the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ris3._validation import short_list
from ris3.errors import InputError
from ris3.strategy._common import require_frame
from ris3.strategy.vocabulary import HELICES, helix_key

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "CONSENT_SPELLINGS",
    "PUBLIC_PRIVATE_SPELLINGS",
    "check_stakeholders",
]

#: Columns every imported stakeholder table must have.
REQUIRED_COLUMNS: tuple[str, ...] = ("name", "email", "organisation", "helix")
#: Columns that are checked when present (other columns pass through unchanged).
OPTIONAL_COLUMNS: tuple[str, ...] = ("role", "public_private", "consent", "nuts", "nace")

#: Accepted spellings of consent (case-insensitive), English and German.
CONSENT_SPELLINGS: dict[bool, tuple[str, ...]] = {
    True: ("yes", "y", "true", "1", "ja", "j"),
    False: ("no", "n", "false", "0", "nein"),
}
#: Accepted spellings of public or private (case-insensitive), English and German.
PUBLIC_PRIVATE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "public": ("public", "öffentlich", "oeffentlich"),
    "private": ("private", "privat"),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
#: a NUTS code (any level): the country's two letters and up to three letters or digits
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
#: a NACE Rev. 2 code: a section letter, a division, group or class, with or without the letter
_NACE = re.compile(r"^([A-U]|[A-U]?\d{2}(\.\d{1,2})?)$")
_HELIX_KEYS = ", ".join(k for k, _ in HELICES)


def _text(value: object) -> str | None:
    """Return the cell as stripped text, or None when it is empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return None
    text = str(value).strip()
    return text or None


def _canonical_columns(df: pd.DataFrame) -> dict[str, str]:
    """Map each known column (matched case-insensitively) to the table's own header."""
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    found: dict[str, str] = {}
    for col in df.columns:
        key = str(col).strip().lower()
        if key in known:
            if key in found:
                raise InputError(
                    f"the stakeholder table has two columns for {key!r}: "
                    f"{found[key]!r} and {col!r}; keep one"
                )
            found[key] = col
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        raise InputError(
            f"the stakeholder table has no column {missing[0]!r} "
            f"(required: {', '.join(REQUIRED_COLUMNS)}); "
            f"available columns: {short_list(map(str, df.columns), 20)}"
        )
    return found


def check_stakeholders(
    table: pd.DataFrame, *, existing: Iterable[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split an imported stakeholder table into rows to create and rows rejected.

    Parameters
    ----------
    table : DataFrame
        One row per stakeholder (a person). Required columns: ``name``,
        ``email``, ``organisation``, ``helix``; optional: ``role``,
        ``public_private``, ``consent``, ``nuts``, ``nace``. Headers are
        matched case-insensitively; other columns pass through unchanged.
        Absent optional columns count as empty.
    existing : iterable of str, optional
        E-mail addresses already registered (compared case-insensitively).

    Returns
    -------
    accepted : DataFrame
        The rows that would be created, with the input's index, the known
        columns in the order above, then the other columns. Values are
        normalised: surrounding spaces removed, ``helix`` as a key of
        :data:`~ris3.strategy.HELICES`, ``public_private`` as "public" or
        "private" (empty stays empty), ``consent`` as True/False (an empty
        cell is False: no recorded consent is no consent), ``nuts`` and
        ``nace`` upper-case, several NACE codes joined by ";".
    rejected : DataFrame
        The other rows as they were given, with ``reason``: every problem
        of the row, separated by "; ".

    Raises
    ------
    InputError
        The table lacks a required column or has two columns for one.

    Notes
    -----
    Reasons: a missing required field; a helix that is none of the accepted
    spellings (:data:`~ris3.strategy.HELIX_SPELLINGS`, English or German,
    case-insensitive); an e-mail that is not ``local@domain.tld``; an
    e-mail that appears more than once in the file (every such row is
    rejected: the file does not say which one is right) or that is already
    registered; ``public_private`` or ``consent`` spelt otherwise than
    :data:`PUBLIC_PRIVATE_SPELLINGS` / :data:`CONSENT_SPELLINGS`; a NUTS code
    that is not two letters and up to three letters or digits (``AT33``);
    a NACE code that is not a section letter, division, group or class
    (``C``, ``C10``, ``10.1``, ``C10.11``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({
    ...     "Name": ["Anna Berger", "Jon Doe", "Eva Moser"],
    ...     "Email": ["anna@tirol.example", "jon@", "eva@uibk.example"],
    ...     "Organisation": ["Hotel Alpenrose", "Bank", "Universität Innsbruck"],
    ...     "Helix": ["Wirtschaft", "finance", "research"],
    ... })
    >>> ok, bad = check_stakeholders(t)
    >>> ok[["name", "helix", "consent"]]
              name     helix  consent
    0  Anna Berger  business    False
    2    Eva Moser  research    False
    >>> print(bad.loc[1, "reason"])
    invalid email 'jon@'
    """
    df = require_frame(table, "the stakeholder table")
    cols = _canonical_columns(df)
    known_existing = {e.strip().lower() for e in (existing or ()) if isinstance(e, str)}

    n = len(df)
    # absent optional columns are empty: the accepted table always has every known column
    empty: list[str | None] = [None] * n
    values: dict[str, list[str | None]] = {
        key: [_text(v) for v in df[cols[key]]] if key in cols else list(empty)
        for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    }
    emails = [e.lower() if e else None for e in values["email"]]
    positions: dict[str, list[object]] = {}
    for label, e in zip(df.index, emails):
        if e and _EMAIL.match(e):
            positions.setdefault(e, []).append(label)

    reasons: list[list[str]] = [[] for _ in range(n)]
    normal: dict[str, list[object]] = {key: list(v) for key, v in values.items()}
    for i in range(n):
        why = reasons[i]
        for key in ("name", "email", "organisation", "helix"):
            if values[key][i] is None:
                why.append(f"missing {key}")
        email = values["email"][i]
        if email is not None:
            low = email.lower()
            if not _EMAIL.match(low):
                why.append(f"invalid email {email!r}")
            elif len(positions[low]) > 1:
                rows = short_list(positions[low], 5)
                why.append(
                    f"email {email!r} appears {len(positions[low])} times in the file (rows {rows})"
                )
            elif low in known_existing:
                why.append(f"email {email!r} is already registered")
        h = values["helix"][i]
        if h is not None:
            hkey = helix_key(h)
            if hkey is None:
                why.append(f"unknown helix {h!r}; allowed: {_HELIX_KEYS}")
            normal["helix"][i] = hkey
        _check_spelling(values, normal, i, "public_private", PUBLIC_PRIVATE_SPELLINGS, why)
        _check_spelling(values, normal, i, "consent", CONSENT_SPELLINGS, why)
        if values["consent"][i] is None:
            normal["consent"][i] = False
        _check_codes(values, normal, i, why)

    ok = np.array([not r for r in reasons], dtype=bool)
    extra = [c for c in df.columns if c not in cols.values()]
    accepted = pd.DataFrame(normal, index=df.index, dtype=object)
    accepted["consent"] = accepted["consent"].astype(bool)
    accepted = pd.concat([accepted, df[extra]], axis=1).loc[ok]
    rejected = df.loc[~ok].copy()
    rejected["reason"] = pd.Series(
        ["; ".join(r) for r in reasons if r], index=rejected.index, dtype=object
    )
    return accepted, rejected


def _check_spelling(
    values: dict[str, list[str | None]],
    normal: dict[str, list[object]],
    i: int,
    key: str,
    spellings: dict,
    why: list[str],
) -> None:
    if values[key][i] is None:
        return
    given = values[key][i]
    low = given.lower()  # type: ignore[union-attr]
    for target, words in spellings.items():
        if low in words:
            normal[key][i] = target
            return
    allowed = ", ".join(w for words in spellings.values() for w in words)
    why.append(f"{key} {given!r} is not one of: {allowed}")


def _check_codes(
    values: dict[str, list[str | None]], normal: dict[str, list[object]], i: int, why: list[str]
) -> None:
    nuts = values["nuts"][i]
    if nuts is not None:
        code = nuts.upper()
        if _NUTS.match(code):
            normal["nuts"][i] = code
        else:
            why.append(
                f"bad NUTS code {nuts!r} (two letters and up to three letters or digits, e.g. AT33)"
            )
    nace = values["nace"][i]
    if nace is not None:
        codes = [c.strip().upper() for c in re.split(r"[;,]", nace)]
        bad = [c for c in codes if not _NACE.match(c)]
        if bad:
            why.append(
                f"bad NACE code {short_list(bad, 3)} (a section, division, group or class, "
                "e.g. C, C10, C10.1, C10.11; several separated by ;)"
            )
        else:
            normal["nace"][i] = ";".join(codes)
