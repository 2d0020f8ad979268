"""Classification hierarchies as versioned child -> parent mapping tables.

A hierarchy is a plain table with one row per code that has a parent:
``child``, ``parent``, ``child_level``, ``parent_level``, ``child_label``,
``parent_label`` (labels are missing where the source has none). Levels are
named from the top down (e.g. ``section``, ``division``, ``group``, ``class``).

Available hierarchies (``name``: versions, default first):

* ``"nuts"``: 2021 (levels 0-3, names, GISCO), 2016, 2013, 2010 (levels 0-2;
  NUTS-2 codes from the GISCO 2016 file and the JRC converter matrices, the
  upper levels by the prefix structure of NUTS codes, parent = code[:-1]).
  Every country also has its extra-regio codes (``FRZ``, ``FRZZ``, ``FRZZZ``),
  which Eurostat tables use for activity outside any region.
* ``"nace"``: ``"rev2"``, official notation (``C``, ``10``, ``10.1``,
  ``10.11``). ``"nace_eurostat"``: ``"rev2"``, Eurostat's dissemination codes
  (``C``, ``C10``, ``C101``, ``C1011``). Classes are the four-digit classes
  of SIC 2007, which is NACE Rev. 2 to the class level; divisions go to
  sections by the published ranges (A 01-03, ..., U 99).
* ``"sic"``: 2007, UK SIC to the class level (``C``, ``10``, ``101``,
  ``1011``), with the ONS short titles.
* ``"naics"``: 2017, the codes of US County Business Patterns 2019 (2 to 6
  digits); sectors ``31-33``, ``44-45`` and ``48-49`` span several 2-digit
  prefixes.
* ``"hs"``: ``"hs92"``, sections (I-XXI) / chapters (``01``) / headings
  (``0101``); headings are those of the Atlas of Economic Complexity HS 1992
  product list, chapter titles as published with CEPII BACI (HS 1996).
* ``"wipo"``: 2008, the 35 WIPO technology fields (named as in the NSF/NCSES
  patent tables) in 5 sectors (Schmoch 2008, the IPC-technology concordance
  published by WIPO).

Sources and licences are listed in ``ris3/data/hierarchies/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ris3._validation import short_list
from ris3.data._hierarchy_sources import (
    _LEVELS,
    HIERARCHIES,
    HS_SECTIONS,
    NACE_SECTIONS,
    WIPO_FIELDS,
    _check_name_version,
    _node_table,
)
from ris3.data.nace_codes import is_nace_aggregate, nace_aggregate_members
from ris3.errors import ClassificationError, ConventionError, InputError

__all__ = [
    "HIERARCHIES",
    "NACE_SECTIONS",
    "HS_SECTIONS",
    "WIPO_FIELDS",
    "hierarchy",
    "levels",
    "parent_of",
    "is_nace_aggregate",
    "nace_aggregate_members",
]


def hierarchy(name: str, version: str | int | None = None) -> pd.DataFrame:
    """Return a classification as a child -> parent mapping table.

    Parameters
    ----------
    name : str
        One of ``HIERARCHIES``: ``"nuts"``, ``"nace"``, ``"nace_eurostat"``,
        ``"sic"``, ``"naics"``, ``"hs"``, ``"wipo"``.
    version : str or int, optional
        A version listed in ``HIERARCHIES[name]``; default the first (newest).

    Returns
    -------
    DataFrame
        One row per code that has a parent: ``child``, ``parent``,
        ``child_level``, ``parent_level``, ``child_label``, ``parent_label``
        (labels missing where the source has none). ``attrs`` holds the
        ``name``, ``version`` and ordered ``levels`` (top first).

    Raises
    ------
    ConventionError
        Unknown name or version (the message lists the allowed ones).

    Examples
    --------
    >>> h = hierarchy("nace_eurostat")
    >>> h.set_index("child").loc["C101", ["parent", "child_level", "parent_level"]].tolist()
    ['C10', 'group', 'division']
    >>> h.attrs["levels"]
    ('section', 'division', 'group', 'class')
    """
    name, version = _check_name_version(name, version)
    nodes = _node_table(name, version)
    has = nodes[nodes["parent"].notna()]
    info = nodes.set_index("code")
    out = pd.DataFrame(
        {
            "child": has["code"].to_numpy(),
            "parent": has["parent"].to_numpy(),
            "child_level": has["level"].to_numpy(),
            "parent_level": info["level"].reindex(has["parent"]).to_numpy(),
            "child_label": has["label"].to_numpy(),
            "parent_label": info["label"].reindex(has["parent"]).to_numpy(),
        },
    )
    out.attrs.update(name=name, version=version, levels=_LEVELS[name])
    return out


def levels(name: str | pd.DataFrame | dict, version: str | int | None = None) -> tuple[str, ...]:
    """Return the levels of a hierarchy, top first.

    ``name`` is a hierarchy name, or a mapping table with ``child_level``
    and ``parent_level`` columns (levels ordered from its parent links), or
    a child -> parent table or dict (levels ``level0``, ``level1`` ... by depth).

    Examples
    --------
    >>> levels("naics")
    ('sector', 'subsector', 'industry_group', 'naics_industry', 'national_industry')
    """
    if isinstance(name, pd.DataFrame | dict):
        return _as_nodes(name, None)[1]
    name, version = _check_name_version(name, version)
    return _LEVELS[name]


def parent_of(
    codes: Iterable[str],
    to_level: str,
    *,
    hierarchy: str | pd.DataFrame | dict,
    version: str | int | None = None,
) -> pd.Series:
    """Return the ancestor at ``to_level`` of every code.

    Parameters
    ----------
    codes : iterable of str
        Codes of any level at or below ``to_level``.
    to_level : str
        A level of the hierarchy (see :func:`levels`).
    hierarchy : str, DataFrame or dict
        A hierarchy name (with ``version``), a mapping table with columns
        ``child``, ``parent``, ``child_level``, ``parent_level``, or a table
        with only ``child`` and ``parent`` (or a dict child -> parent), whose
        levels are then named by depth: ``level0`` (top), ``level1`` ...

    Returns
    -------
    Series
        Indexed by the input codes (in input order), values the ancestors; a
        code already at ``to_level`` maps to itself.

    Raises
    ------
    ClassificationError
        Codes not in the hierarchy, or above ``to_level``.
    ConventionError
        Unknown hierarchy, version or level.

    Examples
    --------
    >>> parent_of(["FR101", "FR10", "DE21"], "nuts1", hierarchy="nuts").tolist()
    ['FR1', 'FR1', 'DE2']
    """
    nodes, lv = _as_nodes(hierarchy, version)
    values = pd.Series(list(codes), dtype=object)
    up = _ancestors(values, to_level, nodes, lv, what="codes")
    return pd.Series(up, index=pd.Index(values, name="code"), name=to_level)


_TABLE_COLUMNS = ("child", "parent", "child_level", "parent_level")


def _as_nodes(
    hier: str | pd.DataFrame | dict, version: str | int | None
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Node table (code, level, parent, label) and ordered levels of a hierarchy.

    ``hier`` is a name or a mapping table; a table is checked: required
    columns, one parent per child, levels forming one chain.
    """
    if isinstance(hier, str):
        name, v = _check_name_version(hier, version)
        return _node_table(name, v), _LEVELS[name]
    if isinstance(hier, dict):
        hier = pd.DataFrame({"child": list(hier), "parent": list(hier.values())})
    if not isinstance(hier, pd.DataFrame):
        raise InputError(
            f"hierarchy must be a hierarchy name, a mapping table (DataFrame) or a dict "
            f"child -> parent; got {type(hier).__name__}"
        )
    if {"child", "parent"} <= set(hier.columns) and not (
        {"child_level", "parent_level"} & set(hier.columns)
    ):
        hier = _levels_by_depth(hier)
    miss = [c for c in _TABLE_COLUMNS if c not in hier.columns]
    if miss:
        raise InputError(f"a hierarchy table needs columns {list(_TABLE_COLUMNS)}; missing {miss}")
    h = hier[list(_TABLE_COLUMNS)].drop_duplicates()
    if h.isna().any().any():
        raise ClassificationError("the hierarchy table has missing codes or levels")
    dup = h["child"].duplicated(keep=False)
    if dup.any():
        raise ClassificationError(
            f"in the hierarchy table, {short_list(sorted(set(h['child'][dup])))} have more "
            "than one parent; each child needs exactly one"
        )
    links = h[["child_level", "parent_level"]].drop_duplicates()
    ups = links.groupby("child_level")["parent_level"].nunique()
    if (ups > 1).any() or (links["child_level"] == links["parent_level"]).any():
        raise ClassificationError(
            f"the levels of the hierarchy table do not form one chain: {links.to_dict('records')}"
        )
    up = dict(zip(links["child_level"], links["parent_level"]))
    roots = [lvl for lvl in links["parent_level"].unique() if lvl not in up]
    if len(roots) != 1:
        raise ClassificationError(
            f"the hierarchy table must have one top level; found {short_list(roots)}"
        )
    down = {v: k for k, v in up.items()}
    order = [roots[0]]
    while order[-1] in down and len(order) <= len(up):
        order.append(down[order[-1]])
    if len(order) != len(up) + 1:
        raise ClassificationError("the levels of the hierarchy table contain a cycle")
    labels = (
        hier.drop_duplicates("child").set_index("child")["child_label"]
        if "child_label" in hier.columns
        else None
    )
    kids = pd.DataFrame({"code": h["child"], "level": h["child_level"], "parent": h["parent"]})
    tops = h.loc[~h["parent"].isin(h["child"]), ["parent", "parent_level"]].drop_duplicates()
    clash = tops["parent"].duplicated(keep=False)
    if clash.any():
        raise ClassificationError(
            f"codes {short_list(sorted(set(tops['parent'][clash])))} appear at two levels"
        )
    roots_df = pd.DataFrame({"code": tops["parent"], "level": tops["parent_level"], "parent": None})
    nodes = pd.concat([roots_df, kids], ignore_index=True)
    wrong = nodes["parent"].map(nodes.set_index("code")["level"])
    bad = nodes["parent"].notna() & (wrong != nodes["level"].map(up))
    if bad.any():
        raise ClassificationError(
            f"parent_level disagrees with the parent's own level for children "
            f"{short_list(nodes['code'][bad])}"
        )
    nodes["label"] = nodes["code"].map(labels) if labels is not None else np.nan
    return nodes, tuple(order)


def _levels_by_depth(table: pd.DataFrame) -> pd.DataFrame:
    """Name the levels of a child -> parent table by depth: level0 (top), level1 ..."""
    h = table[["child", "parent"]].drop_duplicates()
    if h.isna().any().any():
        raise ClassificationError("the hierarchy table has missing codes")
    dup = h["child"].duplicated(keep=False)
    if dup.any():
        raise ClassificationError(
            f"in the hierarchy table, {short_list(sorted(set(h['child'][dup])))} have more "
            "than one parent; each child needs exactly one"
        )
    up = pd.Series(h["parent"].to_numpy(), index=h["child"].to_numpy())
    depth = np.zeros(len(h), dtype=np.int64)
    cur = pd.Series(h["parent"].to_numpy())
    for _ in range(len(h) + 1):  # one step per level; deeper than len(h) is a cycle
        cur = pd.Series(up.reindex(cur.to_numpy()).to_numpy())
        alive = cur.notna().to_numpy()
        if not alive.any():
            break
        depth += alive
    else:
        raise ClassificationError(
            "the hierarchy table contains a cycle (a code is its own ancestor)"
        )
    out = table.copy()
    d = pd.Series(depth + 1, index=h.index).reindex(out.index)
    if d.isna().any():  # duplicated rows of the same pair
        d = out["child"].map(dict(zip(h["child"], depth + 1)))
    out["child_level"] = "level" + d.astype(int).astype(str)
    out["parent_level"] = "level" + (d.astype(int) - 1).astype(str)
    return out


def _ancestors(
    values: pd.Series, to_level: str, nodes: pd.DataFrame, lv: tuple[str, ...], what: str
) -> np.ndarray:
    """Ancestor at ``to_level`` of each value (vectorised, one step per level)."""
    if to_level not in lv:
        raise ConventionError(
            f"to_level must be one of {', '.join(map(repr, lv))}; got {to_level!r}"
        )
    info = nodes.set_index("code")
    depth_of = info["level"].map({lvl: i for i, lvl in enumerate(lv)})
    depth = values.map(depth_of)
    unknown = depth.isna().to_numpy()
    if unknown.any():
        bad = sorted(set(values[unknown].astype(str)))
        raise ClassificationError(f"{len(bad)} {what} are not in the hierarchy: {short_list(bad)}")
    target = lv.index(to_level)
    d = depth.to_numpy(dtype=np.int64).copy()
    above = d < target
    if above.any():
        bad = sorted(set(values[above].astype(str)))
        raise ClassificationError(
            f"{len(bad)} {what} are above level {to_level!r}, so have no ancestor there: "
            f"{short_list(bad)}"
        )
    cur = values.to_numpy(dtype=object).copy()
    parent = info["parent"]
    for _ in range(len(lv)):
        move = d > target
        if not move.any():
            break
        cur[move] = parent.reindex(cur[move]).to_numpy()
        d[move] = depth_of.reindex(cur[move]).to_numpy(dtype=np.int64)
    return cur
