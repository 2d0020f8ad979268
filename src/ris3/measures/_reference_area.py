"""Reference areas of location quotients: all regions, a named row, parents, a table.

Each resolver returns ``(groups, reference_shares, output)``: the reference
group of every stacked row (period x region, ``t * n_regions + r``), the
activity shares of each group (n_groups x n_activities) and a mask of the
regions that appear in the output (reference rows do not). See
:mod:`ris3.measures.specialisation` for the conventions.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option, short_list
from ris3.errors import ClassificationError, ConventionError, InputError
from ris3.kernels import specialisation as ks
from ris3.measures._hierarchy import HierarchyLike, as_parent_map
from ris3.tidy import CodedTable, encode


def check_presence_args(threshold: float, strict: bool) -> None:
    check_number("threshold", threshold, low=0, low_inclusive=False)
    if not isinstance(strict, bool | np.bool_):
        raise InputError(f"strict must be True or False; got {strict!r}")


def suggest(label: object, labels: pd.Index) -> str:
    close = difflib.get_close_matches(str(label), [str(x) for x in labels], n=3, cutoff=0.5)
    return f"; did you mean {short_list(close)}?" if close else ""


def when(ct: CodedTable, t: int) -> str:
    if ct.times is None:
        return ""
    label = ct.times[t]
    label = label.item() if isinstance(label, np.generic) else label
    return f" in {ct.columns['time']}={label!r}"


def reference_mode(reference: object, hierarchy: object, reference_table: object) -> str:
    if reference_table is not None:
        if reference is not None or hierarchy is not None:
            raise ConventionError(
                "reference_table= cannot be combined with reference= or hierarchy=; "
                f"got reference={reference!r} and hierarchy given: {hierarchy is not None}"
            )
        return "table"
    if hierarchy is not None:
        if reference is None:
            return "parent"
        check_option(
            "reference (with hierarchy=)", reference, ("parent", "parent_rows", "parent_sum")
        )
        return str(reference)
    if reference is None or reference == "all":
        return "all"
    if isinstance(reference, str) and reference in ("parent", "parent_rows", "parent_sum"):
        raise ConventionError(f"reference={reference!r} needs hierarchy= (a child -> parent table)")
    return "label"


def label_reference(ct: CodedTable, label: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups (period), reference shares and output mask for a named aggregate row."""
    rcol = ct.columns["region"]
    if label not in ct.regions:
        raise InputError(
            f"reference={label!r} is not a label of column {rcol!r}{suggest(label, ct.regions)} "
            "(give reference=None to compare with all regions)"
        )
    ri = int(ct.regions.get_indexer(pd.Index([label]))[0])
    for t in range(ct.n_times):
        if not ct.present_regions(t)[ri]:
            raise InputError(f"reference={label!r} has no rows{when(ct, t)}")
    stacked = ct.stacked()
    ref = ks.row_normalise(stacked[np.arange(ct.n_times) * ct.n_regions + ri].toarray())
    groups = np.repeat(np.arange(ct.n_times), ct.n_regions)
    output = np.ones(ct.n_regions, dtype=bool)
    output[ri] = False
    return groups, ref, output


def parent_reference(
    ct: CodedTable, hierarchy: HierarchyLike, mode: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups (period x parent), reference shares and output mask for a hierarchy."""
    pmap = as_parent_map(hierarchy)
    rcol = ct.columns["region"]
    is_parent = ct.regions.isin(pmap.to_numpy())
    output = ~is_parent
    has_parent = ct.regions.isin(pmap.index)
    orphans = ct.regions[output & ~has_parent]
    if len(orphans):
        raise ClassificationError(
            f"{len(orphans)} region(s) of column {rcol!r} have no parent in hierarchy=: "
            f"{short_list(orphans)}; add them to the hierarchy or remove them"
        )
    parent_of = pmap.reindex(ct.regions[output]).to_numpy()
    parents = pd.Index(pd.unique(parent_of))
    n_p, n_r, n_t = len(parents), ct.n_regions, ct.n_times
    parent_code = np.full(n_r, -1, dtype=np.int64)
    parent_code[output] = parents.get_indexer(parent_of)
    stacked = ct.stacked()
    t_of_row = np.repeat(np.arange(n_t), n_r)
    pc = np.tile(parent_code, n_t)
    groups = np.where(pc >= 0, t_of_row * n_p + pc, -1)
    sums = ks.group_sums(stacked, groups, n_t * n_p)

    # parent rows present in the data, per period
    region_pos = ct.regions.get_indexer(parents)
    present = np.stack([ct.present_regions(t) for t in range(n_t)])  # (T, R)
    parent_present = np.zeros((n_t, n_p), dtype=bool)
    known = region_pos >= 0
    parent_present[:, known] = present[:, region_pos[known]]
    needed = np.zeros((n_t, n_p), dtype=bool)
    child_present = present & output[None, :]
    tt, rr = np.nonzero(child_present)
    needed[tt, parent_code[rr]] = True
    if mode == "parent_rows":
        lacking = needed & ~parent_present
        if lacking.any():
            tt, pp = np.nonzero(lacking)
            raise InputError(
                f"reference='parent_rows' needs the parents' own rows in column {rcol!r}; "
                f"{int(lacking.sum())} parent(s) have none{when(ct, int(tt[0]))}: "
                f"{short_list(parents[np.unique(pp)])} (use reference='parent' to sum children)"
            )
    totals = sums.reshape(n_t, n_p, -1)
    if mode in ("parent", "parent_rows") and parent_present.any():
        rows_idx = np.arange(n_t)[:, None] * n_r + np.where(known, region_pos, 0)[None, :]
        parent_rows = stacked[rows_idx.ravel()].toarray().reshape(n_t, n_p, -1)
        totals = np.where(parent_present[:, :, None], parent_rows, totals)
    return groups, ks.row_normalise(totals.reshape(n_t * n_p, -1)), output


def table_reference(ct: CodedTable, table: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups (period), reference shares and output mask for an external table."""
    acol, vcol, tcol = ct.columns["activity"], ct.columns["value"], ct.columns["time"]
    assert acol is not None and vcol is not None  # set by encode
    if not isinstance(table, pd.DataFrame):
        raise InputError(
            f"reference_table must be a DataFrame with columns {acol!r} and {vcol!r}; "
            f"got {type(table).__name__}"
        )
    by_time = tcol is not None and tcol in table.columns
    ref_ct = encode(
        table.assign(_reference="reference"),
        region="_reference",
        activity=acol,
        value=vcol,
        time=tcol if by_time else None,
        what="reference_table",
    )
    missing_acts = ct.activities[~ct.activities.isin(ref_ct.activities)]
    if len(missing_acts):
        raise InputError(
            f"{len(missing_acts)} activit(ies) of column {acol!r} are missing from "
            f"reference_table: {short_list(missing_acts)}"
        )
    ref_ct.require_positive_totals("reference_table")
    totals = ks.row_normalise(ref_ct.stacked().toarray())  # (T_ref, A_ref)
    cols = ref_ct.activities.get_indexer(ct.activities)
    if by_time:
        assert ref_ct.times is not None and ct.times is not None
        rows = ref_ct.times.get_indexer(ct.times)
        if (rows < 0).any():
            raise InputError(
                f"reference_table has no rows for {tcol}={short_list(ct.times[rows < 0])}"
            )
        ref = totals[rows][:, cols]
    else:
        ref = np.repeat(totals[:1, cols], ct.n_times, axis=0)
    groups = np.repeat(np.arange(ct.n_times), ct.n_regions)
    return groups, ref, np.ones(ct.n_regions, dtype=bool)


def all_reference(ct: CodedTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    groups = np.repeat(np.arange(ct.n_times), ct.n_regions)
    ref = ks.row_normalise(ks.group_sums(ct.stacked(), groups, ct.n_times))
    return groups, ref, np.ones(ct.n_regions, dtype=bool)


def check_zero_reference(
    ct: CodedTable, rows: np.ndarray, ref_share: np.ndarray, what: str
) -> None:
    bad = (ct.values[rows] > 0) & ~(ref_share > 0)
    if bad.any():
        acts = ct.activities[np.unique(ct.activity_code[rows][bad])]
        first = rows[np.flatnonzero(bad)[0]]
        example = (ct.regions[ct.region_code[first]], ct.activities[ct.activity_code[first]])
        hint = (
            " (reference='parent_sum' compares with the sum of the children)"
            if "parent" in what
            else ""
        )
        raise InputError(
            f"the reference ({what}) has a zero or missing share of {len(acts)} activit(ies) "
            f"where regions have positive values, so their LQ would be infinite: "
            f"{short_list(acts)}; e.g. region {example[0]!r}, activity {example[1]!r}{hint}"
        )
