"""Industry-to-industry labour flows from worker-level job spells.

:func:`job_spells_to_flows` turns a linked employer-employee register (one
row per worker and job spell) into the flow table that
:func:`ris3.clusters.linkages.skill_relatedness` takes. It runs as Ibis
expressions on DuckDB (default) or Spark and gives the same numbers on both.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option, short_list
from ris3.errors import (
    DataQualityWarning,
    InputError,
)

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

from ris3.clusters._engine_inputs import _backend, _require_columns

__all__ = ["FLOW_COLUMNS", "job_spells_to_flows"]

OverlapPolicy = Literal["raise", "skip", "count"]
FlowCount = Literal["moves", "workers"]

#: Columns of the table returned by :func:`job_spells_to_flows`, in order.
FLOW_COLUMNS: tuple[str, ...] = ("origin", "destination", "count")


def job_spells_to_flows(
    spells: Any,
    *,
    worker: str,
    industry: str,
    start: str,
    end: str,
    max_gap: Any = None,
    overlap: OverlapPolicy = "raise",
    count: FlowCount = "moves",
    engine: Literal["duckdb", "spark"] = "duckdb",
    backend: BaseBackend | None = None,
) -> pd.DataFrame:
    """Industry-to-industry flows from worker-level job spells.

    Each worker's spells are put in order of ``start`` (ties broken by
    ``end``, then ``industry``). Every spell and the worker's next spell make
    one *transition* from the first spell's industry to the second's.
    Transitions within one industry (a change of employer inside the
    industry) are kept as diagonal rows, like the stayers of published flow
    matrices; :func:`skill_relatedness` ignores them. Rules:

    - **Overlap**: the next spell starts before this one ends
      (``next start < end``; ``next start == end`` is not an overlap, so
      both inclusive and exclusive end dates work), or ``end`` is missing
      (the spell is still running). Parallel jobs are not switches in the
      sense of Neffke and Henning; ``overlap`` says what to do.
    - **Gap**: with ``max_gap``, a transition whose next spell starts more
      than ``max_gap`` after this one ends (``next start > end + max_gap``)
      is not counted (e.g. a long spell of unemployment). Default: no limit.

    Parameters
    ----------
    spells : DataFrame, Parquet path or glob, or Ibis table
        One row per job spell.
    worker, industry, start, end : str
        Column names. ``start`` and ``end`` are both numbers (e.g. years) or
        both dates/timestamps; ``end`` may be missing for running spells.
    max_gap : number or timedelta, optional
        Longest break between spells still counted as a switch: a number for
        numeric columns, a ``datetime.timedelta`` (whole days for date
        columns) for dates.
    overlap : {"raise", "skip", "count"}, default "raise"
        ``"raise"``: an overlapping transition is an error; ``"skip"``: not
        counted; ``"count"``: counted like any other transition.
    count : {"moves", "workers"}, default "moves"
        Count transitions, or distinct workers making the transition (as the
        ASHE "connections" tables).
    engine, backend
        As in :func:`skill_relatedness`.

    Returns
    -------
    DataFrame
        Columns ``origin``, ``destination``, ``count`` (int64), one row per
        pair with at least one counted transition, diagonal included, sorted.
        ``result.attrs["transitions"]`` holds the number of transitions of
        each kind found (``"move"``, ``"overlap"``, ``"gap"``) and
        ``result.attrs["counted"]`` the kinds counted.

    Raises
    ------
    InputError
        Missing columns, missing worker/industry/start values, a spell
        ending before it starts, incompatible ``start``/``end``/``max_gap``
        types, or overlapping spells with ``overlap="raise"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.clusters.linkages import job_spells_to_flows
    >>> spells = pd.DataFrame({
    ...     "person": [1, 1, 1, 2, 2, 3],
    ...     "sector": ["a", "b", "b", "a", "c", "c"],
    ...     "from_year": [2000, 2004, 2010, 2001, 2003, 2002],
    ...     "to_year": [2003, 2009, 2015, 2002, 2008, 2007],
    ... })
    >>> job_spells_to_flows(spells, worker="person", industry="sector",
    ...                     start="from_year", end="to_year")
      origin destination  count
    0      a           b      1
    1      a           c      1
    2      b           b      1
    """
    from ris3.engines.backend import table_from, to_pandas
    from ris3.engines.skill import spell_transitions, transition_flows

    check_option("overlap", overlap, ("raise", "skip", "count"))
    check_option("count", count, ("moves", "workers"))
    con = _backend(engine, backend)
    raw = table_from(spells, con)
    _require_columns(
        raw, "spells", {"worker": worker, "industry": industry, "start": start, "end": end}
    )
    s_type, e_type = raw[start].type(), raw[end].type()
    temporal = s_type.is_temporal()
    if temporal != e_type.is_temporal() or not (temporal or s_type.is_numeric()):
        raise InputError(
            f"start column {start!r} and end column {end!r} must both be numbers or both "
            f"dates; got {s_type} and {e_type}"
        )
    t = raw.select(worker=raw[worker], industry=raw[industry], start=raw[start], end=raw[end])
    gap = _gap_literal(max_gap, s_type)
    checks = to_pandas(
        t.aggregate(
            rows=t.count(),
            null_worker=t.worker.isnull().cast("int64").sum(),
            null_industry=t.industry.isnull().cast("int64").sum(),
            null_start=t.start.isnull().cast("int64").sum(),
            reversed=(t.end < t.start).fill_null(False).cast("int64").sum(),
        )
    ).iloc[0]
    for key, column in (
        ("null_worker", worker),
        ("null_industry", industry),
        ("null_start", start),
    ):
        if int(checks[key]):
            raise InputError(
                f"column {column!r} has {int(checks[key])} missing values; every spell needs "
                "a worker, an industry and a start"
            )
    if int(checks["reversed"]):
        ex = to_pandas(t.filter(t.end < t.start).order_by(["worker", "start"]).limit(3))
        spells_txt = ", ".join(
            f"worker {w!r} {s}..{e}"
            for w, s, e in ex[["worker", "start", "end"]].itertuples(index=False, name=None)
        )
        raise InputError(
            f"{int(checks['reversed'])} spells end before they start ({end} < {start}), "
            f"e.g. {spells_txt}"
        )

    transitions = spell_transitions(t, max_gap=gap)
    by_kind = to_pandas(transition_flows(transitions, count="moves"))
    totals = {
        k: int(by_kind.loc[by_kind["kind"] == k, "count"].sum()) for k in ("move", "overlap", "gap")
    }
    if overlap == "raise" and totals["overlap"]:
        ex = to_pandas(
            transitions.filter(transitions.kind == "overlap").order_by("worker").limit(3)
        )
        raise InputError(
            f"{totals['overlap']} transitions are between overlapping spells of the same "
            f"worker (next {start} before {end}), e.g. workers "
            f"{short_list(ex['worker'].tolist())}; choose overlap='skip' or overlap='count'"
        )
    kept = ["move", "overlap"] if overlap == "count" else ["move"]
    if count == "moves":
        sel = by_kind[by_kind["kind"].isin(kept)]
        flows = sel.groupby(["origin", "destination"], sort=True)["count"].sum().reset_index()
    else:
        tr = transitions.filter(transitions.kind.isin(kept))
        flows = to_pandas(
            tr.group_by(["origin", "destination"])
            .aggregate(count=tr.worker.nunique())
            .order_by(["origin", "destination"])
        )
    flows = flows[flows["count"] > 0].reset_index(drop=True)
    flows["count"] = flows["count"].astype("int64")
    flows = flows.loc[:, list(FLOW_COLUMNS)]
    flows.attrs["transitions"] = totals
    flows.attrs["counted"] = kept
    if overlap == "skip" and totals["overlap"]:
        warnings.warn(
            f"job_spells_to_flows: {totals['overlap']} transitions between overlapping spells "
            "were not counted (overlap='skip')",
            DataQualityWarning,
            stacklevel=2,
        )
    return flows


def _gap_literal(max_gap: Any, start_type: Any) -> Any:
    import ibis

    if max_gap is None:
        return None
    if start_type.is_temporal():
        if isinstance(max_gap, np.timedelta64):
            max_gap = pd.Timedelta(max_gap).to_pytimedelta()
        if not isinstance(max_gap, _dt.timedelta) or max_gap < _dt.timedelta(0):
            raise InputError(f"max_gap must be a timedelta >= 0 for date columns; got {max_gap!r}")
        if start_type.is_date():
            if max_gap % _dt.timedelta(days=1):
                raise InputError(f"max_gap must be whole days for date columns; got {max_gap!r}")
            return ibis.interval(days=max_gap.days)
        return ibis.interval(seconds=int(max_gap.total_seconds()))
    check_number("max_gap", max_gap, low=0)
    return max_gap
