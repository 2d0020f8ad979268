"""Skill relatedness and job-switch flows as Ibis expressions.

The computations here are written once, as Ibis table expressions, and run
unchanged on DuckDB and on Spark. They do no validation and raise nothing
about the data: :mod:`ris3.clusters.linkages` validates inputs, runs the
expressions and labels the results. Column names inside are fixed:
``origin``, ``destination`` and ``count`` for flows; ``worker``,
``industry``, ``start`` and ``end`` for spells.

Skill relatedness (Neffke and Henning 2013), for industries ``i != j``,
with ``F`` the flows between different industries only::

    SR[i, j]  = F[i, j] / (F[i, .] F[., j] / F[., .])
    SR~[i, j] = (SR[i, j] - 1) / (SR[i, j] + 1)        # in [-1, 1)
    S[i, j]   = (SR~[i, j] + SR~[j, i]) / 2            # symmetric
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "flow_checks",
    "unknown_codes",
    "spell_transitions",
    "transition_flows",
    "skill_relatedness_table",
]

#: Kinds of transition between consecutive spells of one worker.
TRANSITION_KINDS: tuple[str, ...] = ("move", "overlap", "gap")


def flow_checks(flows: ir.Table, industries: ir.Table | None) -> ir.Table:
    """One-row table counting the problems of a flow table (all zero = valid).

    Columns: ``rows``, ``null_origin``, ``null_destination``, ``null_count``,
    ``negative``, ``not_finite``, ``duplicate_pairs``, ``unknown``,
    ``total_between`` (sum of counts between different industries).
    """
    import ibis

    t = flows
    is_float = t["count"].type().is_floating()
    not_finite = (
        (t["count"].isinf() | t["count"].isnan()).fill_null(False).cast("int64").sum()
        if is_float
        else ibis.literal(0, "int64")
    )
    stats = t.aggregate(
        rows=t.count(),
        null_origin=t.origin.isnull().cast("int64").sum(),
        null_destination=t.destination.isnull().cast("int64").sum(),
        null_count=t["count"].isnull().cast("int64").sum(),
        negative=(t["count"] < 0).fill_null(False).cast("int64").sum(),
        not_finite=not_finite,
        total_between=ibis.ifelse(t.origin != t.destination, t["count"], 0).cast("float64").sum(),
    )
    pairs = t.group_by(["origin", "destination"]).aggregate(n=t.count())
    dups = pairs.aggregate(duplicate_pairs=(pairs.n > 1).cast("int64").sum())
    out = stats.cross_join(dups)
    if industries is not None:
        codes = _codes(t)
        unknown = codes.anti_join(industries, codes.code == industries.code)
        out = out.cross_join(unknown.aggregate(unknown=unknown.count()))
    return out


def _codes(flows: ir.Table) -> ir.Table:
    a = flows.select(code=flows.origin)
    b = flows.select(code=flows.destination)
    return a.union(b, distinct=True)


def unknown_codes(flows: ir.Table, industries: ir.Table) -> ir.Table:
    """Codes in ``flows`` that are not in ``industries`` (column ``code``)."""
    codes = _codes(flows)
    return codes.anti_join(industries, codes.code == industries.code)


def skill_relatedness_table(
    flows: ir.Table,
    *,
    industries: ir.Table | None = None,
    complete: bool = False,
    symmetrise: str = "mean",
) -> ir.Table:
    """Skill relatedness of every pair of industries, as an Ibis expression.

    Parameters
    ----------
    flows : ibis Table
        Columns ``origin``, ``destination``, ``count`` (one row per pair,
        counts >= 0; within-industry rows are allowed and ignored).
    industries : ibis Table, optional
        Column ``code``: industries to include even without any flow (used
        with ``complete``).
    complete : bool
        Return every ordered pair of distinct industries; otherwise only the
        pairs with a flow in at least one direction.
    symmetrise : {"mean", "mean_available"}
        ``"mean"`` averages both directions and is missing when either is;
        ``"mean_available"`` averages the directions that are defined.

    Returns
    -------
    ibis Table
        ``origin, destination, flow, expected_flow, sr_ratio, sr_directed,
        skill_relatedness``.
    """
    import ibis

    between = flows.filter(flows.origin != flows.destination).select(
        "origin", "destination", count=flows["count"].cast("float64")
    )
    out_total = between.group_by(origin_=between.origin).aggregate(outflow=between["count"].sum())
    in_total = between.group_by(destination_=between.destination).aggregate(
        inflow=between["count"].sum()
    )
    grand = between.aggregate(total=between["count"].sum())

    if complete:
        codes = _codes(flows)
        if industries is not None:
            codes = codes.union(industries.select("code"), distinct=True)
        a = codes.select(a=codes.code)
        b = codes.select(b=codes.code)
        pairs = a.cross_join(b).filter(lambda t: t.a != t.b)
    else:
        positive = between.filter(between["count"] > 0)
        fwd = positive.select(a=positive.origin, b=positive.destination)
        rev = positive.select(a=positive.destination, b=positive.origin)
        pairs = fwd.union(rev, distinct=True)

    # Aggregate duplicates defensively: callers validate, but a sum keeps the
    # expression correct for any input with unique pairs.
    pair_flow = between.group_by(["origin", "destination"]).aggregate(flow=between["count"].sum())
    t = pairs.left_join(
        pair_flow, [pairs.a == pair_flow.origin, pairs.b == pair_flow.destination]
    ).select("a", "b", "flow")
    t = t.left_join(out_total, t.a == out_total.origin_).select("a", "b", "flow", "outflow")
    t = t.left_join(in_total, t.b == in_total.destination_).select(
        "a", "b", "flow", "outflow", "inflow"
    )
    t = t.cross_join(grand)
    flow = t.flow.fill_null(0.0)
    outflow = t.outflow.fill_null(0.0)
    inflow = t.inflow.fill_null(0.0)
    expected = outflow * inflow / t.total
    t = t.select(
        origin=t.a,
        destination=t.b,
        flow=flow,
        expected_flow=expected,
    )
    ratio = ibis.ifelse(t.expected_flow > 0, t.flow / t.expected_flow, ibis.null("float64"))
    t = t.mutate(sr_ratio=ratio)
    t = t.mutate(sr_directed=(t.sr_ratio - 1.0) / (t.sr_ratio + 1.0))

    rev_t = t.select(r_origin=t.origin, r_destination=t.destination, r_dir=t.sr_directed)
    j = t.left_join(rev_t, [t.origin == rev_t.r_destination, t.destination == rev_t.r_origin])
    if symmetrise == "mean":
        sym: Any = (j.sr_directed + j.r_dir) / 2.0
    else:
        sym = ibis.cases(
            (j.sr_directed.notnull() & j.r_dir.notnull(), (j.sr_directed + j.r_dir) / 2.0),
            (j.sr_directed.notnull(), j.sr_directed),
            else_=j.r_dir,
        )
    return j.select(
        "origin",
        "destination",
        "flow",
        "expected_flow",
        "sr_ratio",
        "sr_directed",
        skill_relatedness=sym,
    )


def spell_transitions(
    spells: ir.Table,
    *,
    max_gap: Any = None,
) -> ir.Table:
    """Consecutive spells of each worker as transitions, with their kind.

    ``spells`` has columns ``worker``, ``industry``, ``start``, ``end``.
    Spells of a worker are ordered by ``start``, then ``end``, then
    ``industry``; each spell and the next one form a transition with
    ``origin`` (industry of the first), ``destination`` (industry of the
    second) and ``kind``:

    - ``"overlap"`` when the second starts before the first ends
      (``next start < end``, or ``end`` missing: the first is still running);
    - ``"gap"`` when ``max_gap`` is given and ``next start > end + max_gap``;
    - ``"move"`` otherwise.

    ``max_gap`` is a number (numeric columns) or an Ibis interval (dates).
    """
    import ibis

    w = ibis.window(group_by="worker", order_by=["start", "end", "industry"])
    t = spells.select(
        "worker",
        "industry",
        "start",
        "end",
        next_industry=spells.industry.lead().over(w),
        next_start=spells.start.lead().over(w),
    )
    t = t.filter(t.next_industry.notnull())
    overlap = t.end.isnull() | (t.next_start < t.end)
    if max_gap is None:
        kind = ibis.ifelse(overlap, "overlap", "move")
    else:
        too_long = t.next_start > (t.end + max_gap)
        kind = ibis.cases((overlap, "overlap"), (too_long, "gap"), else_="move")
    return t.select("worker", origin=t.industry, destination=t.next_industry, kind=kind)


def transition_flows(transitions: ir.Table, *, count: str = "moves") -> ir.Table:
    """Count transitions by (origin, destination, kind).

    ``count="moves"`` counts transitions; ``"workers"`` counts distinct
    workers making the transition at least once.
    """
    t = transitions
    measure = t.count() if count == "moves" else t.worker.nunique()
    return t.group_by(["origin", "destination", "kind"]).aggregate(count=measure)
