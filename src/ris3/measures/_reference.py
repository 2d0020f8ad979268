"""The reference area of a comparison (location quotients, shift-share).

``reference`` accepts, everywhere ris3 compares a region with a reference:

* ``None`` — the sum of all regions in the table (default);
* a region label (str) — that row of the table, e.g. a national or EU total
  stored alongside the regions ("EU28", "US"); the row is a reference only
  and is left out of the results;
* a list/tuple of region labels — the sum of those rows; they stay regions;
* a mapping ``{region: reference label}`` (dict or Series) — each region is
  compared with its own reference row (e.g. each NUTS-2 region with its
  country); the reference rows are left out of the results and every other
  region must be mapped.

:func:`resolve_reference` turns this into an indicator matrix ``S``
(n_groups x n_regions) so that ``S @ x`` gives the reference totals, and a
group index per region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import short_list
from ris3.errors import InputError

__all__ = ["ResolvedReference", "resolve_reference"]


@dataclass(frozen=True)
class ResolvedReference:
    """A reference specification resolved against a table's region labels.

    Attributes
    ----------
    indicator : csr_matrix, shape (n_groups, n_regions)
        Row g sums the regions that make up reference area g.
    group : ndarray of int, shape (n_regions,)
        The reference area of each region (0 for reference-only rows).
    is_region : ndarray of bool, shape (n_regions,)
        False for rows that are only a reference (excluded from results).
    labels : list
        A label per reference area, for messages and outputs.
    description : str
        Human-readable description, e.g. ``"all regions"``.
    """

    indicator: sp.csr_matrix
    group: np.ndarray
    is_region: np.ndarray
    labels: list[object]
    description: str

    @property
    def n_groups(self) -> int:
        return int(self.indicator.shape[0])

    def totals(self, x: Any) -> np.ndarray:
        """Reference totals ``S @ x`` as a dense array (n_groups, ...)."""
        out: Any = self.indicator @ x
        if hasattr(out, "toarray"):  # sparse @ sparse stays sparse
            out = out.toarray()
        return np.asarray(out, dtype=np.float64)


def resolve_reference(
    reference: object, regions: pd.Index, *, region_column: str
) -> ResolvedReference:
    """Resolve ``reference`` (see the module docstring) against ``regions``.

    Raises
    ------
    InputError
        A named reference region is not in the table, a mapping leaves
        regions unmapped, or ``reference`` has an unsupported type.

    Examples
    --------
    >>> import pandas as pd
    >>> r = resolve_reference("EU", pd.Index(["AT1", "EU", "FR1"]), region_column="geo")
    >>> r.is_region.tolist(), r.indicator.toarray().tolist()
    ([True, False, True], [[0.0, 1.0, 0.0]])
    """
    n = len(regions)

    def locate(labels: Sequence[object], what: str) -> np.ndarray:
        idx = regions.get_indexer(pd.Index(list(labels)))
        if (idx < 0).any():
            absent = [lab for lab, i in zip(labels, idx) if i < 0]
            raise InputError(
                f"{what} {short_list(absent)} not found in column {region_column!r}; "
                f"regions in the data: {short_list(regions)}"
            )
        return idx

    if reference is None:
        s = sp.csr_matrix(np.ones((1, n)))
        return ResolvedReference(
            s, np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool), ["all regions"], "all regions"
        )
    if isinstance(reference, str):
        i = locate([reference], "reference region")[0]
        s = sp.csr_matrix((np.ones(1), ([0], [i])), shape=(1, n))
        is_region = np.ones(n, dtype=bool)
        is_region[i] = False
        return ResolvedReference(
            s, np.zeros(n, dtype=np.int64), is_region, [reference], f"region {reference!r}"
        )
    if isinstance(reference, Mapping | pd.Series):
        m = pd.Series(reference) if not isinstance(reference, pd.Series) else reference
        if m.isna().any():
            raise InputError(
                f"reference mapping has missing targets for {short_list(m.index[m.isna()])}"
            )
        targets = pd.Index(pd.unique(m.to_numpy()))
        t_idx = locate(list(targets), "reference region(s)")
        is_region = np.ones(n, dtype=bool)
        is_region[t_idx] = False
        mapped_src = regions.get_indexer(m.index)
        # regions of the table (other than references) must all be mapped
        mapped = np.zeros(n, dtype=bool)
        mapped[mapped_src[mapped_src >= 0]] = True
        unmapped = np.flatnonzero(is_region & ~mapped)
        if unmapped.size:
            raise InputError(
                f"reference mapping does not say which reference {unmapped.size} region(s) "
                f"of column {region_column!r} belong to: {short_list(regions[unmapped])}; "
                "map every region or remove them from the data"
            )
        group = np.zeros(n, dtype=np.int64)
        ok = mapped_src >= 0
        group[mapped_src[ok]] = targets.get_indexer(m.to_numpy()[ok])
        s = sp.csr_matrix(
            (np.ones(len(targets)), (np.arange(len(targets)), t_idx)), shape=(len(targets), n)
        )
        return ResolvedReference(
            s, group, is_region, list(targets), f"each region's reference ({len(targets)} areas)"
        )
    if isinstance(reference, list | tuple | pd.Index | np.ndarray):
        labels = list(reference)
        if not labels:
            raise InputError("reference list is empty; give at least one region label")
        idx = locate(labels, "reference region(s)")
        s = sp.csr_matrix(
            (np.ones(len(idx)), (np.zeros(len(idx), dtype=np.int64), idx)), shape=(1, n)
        )
        return ResolvedReference(
            s,
            np.zeros(n, dtype=np.int64),
            np.ones(n, dtype=bool),
            ["+".join(map(str, labels))],
            f"sum of {len(labels)} region(s)",
        )
    raise InputError(
        "reference must be None (all regions), a region label, a list of region labels "
        f"or a mapping region -> reference label; got {type(reference).__name__}"
    )
