"""Firm-panel preparation for programme evaluation, run on an Ibis engine.

:func:`prepare_panel` is a sequence of named steps: check the options and
columns, put the key columns under standard names, check rows and firms,
apply the region rule, handle missing and non-positive raw values, add the
outcomes, find the programme's regions and activities, check the peers,
build the reference groups and collect the sample (with LQs when asked).

Firm registers hold tens of millions of firm-years. Everything that touches
every row — validation, the region rule, logs, lags, growth rates, treatment
timing, reference groups and the employment totals behind location
quotients — runs here as Ibis expressions on DuckDB (default) or Spark; only
the estimation sample is brought into pandas.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ris3._compat import renamed_parameters
from ris3._validation import check_option, short_list
from ris3.errors import InputError

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "OUTCOMES",
    "RAW_ROLES",
    "REGION_RULES",
    "NONPOSITIVE_POLICIES",
    "PreparedPanel",
    "prepare_panel",
]

RegionRule = Literal["raise", "first", "last", "drop"]
NonPositivePolicy = Literal["raise", "drop"]
REGION_RULES: tuple[str, ...] = ("raise", "first", "last", "drop")
NONPOSITIVE_POLICIES: tuple[str, ...] = ("raise", "drop")

# raw money/size columns a panel may carry (keyword -> meaning)
RAW_ROLES: tuple[str, ...] = (
    "value_added",
    "employment",
    "wages",
    "turnover",
    "profit",
    "exports",
)

# outcome name -> (raw roles it needs, raw roles that must be > 0, description)
OUTCOMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "value_added": (("value_added",), ("value_added",), "log value added"),
    "value_added_growth": (
        ("value_added",),
        ("value_added",),
        "log value added minus its value in the previous year",
    ),
    "profitability_growth": (
        ("profit", "turnover"),
        ("turnover",),
        "change of profit / turnover from the previous year (in shares)",
    ),
    "wage_per_employee": (
        ("wages", "employment"),
        ("wages", "employment"),
        "log of wages / employment",
    ),
    "turnover": (("turnover",), ("turnover",), "log turnover"),
    "employment": (("employment",), ("employment",), "log employment"),
    "productivity": (
        ("value_added", "employment"),
        ("value_added", "employment"),
        "log of value added / employment",
    ),
    "productivity_growth": (
        ("value_added", "employment"),
        ("value_added", "employment"),
        "log productivity minus its value in the previous year",
    ),
    "export_intensity": (("exports", "turnover"), ("turnover",), "exports / turnover"),
}

_NO_MEMBER = (
    "column {entry_year!r} (entry_year=) is missing on every row: no firm joined the "
    "programme, so there is nothing to evaluate"
)

# standard names of the key columns in the estimation sample
KEYS = ("firm", "region", "activity", "year", "entry_year")


@dataclass
class PreparedPanel:
    """The estimation sample and what preparation did to the input.

    Attributes
    ----------
    sample : DataFrame
        One row per firm-year that belongs to at least one reference group
        (in the order the engine returns them; sort if order matters),
        with columns ``firm, region, activity, year`` (region after the region
        rule), ``entry_year`` (0 for firms that never joined), ``member``
        (bool), ``treated`` (0/1: member and ``year >= entry_year``),
        ``rel_time`` (``year - entry_year``; -1 for non-members, i.e. the
        reference period), ``group_region`` and ``group_peer`` (bool: the row
        is in reference group (a) or (b)), one column per outcome (missing
        where it cannot be computed), ``lq`` when asked for, and the kept
        columns (controls, policy variables).
    outcomes : list of str
    programme_regions, peer_regions, member_activities : list of str
    report : dict
        Counts of what preparation touched: ``rows_in``, ``firms_in``,
        ``members``, ``rows_out``, ``region_switching_firms``,
        ``region_rule``, ``firms_dropped_region_switch``,
        ``nonpositive`` (raw column -> rows whose value was set to missing).
    columns : dict
        The caller's column names by role.
    """

    sample: pd.DataFrame
    outcomes: list[str]
    programme_regions: list[str]
    peer_regions: list[str]
    member_activities: list[str]
    report: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        """Return the estimation sample, one row per firm-year (the object itself, not a copy)."""
        return self.sample

    def summary(self) -> str:
        """Summarise in a few lines: rows, firms, members, regions, outcomes, what was dropped."""
        r = self.report
        lines = [
            f"{r.get('rows_out', len(self.sample))} firm-years kept of {r.get('rows_in', '?')}; "
            f"{r.get('firms_in', '?')} firms in, {r.get('members', '?')} members",
            f"programme regions: {', '.join(map(str, self.programme_regions)) or 'none'}; "
            f"peer regions: {', '.join(map(str, self.peer_regions)) or 'none'}",
            f"outcomes: {', '.join(self.outcomes) or 'none'}",
        ]
        dropped = r.get("firms_dropped_region_switch")
        if dropped:
            lines.append(f"{dropped} firms dropped for switching region")
        for column, n in (r.get("nonpositive") or {}).items():
            lines.append(f"{n} rows of {column} not positive: set to missing")
        return "\n".join(lines)


@renamed_parameters(year="time")
def prepare_panel(
    data: Any,
    *,
    firm: str,
    region: str,
    activity: str,
    time: str,
    entry_year: str,
    value_added: str | None = None,
    employment: str | None = None,
    wages: str | None = None,
    turnover: str | None = None,
    profit: str | None = None,
    exports: str | None = None,
    outcomes: Sequence[str] | None = None,
    keep: Sequence[str] = (),
    peer_regions: Sequence[str] | None = None,
    region_rule: RegionRule = "raise",
    nonpositive: NonPositivePolicy = "raise",
    missing: NonPositivePolicy = "raise",
    with_lq: bool = False,
    backend: Any = None,
) -> PreparedPanel:
    """Validate a firm-year panel and build the estimation sample on an engine.

    Parameters
    ----------
    data : DataFrame, Parquet path/glob or Ibis table
        One row per firm and year (unbalanced panels are fine).
    firm, region, activity, time, entry_year : str
        Column names (``time`` is the year column; ``year=`` is its old
        name, accepted with a FutureWarning). ``entry_year`` is the year the firm joined the
        programme, missing for firms that never joined; it must be the same
        on every row of a firm and lie within the panel's years.
    value_added, employment, wages, turnover, profit, exports : str, optional
        Columns of the raw variables the outcomes are built from.
    outcomes : list of str, optional
        Names from :data:`OUTCOMES`; default every outcome whose raw columns
        were given.
    keep : list of str
        Further columns carried into the sample (controls, policy variables).
    peer_regions : list of str, optional
        Regions without the programme that form reference group (b).
    region_rule : {"raise", "first", "last", "drop"}, default "raise"
        Firms observed in more than one region: stop with an error, give the
        firm its first (or last) observed region in every year, or drop
        those firms (counted in ``report``).
    nonpositive : {"raise", "drop"}, default "raise"
        Raw values <= 0 where an outcome takes a log (or divides): stop with
        an error, or set the affected outcomes to missing in those rows
        (counted in ``report``).
    missing : {"raise", "drop"}, default "raise"
        Missing raw values that an outcome needs: stop with an error naming
        the column (missing is not zero), or leave those rows out of the
        affected outcomes (counted in ``report["missing"]`` and warned about).
    with_lq : bool, default False
        Add ``lq``, the location quotient of the firm's activity in its region
        and year, computed on ``employment`` summed over all firms in the
        panel (every region is the reference area).
    backend : Ibis backend, optional
        From :func:`ris3.engines.backend.connect`; default in-memory DuckDB.

    Returns
    -------
    PreparedPanel

    Raises
    ------
    InputError
        A named column is absent; duplicated firm-years; an entry year that
        differs between a firm's rows or lies outside the panel; firms
        switching region under ``region_rule="raise"``; non-positive values
        under ``nonpositive="raise"``; a peer region that is absent or runs
        the programme; no member firm; an unknown outcome or one whose raw
        column was not given.

    Examples
    --------
    >>> from ris3.evaluation import simulate_panel
    >>> panel = simulate_panel(300, 6, seed=2)
    >>> prep = prepare_panel(panel, firm="firm_id", region="region",
    ...                      activity="activity", time="year",
    ...                      entry_year="entry_year", value_added="value_added",
    ...                      peer_regions=["R03"])
    >>> prep.outcomes
    ['value_added', 'value_added_growth']
    >>> bool(prep.sample.loc[prep.sample["treated"] == 1, "member"].all())
    True
    """
    _check_options(region_rule, nonpositive, missing)
    given = _raw_columns(value_added, employment, wages, turnover, profit, exports)
    chosen = _choose_outcomes(outcomes, given)
    if with_lq and employment is None:
        raise InputError("with_lq=True needs employment= (the column the LQ is computed on)")
    keys = {"firm": firm, "region": region, "activity": activity, "year": time}
    keys["entry_year"] = entry_year
    source = _source_table(data, entry_year, backend)
    _check_columns(source, keys, given, keep)
    t = _standard_columns(source, keys, given, keep)
    report: dict[str, Any] = {"region_rule": region_rule}
    y0, y1 = _check_rows(t, keys, report)
    switching, n_switch = _check_firms(t, keys, y0, y1)
    t = _apply_region_rule(t, switching, n_switch, region_rule, region, report)
    _check_missing(t, chosen, given, missing, report)
    t = _drop_nonpositive(t, chosen, given, nonpositive, report)
    t = _add_outcomes(t, chosen)
    programme_regions, member_activities = _programme(t, entry_year)
    peers = _check_peers(peer_regions, programme_regions, t)
    t = _reference_groups(t, programme_regions, peers, member_activities)
    sample = _collect_sample(t, source, keys, given, chosen, keep, employment if with_lq else None)
    report["members"] = int(sample.loc[sample["member"], "firm"].nunique())
    report["rows_out"] = len(sample)
    return PreparedPanel(
        sample=sample,
        outcomes=chosen,
        programme_regions=programme_regions,
        peer_regions=peers or [],
        member_activities=member_activities,
        report=report,
        columns={**keys, **given},
    )


def _check_options(region_rule: str, nonpositive: str, missing: str) -> None:
    """Check the policy options of :func:`prepare_panel`."""
    check_option("region_rule", region_rule, REGION_RULES)
    check_option("nonpositive", nonpositive, NONPOSITIVE_POLICIES)
    check_option("missing", missing, NONPOSITIVE_POLICIES)


def _raw_columns(*columns: str | None) -> dict[str, str]:
    """Return the raw roles that were given a column, by role (in :data:`RAW_ROLES` order).

    Examples
    --------
    >>> _raw_columns("va", None, None, "sales", None, None)
    {'value_added': 'va', 'turnover': 'sales'}
    """
    return {role: col for role, col in zip(RAW_ROLES, columns) if col is not None}


def _source_table(data: Any, entry_year: str, backend: Any) -> ir.Table:
    """Return the panel as an Ibis table on ``backend`` (default in-memory DuckDB).

    An empty DataFrame and an all-missing entry-year column are refused
    here, because engines cannot type an all-missing column.
    """
    from ris3.engines.backend import connect, table_from

    if isinstance(data, pd.DataFrame) and len(data) == 0:
        raise InputError("panel has no rows")
    if isinstance(data, pd.DataFrame) and entry_year in data and data[entry_year].isna().all():
        raise InputError(_NO_MEMBER.format(entry_year=entry_year))
    con = backend if backend is not None else connect()
    return table_from(data, con)


def _check_columns(
    t: ir.Table, keys: dict[str, str], given: dict[str, str], keep: Sequence[str]
) -> None:
    """Every named column exists; the year columns hold numbers."""
    params = {("time" if role == "year" else role): col for role, col in keys.items()}
    named = {**params, **given, **{f"keep:{c}": c for c in keep}}
    missing_cols = [f"{c!r} ({role}=)" for role, c in named.items() if c not in t.columns]
    if missing_cols:
        raise InputError(
            f"panel has no column {', '.join(missing_cols)}; available columns: "
            f"{short_list(t.columns, 20)}"
        )
    for role in ("year", "entry_year"):
        param = "time" if role == "year" else role
        dtype = t[keys[role]].type()
        if dtype.is_null() or type(dtype).__name__ == "Unknown" or "NULL" in str(dtype):
            raise InputError(
                f"column {keys[role]!r} ({param}=) has no value in any row (an empty panel?)"
            )
        if not dtype.is_numeric():
            raise InputError(
                f"column {keys[role]!r} ({param}=) must hold integer years; got type {dtype}"
            )


def _standard_columns(
    t: ir.Table, keys: dict[str, str], given: dict[str, str], keep: Sequence[str]
) -> ir.Table:
    """Key columns under their standard names (:data:`KEYS`), raw columns as ``raw_<role>``."""
    return t.select(
        firm=t[keys["firm"]],
        region=t[keys["region"]].cast("string"),
        activity=t[keys["activity"]].cast("string"),
        year=t[keys["year"]].cast("int64"),
        entry_year=t[keys["entry_year"]].cast("int64"),
        **{f"raw_{k}": t[v].cast("float64") for k, v in given.items()},
        **{c: t[c] for c in keep if c not in given.values()},
    )


def _check_rows(t: ir.Table, keys: dict[str, str], report: dict[str, Any]) -> tuple[int, int]:
    """Rows and firms in (into ``report``); no missing key; the panel's first and last year."""
    from ris3.engines.backend import to_pandas

    stats = to_pandas(
        t.aggregate(
            rows=t.count(),
            firms=t.firm.nunique(),
            year_min=t.year.min(),
            year_max=t.year.max(),
            null_keys=(
                t.firm.isnull() | t.year.isnull() | t.region.isnull() | t.activity.isnull()
            ).sum(),
        )
    ).iloc[0]
    report["rows_in"], report["firms_in"] = int(stats["rows"]), int(stats["firms"])
    if report["rows_in"] == 0:
        raise InputError("panel is empty: it has no rows")
    if int(stats["null_keys"]):
        raise InputError(
            f"panel has {int(stats['null_keys'])} row(s) with a missing {keys['firm']!r}, "
            f"{keys['year']!r}, {keys['region']!r} or {keys['activity']!r}; every firm-year "
            "needs all four"
        )
    return int(stats["year_min"]), int(stats["year_max"])


def _check_firms(t: ir.Table, keys: dict[str, str], y0: int, y1: int) -> tuple[ir.Table, int]:
    """One row per firm-year, one entry year per firm within the panel; the switching firms.

    Returns the table of firms observed in more than one region and their
    number (one query counts every firm-level problem).
    """
    import ibis

    from ris3.engines.backend import to_pandas

    firm, year, entry_year = keys["firm"], keys["year"], keys["entry_year"]
    dups = t.group_by(["firm", "year"]).aggregate(n=t.count()).filter(ibis._.n > 1)
    per_firm = t.group_by("firm").aggregate(
        n_entry=t.entry_year.nunique(),
        null_entry=t.entry_year.isnull().sum(),
        entry=t.entry_year.max(),
        n_region=t.region.nunique(),
    )
    bad_entry = per_firm.filter(
        (ibis._.n_entry > 1) | ((ibis._.n_entry == 1) & (ibis._.null_entry > 0))
    )
    outside = per_firm.filter(ibis._.entry.notnull() & ((ibis._.entry < y0) | (ibis._.entry > y1)))
    switching = per_firm.filter(ibis._.n_region > 1)
    counts = to_pandas(
        ibis.union(
            dups.aggregate(k=ibis.literal("dup"), n=ibis._.count()),
            bad_entry.aggregate(k=ibis.literal("entry"), n=ibis._.count()),
            outside.aggregate(k=ibis.literal("outside"), n=ibis._.count()),
            switching.aggregate(k=ibis.literal("switch"), n=ibis._.count()),
        )
    ).set_index("k")["n"]
    if int(counts["dup"]):
        ex = to_pandas(dups.order_by(["firm", "year"]).limit(3))
        pairs = ", ".join(f"({r.firm!r}, {r.year})" for r in ex.itertuples())
        raise InputError(
            f"panel has {int(counts['dup'])} duplicated ({firm}, {year}) pair(s), e.g. {pairs}; "
            "each firm must appear once per year — aggregate or fix the register first"
        )
    if int(counts["entry"]):
        ex = to_pandas(bad_entry.select("firm").order_by("firm").limit(4))
        raise InputError(
            f"column {entry_year!r} (entry_year=) must be the same on every row of a firm "
            f"(missing on all rows for non-members); it differs within firm(s) "
            f"{short_list(ex['firm'].tolist(), 3)}"
        )
    if int(counts["outside"]):
        ex = to_pandas(outside.select("firm", "entry").order_by("firm").limit(4))
        raise InputError(
            f"column {entry_year!r} (entry_year=) must lie within the panel's years "
            f"{y0}-{y1}; {int(counts['outside'])} firm(s) joined outside them, e.g. firm "
            f"{ex['firm'].iloc[0]!r} in {int(ex['entry'].iloc[0])}. A firm that joined "
            f"before {y0} has no pre-programme year and one joining after {y1} no "
            "programme year: remove them or extend the panel"
        )
    return switching, int(counts["switch"])


def _apply_region_rule(
    t: ir.Table,
    switching: ir.Table,
    n_switch: int,
    region_rule: str,
    region: str,
    report: dict[str, Any],
) -> ir.Table:
    """Firms in more than one region: raise, keep their first or last region, or drop them."""
    import ibis

    from ris3.engines.backend import to_pandas

    report["region_switching_firms"] = n_switch
    report["firms_dropped_region_switch"] = 0
    if not n_switch:
        return t
    if region_rule == "raise":
        ex = to_pandas(switching.select("firm").order_by("firm").limit(4))
        raise InputError(
            f"{n_switch} firm(s) appear in more than one {region!r} (e.g. "
            f"{short_list(ex['firm'].tolist(), 3)}); choose region_rule='first' or "
            "'last' to give each firm one region, or 'drop' to leave them out"
        )
    if region_rule == "drop":
        report["firms_dropped_region_switch"] = n_switch
        return t.filter(t.firm.notin(switching.select("firm").firm))
    w = ibis.window(group_by="firm", order_by=t.year if region_rule == "first" else t.year.desc())
    return t.mutate(region=t.region.first().over(w))


def _check_missing(
    t: ir.Table, chosen: list[str], given: dict[str, str], missing: str, report: dict[str, Any]
) -> None:
    """Missing raw values an outcome needs: an error, or counted and warned (never zero)."""
    from ris3.engines.backend import to_pandas
    from ris3.errors import DataQualityWarning

    needed_roles = sorted({r for o in chosen for r in OUTCOMES[o][0]})
    report["missing"] = {}
    if not needed_roles:
        return
    nulls = to_pandas(
        t.aggregate(**{r: t[f"raw_{r}"].isnull().cast("int64").sum() for r in needed_roles})
    ).iloc[0]
    for r in needed_roles:
        n_null = int(nulls[r]) if pd.notna(nulls[r]) else 0
        if n_null == 0:
            continue
        needing = [o for o in chosen if r in OUTCOMES[o][0]]
        if missing == "raise":
            ex = to_pandas(
                t.filter(t[f"raw_{r}"].isnull())
                .select("firm", "year")
                .order_by(["firm", "year"])
                .limit(3)
            )
            where = ", ".join(f"firm {f!r} in {int(y)}" for f, y in ex.itertuples(index=False))
            raise InputError(
                f"column {given[r]!r} ({r}=) has {n_null} missing value(s) needed by "
                f"outcome(s) {short_list(needing)}, e.g. {where}; missing is not zero: "
                "choose missing='drop' to leave those rows out of these outcomes"
            )
        report["missing"][given[r]] = n_null
        warnings.warn(
            f"column {given[r]!r} has {n_null} missing value(s); those rows are left out "
            f"of outcome(s) {short_list(needing)} (missing='drop')",
            DataQualityWarning,
            stacklevel=3,
        )


def _drop_nonpositive(
    t: ir.Table, chosen: list[str], given: dict[str, str], nonpositive: str, report: dict[str, Any]
) -> ir.Table:
    """Raw values <= 0 where an outcome takes a log or divides: an error, or set missing."""
    import ibis

    from ris3.engines.backend import to_pandas

    positive_roles = sorted({r for o in chosen for r in OUTCOMES[o][1]})
    report["nonpositive"] = {}
    if not positive_roles:
        return t
    counts = to_pandas(t.aggregate(**{r: (t[f"raw_{r}"] <= 0).sum() for r in positive_roles})).iloc[
        0
    ]
    for r in positive_roles:
        n_bad = int(counts[r]) if pd.notna(counts[r]) else 0
        if n_bad == 0:
            continue
        if nonpositive == "raise":
            needing = [o for o in chosen if r in OUTCOMES[o][1]]
            raise InputError(
                f"column {given[r]!r} ({r}=) must be > 0 for outcome(s) "
                f"{short_list(needing)} (they take logs or divide by it); {n_bad} row(s) "
                "are <= 0. Use nonpositive='drop' to leave those rows out of these "
                "outcomes, or choose other outcomes"
            )
        report["nonpositive"][given[r]] = n_bad
        t = t.mutate(**{f"raw_{r}": ibis.ifelse(t[f"raw_{r}"] > 0, t[f"raw_{r}"], ibis.null())})
    return t


def _programme(t: ir.Table, entry_year: str) -> tuple[list[str], list[str]]:
    """Regions and activities of the member firms (at least one member is required)."""
    import ibis

    from ris3.engines.backend import to_pandas

    members = t.filter(t.entry_year.notnull())
    found = to_pandas(
        ibis.union(
            members.select(k=ibis.literal("region"), v=members.region).distinct(),
            members.select(k=ibis.literal("activity"), v=members.activity).distinct(),
        )
    )
    programme_regions = sorted(found.loc[found["k"] == "region", "v"].astype(str))
    member_activities = sorted(found.loc[found["k"] == "activity", "v"].astype(str))
    if not programme_regions:
        raise InputError(_NO_MEMBER.format(entry_year=entry_year))
    return programme_regions, member_activities


def _reference_groups(
    t: ir.Table,
    programme_regions: list[str],
    peers: list[str] | None,
    member_activities: list[str],
) -> ir.Table:
    """Treatment timing and the two reference groups; rows in neither group are left out.

    ``member``, ``treated`` (member and ``year >= entry_year``), ``rel_time``
    (-1 for non-members), ``entry_year`` 0 for non-members, ``group_region``
    (the programme's regions) and ``group_peer`` (members, and firms of the
    peer regions in the members' activities).
    """
    import ibis

    t = t.mutate(
        member=t.entry_year.notnull(),
        treated=(t.entry_year.notnull() & (t.year >= t.entry_year)).cast("int8"),
        rel_time=ibis.ifelse(t.entry_year.notnull(), t.year - t.entry_year, -1),
        entry_year=t.entry_year.fill_null(0),
        group_region=t.region.isin(programme_regions),
        group_peer=(
            t.entry_year.notnull() | (t.region.isin(peers) & t.activity.isin(member_activities))
            if peers
            else ibis.literal(False)
        ),
    )
    return t.filter(t.group_region | t.group_peer)


def _collect_sample(
    t: ir.Table,
    source: ir.Table,
    keys: dict[str, str],
    given: dict[str, str],
    chosen: list[str],
    keep: Sequence[str],
    lq_employment: str | None,
) -> pd.DataFrame:
    """Bring the estimation sample into pandas (no ORDER BY), with ``lq`` when asked for."""
    import ibis

    from ris3.engines.backend import to_pandas

    cols = [
        *KEYS,
        "member",
        "treated",
        "rel_time",
        "group_region",
        "group_peer",
        *chosen,
        *[c for c in keep if c not in given.values()],
    ]
    if lq_employment is not None:
        cols.append("raw_employment")
    # no ORDER BY: sorting millions of rows costs seconds and no estimator needs it
    sample = to_pandas(t.select(*cols))
    if lq_employment is not None:
        totals = to_pandas(
            source.select(
                region=ibis._[keys["region"]].cast("string"),
                activity=ibis._[keys["activity"]].cast("string"),
                year=ibis._[keys["year"]].cast("int64"),
                employment=ibis._[lq_employment].cast("float64"),
            )
            .group_by(["region", "activity", "year"])
            .aggregate(employment=ibis._.employment.sum())
        )
        sample["lq"] = _location_quotients(totals, sample)
        sample = sample.drop(columns="raw_employment")
    for c in ("region", "activity"):
        sample[c] = sample[c].astype("category")
    return sample


def _choose_outcomes(outcomes: Sequence[str] | None, given: dict[str, str]) -> list[str]:
    """Return the outcomes asked for (checked against the raw columns given), or all computable."""
    if outcomes is None:
        chosen = [o for o, (needs, _, _) in OUTCOMES.items() if all(r in given for r in needs)]
        if not chosen:
            raise InputError(
                "no outcome can be computed: give at least one of value_added=, employment=, "
                "turnover= (or wages= with employment=, profit= with turnover=)"
            )
        return chosen
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    chosen = []
    for o in outcomes:
        check_option("outcomes", o, tuple(OUTCOMES))
        lacking = [r for r in OUTCOMES[o][0] if r not in given]
        if lacking:
            raise InputError(
                f"outcome {o!r} needs the column(s) {', '.join(r + '=' for r in lacking)}; "
                "name them in the call"
            )
        if o not in chosen:
            chosen.append(o)
    return chosen


def _add_outcomes(t: ir.Table, chosen: list[str]) -> ir.Table:
    """One column per outcome (logs, ratios, growth between consecutive years only)."""
    import ibis

    w = ibis.window(group_by="firm", order_by="year")
    consecutive = t.year.lag().over(w) == t.year - 1
    new: dict[str, Any] = {}

    def lagged_diff(expr: Any) -> Any:
        # growth only between consecutive years: a gap leaves the year missing
        return ibis.ifelse(consecutive, expr - expr.lag().over(w), ibis.null())

    for o in chosen:
        if o == "value_added":
            new[o] = t.raw_value_added.log()
        elif o == "value_added_growth":
            new[o] = lagged_diff(t.raw_value_added.log())
        elif o == "profitability_growth":
            new[o] = lagged_diff(t.raw_profit / t.raw_turnover)
        elif o == "wage_per_employee":
            new[o] = (t.raw_wages / t.raw_employment).log()
        elif o == "turnover":
            new[o] = t.raw_turnover.log()
        elif o == "employment":
            new[o] = t.raw_employment.log()
        elif o == "productivity":
            new[o] = (t.raw_value_added / t.raw_employment).log()
        elif o == "productivity_growth":
            new[o] = lagged_diff((t.raw_value_added / t.raw_employment).log())
        elif o == "export_intensity":
            new[o] = t.raw_exports / t.raw_turnover
    return t.mutate(**new)


def _check_peers(
    peer_regions: Sequence[str] | None, programme: list[str], t: ir.Table
) -> list[str] | None:
    """Return the peer regions as text; check they are in the panel and host no member firm."""
    from ris3.engines.backend import to_pandas

    if peer_regions is None:
        return None
    if isinstance(peer_regions, str):
        peer_regions = [peer_regions]
    peers = [str(p) for p in peer_regions]
    clash = [p for p in peers if p in programme]
    if clash:
        raise InputError(
            f"peer_regions must be regions without the programme; {short_list(clash)} "
            "host(s) member firms"
        )
    present = set(to_pandas(t.select("region").distinct())["region"].astype(str))
    absent = [p for p in peers if p not in present]
    if absent:
        raise InputError(
            f"peer_regions {short_list(absent)} do not appear in the panel; regions present: "
            f"{short_list(sorted(present), 12)}"
        )
    return peers


def _location_quotients(totals: pd.DataFrame, sample: pd.DataFrame) -> np.ndarray:
    """LQ of each sample row's (region, activity, year) from panel-wide employment."""
    from ris3.kernels.specialisation import location_quotient
    from ris3.tidy import encode

    ct = encode(
        totals,
        region="region",
        activity="activity",
        value="employment",
        time="year",
        missing="drop",
        what="employment totals",
    )
    lq = [location_quotient(m) for m in ct.matrices()]
    cell = pd.Series(
        ct.gather(lq), index=pd.MultiIndex.from_frame(ct.keys[["region", "activity", "year"]])
    )
    idx = pd.MultiIndex.from_frame(
        sample[["region", "activity", "year"]].astype({"region": str, "activity": str})
    )
    return cell.reindex(idx).to_numpy(dtype=np.float64)
