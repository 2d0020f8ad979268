"""Monitoring a strategy: the intervention logic, its checks, and the scorecard.

Smart policy-making means "Assigning clear and measurable goals to all
elements of the policy mix, measuring results against expected benefits"
(``clusters-and-s3-report.txt`` lines 871-875), without judging success by
"counting dots" (lines 1703-1705); the report asks how to "track progress
during implementation" and about "a Scorecard approach" (lines 887-888).
The RIS3 Guide's step 6 (Foray et al. 2012, *Guide to Research and
Innovation Strategies for Smart Specialisations*, European Commission) and
the JRC's monitoring guidance (Gianelle and Kleibrink 2015, *Monitoring
Mechanisms for Smart Specialisation Strategies*, S3 Policy Brief 13/2015)
ask for an intervention logic per priority — objectives, instruments,
output, result and context indicators — with a parsimonious set of
indicators, a baseline for every result indicator and targets for all
output and result indicators.

Tables:

* ``indicators``: ``indicator`` (unique), ``priority``, ``type``
  (:data:`INDICATOR_TYPES`), ``definition``, ``unit``, ``source``,
  ``baseline_year``, ``baseline_value``; optionally ``objective``,
  ``instrument`` and ``direction`` ("increase" or "decrease").
* ``targets``: ``indicator``, ``year``, ``value``.
* ``observations``: ``indicator``, ``date`` (a date or a year), ``value``,
  ``provenance`` (:data:`PROVENANCES`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option, short_list
from ris3.errors import InputError
from ris3.strategy._common import check_known, require_columns, require_frame

__all__ = [
    "INDICATOR_TYPES",
    "PROVENANCES",
    "STATUSES",
    "check_intervention_logic",
    "check_observations",
    "scorecard",
    "scorecard_summary",
    "decimal_year",
]

#: Kinds of indicator in the intervention logic.
INDICATOR_TYPES: tuple[str, ...] = ("output", "result", "context")
#: Where an observation comes from.
PROVENANCES: tuple[str, ...] = ("entered", "imported", "computed")
#: Statuses of the scorecard, best first.
STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track", "no_data")
_INDICATOR_COLUMNS = ("indicator", "priority", "type", "baseline_year", "baseline_value")


def decimal_year(value: object) -> float:
    """Return a date (or a year) as a decimal year; a year ``Y`` is 1 January of ``Y``.

    A number is taken as a (decimal) year; a date ``d`` is its year plus
    ``(day of the year - 1) / days in the year``.

    Examples
    --------
    >>> decimal_year(2022), decimal_year("2020-07-02"), decimal_year(2023.25)
    (2022.0, 2020.5, 2023.25)
    """
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            raise InputError("date must be a date or a year; got an empty cell")
        return float(value)
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]
        if pd.isna(ts):
            raise ValueError
    except (ValueError, TypeError) as exc:
        raise InputError(f"date must be a date or a year; got {value!r}") from exc
    days = 366 if ts.is_leap_year else 365
    return ts.year + (ts.day_of_year - 1) / days


def _indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    df = require_frame(indicators, "the indicator table")
    require_columns(df, "the indicator table", **{c: c for c in _INDICATOR_COLUMNS})
    if df["indicator"].duplicated().any():
        dup = short_list(df.loc[df["indicator"].duplicated(), "indicator"].tolist(), 5)
        raise InputError(f"the indicator table must list each indicator once; it repeats {dup}")
    check_known(df["type"], INDICATOR_TYPES, "the indicator table", "type", "type")
    return df


def _targets(targets: pd.DataFrame, known: set[object]) -> pd.DataFrame:
    t = require_frame(targets, "the target table")
    require_columns(t, "the target table", indicator="indicator", year="year", value="value")
    unknown = sorted(set(t["indicator"]) - known, key=str)
    if unknown:
        raise InputError(f"the target table names unknown indicators {short_list(unknown, 5)}")
    return t


def check_intervention_logic(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    priorities: list[str] | None = None,
    max_indicators: int = 5,
) -> pd.DataFrame:
    """Flag where a monitoring framework departs from the guidance.

    Parameters
    ----------
    indicators, targets : DataFrame
        See the module docstring.
    priorities : list of str, optional
        The strategy's active priorities; each must have indicators.
    max_indicators : int, default 5
        Most output and result indicators per priority (a parsimonious set;
        the number is a choice, the guidance gives none).

    Returns
    -------
    DataFrame
        One row per problem: ``priority``, ``indicator`` (empty for a
        priority-wide problem), ``problem`` and ``detail``; empty when the
        framework follows the guidance. Problems: ``no_indicators``,
        ``no_objective`` (when the table has an ``objective`` column),
        ``no_output_indicator``, ``no_result_indicator``,
        ``too_many_indicators``, ``no_baseline`` (a result indicator),
        ``no_target`` (an output or result indicator), ``target_before_baseline``.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"indicator": ["firms", "rd_share"], "priority": ["tourism"] * 2,
    ...     "type": ["output", "result"], "baseline_year": [None, 2020],
    ...     "baseline_value": [None, None]})
    >>> tgt = pd.DataFrame({"indicator": ["firms"], "year": [2027], "value": [40]})
    >>> check_intervention_logic(ind, tgt)[["indicator", "problem"]]
      indicator      problem
    0  rd_share  no_baseline
    1  rd_share    no_target
    """
    df = _indicators(indicators)
    t = _targets(targets, set(df["indicator"]))
    check_number("max_indicators", max_indicators, low=1, integer=True)
    rows: list[tuple[object, object, str, str]] = []
    for p in priorities or []:
        if p not in set(df["priority"]):
            rows.append((p, "", "no_indicators", "an active priority without indicators"))
    for p, g in df.groupby("priority", sort=False):
        if "objective" in df.columns and g["objective"].isna().all():
            rows.append((p, "", "no_objective", "no indicator states the objective it measures"))
        for kind in ("output", "result"):
            if not (g["type"] == kind).any():
                rows.append((p, "", f"no_{kind}_indicator", f"no {kind} indicator"))
        n = int(g["type"].isin(("output", "result")).sum())
        if n > max_indicators:
            rows.append(
                (
                    p,
                    "",
                    "too_many_indicators",
                    f"{n} output and result indicators > {max_indicators}",
                )
            )
    first_target = t.groupby("indicator")["year"].min()
    for _, row in df.iterrows():
        name, kind = row["indicator"], row["type"]
        if kind == "result" and (pd.isna(row["baseline_year"]) or pd.isna(row["baseline_value"])):
            rows.append(
                (row["priority"], name, "no_baseline", "a result indicator needs a baseline")
            )
        if kind in ("output", "result"):
            if name not in first_target.index:
                rows.append(
                    (row["priority"], name, "no_target", f"an {kind} indicator needs a target")
                )
            elif not pd.isna(row["baseline_year"]) and first_target[name] <= row["baseline_year"]:
                rows.append(
                    (
                        row["priority"],
                        name,
                        "target_before_baseline",
                        f"target year {first_target[name]} is not after the baseline year",
                    )
                )
    return pd.DataFrame(rows, columns=["priority", "indicator", "problem", "detail"])


def scorecard(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    *,
    on_track: float = 0.9,
    at_risk: float = 0.6,
    as_of: object = None,
) -> pd.DataFrame:
    """Progress of every indicator against its targets, with a status.

    The status rule. Take the latest observation ``v`` at date ``t`` (with a
    value, not after ``as_of``). The planned path runs in straight lines
    from the baseline ``(year_0, b)`` through the targets in year order
    (a year ``Y`` is 1 January of ``Y``; :func:`decimal_year`); after the
    last target it stays at the last target. With ``e`` the planned value
    at ``t``, ``progress = (v - b) / (e - b)``, the share of the planned
    change achieved so far, and the status is

    * ``on_track`` when ``progress >= on_track``;
    * ``at_risk`` when ``at_risk <= progress < on_track``;
    * ``off_track`` when ``progress < at_risk``;
    * ``no_data`` with no baseline, no target (context indicators have
      none), no observation, or an observation before the baseline.

    When no change is planned at ``t`` (``e = b``), the indicator is
    ``on_track`` if ``v`` is on the good side of ``e`` or equal to it, else
    ``off_track``; the good side is ``direction`` when given, else the
    direction of the last target from the baseline (increase when equal).

    Parameters
    ----------
    indicators, targets, observations : DataFrame
        See the module docstring.
    on_track, at_risk : float, default 0.9 and 0.6
        Thresholds of ``progress``; ``at_risk <= on_track``.
    as_of : date or year, optional
        Ignore observations after it.

    Returns
    -------
    DataFrame
        One row per indicator, in input order: ``indicator``, ``priority``,
        [``instrument``], ``type``, ``baseline_year``, ``baseline_value``,
        ``observed_date``, ``observed_value``, ``provenance``,
        ``expected_value``, ``target_year``, ``target_value`` (the last
        target), ``progress``, ``status`` and ``note``.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"indicator": ["coop"], "priority": ["tourism"], "type": ["result"],
    ...     "baseline_year": [2020], "baseline_value": [100.0]})
    >>> tgt = pd.DataFrame({"indicator": ["coop"], "year": [2024], "value": [140.0]})
    >>> obs = pd.DataFrame({"indicator": ["coop"], "date": ["2022-01-01"], "value": [115.0],
    ...                     "provenance": ["entered"]})
    >>> scorecard(ind, tgt, obs)[["expected_value", "progress", "status"]]
       expected_value  progress   status
    0           120.0      0.75  at_risk

    Halfway to 2024 the plan is 120; 15 of the planned 20 is 0.75 of the way.
    """
    df = _indicators(indicators)
    t = _targets(targets, set(df["indicator"]))
    check_number("on_track", on_track, low=0)
    check_number("at_risk", at_risk, low=0, high=on_track)
    o = require_frame(observations, "the observation table")
    require_columns(o, "the observation table", indicator="indicator", date="date", value="value")
    require_columns(o, "the observation table", provenance="provenance")
    unknown = sorted(set(o["indicator"]) - set(df["indicator"]), key=str)
    if unknown:
        raise InputError(f"the observation table names unknown indicators {short_list(unknown, 5)}")
    check_known(o["provenance"], PROVENANCES, "the observation table", "provenance", "provenance")
    o = o.assign(_t=o["date"].map(decimal_year), _v=pd.to_numeric(o["value"], errors="coerce"))
    if as_of is not None:
        o = o[o["_t"] <= decimal_year(as_of)]
    rows = []
    for _, ind in df.iterrows():
        name = ind["indicator"]
        tg = t[t["indicator"] == name].sort_values("year")
        ob = o[(o["indicator"] == name) & o["_v"].notna()].sort_values("_t", kind="stable")
        row = {
            "indicator": name,
            "priority": ind["priority"],
            **({"instrument": ind["instrument"]} if "instrument" in df.columns else {}),
            "type": ind["type"],
            "baseline_year": ind["baseline_year"],
            "baseline_value": ind["baseline_value"],
            "observed_date": ob["date"].iloc[-1] if len(ob) else None,
            "observed_value": ob["_v"].iloc[-1] if len(ob) else np.nan,
            "provenance": ob["provenance"].iloc[-1] if len(ob) else None,
            "target_year": tg["year"].iloc[-1] if len(tg) else np.nan,
            "target_value": float(tg["value"].iloc[-1]) if len(tg) else np.nan,
        }
        direction = ind["direction"] if "direction" in df.columns else None
        expected, progress, status, note = _status(ind, tg, ob, direction, on_track, at_risk)
        row.update(expected_value=expected, progress=progress, status=status, note=note)
        rows.append(row)
    return pd.DataFrame(rows)


def scorecard_summary(card: pd.DataFrame, *, by: str = "priority") -> pd.DataFrame:
    """Count the scorecard's statuses by priority or by instrument.

    Parameters
    ----------
    card : DataFrame
        The output of :func:`scorecard`.
    by : {"priority", "instrument"}, default "priority"
        ``instrument`` needs the indicator table's ``instrument`` column.

    Returns
    -------
    DataFrame
        One row per value of ``by`` (in order of appearance; indicators
        without one under "(no instrument)"): one column per status of
        :data:`STATUSES` (counts) and ``n_indicators``.

    Examples
    --------
    >>> import pandas as pd
    >>> card = pd.DataFrame({"priority": ["a", "a", "b"],
    ...                      "status": ["on_track", "no_data", "off_track"]})
    >>> scorecard_summary(card)
      priority  on_track  at_risk  off_track  no_data  n_indicators
    0        a         1        0          0        1             2
    1        b         0        0          1        0             1
    """
    check_option("by", by, ("priority", "instrument"))
    df = require_frame(card, "the scorecard")
    require_columns(df, "the scorecard", by=by, status="status")
    key = df[by].astype(object).where(df[by].notna(), f"(no {by})")
    counts = pd.crosstab(pd.Categorical(key, categories=pd.unique(key)), df["status"])
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts["n_indicators"] = counts.sum(axis=1)
    counts.index.name = by
    counts.columns.name = None
    return counts.reset_index()


def _status(
    ind: pd.Series,
    tg: pd.DataFrame,
    ob: pd.DataFrame,
    direction: object,
    on_track: float,
    at_risk: float,
) -> tuple[float, float, str, str]:
    nan = float("nan")
    if pd.isna(ind["baseline_year"]) or pd.isna(ind["baseline_value"]):
        return nan, nan, "no_data", "no baseline"
    if tg.empty:
        return (
            nan,
            nan,
            "no_data",
            "no target" + (" (context indicator)" if ind["type"] == "context" else ""),
        )
    if ob.empty:
        return nan, nan, "no_data", "no observation"
    b, t0 = float(ind["baseline_value"]), float(ind["baseline_year"])
    when, v = float(ob["_t"].iloc[-1]), float(ob["_v"].iloc[-1])
    if when < t0:
        return nan, nan, "no_data", "latest observation is before the baseline"
    xs = np.array([t0, *tg["year"].astype(float)])
    ys = np.array([b, *tg["value"].astype(float)])
    expected = float(np.interp(when, xs, ys))
    planned = expected - b
    if planned != 0:
        progress = (v - b) / planned
        status = (
            "on_track"
            if progress >= on_track
            else "at_risk"
            if progress >= at_risk
            else "off_track"
        )
        return expected, progress, status, ""
    if direction in ("increase", "decrease"):
        sign = 1.0 if direction == "increase" else -1.0
    else:
        sign = -1.0 if ys[-1] < b else 1.0
    ok = (v - expected) * sign >= 0
    return expected, nan, "on_track" if ok else "off_track", "no change planned at this date"


def check_observations(
    table: pd.DataFrame, indicators: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split an observation table to import into accepted and rejected rows.

    A row is accepted when its ``indicator`` is one of ``indicators``, its
    ``date`` is a date or a year (:func:`decimal_year`) and its ``value`` is
    a number. A row with an empty value is rejected, never read as 0: a
    missing value is not an observation.

    Parameters
    ----------
    table : DataFrame
        ``indicator``, ``date``, ``value``; optionally ``note``.
    indicators : list of str
        The indicators the rows may name.

    Returns
    -------
    accepted : DataFrame
        ``row`` (1-based line of the table), ``indicator``, ``date`` (as
        given), ``year`` (the decimal year), ``value`` (float) and ``note``.
    rejected : DataFrame
        ``row``, ``indicator``, ``date``, ``value`` (as given) and ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"indicator": ["coop", "coop", "jobs", "coop"],
    ...                   "date": ["2023-06-30", 2024, 2024, "soon"],
    ...                   "value": [12, None, 3, 5]})
    >>> ok, bad = check_observations(t, ["coop"])
    >>> ok[["row", "indicator", "value"]]
       row indicator  value
    0    1      coop   12.0
    >>> bad[["row", "reason"]]
       row                                     reason
    0    2                             value is empty
    1    3                   unknown indicator 'jobs'
    2    4  date must be a date or a year; got 'soon'
    """
    df = require_frame(table, "the observation table")
    require_columns(df, "the observation table", indicator="indicator", date="date", value="value")
    known = set(indicators)
    ok: list[dict[str, object]] = []
    bad: list[dict[str, object]] = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        name, when, raw = rec["indicator"], rec["date"], rec["value"]
        reason = ""
        year = float("nan")
        value = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
        if pd.isna(name) or name not in known:
            reason = f"unknown indicator {name!r}"
        else:
            try:
                year = decimal_year(when)
            except InputError as exc:
                reason = str(exc)
        if not reason and (raw is None or (isinstance(raw, float) and math.isnan(raw))):
            reason = "value is empty"
        elif not reason and pd.isna(value):
            reason = f"value must be a number; got {raw!r}"
        if reason:
            bad.append({"row": i, "indicator": name, "date": when, "value": raw, "reason": reason})
        else:
            note = rec.get("note")
            ok.append(
                {
                    "row": i,
                    "indicator": name,
                    "date": when,
                    "year": year,
                    "value": float(value),
                    "note": "" if note is None or pd.isna(note) else str(note),
                }
            )
    accepted = pd.DataFrame(ok, columns=["row", "indicator", "date", "year", "value", "note"])
    rejected = pd.DataFrame(bad, columns=["row", "indicator", "date", "value", "reason"])
    return accepted, rejected
