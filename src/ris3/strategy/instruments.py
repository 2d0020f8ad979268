"""The instrument register of a policy mix: its schema and its checks.

Once priorities are chosen, "the portfolio of policy instruments needs to be
reviewed [...] Some instruments may already be working well in line with the
strategy, while other might need revision or even be suppressed"
(``clusters-and-s3-report.txt`` lines 822-825). A policy mix combines
"policies originating from the local, regional, national and EU levels"
(lines 895-898). Cluster policy tools fall in three groups (lines
1020-1038): support to cluster organisations, collaborative actions, and
upgrading the cluster-specific business environment.

The register is three tidy tables:

* ``instruments``, one row per instrument: ``instrument`` (its name, unique),
  ``owner`` (the body that runs it), ``level`` (:data:`GOVERNANCE_LEVELS`),
  ``tool_group`` (:data:`TOOL_GROUPS`), ``orientation`` ("vertical": aimed at
  given domains, or "horizontal"), ``territory`` (NUTS codes where it is
  open), ``target_groups`` (who may apply, e.g. "SME", "research"; "all"
  for everyone), ``priorities`` (the priorities it serves; empty for a
  generic instrument), ``decision`` (:data:`DECISIONS`) with ``rationale``,
  and optionally ``exit_benchmark`` (the benchmark that ends funding when
  missed; read by the cluster-policy advisor). List cells hold a list or a
  string separated by ";".
* ``budgets``: ``instrument``, ``year``, ``budget_eur`` (planned budget).
* ``funding``: ``instrument``, ``source`` (:data:`FUNDING_SOURCES`),
  ``share`` (0-1; the shares of an instrument sum to 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from ris3._validation import short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame

__all__ = [
    "GOVERNANCE_LEVELS",
    "TOOL_GROUPS",
    "CLUSTER_TOOL_GROUPS",
    "ORIENTATIONS",
    "FUNDING_SOURCES",
    "DECISIONS",
    "INSTRUMENT_COLUMNS",
    "check_instruments",
    "codes",
    "nuts_codes",
]

#: Levels of government that run instruments (report lines 895-898 and
#: 1043-1044: "local authorities, subnational regions, countries,
#: macro-regions, and the EU"); ``cross_border`` stands for cross-border
#: and macro-regional programmes.
GOVERNANCE_LEVELS: tuple[str, ...] = ("EU", "national", "regional", "local", "cross_border")
#: The report's three groups of cluster-policy tools (lines 1020-1038).
CLUSTER_TOOL_GROUPS: tuple[str, ...] = (
    "cluster_organisations",
    "collaborative_actions",
    "business_environment",
)
#: The three cluster-policy groups plus ``generic`` for any other instrument.
TOOL_GROUPS: tuple[str, ...] = (*CLUSTER_TOOL_GROUPS, "generic")
#: Vertical instruments aim at given domains; horizontal ones at any activity.
ORIENTATIONS: tuple[str, ...] = ("vertical", "horizontal")
#: Sources of funding an instrument's budget is split between.
FUNDING_SOURCES: tuple[str, ...] = (
    "ERDF",
    "ESF+",
    "Horizon Europe",
    "national",
    "regional",
    "private",
)
#: What the review decides for an instrument (report line 825 and 851).
DECISIONS: tuple[str, ...] = ("keep", "revise", "suppress")
#: Columns of the instruments table; ``exit_benchmark`` is optional.
INSTRUMENT_COLUMNS: tuple[str, ...] = (
    "instrument",
    "owner",
    "level",
    "tool_group",
    "orientation",
    "territory",
    "target_groups",
    "priorities",
    "decision",
    "rationale",
)
_LIST_COLUMNS = ("territory", "target_groups", "priorities")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
#: shares may differ from 1 by this much (rounding in spreadsheets)
_SHARE_TOLERANCE = 1e-6


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def codes(value: object) -> tuple[str, ...]:
    """Return the items of a list cell (a list, or a string separated by ";").

    Examples
    --------
    >>> codes("AT33; AT34"), codes(["SME"]), codes(None)
    (('AT33', 'AT34'), ('SME',), ())
    """
    if _empty(value):
        return ()
    items: Iterable[object] = value.split(";") if isinstance(value, str) else value  # type: ignore[assignment]
    return tuple(str(v).strip() for v in items if not _empty(v))


def nuts_codes(version: int = 2021) -> frozenset[str]:
    """Every code of the bundled NUTS classification (countries to NUTS 3).

    Examples
    --------
    >>> known = nuts_codes()
    >>> "AT33" in known, "AT332" in known, "AT39" in known
    (True, True, False)
    """
    from ris3.data.classifications import hierarchy

    h = hierarchy("nuts", version)
    return frozenset(h["child"].astype(str)) | frozenset(h["parent"].astype(str))


def check_instruments(
    instruments: pd.DataFrame,
    *,
    budgets: pd.DataFrame | None = None,
    funding: pd.DataFrame | None = None,
    known_nuts: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split an instrument register into valid rows and rejected rows with the reason.

    Parameters
    ----------
    instruments : DataFrame
        One row per instrument with the columns :data:`INSTRUMENT_COLUMNS`
        (see the module docstring); other columns pass through.
    budgets : DataFrame, optional
        Columns ``instrument``, ``year``, ``budget_eur``.
    funding : DataFrame, optional
        Columns ``instrument``, ``source``, ``share``.
    known_nuts : iterable of str, optional
        The NUTS codes that exist (e.g. :func:`nuts_codes`); a territory
        code outside it is rejected. Without it only the form of a code is
        checked. An optional ``eligible_beyond`` column (areas beyond the
        region where the instrument is open) is checked like ``territory``
        but may be empty.

    Returns
    -------
    valid : DataFrame
        The valid instruments, the input's index, list columns as tuples
        of str, ``territory`` upper-case.
    rejected : DataFrame
        The other instruments as given, with ``reason``: every problem of
        the row, separated by "; ".

    Raises
    ------
    InputError
        A table lacks a column, or a budget or funding row names an
        instrument that is not in the register (it is not dropped).

    Notes
    -----
    Reasons: an empty ``instrument``, ``owner`` or ``decision``; a name
    used twice (both rows are rejected); a level, tool group, orientation,
    decision or funding source outside its vocabulary; no territory, a
    malformed NUTS code or one outside ``known_nuts``; no target group; a ``revise`` or ``suppress``
    decision without rationale; a budget that is missing, negative, or
    given twice for a year; funding shares outside [0, 1] or whose sum
    differs from 1 by more than 1e-6.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({
    ...     "instrument": ["Cluster platform", "Joint R&D"],
    ...     "owner": ["Standortagentur", "Ministry"], "level": ["regional", "federal"],
    ...     "tool_group": ["cluster_organisations", "collaborative_actions"],
    ...     "orientation": ["vertical", "vertical"], "territory": ["AT33", "AT"],
    ...     "target_groups": ["SME", "SME;research"], "priorities": ["tourism", "tourism"],
    ...     "decision": ["keep", "revise"], "rationale": ["", ""]})
    >>> fund = pd.DataFrame({"instrument": ["Cluster platform"] * 2,
    ...                      "source": ["ERDF", "regional"], "share": [0.4, 0.6]})
    >>> ok, bad = check_instruments(reg, funding=fund)
    >>> ok["instrument"].tolist()
    ['Cluster platform']
    >>> print(bad.loc[1, "reason"])
    level 'federal' is not one of EU, national, regional, local, cross_border; decision 'revise' needs a rationale
    """
    df = require_frame(instruments, "the instrument register")
    require_columns(df, "the instrument register", **{c: c for c in INSTRUMENT_COLUMNS})
    names = df["instrument"].map(lambda v: None if _empty(v) else str(v).strip())
    reasons: dict[object, list[str]] = {i: [] for i in df.index}
    counts = names.value_counts()
    vocab = {
        "level": GOVERNANCE_LEVELS,
        "tool_group": TOOL_GROUPS,
        "orientation": ORIENTATIONS,
        "decision": DECISIONS,
    }
    list_columns = (*_LIST_COLUMNS, *(["eligible_beyond"] if "eligible_beyond" in df else []))
    lists = {c: df[c].map(codes) for c in list_columns}
    for c in ("territory", "eligible_beyond"):
        if c in lists:
            lists[c] = lists[c].map(lambda t: tuple(x.upper() for x in t))
    known = None if known_nuts is None else frozenset(known_nuts)
    for i in df.index:
        why = reasons[i]
        name = names[i]
        if name is None:
            why.append("missing instrument")
        elif counts[name] > 1:
            why.append(f"instrument {name!r} appears {counts[name]} times")
        if _empty(df.at[i, "owner"]):
            why.append("missing owner")
        for col, allowed in vocab.items():
            v = df.at[i, col]
            if _empty(v):
                why.append(f"missing {col}")
            elif v not in allowed:
                why.append(f"{col} {v!r} is not one of {', '.join(allowed)}")
        terr = lists["territory"][i]
        if not terr:
            why.append("no territory (NUTS codes)")
        for col in ("territory", "eligible_beyond"):
            if col not in lists:
                continue
            bad = [c for c in lists[col][i] if not _NUTS.match(c)]
            unknown = [c for c in lists[col][i] if _NUTS.match(c) and known and c not in known]
            where = "" if col == "territory" else " in eligible_beyond"
            if bad:
                why.append(f"bad NUTS code{where} {short_list(bad, 3)}")
            if unknown:
                why.append(f"unknown NUTS code{where} {short_list(unknown, 3)}")
        if not lists["target_groups"][i]:
            why.append("no target group (use 'all' for everyone)")
        if df.at[i, "decision"] in ("revise", "suppress") and _empty(df.at[i, "rationale"]):
            why.append(f"decision {df.at[i, 'decision']!r} needs a rationale")
    known_names = set(names.dropna())
    by_name = {n: i for i, n in names.items() if n is not None and counts[n] == 1}
    if budgets is not None:
        _check_budgets(budgets, known_names, by_name, reasons)
    if funding is not None:
        _check_funding(funding, known_names, by_name, reasons)
    ok = pd.Series([not reasons[i] for i in df.index], index=df.index)
    valid = df.loc[ok].copy()
    for c in list_columns:
        valid[c] = lists[c][ok]
    valid["instrument"] = names[ok]
    rejected = df.loc[~ok].copy()
    rejected["reason"] = ["; ".join(reasons[i]) for i in rejected.index]
    return valid, rejected


def _unknown(table: pd.DataFrame, what: str, known: set[str]) -> None:
    unknown = sorted(set(table["instrument"].astype(str)) - known)
    if unknown:
        raise InputError(
            f"the {what} table names instruments not in the register: {short_list(unknown, 5)}"
        )


def _check_budgets(
    budgets: pd.DataFrame,
    known: set[str],
    by_name: dict[str, object],
    reasons: dict[object, list[str]],
) -> None:
    b = require_frame(budgets, "the budgets table")
    require_columns(b, "the budgets table", instrument="instrument", year="year")
    require_columns(b, "the budgets table", budget_eur="budget_eur")
    _unknown(b, "budgets", known)
    dup = b.duplicated(["instrument", "year"], keep=False)
    amount = pd.to_numeric(b["budget_eur"], errors="coerce")
    for j in b.index:
        i = by_name.get(str(b.at[j, "instrument"]))
        if i is None:
            continue
        year = b.at[j, "year"]
        if dup[j]:
            msg = f"budget for {year} given more than once"
            if msg not in reasons[i]:
                reasons[i].append(msg)
        elif pd.isna(amount[j]):
            reasons[i].append(f"budget for {year} is missing or not a number")
        elif amount[j] < 0:
            reasons[i].append(f"budget for {year} is negative ({amount[j]:g})")


def _check_funding(
    funding: pd.DataFrame,
    known: set[str],
    by_name: dict[str, object],
    reasons: dict[object, list[str]],
) -> None:
    f = require_frame(funding, "the funding table")
    require_columns(f, "the funding table", instrument="instrument", source="source")
    require_columns(f, "the funding table", share="share")
    _unknown(f, "funding", known)
    share = pd.to_numeric(f["share"], errors="coerce")
    for name, rows in f.groupby(f["instrument"].astype(str), sort=False).groups.items():
        i = by_name.get(str(name))
        if i is None:
            continue
        why = reasons[i]
        for j in rows:
            src = f.at[j, "source"]
            if src not in FUNDING_SOURCES:
                why.append(f"funding source {src!r} is not one of {', '.join(FUNDING_SOURCES)}")
            if pd.isna(share[j]) or not 0 <= share[j] <= 1:
                why.append(f"funding share {f.at[j, 'share']!r} of {src!r} is not in [0, 1]")
        total = float(share[list(rows)].sum())
        if abs(total - 1) > _SHARE_TOLERANCE:
            why.append(f"funding shares sum to {total:g}, not 1")
