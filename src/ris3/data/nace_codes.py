"""Eurostat NACE Rev. 2 dissemination codes: which are aggregates, and of what."""

from __future__ import annotations

import functools

import pandas as pd

from ris3._validation import short_list
from ris3.data._hierarchy_sources import _LEVELS, _node_table
from ris3.errors import ClassificationError, ConventionError, InputError

__all__ = ["is_nace_aggregate", "nace_aggregate_members"]

# ------------------------------------------------------------------ NACE aggregates

_THEMATIC = ("HTC", "ICT", "KIA", "KIS", "LTC", "MTC", "TI", "PLTR", "PLWTR", "PRTR", "PTR",
             "PWTR", "CRA", "INF", "NRP")  # fmt: skip


def is_nace_aggregate(code: str) -> bool:
    """Whether a Eurostat NACE code is an aggregate rather than one NACE code.

    Aggregates are ranges (``B-E``), unions (``M_N``), exclusions
    (``B-N_S95_X_K``), ``TOTAL`` and thematic groupings (``C_HTC``, ``ICT``).

    Examples
    --------
    >>> [is_nace_aggregate(c) for c in ["C", "G461", "B-N_S95_X_K", "M_N", "TOTAL"]]
    [False, False, True, True, True]
    """
    return code not in _nace_eurostat_codes()


@functools.cache
def _nace_eurostat_codes() -> frozenset[str]:
    return frozenset(_node_table("nace_eurostat", "rev2")["code"])


def nace_aggregate_members(code: str, level: str = "division") -> list[str]:
    """Return the Eurostat NACE codes at ``level`` that make up an aggregate code.

    Grammar of Eurostat aggregate codes: parts joined by ``_`` are added
    (``M_N`` = M and N); ``A-B`` is a range of codes of one level, in
    classification order (``B-E``, ``I551-I553``); parts after ``X`` are
    removed (``B-N_S95_X_K`` = sections B to N and division S95, without K);
    ``TOTAL`` is everything.

    Parameters
    ----------
    code : str
        A Eurostat NACE Rev. 2 code or aggregate.
    level : {"section", "division", "group", "class"}, default "division"

    Returns
    -------
    list of str
        Codes at ``level`` wholly inside the aggregate, in classification order.

    Raises
    ------
    ClassificationError
        Thematic aggregates (high-tech, ICT, knowledge-intensive ...) whose
        composition is not a set of NACE codes ris3 defines, unknown parts,
        or an aggregate that covers only part of a code at ``level``.

    Examples
    --------
    >>> nace_aggregate_members("B-N_S95_X_K", level="section")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ris3.errors.ClassificationError: 'B-N_S95_X_K' covers only part of section(s) 'S'...
    >>> nace_aggregate_members("M_N", level="section")
    ['M', 'N']
    >>> nace_aggregate_members("B-N_S95_X_K")[-3:]
    ['N81', 'N82', 'S95']
    """
    nodes = _node_table("nace_eurostat", "rev2")
    lv = _LEVELS["nace_eurostat"]
    if level not in lv:
        raise ConventionError(f"level must be one of {', '.join(map(repr, lv))}; got {level!r}")
    if not isinstance(code, str) or not code:
        raise InputError(f"code must be a non-empty string; got {code!r}")
    classes = nodes[nodes["level"] == "class"]["code"]
    # ancestor of every class at every level: the class code starts with its ancestors'
    all_codes = list(nodes["code"])
    order = {c: i for i, c in enumerate(sorted(all_codes, key=_nace_sort_key))}

    def covered(token: str) -> set[str]:
        if token == "TOTAL":
            return set(classes)
        if "-" in token:
            lo, hi = token.split("-", 1)
            for t in (lo, hi):
                if t not in order:
                    raise ClassificationError(f"{t!r} in {code!r} is not a NACE Rev. 2 code")
            lvl = nodes.set_index("code")["level"]
            if lvl[lo] != lvl[hi]:
                raise ClassificationError(f"range {token!r} in {code!r} mixes levels")
            same = nodes[nodes["level"] == lvl[lo]]["code"]
            inside = [c for c in same if order[lo] <= order[c] <= order[hi]]
            return set().union(*(covered(c) for c in inside))
        if token not in order:
            if token in _THEMATIC or any(token.endswith(t) for t in _THEMATIC):
                raise ClassificationError(
                    f"{code!r} is a thematic aggregate ({token}: technology or knowledge "
                    "intensity, ICT ...) whose composition ris3 does not define"
                )
            raise ClassificationError(f"{token!r} in {code!r} is not a NACE Rev. 2 code")
        return set(classes[classes.str.startswith(token)])

    parts = code.split("_")
    if "X" in parts:
        i = parts.index("X")
        plus, minus = parts[:i], parts[i + 1 :]
    else:
        plus, minus = parts, []
    members = set().union(*(covered(p) for p in plus)) - set().union(
        *(covered(m) for m in minus)
    ) if minus else set().union(*(covered(p) for p in plus))  # fmt: skip
    # codes at `level`: the class code begins with them
    width = {"section": 1, "division": 3, "group": 4, "class": 5}[level]
    mem = pd.Series(sorted(members))
    at = mem.str[:width]
    all_at = classes.str[:width]
    need = all_at.value_counts()
    have = at.value_counts()
    partial = sorted(c for c in have.index if have[c] < need[c])
    if partial:
        raise ClassificationError(
            f"{code!r} covers only part of {level}(s) {short_list(partial)}; ask for a finer level"
        )
    return sorted(have.index, key=_nace_sort_key)


def _nace_sort_key(code: str) -> tuple[str, str]:
    return (code[0], code[1:])
