"""Policy-mix analysis of an instrument register: matrix, gaps, duplications, funding.

The report asks what part of the policy mix "should be geared towards the
priorities, what part should remain generic" (``clusters-and-s3-report.txt``
lines 852-853), and how to "minimise duplications or contradictions between
policy instruments from various levels" (lines 905-906), since "policies from
different authorities are often running in parallel and interactions are not
necessarily monitored" (lines 896-898). The register's columns are those of
:mod:`ris3.strategy.instruments`; list cells may be lists or strings
separated by ";".
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ris3._validation import check_option, short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame
from ris3.strategy.advisor import (
    ADVISOR_RULES,
    STAGE_TOOL_GROUPS,
    rule_condition,
    rule_tool_groups,
)
from ris3.strategy.instruments import codes

__all__ = [
    "policy_matrix",
    "policy_gaps",
    "policy_duplications",
    "targeted_share",
    "cofunding",
    "territories_overlap",
]

GAPS: tuple[str, ...] = ("no_instrument", "missing_tool_group")


def _register(instruments: pd.DataFrame, *columns: str) -> pd.DataFrame:
    df = require_frame(instruments, "the instrument register")
    require_columns(df, "the instrument register", **{c: c for c in ("instrument", *columns)})
    if df["instrument"].duplicated().any():
        dup = short_list(df.loc[df["instrument"].duplicated(), "instrument"].tolist(), 5)
        raise InputError(f"the instrument register repeats instruments {dup}; check it first")
    out = df.copy()
    for c in ("territory", "target_groups", "priorities"):
        if c in out.columns:
            out[c] = out[c].map(codes)
    return out


def _budget_totals(budgets: pd.DataFrame | None, names: pd.Series) -> pd.Series:
    """Total budget per instrument over all years; NaN where none is given."""
    if budgets is None:
        return pd.Series(np.nan, index=names.values, dtype=float)
    b = require_frame(budgets, "the budgets table")
    require_columns(b, "the budgets table", instrument="instrument", budget_eur="budget_eur")
    amount = pd.to_numeric(b["budget_eur"], errors="coerce")
    total = amount.groupby(b["instrument"]).sum(min_count=1)
    # a year with an empty budget makes the total unknown, not smaller
    unknown = amount.isna().groupby(b["instrument"]).any()
    total[unknown[unknown].index] = np.nan
    return total.reindex(names.values)


def policy_matrix(
    instruments: pd.DataFrame,
    budgets: pd.DataFrame | None = None,
    *,
    by: str = "instrument",
) -> pd.DataFrame:
    """Return the priorities x instruments matrix as a tidy table, with budget and count.

    Parameters
    ----------
    instruments : DataFrame
        The register (``instrument``, ``tool_group``, ``level``, ``priorities``).
    budgets : DataFrame, optional
        ``instrument``, ``year``, ``budget_eur``.
    by : {"instrument", "tool_group", "level"}, default "instrument"
        One row per priority x instrument, or cells summed per priority x
        tool group or x governance level.

    Returns
    -------
    DataFrame
        ``priority``, the ``by`` column, ``n_instruments``, ``budget_eur``
        (the instruments' budgets over all years; NaN when an instrument's
        budget is unknown: missing is not zero) and ``n_unknown_budget``.
        An instrument serving two priorities counts with its whole budget
        in both rows (budgets are not split by guesswork). Generic
        instruments (no priority) appear under ``priority`` "(generic)".

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["A", "B", "C"], "level": ["regional", "EU", "national"],
    ...     "tool_group": ["collaborative_actions", "collaborative_actions", "generic"],
    ...     "priorities": ["tourism;wood", "tourism", ""]})
    >>> bud = pd.DataFrame({"instrument": ["A", "A", "B", "C"], "year": [2024, 2025, 2024, 2024],
    ...                     "budget_eur": [1.0e6, 1.5e6, 4.0e6, 9.0e6]})
    >>> policy_matrix(reg, bud, by="tool_group").drop(columns="n_unknown_budget")
        priority             tool_group  n_instruments  budget_eur
    0  (generic)                generic              1   9000000.0
    1    tourism  collaborative_actions              2   6500000.0
    2       wood  collaborative_actions              1   2500000.0
    """
    check_option("by", by, ("instrument", "tool_group", "level"))
    df = _register(instruments, "tool_group", "level", "priorities")
    total = _budget_totals(budgets, df["instrument"])
    rows = df[["instrument", "tool_group", "level", "priorities"]].copy()
    rows["budget_eur"] = total.to_numpy()
    rows["priority"] = rows["priorities"].map(lambda p: list(p) if p else ["(generic)"])
    rows = rows.explode("priority")
    grouped = rows.groupby(["priority", by], sort=True)
    out = grouped.agg(
        n_instruments=("instrument", "size"),
        budget_eur=("budget_eur", lambda s: s.sum(min_count=1) if s.notna().all() else np.nan),
        n_unknown_budget=("budget_eur", lambda s: int(s.isna().sum())),
    )
    return out.reset_index()


def policy_gaps(instruments: pd.DataFrame, priorities: pd.DataFrame) -> pd.DataFrame:
    """Active priorities with no instrument, or without the tool group their stage calls for.

    Parameters
    ----------
    instruments : DataFrame
        The register (``instrument``, ``tool_group``, ``priorities``, and
        ``decision`` when present: instruments to ``suppress`` do not count).
    priorities : DataFrame
        ``priority``, optionally ``active`` (bool; default all active) and
        ``stage`` (a cluster stage of :func:`ris3.portfolio`).

    Returns
    -------
    DataFrame
        One row per gap: ``priority``, ``stage``, ``gap`` ("no_instrument" or
        "missing_tool_group"), ``needed`` (the tool groups the stage calls
        for, any one of which closes the gap, from
        :data:`~ris3.strategy.STAGE_TOOL_GROUPS`), ``tool_groups_present`` (the tool
        groups that serve it) and ``lines`` (the report lines of the rules
        behind ``needed``).

    Raises
    ------
    InputError
        An instrument serves a priority that is not in ``priorities``.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["A", "B"],
    ...     "tool_group": ["cluster_organisations", "generic"],
    ...     "priorities": ["tourism", "e-health"]})
    >>> pri = pd.DataFrame({"priority": ["tourism", "e-health", "wood"],
    ...                     "stage": ["mature", "emerging", "mature"]})
    >>> gaps = policy_gaps(reg, pri)
    >>> gaps[["priority", "tool_groups_present", "gap"]]
       priority    tool_groups_present                 gap
    0   tourism  cluster_organisations  missing_tool_group
    1  e-health                generic  missing_tool_group
    2      wood                              no_instrument
    >>> gaps.loc[0, "needed"]
    'collaborative_actions, business_environment'
    """
    df = _register(instruments, "tool_group", "priorities")
    pri = require_frame(priorities, "the priority table")
    require_columns(pri, "the priority table", priority="priority")
    if "decision" in df.columns:
        df = df[df["decision"] != "suppress"]
    if "active" in pri.columns:
        bad = ~pri["active"].map(lambda v: isinstance(v, bool | np.bool_))
        if bad.any():
            raise InputError(
                f"the priority table column 'active' must be True or False; "
                f"got {short_list(pri.loc[bad, 'active'].tolist(), 5)}"
            )
    known = set(pri["priority"])
    served: dict[object, set[str]] = {}
    for groups, tool in zip(df["priorities"], df["tool_group"]):
        for p in groups:
            served.setdefault(p, set()).add(tool)
    unknown = sorted(set(served) - known, key=str)
    if unknown:
        raise InputError(
            f"instruments serve priorities not in the priority table: {short_list(unknown, 5)}"
        )
    rows = []
    for _, row in pri.iterrows():
        if "active" in pri.columns and not bool(row["active"]):
            continue
        stage = row["stage"] if "stage" in pri.columns and not pd.isna(row["stage"]) else None
        needed = STAGE_TOOL_GROUPS.get(stage, ()) if stage is not None else ()
        present = served.get(row["priority"], set())
        gap = None
        if not present:
            gap = "no_instrument"
        elif needed and not present & set(needed):
            gap = "missing_tool_group"
        if gap:
            lines = [
                str(r["lines"])
                for r in ADVISOR_RULES
                if rule_condition(r)[0] == "stage"
                and stage in rule_condition(r)[1]
                and rule_tool_groups(r)
            ]
            rows.append(
                {
                    "priority": row["priority"],
                    "stage": stage,
                    "gap": gap,
                    "needed": ", ".join(needed),
                    "tool_groups_present": ", ".join(sorted(present)),
                    "lines": "; ".join(lines),
                }
            )
    columns = ["priority", "stage", "gap", "needed", "tool_groups_present", "lines"]
    return pd.DataFrame(rows, columns=columns)


def territories_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """Return the NUTS codes where two territories overlap (a code covers its sub-regions).

    Examples
    --------
    >>> territories_overlap(("AT",), ("AT332", "DE2")), territories_overlap(("AT33",), ("AT34",))
    (('AT332',), ())
    """
    found = set()
    for x in a:
        for y in b:
            if y.startswith(x):
                found.add(y)
            elif x.startswith(y):
                found.add(x)
    return tuple(sorted(found))


def _targets_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    la, lb = {t.lower() for t in a}, {t.lower() for t in b}
    if "all" in la:
        return tuple(sorted(lb))
    if "all" in lb:
        return tuple(sorted(la))
    return tuple(sorted(la & lb))


def policy_duplications(instruments: pd.DataFrame) -> pd.DataFrame:
    """Pairs of instruments at two levels doing the same for the same priority.

    A duplication is two instruments at different governance levels with the
    same tool group that serve the same priority, whose territories overlap
    (a NUTS code covers its sub-regions: "AT" overlaps "AT33") and whose
    target groups overlap ("all" overlaps any group; compared without case).
    Instruments to ``suppress`` still count: the duplication is what the
    decision resolves.

    Returns
    -------
    DataFrame
        One row per priority x pair: ``priority``, ``tool_group``,
        ``instrument_a``, ``level_a``, ``instrument_b``, ``level_b`` (the pair
        in register order), ``territory`` and ``target_groups`` (where they
        overlap, joined by ", ").

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["Regio R&D", "Bund R&D", "Stadt R&D"],
    ...     "level": ["regional", "national", "regional"],
    ...     "tool_group": ["collaborative_actions"] * 3,
    ...     "territory": ["AT33", "AT", "AT332"], "target_groups": ["SME", "all", "SME"],
    ...     "priorities": ["tourism", "tourism;wood", "tourism"]})
    >>> policy_duplications(reg)[["priority", "instrument_a", "instrument_b", "territory"]]
      priority instrument_a instrument_b territory
    0  tourism    Regio R&D     Bund R&D      AT33
    1  tourism     Bund R&D    Stadt R&D     AT332

    Regio R&D and Stadt R&D overlap but are both regional: not a duplication
    across levels.
    """
    df = _register(instruments, "level", "tool_group", "territory", "target_groups", "priorities")
    rows = []
    recs = df.to_dict("records")
    for a, b in combinations(recs, 2):
        if a["level"] == b["level"] or a["tool_group"] != b["tool_group"]:
            continue
        shared = [p for p in a["priorities"] if p in b["priorities"]]
        if not shared:
            continue
        terr = territories_overlap(a["territory"], b["territory"])
        targets = _targets_overlap(a["target_groups"], b["target_groups"])
        if not terr or not targets:
            continue
        for p in shared:
            rows.append(
                {
                    "priority": p,
                    "tool_group": a["tool_group"],
                    "instrument_a": a["instrument"],
                    "level_a": a["level"],
                    "instrument_b": b["instrument"],
                    "level_b": b["level"],
                    "territory": ", ".join(terr),
                    "target_groups": ", ".join(targets),
                }
            )
    cols = ["priority", "tool_group", "instrument_a", "level_a", "instrument_b", "level_b"]
    out = pd.DataFrame(rows, columns=[*cols, "territory", "target_groups"])
    return out.sort_values("priority", kind="stable", ignore_index=True)


def _yearly(instruments: pd.DataFrame, budgets: pd.DataFrame, *columns: str) -> pd.DataFrame:
    df = _register(instruments, *columns)
    b = require_frame(budgets, "the budgets table")
    require_columns(b, "the budgets table", instrument="instrument", year="year")
    require_columns(b, "the budgets table", budget_eur="budget_eur")
    unknown = sorted(set(b["instrument"]) - set(df["instrument"]), key=str)
    if unknown:
        raise InputError(
            f"the budgets table names instruments not in the register: {short_list(unknown, 5)}"
        )
    b = b[["instrument", "year", "budget_eur"]].copy()
    b["budget_eur"] = pd.to_numeric(b["budget_eur"], errors="coerce")
    return b.merge(df, on="instrument", how="left")


def targeted_share(instruments: pd.DataFrame, budgets: pd.DataFrame) -> pd.DataFrame:
    """Budget geared to the priorities against generic budget, per year.

    An instrument is *targeted* when it serves at least one priority, else
    *generic* (report lines 852-853).

    Returns
    -------
    DataFrame
        One row per year: ``budget_targeted``, ``budget_generic``,
        ``share_targeted`` (of the two summed) and ``n_unknown_budget``; a
        year with an unknown budget has NaN sums and share.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["A", "B"], "priorities": ["tourism", ""]})
    >>> bud = pd.DataFrame({"instrument": ["A", "B"], "year": [2024, 2024],
    ...                     "budget_eur": [3.0e6, 1.0e6]})
    >>> targeted_share(reg, bud)
       year  budget_targeted  budget_generic  share_targeted  n_unknown_budget
    0  2024        3000000.0       1000000.0            0.75                 0
    """
    m = _yearly(instruments, budgets, "priorities")
    m["targeted"] = m["priorities"].map(bool)
    rows = []
    for year, g in m.groupby("year", sort=True):
        n_unknown = int(g["budget_eur"].isna().sum())
        t = g.loc[g["targeted"], "budget_eur"].sum() if not n_unknown else np.nan
        gen = g.loc[~g["targeted"], "budget_eur"].sum() if not n_unknown else np.nan
        share = t / (t + gen) if (t + gen) > 0 else np.nan
        rows.append((year, t, gen, share, n_unknown))
    cols = ["year", "budget_targeted", "budget_generic", "share_targeted", "n_unknown_budget"]
    return pd.DataFrame(rows, columns=cols)


def cofunding(
    instruments: pd.DataFrame, budgets: pd.DataFrame, funding: pd.DataFrame
) -> pd.DataFrame:
    """Budget by year, governance level and funding source.

    Each instrument's yearly budget is split by its funding shares; an
    instrument with no funding rows appears with ``source`` "unspecified".

    Returns
    -------
    DataFrame
        ``year``, ``level``, ``source``, ``budget_eur`` (NaN where a budget is
        unknown), sorted by year, level and source.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["A", "B"], "level": ["regional", "EU"]})
    >>> bud = pd.DataFrame({"instrument": ["A", "B"], "year": [2024, 2024],
    ...                     "budget_eur": [2.0e6, 1.0e6]})
    >>> fund = pd.DataFrame({"instrument": ["A", "A"], "source": ["ERDF", "regional"],
    ...                      "share": [0.6, 0.4]})
    >>> cofunding(reg, bud, fund)
       year     level       source  budget_eur
    0  2024        EU  unspecified   1000000.0
    1  2024  regional         ERDF   1200000.0
    2  2024  regional     regional    800000.0
    """
    m = _yearly(instruments, budgets, "level")
    f = require_frame(funding, "the funding table")
    require_columns(f, "the funding table", instrument="instrument", source="source")
    require_columns(f, "the funding table", share="share")
    f = f[["instrument", "source", "share"]].copy()
    f["share"] = pd.to_numeric(f["share"], errors="coerce")
    m = m.merge(f, on="instrument", how="left")
    m["source"] = m["source"].fillna("unspecified")
    m["share"] = m["share"].where(m["source"] != "unspecified", 1.0)
    m["part"] = m["budget_eur"] * m["share"]
    out = m.groupby(["year", "level", "source"], sort=True)["part"].sum(min_count=1)
    unknown = m["part"].isna().groupby([m["year"], m["level"], m["source"]]).any()
    out[unknown] = np.nan
    return out.rename("budget_eur").reset_index()
