"""Knowledge linkages between industries: skill relatedness from labour flows.

Two industries are *skill related* when workers move between them more
often than chance (Neffke and Henning 2013): the moves reveal that the
industries use similar skills. ris3 computes it from either

- an aggregated industry-to-industry flow table (:func:`skill_relatedness`),
  such as the UK ASHE transition matrices, or
- worker-level job spells (:func:`job_spells_to_flows`, then
  :func:`skill_relatedness`), such as a linked employer-employee register.

Both run as Ibis expressions on DuckDB (default, in process, Parquet read
out of core) or Spark (``engine="spark"``, extra ``ris3[spark]``) and give
the same numbers on both.

Co-location relatedness (industries or clusters found in the same regions)
and aggregation of activity relatedness to clusters are in
:mod:`ris3.clusters.colocation`.

References
----------
Neffke, F. and Henning, M. (2013). Skill relatedness and firm
diversification. Strategic Management Journal 34(3), 297-316.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ris3._validation import check_flag, check_number, check_option, short_list
from ris3.errors import (
    ClassificationError,
    ConventionError,
    DataQualityWarning,
    DegenerateDataError,
    DegenerateDataWarning,
    InputError,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

__all__ = [
    "SKILL_RELATEDNESS_COLUMNS",
    "FLOW_COLUMNS",
    "skill_relatedness",
    "job_spells_to_flows",
]

Symmetrise = Literal["mean", "mean_available"]
OverlapPolicy = Literal["raise", "skip", "count"]
FlowCount = Literal["moves", "workers"]

#: Columns of the table returned by :func:`skill_relatedness`, in order.
SKILL_RELATEDNESS_COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "flow",
    "expected_flow",
    "sr_ratio",
    "sr_directed",
    "skill_relatedness",
)
#: Columns of the table returned by :func:`job_spells_to_flows`, in order.
FLOW_COLUMNS: tuple[str, ...] = ("origin", "destination", "count")


def _backend(engine: str, backend: BaseBackend | None) -> BaseBackend:
    from ris3.engines.backend import ENGINES, backend_name, connect

    check_option("engine", engine, ENGINES)
    if backend is None:
        return connect(engine)  # type: ignore[arg-type]
    if backend_name(backend) != engine and engine != "duckdb":
        raise ConventionError(
            f"engine={engine!r} conflicts with the backend given "
            f"({backend_name(backend)!r}); pass one or the other"
        )
    return backend


def _require_columns(table: ir.Table, what: str, wanted: dict[str, str]) -> None:
    for keyword, column in wanted.items():
        if not isinstance(column, str):
            raise InputError(f"{keyword} must be a column name (str); got {column!r}")
    missing = [c for c in wanted.values() if c not in table.columns]
    if missing:
        raise InputError(
            f"{what} has no column {short_list(missing)}; "
            f"its columns are {short_list(list(table.columns))}"
        )


def skill_relatedness(
    flows: Any,
    *,
    origin: str,
    destination: str,
    count: str,
    industries: Sequence[Any] | None = None,
    complete: bool = False,
    symmetrise: Symmetrise = "mean",
    engine: Literal["duckdb", "spark"] = "duckdb",
    backend: BaseBackend | None = None,
) -> pd.DataFrame:
    """Skill relatedness between industries from labour flows.

    For industries ``i != j``, with ``F`` the flows between *different*
    industries (within-industry rows, e.g. stayers, are ignored)::

        SR[i, j]  = F[i, j] / (F[i, .] F[., j] / F[., .])
        SR~[i, j] = (SR[i, j] - 1) / (SR[i, j] + 1)
        S[i, j]   = (SR~[i, j] + SR~[j, i]) / 2

    ``SR`` is observed over expected flows (1 = as often as chance),
    ``SR~`` maps it to ``[-1, 1)`` (0 = as often as chance, -1 = no flow),
    and ``S`` is the symmetric skill relatedness.

    Parameters
    ----------
    flows : DataFrame, Parquet path or glob, or Ibis table
        One row per (origin, destination) pair with a count >= 0. Pairs
        absent from the table have no flow (count 0).
    origin, destination, count : str
        Column names of the origin industry, destination industry and the
        number of moves (or workers). Origin and destination codes must be
        of the same type.
    industries : sequence, optional
        The code list: every code in ``flows`` must be in it
        (:class:`ClassificationError` otherwise). With ``complete=True``,
        codes of the list without any flow are included.
    complete : bool, default False
        Return every ordered pair of distinct industries. By default only
        pairs with a flow in at least one direction are returned; for the
        others ``sr_directed`` is -1 both ways (if both industries have flows
        at all), hence ``skill_relatedness`` -1.
    symmetrise : {"mean", "mean_available"}, default "mean"
        ``"mean"`` follows the formula: missing when either direction is
        undefined. ``"mean_available"`` uses the defined direction alone
        when the other is undefined (an industry with no recorded outflow
        or inflow).
    engine : {"duckdb", "spark"}, default "duckdb"
        Engine used when no ``backend`` is given.
    backend : Ibis backend, optional
        From :func:`ris3.engines.connect`; reuse it across calls (a Spark
        session takes seconds to start).

    Returns
    -------
    DataFrame
        One row per ordered pair (both ``(i, j)`` and ``(j, i)``), sorted by
        origin and destination, with columns

        - ``origin``, ``destination``: industry codes;
        - ``flow``: ``F[i, j]`` (0 when absent from the input);
        - ``expected_flow``: ``F[i, .] F[., j] / F[., .]``;
        - ``sr_ratio``: ``SR[i, j]``, missing when ``expected_flow`` is 0
          (``i`` has no outflow or ``j`` no inflow to other industries);
        - ``sr_directed``: ``SR~[i, j]``;
        - ``skill_relatedness``: ``S[i, j] = S[j, i]``.

    Raises
    ------
    InputError
        A column is missing or not numeric, origin and destination codes
        differ in type, counts are missing, negative or not finite, or a
        pair appears twice.
    ClassificationError
        ``industries`` is given and ``flows`` has codes not in it.
    DegenerateDataError
        No flow between different industries at all.

    Warns
    -----
    DegenerateDataWarning
        Some pairs have undefined skill relatedness (an industry without
        outflows or inflows to other industries); says how many.

    Notes
    -----
    Suppressed cells. Published flow tables often suppress small cells (the
    UK ASHE matrices drop every cell under 10). A suppressed pair then
    counts as 0 flow: its ``sr_directed`` is -1 although up to 9 moves may
    have happened, and the row and column totals ``F[i, .]``, ``F[., j]``
    miss the suppressed moves, so expected flows are understated and the
    ratios of the published pairs are biased upwards, most for small
    industries whose flows are mostly in small cells. Industries whose
    every outflow was suppressed have undefined ratios. Treat -1 and values
    for industries with few recorded moves as "not measurable" rather than
    "unrelated".

    References
    ----------
    Neffke, F. and Henning, M. (2013). Skill relatedness and firm
    diversification. Strategic Management Journal 34(3), 297-316.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.clusters.linkages import skill_relatedness
    >>> flows = pd.DataFrame({
    ...     "from": ["a", "a", "b", "b", "c", "a"],
    ...     "to":   ["b", "c", "a", "c", "a", "a"],
    ...     "moves": [30, 10, 20, 5, 15, 500],   # a -> a: stayers, ignored
    ... })
    >>> sr = skill_relatedness(flows, origin="from", destination="to", count="moves")
    >>> sr[["origin", "destination", "flow", "sr_ratio", "skill_relatedness"]].round(3)
      origin destination  flow  sr_ratio  skill_relatedness
    0      a           b  30.0     2.000              0.313
    1      a           c  10.0     1.333              0.267
    2      b           a  20.0     1.829              0.313
    3      b           c   5.0     1.067             -0.484
    4      c           a  15.0     2.286              0.267
    5      c           b   0.0     0.000             -0.484

    Here ``F[., .] = 80`` moves between different industries; ``a -> b``:
    ``30 / (40 * 30 / 80) = 2``.
    """
    from ris3.engines.backend import table_from, to_pandas
    from ris3.engines.skill import flow_checks, skill_relatedness_table, unknown_codes

    check_option("symmetrise", symmetrise, ("mean", "mean_available"))
    check_flag("complete", complete)
    con = _backend(engine, backend)
    raw = table_from(flows, con)
    _require_columns(raw, "flows", {"origin": origin, "destination": destination, "count": count})
    o_type, d_type, c_type = raw[origin].type(), raw[destination].type(), raw[count].type()
    if not c_type.is_numeric() or c_type.is_boolean():
        raise InputError(f"count column {count!r} must be numeric; got type {c_type}")
    if _kind(o_type) != _kind(d_type):
        raise InputError(
            f"origin column {origin!r} and destination column {destination!r} must hold "
            f"codes of the same type; got {o_type} and {d_type}"
        )
    # codes of the same kind but different widths (int32 vs int64 in Parquet)
    # are brought to the origin's type so that unions and joins line up
    dest = raw[destination] if d_type == o_type else raw[destination].cast(o_type)
    t = raw.select(origin=raw[origin], destination=dest, count=raw[count])
    codes_table = None
    if industries is not None:
        codes_table = _code_table(industries, o_type, con, table_from)

    checks = to_pandas(flow_checks(t, codes_table)).iloc[0]
    _raise_flow_problems(
        checks, t, codes_table, origin, destination, count, to_pandas, unknown_codes
    )

    expr = skill_relatedness_table(
        t, industries=codes_table, complete=complete, symmetrise=symmetrise
    )
    out = to_pandas(expr.order_by(["origin", "destination"]))
    out = out.loc[:, list(SKILL_RELATEDNESS_COLUMNS)].reset_index(drop=True)
    for col in SKILL_RELATEDNESS_COLUMNS[2:]:
        out[col] = out[col].astype("float64")
    undefined = int(out["skill_relatedness"].isna().sum())
    if undefined:
        # an industry whose every expected flow is 0 as origin (destination) has
        # no recorded move to (from) another industry
        zero = out["expected_flow"] == 0
        no_out = zero.groupby(out["origin"]).all()
        no_in = zero.groupby(out["destination"]).all()
        no_out_codes = no_out.index[no_out.to_numpy()].tolist()
        no_in_codes = no_in.index[no_in.to_numpy()].tolist()
        warnings.warn(
            f"skill relatedness is undefined (NaN) for {undefined} of {len(out)} ordered "
            f"pairs: {len(no_out_codes)} industries have no recorded move to another "
            f"industry ({short_list(no_out_codes, 5)}) and {len(no_in_codes)} none from "
            f"another industry ({short_list(no_in_codes, 5)}); "
            "symmetrise='mean_available' uses the defined direction alone",
            DegenerateDataWarning,
            stacklevel=2,
        )
    return out


def _kind(dtype: Any) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_numeric():
        return "number"
    if dtype.is_string():
        return "string"
    return str(dtype)


def _code_table(industries: Sequence[Any], o_type: Any, con: Any, table_from: Any) -> ir.Table:
    import ibis

    if isinstance(industries, str) or not isinstance(industries, Sequence | np.ndarray | pd.Index):
        raise InputError(f"industries must be a list of codes; got {type(industries).__name__}")
    codes = pd.Series(list(industries))
    if codes.isna().any():
        raise InputError("industries must not contain missing codes")
    if codes.duplicated().any():
        raise InputError(
            f"industries must list each code once; got duplicates "
            f"{short_list(codes[codes.duplicated()].unique().tolist())}"
        )
    mem = ibis.memtable(pd.DataFrame({"code": codes}))
    if _kind(mem.code.type()) != _kind(o_type):
        raise InputError(
            f"industries must hold codes of the same type as the flows ({o_type}); "
            f"got {mem.code.type()}, e.g. {codes.iloc[0]!r}"
        )
    table = table_from(pd.DataFrame({"code": codes}), con)
    return table if table.code.type() == o_type else table.select(code=table.code.cast(o_type))


def _raise_flow_problems(
    checks: pd.Series,
    t: ir.Table,
    codes_table: ir.Table | None,
    origin: str,
    destination: str,
    count: str,
    to_pandas: Any,
    unknown_codes: Any,
) -> None:
    if int(checks["rows"]) == 0:
        raise DegenerateDataError("flows is empty: no row to compute skill relatedness from")
    for key, column in (
        ("null_origin", origin),
        ("null_destination", destination),
        ("null_count", count),
    ):
        if int(checks[key]):
            raise InputError(
                f"column {column!r} has {int(checks[key])} missing values; skill relatedness "
                "needs every flow's origin, destination and count (missing is not 0)"
            )
    if int(checks["not_finite"]):
        raise InputError(
            f"count column {count!r} must be finite; got {int(checks['not_finite'])} "
            "infinite or NaN values"
        )
    if int(checks["negative"]):
        ex = to_pandas(t.filter(t["count"] < 0).order_by(["origin", "destination"]).limit(3))
        pairs = ", ".join(f"{o!r}->{d!r}: {c}" for o, d, c in ex.itertuples(index=False, name=None))
        raise InputError(
            f"count column {count!r} must be >= 0; got {int(checks['negative'])} "
            f"negative values, e.g. {pairs}"
        )
    total = float(checks["total_between"])
    if total != total or abs(total) == float("inf"):
        raise InputError(
            f"count column {count!r}: the counts sum beyond the largest float (1.8e+308), so "
            "shares of flows cannot be computed; rescale the column"
        )
    if int(checks["duplicate_pairs"]):
        g = t.group_by(["origin", "destination"]).aggregate(n=t.count())
        ex = to_pandas(g.filter(g.n > 1).order_by(["origin", "destination"]).limit(3))
        pairs = ", ".join(f"{o!r}->{d!r}" for o, d, _ in ex.itertuples(index=False, name=None))
        raise InputError(
            f"flows must have one row per ({origin}, {destination}) pair; "
            f"{int(checks['duplicate_pairs'])} pairs appear more than once, e.g. {pairs}"
        )
    if codes_table is not None and int(checks["unknown"]):
        ex = to_pandas(unknown_codes(t, codes_table).order_by("code").limit(10))
        raise ClassificationError(
            f"flows has {int(checks['unknown'])} industry codes not in industries: "
            f"{short_list(ex['code'].tolist())}"
        )
    if float(checks["total_between"]) <= 0:
        raise DegenerateDataError(
            "flows has no move between different industries (all counts off the "
            "diagonal are 0): skill relatedness is undefined"
        )


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
