"""Child -> parent mapping tables (NUTS, NACE, ...) as accepted by measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import pandas as pd

from ris3._validation import short_list
from ris3.errors import ClassificationError, InputError

HierarchyLike: TypeAlias = pd.DataFrame | Mapping[Any, Any] | pd.Series


def as_parent_map(hierarchy: HierarchyLike, what: str = "hierarchy") -> pd.Series:
    """Return a Series child -> parent from a table, dict or Series.

    A DataFrame must have the columns ``child`` and ``parent``; a child may
    appear more than once only with the same parent. Missing codes and
    children with several parents raise :class:`ClassificationError`.
    """
    if isinstance(hierarchy, pd.DataFrame):
        missing = [c for c in ("child", "parent") if c not in hierarchy.columns]
        if missing:
            raise InputError(
                f"{what} must have columns 'child' and 'parent'; missing {short_list(missing)}; "
                f"got columns {short_list(map(str, hierarchy.columns), 20)}"
            )
        table = hierarchy[["child", "parent"]]
    elif isinstance(hierarchy, pd.Series):
        table = pd.DataFrame({"child": hierarchy.index, "parent": hierarchy.to_numpy()})
    elif isinstance(hierarchy, Mapping):
        table = pd.DataFrame({"child": list(hierarchy.keys()), "parent": list(hierarchy.values())})
    else:
        raise InputError(
            f"{what} must be a DataFrame with columns 'child' and 'parent', a dict or a "
            f"Series child -> parent; got {type(hierarchy).__name__}"
        )
    if len(table) == 0:
        raise InputError(f"{what} is empty: it maps no child to a parent")
    nulls = table["child"].isna() | table["parent"].isna()
    if nulls.any():
        ex = table.loc[nulls].head(3).to_dict("records")
        raise ClassificationError(
            f"{what} has {int(nulls.sum())} row(s) with a missing child or parent, e.g. {ex}"
        )
    table = table.drop_duplicates()
    dup = table["child"].duplicated(keep=False)
    if dup.any():
        raise ClassificationError(
            f"{what} gives more than one parent to {int(table.loc[dup, 'child'].nunique())} "
            f"child code(s): {short_list(table.loc[dup, 'child'].unique())}"
        )
    return pd.Series(table["parent"].to_numpy(), index=pd.Index(table["child"].to_numpy()))
