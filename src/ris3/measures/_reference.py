"""The reference area of a comparison: location quotients, cluster maps, shift-share.

Wherever ris3 compares a region with a reference area, the area is chosen
the same way, by ``reference``, ``hierarchy`` and ``reference_table``:

* ``reference=None`` (or ``"all"``): all regions in the table, per period
  (default);
* ``reference="EU28"`` (a label of the region column): that aggregate row,
  e.g. a national or EU total stored alongside the regions; the row is a
  reference only and is left out of the results;
* ``reference=["AT1", "AT2"]`` (a list of region labels): the sum of those
  rows, which stay regions;
* ``reference={region: reference label}`` (dict or Series): each region is
  compared with its own reference row (e.g. each NUTS-2 region with its
  country's row); the reference rows must be in the table, are left out of
  the results, and every other region must be mapped;
* ``hierarchy=`` child -> parent with ``reference="parent"`` (the default
  when a hierarchy is given): each region is compared with its parent. The
  parent's values come from the parent's own rows when the parent has rows
  in that period, else from the sum of its children present.
  ``"parent_rows"`` insists on the parents' rows, ``"parent_sum"`` always
  sums the children. Regions that are parents are reference rows, left out
  of the results;
* ``reference_table=``: an external table of activity -> value (optionally
  per period); its shares are taken over all of its activities.

:func:`reference_area` resolves these against a coded table and returns a
:class:`ReferenceArea`: a group per region and, per period, the reference
totals of every group (:meth:`ReferenceArea.period_totals`).
:func:`resolve_reference` does the same from region labels alone (every
specification but ``reference_table``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_option, short_list
from ris3.errors import ClassificationError, ConventionError, InputError
from ris3.measures._common import suggest, when
from ris3.measures._hierarchy import HierarchyLike, as_parent_map
from ris3.tidy import CodedTable, encode

__all__ = [
    "ReferenceArea",
    "check_reference_options",
    "reference_area",
    "reference_shares",
    "resolve_reference",
    "totals_by_row",
]

PARENT_MODES = ("parent", "parent_rows", "parent_sum")


@dataclass(frozen=True)
class ReferenceArea:
    """A reference specification resolved against a table's regions.

    Attributes
    ----------
    indicator : csr_matrix, shape (n_groups, n_regions)
        Row g sums the rows that make up reference area g (the parents' own
        rows for ``hierarchy=`` with ``reference="parent"``).
    group : ndarray of int, shape (n_regions,)
        The reference area of each region (0 for reference-only rows).
    is_region : ndarray of bool, shape (n_regions,)
        False for rows that are only a reference (excluded from results).
    labels : list
        A label per reference area, for messages and outputs.
    description : str
        Human-readable description, e.g. ``"all regions"``, ``"region 'AT'"``.
    option : str
        The option as the caller gave it, for messages: ``"all regions"``,
        ``"reference='EU'"``, ``"reference='parent'"``, ``"reference_table"``...
    fallback : csr_matrix or None
        Sum of the children of each group, used in a period where the
        group's own row (``own_row``) has no rows.
    own_row : ndarray of int or None, shape (n_groups,)
        Index of the row that makes up each group (-1: none in the table);
        that row must have rows in a period where a group member has, unless
        a ``fallback`` exists.
    external : ndarray or None, shape (n_times, n_activities)
        Totals of an external reference table per period of the data.
    external_total : ndarray or None, shape (n_times,)
        Totals of the external table over all of its activities.
    """

    indicator: sp.csr_matrix
    group: np.ndarray
    is_region: np.ndarray
    labels: list[object]
    description: str
    option: str
    fallback: sp.csr_matrix | None = None
    own_row: np.ndarray | None = None
    external: np.ndarray | None = None
    external_total: np.ndarray | None = None

    @property
    def n_groups(self) -> int:
        return int(self.indicator.shape[0])

    def totals(self, x: Any, present: np.ndarray | None = None) -> np.ndarray:
        """Return reference totals ``S @ x`` as a dense array (n_groups, ...).

        ``present`` (bool per region) marks the rows that exist in the period
        of ``x``; a group whose own row is absent then uses its ``fallback``.
        """
        indicator = self.indicator
        if self.fallback is not None and self.own_row is not None:
            absent = self.own_row < 0
            if present is not None:
                absent |= ~present[np.maximum(self.own_row, 0)]
            if absent.any():
                pick = sp.diags(absent.astype(np.float64))
                indicator = sp.csr_matrix(
                    sp.diags((~absent).astype(np.float64)) @ indicator + pick @ self.fallback
                )
        out: Any = indicator @ x
        if hasattr(out, "toarray"):  # sparse @ sparse stays sparse
            out = out.toarray()
        return np.asarray(out, dtype=np.float64)

    def period_totals(
        self, ct: CodedTable, t: int, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return reference totals of period ``t``: per activity (n_groups, n_activities), overall.

        ``rows`` (bool per region) restricts the regions summed (all by
        default). The overall total is the sum over activities, except for an
        external table, whose total covers all of its activities.

        Raises
        ------
        InputError
            A reference row that must be used has no rows in period ``t``.
        """
        if self.external is not None and self.external_total is not None:
            return self.external[t][None, :], self.external_total[t : t + 1]
        present = ct.present_regions(t)
        self._check_rows_present(ct, t, present)
        x = ct.matrix(t)
        if rows is not None:
            x = sp.diags(rows.astype(np.float64)) @ x
        by_activity = self.totals(x, present)
        return by_activity, by_activity.sum(axis=1)

    def _check_rows_present(self, ct: CodedTable, t: int, present: np.ndarray) -> None:
        if self.own_row is None or self.fallback is not None:
            return
        needed = np.zeros(self.n_groups, dtype=bool)
        needed[self.group[present & self.is_region]] = True
        lacking = needed & ((self.own_row < 0) | ~present[np.maximum(self.own_row, 0)])
        if not lacking.any():
            return
        labels = short_list([self.labels[g] for g in np.flatnonzero(lacking)])
        rcol = ct.columns["region"]
        if self.option == "reference='parent_rows'":
            raise InputError(
                f"reference='parent_rows' needs the parents' own rows in column {rcol!r}; "
                f"{int(lacking.sum())} parent(s) have none{when(ct, t)}: {labels} "
                "(use reference='parent' to sum children)"
            )
        if self.option == "reference mapping":
            raise InputError(
                f"the reference mapping needs the rows of the reference regions in column "
                f"{rcol!r}; {int(lacking.sum())} have none{when(ct, t)}: {labels}"
            )
        raise InputError(f"{self.option} has no rows{when(ct, t)}")


def check_reference_options(reference: object, hierarchy: object, reference_table: object) -> None:
    """Check that ``reference``, ``hierarchy`` and ``reference_table`` go together.

    Raises
    ------
    ConventionError
        ``reference_table`` with ``reference`` or ``hierarchy``; ``hierarchy``
        with a ``reference`` other than a parent mode; a parent mode without
        ``hierarchy``.
    """
    if reference_table is not None:
        if reference is not None or hierarchy is not None:
            raise ConventionError(
                "reference_table= cannot be combined with reference= or hierarchy=; "
                f"got reference={reference!r} and hierarchy given: {hierarchy is not None}"
            )
    elif hierarchy is not None:
        if reference is not None:
            check_option("reference (with hierarchy=)", reference, PARENT_MODES)
    elif isinstance(reference, str) and reference in PARENT_MODES:
        raise ConventionError(f"reference={reference!r} needs hierarchy= (a child -> parent table)")


def _one_group(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.int64)


def _locate(
    regions: pd.Index, labels: Sequence[object], what: str, region_column: str
) -> np.ndarray:
    idx = regions.get_indexer(pd.Index(list(labels)))
    if (idx < 0).any():
        absent = [lab for lab, i in zip(labels, idx) if i < 0]
        raise InputError(
            f"{what} {short_list(absent)} not found in column {region_column!r}; "
            f"regions in the data: {short_list(regions)}"
        )
    return np.asarray(idx, dtype=np.int64)


def _by_parent(
    regions: pd.Index,
    parent_of: pd.Series,
    *,
    region_column: str,
    source: Literal["mapping", "hierarchy"],
    mode: str,
) -> ReferenceArea:
    """Each region against its parent (a reference mapping or a hierarchy)."""
    n = len(regions)
    if source == "mapping":
        # every reference region named must be a row of the table
        _locate(
            regions, list(pd.unique(parent_of.to_numpy())), "reference region(s)", region_column
        )
    is_region = ~regions.isin(parent_of.to_numpy())
    unmapped = np.flatnonzero(is_region & ~regions.isin(parent_of.index))
    if unmapped.size and source == "mapping":
        raise InputError(
            f"reference mapping does not say which reference {unmapped.size} region(s) "
            f"of column {region_column!r} belong to: {short_list(regions[unmapped])}; "
            "map every region or remove them from the data"
        )
    if unmapped.size:
        raise ClassificationError(
            f"{unmapped.size} region(s) of column {region_column!r} have no parent in "
            f"hierarchy=: {short_list(regions[unmapped])}; add them to the hierarchy or "
            "remove them"
        )
    members = np.flatnonzero(is_region)
    member_parent = parent_of.reindex(regions[members]).to_numpy()
    if source == "mapping":
        targets = pd.Index(pd.unique(parent_of.to_numpy()))
    else:
        targets = pd.Index(pd.unique(member_parent))
    n_g = len(targets)
    group = _one_group(n)
    group[members] = targets.get_indexer(member_parent)
    own_row = np.asarray(regions.get_indexer(targets), dtype=np.int64)
    has_row = own_row >= 0
    own = sp.csr_matrix(
        (np.ones(int(has_row.sum())), (np.flatnonzero(has_row), own_row[has_row])), shape=(n_g, n)
    )
    children = sp.csr_matrix((np.ones(members.size), (group[members], members)), shape=(n_g, n))
    labels = list(targets)
    if source == "mapping":
        return ReferenceArea(
            own,
            group,
            is_region,
            labels,
            f"each region's reference ({n_g} areas)",
            "reference mapping",
            own_row=own_row,
        )
    option = f"reference={mode!r}"
    description = f"each region's parent ({n_g} areas, {mode})"
    if mode == "parent_sum":
        return ReferenceArea(children, group, is_region, labels, description, option)
    if mode == "parent_rows":
        return ReferenceArea(own, group, is_region, labels, description, option, own_row=own_row)
    return ReferenceArea(
        own, group, is_region, labels, description, option, fallback=children, own_row=own_row
    )


def resolve_reference(
    reference: object,
    regions: pd.Index,
    *,
    region_column: str,
    hierarchy: HierarchyLike | None = None,
) -> ReferenceArea:
    """Resolve ``reference`` and ``hierarchy`` (see the module docstring) against ``regions``.

    Parameters
    ----------
    reference : None, "all", a region label, a list of labels, a mapping, or a parent mode
    regions : Index
        The region labels of the table.
    region_column : str
        Name of the region column, for messages.
    hierarchy : DataFrame (child, parent), dict or Series, optional

    Raises
    ------
    InputError
        A named reference region is not in the table, a mapping leaves
        regions unmapped, or ``reference`` has an unsupported type.
    ConventionError
        A parent mode without ``hierarchy``, or ``hierarchy`` with another
        ``reference``.
    ClassificationError
        Regions without a parent in ``hierarchy``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = resolve_reference("EU", pd.Index(["AT1", "EU", "FR1"]), region_column="geo")
    >>> r.is_region.tolist(), r.indicator.toarray().tolist()
    ([True, False, True], [[0.0, 1.0, 0.0]])
    >>> r = resolve_reference(None, pd.Index(["AT1", "AT2", "AT"]), region_column="geo",
    ...                       hierarchy={"AT1": "AT", "AT2": "AT"})
    >>> r.is_region.tolist(), r.labels, r.option
    ([True, True, False], ['AT'], "reference='parent'")
    """
    n = len(regions)
    check_reference_options(reference, hierarchy, None)
    if hierarchy is not None:
        mode = "parent" if reference is None else reference
        return _by_parent(
            regions,
            as_parent_map(hierarchy),
            region_column=region_column,
            source="hierarchy",
            mode=str(mode),
        )
    if reference is None or (isinstance(reference, str) and reference == "all"):
        return ReferenceArea(
            sp.csr_matrix(np.ones((1, n))),
            _one_group(n),
            np.ones(n, dtype=bool),
            ["all regions"],
            "all regions",
            "all regions",
        )
    if isinstance(reference, str):
        if reference not in regions:
            raise InputError(
                f"reference={reference!r} is not a label of column {region_column!r}"
                f"{suggest(reference, regions)} (give reference=None to compare with all regions)"
            )
        i = int(_locate(regions, [reference], "reference region", region_column)[0])
        is_region = np.ones(n, dtype=bool)
        is_region[i] = False
        return ReferenceArea(
            sp.csr_matrix((np.ones(1), ([0], [i])), shape=(1, n)),
            _one_group(n),
            is_region,
            [reference],
            f"region {reference!r}",
            f"reference={reference!r}",
            own_row=np.array([i]),
        )
    if isinstance(reference, Mapping | pd.Series):
        m = pd.Series(reference) if not isinstance(reference, pd.Series) else reference
        if m.isna().any():
            raise InputError(
                f"reference mapping has missing targets for {short_list(m.index[m.isna()])}"
            )
        return _by_parent(regions, m, region_column=region_column, source="mapping", mode="")
    if isinstance(reference, list | tuple | pd.Index | np.ndarray):
        labels = list(reference)
        if not labels:
            raise InputError("reference list is empty; give at least one region label")
        idx = _locate(regions, labels, "reference region(s)", region_column)
        return ReferenceArea(
            sp.csr_matrix((np.ones(len(idx)), (_one_group(len(idx)), idx)), shape=(1, n)),
            _one_group(n),
            np.ones(n, dtype=bool),
            ["+".join(map(str, labels))],
            f"sum of {len(labels)} region(s)",
            f"reference={labels!r}",
        )
    raise InputError(
        "reference must be None (all regions), a region label, a list of region labels "
        f"or a mapping region -> reference label; got {type(reference).__name__}"
    )


def _external(ct: CodedTable, table: object) -> ReferenceArea:
    """Return an external reference table, aligned to the activities and periods of ``ct``."""
    acol, vcol, tcol = ct.columns["activity"], ct.columns["value"], ct.columns["time"]
    if not isinstance(table, pd.DataFrame):
        raise InputError(
            f"reference_table must be a DataFrame with columns {acol!r} and {vcol!r}; "
            f"got {type(table).__name__}"
        )
    by_time = tcol is not None and tcol in table.columns
    ref_ct = encode(
        table.assign(_reference="reference"),
        region="_reference",
        activity=str(acol),
        value=str(vcol),
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
    totals = ref_ct.stacked().toarray()  # (T_ref, A_ref)
    cols = ref_ct.activities.get_indexer(ct.activities)
    if by_time and ref_ct.times is not None and ct.times is not None:
        rows = ref_ct.times.get_indexer(ct.times)
        if (rows < 0).any():
            raise InputError(
                f"reference_table has no rows for {tcol}={short_list(ct.times[rows < 0])}"
            )
    else:
        rows = np.zeros(ct.n_times, dtype=np.int64)
    n = ct.n_regions
    return ReferenceArea(
        sp.csr_matrix((1, n)),
        _one_group(n),
        np.ones(n, dtype=bool),
        ["reference_table"],
        "reference_table",
        "reference_table",
        external=totals[rows][:, cols],
        external_total=totals[rows].sum(axis=1),
    )


def reference_area(
    ct: CodedTable,
    reference: object = None,
    *,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
) -> ReferenceArea:
    """Resolve the reference options of a measure against a coded table.

    See the module docstring for the options and :func:`resolve_reference`.

    Raises
    ------
    ConventionError
        ``reference_table`` combined with ``reference`` or ``hierarchy``;
        conflicting parent options.
    InputError, ClassificationError
        As in :func:`resolve_reference`; a reference table without a period
        or an activity of the data, or with a total of 0.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.tidy import encode
    >>> ct = encode(pd.DataFrame({"geo": ["A", "B", "EU"], "nace": ["x", "x", "x"],
    ...                           "emp": [1.0, 2.0, 3.0]}), region="geo", activity="nace",
    ...             value="emp")
    >>> ref = reference_area(ct, "EU")
    >>> ref.period_totals(ct, 0)[0].tolist(), ref.is_region.tolist()
    ([[3.0]], [True, True, False])
    """
    check_reference_options(reference, hierarchy, reference_table)
    if reference_table is not None:
        return _external(ct, reference_table)
    return resolve_reference(
        reference,
        ct.regions,
        region_column=str(ct.columns["region"]),
        hierarchy=hierarchy,
    )


def reference_shares(
    ct: CodedTable, ref: ReferenceArea, region_totals: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return reference activity shares of every period x group and the group of every stacked row.

    Returns ``(shares, groups)``: shares of shape (n_times * n_groups,
    n_activities), row ``t * n_groups + g``; groups of shape (n_times *
    n_regions,) indexing those rows for the stacked table
    (:meth:`~ris3.tidy.CodedTable.stacked`). A group with a zero total has
    NaN shares.

    ``region_totals`` (n_times, n_regions), published totals of every row,
    replaces the reference area's total (the denominator of its shares) by
    the same combination of published totals: the reference row's own, or
    the sum of its members'. An external reference table keeps its own total.
    """
    blocks = []
    for t in range(ct.n_times):
        by_activity, total = ref.period_totals(ct, t)
        if region_totals is not None and ref.external is None:
            present = ct.present_regions(t)
            pub = np.where(present, np.nan_to_num(region_totals[t]), 0.0)
            total = ref.totals(pub[:, None], present)[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            blocks.append(
                np.where(
                    total[:, None] > 0,
                    by_activity / np.where(total > 0, total, 1.0)[:, None],
                    np.nan,
                )
            )
    groups = (np.arange(ct.n_times)[:, None] * ref.n_groups + ref.group[None, :]).ravel()
    return np.concatenate(blocks, axis=0), groups


def totals_by_row(ct: CodedTable, totals: object, value: str) -> np.ndarray:
    """Return published totals of every region x period of ``ct``, shape (n_times, n_regions).

    ``totals`` has the region column of ``ct`` (and its time column, unless
    the totals hold for every period) and the column ``value``. Regions
    absent from ``totals`` get NaN; the caller decides whether that is an
    error.

    Raises
    ------
    InputError
        Not a DataFrame, a column absent, duplicated keys, or totals that are
        missing, negative or not finite.

    Examples
    --------
    >>> import pandas as pd
    >>> ct = encode(pd.DataFrame({"geo": ["A", "B"], "nace": ["x", "x"], "emp": [1.0, 2.0]}),
    ...             region="geo", activity="nace", value="emp")
    >>> totals_by_row(ct, pd.DataFrame({"geo": ["B"], "total": [5.0]}), "total").tolist()
    [[nan, 5.0]]
    """
    rcol, tcol = str(ct.columns["region"]), ct.columns["time"]
    if not isinstance(totals, pd.DataFrame):
        raise InputError(
            f"totals must be a DataFrame with columns {rcol!r} and {value!r}; "
            f"got {type(totals).__name__}"
        )
    by_time = tcol is not None and tcol in totals.columns
    keys = [rcol] + ([str(tcol)] if by_time else [])
    absent = [c for c in [*keys, value] if c not in totals.columns]
    if absent:
        raise InputError(
            f"totals has no column(s) {short_list(absent)}; it needs {short_list([*keys, value])} "
            f"(name the value column with totals_value=); got "
            f"{short_list(map(str, totals.columns), 20)}"
        )
    dup = totals.duplicated(subset=keys, keep=False)
    if dup.any():
        raise InputError(
            f"totals has duplicated {' x '.join(keys)} rows: "
            f"{short_list(pd.unique(totals.loc[dup, rcol]))}"
        )
    vals = pd.to_numeric(totals[value], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(vals) | (vals < 0)
    if bad.any():
        raise InputError(
            f"totals column {value!r} must be a finite number >= 0; "
            f"{short_list(pd.unique(totals.loc[bad, rcol]))} are not"
        )
    out = np.full((ct.n_times, ct.n_regions), np.nan)
    r_idx = ct.regions.get_indexer(pd.Index(totals[rcol]))
    keep = r_idx >= 0
    if by_time and ct.times is not None:
        t_idx = ct.times.get_indexer(pd.Index(totals[tcol]))
        keep &= t_idx >= 0
        out[t_idx[keep], r_idx[keep]] = vals[keep]
    else:
        out[:, r_idx[keep]] = vals[keep]
    return out
