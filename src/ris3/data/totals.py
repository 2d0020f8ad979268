"""Published totals: a region's total from published aggregate rows, not from surviving cells.

Statistical offices publish aggregates (NACE sections, all-sector rows,
national rows) beside the detailed cells and suppress some detailed cells
for confidentiality. The sum of the detailed cells that survive is then
smaller than the region's true total, and every share computed on it is
inflated. :func:`published_totals` forms each region's total from the
published aggregate rows instead:

``total[r] = sum over aggregates g of (published[r, g] if published, else
the sum of the observed cells of g in r) + the observed cells whose
activity belongs to no published aggregate``.

Where an aggregate is itself confidential, its observed cells stand in for
it, so the total is a **lower bound**; the output says so (``exact``) and
gives the coverage ``observed / total``. With only published aggregates and
no missing cell outside them the total is exact.

The measures take the result as ``totals=`` (see
:func:`ris3.measures.specialisation.location_quotient`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import short_list
from ris3.errors import ClassificationError, InputError

__all__ = ["parent_codes", "published_totals"]


def _check_columns(table: object, columns: list[str], what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{what} must be a DataFrame; got {type(table).__name__}")
    absent = [c for c in columns if c not in table.columns]
    if absent:
        raise InputError(
            f"{what} has no column(s) {short_list(absent)}; available columns: "
            f"{short_list(map(str, table.columns), 20)}"
        )
    return table


def parent_codes(data: pd.DataFrame, activity: str, parent: object, what: str) -> pd.Series:
    """Return the parent (aggregate) code of every row of ``data``.

    ``parent`` is a column of ``data`` (e.g. ``"nace_section"``) or a mapping
    child -> parent (dict, Series, or DataFrame with columns ``child`` and
    ``parent``). Every activity of ``data`` must have a parent.

    Raises
    ------
    InputError
        ``parent`` of an unsupported type, or a column that is not in ``data``.
    ClassificationError
        Activities without a parent, or a child with several parents.

    Examples
    --------
    >>> df = pd.DataFrame({"nace": ["C10", "C11", "F41"]})
    >>> parent_codes(df, "nace", {"C10": "C", "C11": "C", "F41": "F"}, "parent").tolist()
    ['C', 'C', 'F']
    """
    if isinstance(parent, str):
        _check_columns(data, [parent], "data")
        out = data[parent]
    else:
        if isinstance(parent, pd.DataFrame):
            _check_columns(parent, ["child", "parent"], what)
            table = parent[["child", "parent"]].drop_duplicates()
            dup = table["child"].duplicated(keep=False)
            if dup.any():
                raise ClassificationError(
                    f"{what} gives more than one parent to "
                    f"{short_list(table.loc[dup, 'child'].unique())}"
                )
            mapping: Any = pd.Series(table["parent"].to_numpy(), index=table["child"].to_numpy())
        elif isinstance(parent, pd.Series | Mapping):
            mapping = pd.Series(parent)
        else:
            raise InputError(
                f"{what} must be a column name of data or a mapping child -> parent "
                f"(dict, Series, or DataFrame with columns 'child' and 'parent'); got "
                f"{type(parent).__name__}"
            )
        out = data[activity].map(mapping)
    lacking = out.isna()
    if lacking.any():
        raise ClassificationError(
            f"{what} gives no parent to {int(data.loc[lacking, activity].nunique())} "
            f"activit(ies): {short_list(pd.unique(data.loc[lacking, activity]))}"
        )
    return pd.Series(out.to_numpy(), index=data.index)


def published_totals(
    data: pd.DataFrame,
    aggregates: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    parent: object,
    time: str | None = None,
) -> pd.DataFrame:
    """Each region's total from published aggregate rows (a lower bound where they are missing).

    Parameters
    ----------
    data : DataFrame
        Detailed cells, one row per region x activity [x time]; missing or
        confidential cells are NaN.
    aggregates : DataFrame
        Published aggregate rows (e.g. NACE sections) with the same column
        names as ``data``: ``region``, ``activity`` (the aggregate's code),
        ``value`` [, ``time``]; a confidential aggregate is NaN.
    region, activity, value : str
        Column names.
    parent : str or mapping
        The aggregate of each activity: a column of ``data`` (e.g.
        ``"nace_section"``) or a mapping child -> parent (dict, Series, or
        DataFrame with columns ``child`` and ``parent``).
    time : str, optional
        Column of periods (in both tables).

    Returns
    -------
    DataFrame
        One row per region [x time] of ``data``: the key columns, ``value``
        (the total), ``observed`` (sum of the non-missing cells of ``data``),
        ``coverage`` (``observed / total``), ``aggregates_published`` and
        ``aggregates_missing`` (aggregates whose observed cells stood in for
        a missing published value) and ``exact`` (True when the total rests
        on published aggregates only and no cell outside them is missing;
        otherwise the total is a lower bound).

    Raises
    ------
    InputError
        A column is absent, an aggregate row is duplicated, or a value is
        negative.
    ClassificationError
        An activity without a parent.

    Examples
    --------
    One region, section C published (100) with one of its two divisions
    confidential, section F confidential with one observed division:

    >>> cells = pd.DataFrame({"geo": ["R"] * 3, "nace": ["C10", "C11", "F41"],
    ...                       "sec": ["C", "C", "F"], "emp": [60.0, None, 30.0]})
    >>> sections = pd.DataFrame({"geo": ["R", "R"], "nace": ["C", "F"], "emp": [100.0, None]})
    >>> t = published_totals(cells, sections, region="geo", activity="nace", value="emp",
    ...                      parent="sec")
    >>> t[["geo", "emp", "observed", "exact"]]
      geo    emp  observed  exact
    0   R  130.0      90.0  False
    """
    keys = [region] + ([time] if time is not None else [])
    _check_columns(data, [*keys, activity, value], "data")
    _check_columns(aggregates, [*keys, activity, value], "aggregates")
    for what, t in (("data", data), ("aggregates", aggregates)):
        v = pd.to_numeric(t[value], errors="coerce")
        if (v < 0).any():
            raise InputError(f"{what} column {value!r} must be >= 0; it has negative values")
    dup = aggregates.duplicated(subset=[*keys, activity], keep=False)
    if dup.any():
        raise InputError(
            f"aggregates has {int(dup.sum())} duplicated {' x '.join([*keys, activity])} rows, "
            f"e.g. {aggregates.loc[dup, [*keys, activity]].head(2).to_dict('records')}"
        )
    cells = data[[*keys, value]].copy()
    cells["_agg"] = parent_codes(data, activity, parent, "parent").to_numpy()
    cells[value] = pd.to_numeric(cells[value], errors="coerce").astype(np.float64)
    cells["_missing"] = cells[value].isna()
    by_agg = (
        cells.groupby([*keys, "_agg"], sort=False, dropna=False)
        .agg(_obs=(value, "sum"), _gap=("_missing", "sum"))
        .reset_index()
    )
    pub = aggregates[[*keys, activity, value]].rename(columns={activity: "_agg", value: "_pub"})
    pub["_pub"] = pd.to_numeric(pub["_pub"], errors="coerce").astype(np.float64)
    # only regions [x periods] of data get a total
    pub = pub.merge(cells[keys].drop_duplicates(), on=keys, how="inner")
    both = by_agg.merge(pub, on=[*keys, "_agg"], how="outer", indicator="_m")
    both["_obs"] = both["_obs"].fillna(0.0)
    both["_gap"] = both["_gap"].fillna(0)
    has_row = both["_m"] != "left_only"
    published = has_row & both["_pub"].notna()
    both["_part"] = np.where(published, both["_pub"], both["_obs"])
    both["_published"] = published
    both["_stand_in"] = has_row & ~published
    # a part is exact when published, or when none of its cells is missing and it has no row
    both["_inexact"] = ~published & ((both["_gap"] > 0) | both["_stand_in"])
    out = (
        both.groupby(keys, sort=False)
        .agg(
            **{
                value: ("_part", "sum"),
                "aggregates_published": ("_published", "sum"),
                "aggregates_missing": ("_stand_in", "sum"),
                "_inexact": ("_inexact", "any"),
            }
        )
        .reset_index()
    )
    observed = cells.groupby(keys, sort=False)[value].sum().rename("observed").reset_index()
    out = out.merge(observed, on=keys, how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["coverage"] = np.where(out[value] > 0, out["observed"] / out[value], np.nan)
    out["exact"] = ~out.pop("_inexact").astype(bool)
    out["aggregates_published"] = out["aggregates_published"].astype(np.int64)
    out["aggregates_missing"] = out["aggregates_missing"].astype(np.int64)
    cols = [*keys, value, "observed", "coverage", "aggregates_published", "aggregates_missing"]
    return out[[*cols, "exact"]].sort_values(keys, kind="stable").reset_index(drop=True)
