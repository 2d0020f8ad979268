"""Sum a tidy table from children to parents along a classification hierarchy.

Missing is not zero, and a parent sum over incomplete children is not the
parent's total. :func:`aggregate` therefore says, for every parent, how many
children the classification has, how many were reported with a value, how
many rows were present with a missing value and how many had no row at all;
when the parent's own published total is known (``parent_totals=`` or parent
rows in the data), it adds the total and the ``coverage`` of the reported
children: ``coverage = sum of reported children / parent total``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ris3._compat import warn_renamed_option
from ris3._validation import check_option, short_list
from ris3.data.classifications import _ancestors, _as_nodes
from ris3.errors import ClassificationError, ConventionError, InputError

__all__ = ["aggregate"]

Along = Literal["activity", "region"]
AggregateMissing = Literal["raise", "drop", "skip"]


def aggregate(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    hierarchy: str | pd.DataFrame | dict,
    time: str | None = None,
    version: str | int | None = None,
    along: Along = "activity",
    to_level: str | None = None,
    missing: AggregateMissing = "raise",
    parent_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sum values of child codes to their parents at ``to_level``.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time].
    region, activity, value : str
        Column names.
    hierarchy : str, DataFrame or dict
        A hierarchy name (see :data:`ris3.data.classifications.HIERARCHIES`),
        a mapping table with columns ``child``, ``parent``, ``child_level``,
        ``parent_level`` (e.g. a cluster definition), or a child -> parent
        table or dict whose levels are named by depth (``level0`` = top).
    time : str, optional
        Column of periods.
    version : str or int, optional
        Version of a named hierarchy (default: its newest).
    along : {"activity", "region"}, default "activity"
        Which column's codes follow the hierarchy; the other (and ``time``)
        are kept as keys.
    to_level : str, optional
        Level to sum to; default the level just above the children's.
    missing : {"raise", "drop"}, default "raise"
        Rows whose value is missing: stop with an error, or leave them out of
        the sums and count them in ``n_missing_children`` (``"drop"``, as in
        every ris3 function; ``"skip"`` is its old name, deprecated). A parent none of
        whose children has a value is missing, never 0.
    parent_totals : DataFrame, optional
        Published totals of the parents, with the same column names as
        ``data`` (codes at ``to_level``). Alternatively, rows of ``data`` whose
        codes are at ``to_level`` are read as parent totals.

    Returns
    -------
    DataFrame
        One row per parent and key combination: ``time`` (if given),
        ``region``, ``activity`` (now parent codes in the ``along`` column),
        ``value`` (sum of the reported children), ``n_children`` (children of
        the parent at the children's level in the hierarchy), ``n_reported``
        (children with a value), ``n_missing_children`` (rows present with a
        missing value), ``n_absent_children`` (children without a row); with
        parent totals also ``parent_total`` and ``coverage``.

    Raises
    ------
    ClassificationError
        Codes not in the hierarchy (named; never dropped), codes of more
        than the children's level and ``to_level`` in one column, or parent
        totals at another level.
    ConventionError
        Unknown ``along``/``missing``/``to_level``, a ``to_level`` not above
        the data, or parent totals given twice.
    InputError
        Problems of the table itself (see :func:`ris3.tidy.encode`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "geo": ["AT11", "AT11", "AT11", "AT11"],
    ...     "nace": ["C10", "C11", "F41", "F"],
    ...     "emp": [100.0, 50.0, 30.0, 80.0]})
    >>> out = aggregate(df, region="geo", activity="nace", value="emp",
    ...                 hierarchy="nace_eurostat")
    >>> out[["nace", "emp", "n_children", "n_reported", "parent_total", "coverage"]]
      nace    emp  n_children  n_reported  parent_total  coverage
    0    C  150.0          24           2           NaN       NaN
    1    F   30.0           3           1          80.0     0.375
    """
    from ris3.tidy import _as_frame, encode, numeric_values, warn_negative

    check_option("along", along, ("activity", "region"))
    if isinstance(missing, str) and missing == "skip":
        warn_renamed_option("aggregate", "missing", "skip", "drop")
        missing = "drop"
    check_option("missing", missing, ("raise", "drop"))
    df = _as_frame(data, "data")
    encode(
        df,
        region=region,
        activity=activity,
        value=value,
        time=time,
        missing="zero",  # structure only: the values are read below, NaN kept
        allow_negative=True,
    )
    warn_negative(df, value, numeric_values(df, value), "they are summed as they are")
    nodes, lv = _as_nodes(hierarchy, version)
    col = activity if along == "activity" else region
    keys = [c for c in (time, region if along == "activity" else activity) if c is not None]
    hname = hierarchy if isinstance(hierarchy, str) else "table"

    codes = df[col]
    depth_of = nodes.set_index("code")["level"].map({lvl: i for i, lvl in enumerate(lv)})
    depth = codes.map(depth_of)
    unknown = depth.isna().to_numpy()
    if unknown.any():
        bad = sorted(set(codes[unknown].astype(str)))
        hint = ""
        if hname == "nuts":
            hint = (
                "; codes of another NUTS version need version= or a conversion first (convert_nuts)"
            )
        raise ClassificationError(
            f"{len(bad)} code(s) in column {col!r} are not in hierarchy {hname!r}: "
            f"{short_list(bad)}{hint}"
        )
    d = depth.to_numpy(dtype=np.int64)
    child_depth = int(d.max())
    if to_level is None:
        if child_depth == 0:
            raise ConventionError(
                f"column {col!r} is already at the top level {lv[0]!r}; nothing to aggregate"
            )
        to_level = lv[child_depth - 1]
    if to_level not in lv:
        raise ConventionError(
            f"to_level must be one of {', '.join(map(repr, lv))}; got {to_level!r}"
        )
    target = lv.index(to_level)
    if target >= child_depth:
        raise ConventionError(
            f"to_level={to_level!r} is not above the level of the data in column {col!r} "
            f"({lv[child_depth]!r}); choose one of {', '.join(map(repr, lv[:child_depth]))}"
        )
    other = (d != child_depth) & (d != target)
    if other.any():
        counts = pd.Series(d).value_counts().sort_index()  # top level first
        parts = ", ".join(f"{lv[i]} ({n} rows)" for i, n in counts.items())
        raise ClassificationError(
            f"column {col!r} mixes levels of {hname!r}: {parts}; keep one level of children "
            f"(rows at to_level={to_level!r} are read as parent totals)"
        )

    vals = pd.to_numeric(df[value]).to_numpy(dtype=np.float64, na_value=np.nan)
    nan = np.isnan(vals)
    if missing == "raise" and nan.any():
        ex = df.loc[nan, [*keys, col]].head(3).to_dict("records")
        raise InputError(
            f"column {value!r} has {int(nan.sum())} missing value(s), e.g. {ex}; missing is "
            "not zero: choose missing='drop' to leave them out of the sums (they are "
            "counted in n_missing_children)"
        )
    is_child = d == child_depth
    parent_rows = df.loc[~is_child, [*keys, col]].assign(parent_total=vals[~is_child])
    if parent_totals is not None:
        if len(parent_rows):
            raise ConventionError(
                f"parent totals given twice: data has {len(parent_rows)} row(s) at "
                f"to_level={to_level!r} and parent_totals= is set; use one"
            )
        parent_rows = _parent_totals(parent_totals, keys, col, value, nodes, lv, to_level)

    kids = df.loc[is_child, [*keys, col]].reset_index(drop=True)
    kv = vals[is_child]
    parent = _ancestors(kids[col], to_level, nodes, lv, what=f"codes in column {col!r}")
    work = kids[keys].assign(
        __ris3_parent=parent, __ris3_v=kv, __ris3_has=~np.isnan(kv), __ris3_nan=np.isnan(kv)
    )
    g = work.groupby([*keys, "__ris3_parent"], sort=True, dropna=False)
    out = g.agg(
        __ris3_sum=("__ris3_v", "sum"), n_reported=("__ris3_has", "sum"), n_missing_children=("__ris3_nan", "sum"),
        __ris3_rows=("__ris3_v", "size"),
    ).reset_index()  # fmt: skip

    level_nodes = nodes[nodes["level"] == lv[child_depth]]
    all_parents = _ancestors(level_nodes["code"], to_level, nodes, lv, what="codes")
    n_children = pd.Series(all_parents).value_counts()

    out = out.rename(columns={"__ris3_parent": col})
    if parent_totals is not None or len(parent_rows):
        out = out.merge(parent_rows, on=[*keys, col], how="outer", sort=True)
        for c in ("__ris3_rows", "n_reported", "n_missing_children"):
            out[c] = out[c].fillna(0).astype(np.int64)
        total = out["parent_total"].to_numpy(dtype=np.float64)
    out["n_children"] = out[col].map(n_children).fillna(0).astype(np.int64).to_numpy()
    out["n_absent_children"] = out["n_children"] - out["__ris3_rows"]
    summed = out["__ris3_sum"].to_numpy(dtype=np.float64)
    out[value] = np.where(out["n_reported"].to_numpy() > 0, summed, np.nan)
    columns = [
        *([time] if time is not None else []),
        region,
        activity,
        value,
        "n_children",
        "n_reported",
        "n_missing_children",
        "n_absent_children",
    ]
    if "parent_total" in out.columns:
        with np.errstate(divide="ignore", invalid="ignore"):
            cov = out[value].to_numpy(dtype=np.float64) / total
        out["coverage"] = np.where(total > 0, cov, np.nan)
        columns += ["parent_total", "coverage"]
    for c in ("n_reported", "n_missing_children"):
        out[c] = out[c].astype(np.int64)
    return out[columns].reset_index(drop=True)


def _parent_totals(
    totals: pd.DataFrame,
    keys: list[str],
    col: str,
    value: str,
    nodes: pd.DataFrame,
    lv: tuple[str, ...],
    to_level: str,
) -> pd.DataFrame:
    if not isinstance(totals, pd.DataFrame):
        raise InputError(f"parent_totals must be a DataFrame; got {type(totals).__name__}")
    need = [*keys, col, value]
    miss = [c for c in need if c not in totals.columns]
    if miss:
        raise InputError(f"parent_totals needs the columns {need} (as in data); missing {miss}")
    if totals.duplicated(subset=[*keys, col]).any():
        raise InputError(f"parent_totals has duplicated rows for keys {[*keys, col]}")
    lvl = totals[col].map(nodes.set_index("code")["level"])
    bad = (lvl != to_level).to_numpy()
    if bad.any():
        raise ClassificationError(
            f"parent_totals must have codes at to_level={to_level!r}; "
            f"{short_list(sorted(set(totals[col][bad].astype(str))))} are not"
        )
    v = pd.to_numeric(totals[value], errors="coerce")
    if (v.isna() & totals[value].notna()).any():
        raise InputError(f"column {value!r} of parent_totals must be numeric")
    return totals[[*keys, col]].assign(parent_total=v.to_numpy(dtype=np.float64))
