"""Knowledge linkages between industries: skill relatedness from labour flows.

Two industries are *skill related* when workers move between them more
often than chance (Neffke and Henning 2013): the moves reveal that the
industries use similar skills. ris3 computes it from either

- an aggregated industry-to-industry flow table (:func:`skill_relatedness`),
  such as the UK ASHE transition matrices, or
- worker-level job spells (:func:`ris3.clusters.job_flows.job_spells_to_flows`,
  then :func:`skill_relatedness`), such as a linked employer-employee
  register (also importable from here).

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

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ris3._validation import check_flag, check_option, short_list
from ris3.clusters._engine_inputs import _backend, _require_columns
from ris3.errors import (
    ClassificationError,
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


from ris3.clusters.job_flows import FLOW_COLUMNS, job_spells_to_flows  # noqa: E402  (0.1 path)
