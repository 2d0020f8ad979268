"""Relatedness networks ("product space" style maps) as tidy tables for drawing.

Following Hidalgo, Klinger, Barabasi and Hausmann (2007), the network keeps
the maximum spanning tree of the relatedness graph, so that every activity
is connected through its strongest links, plus the strongest remaining
links (above a threshold, or the top ``max_extra_edges``). A force-directed
layout places the nodes. The result is two tidy tables, nodes and edges,
ready for a Vega-Lite chart or any plotting tool.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option, short_list
from ris3.errors import DegenerateDataError, InputError

__all__ = ["RelatednessNetwork", "relatedness_network", "LAYOUTS", "COMBINE"]

LAYOUTS: tuple[str, ...] = ("spring", "kamada_kawai")
COMBINE: tuple[str, ...] = ("mean", "max", "min")


class RelatednessNetwork(NamedTuple):
    """Nodes and edges of a relatedness network.

    Attributes
    ----------
    nodes : DataFrame
        ``id, x, y, degree, strength`` and any node attributes given.
    edges : DataFrame
        ``source, target, weight, in_tree``.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame

    def tidy(self) -> pd.DataFrame:
        """One row per edge: ``source, target, weight, in_tree`` (a copy).

        The node table (positions, degree, strength) is :attr:`nodes`.
        """
        return self.edges.copy()

    def summary(self) -> str:
        """Return a few lines: nodes, edges (spanning tree and extra), components, hubs."""
        n_nodes, n_edges = len(self.nodes), len(self.edges)
        tree = int(self.edges["in_tree"].sum()) if "in_tree" in self.edges else 0
        isolated = int((self.nodes["degree"] == 0).sum()) if "degree" in self.nodes else 0
        lines = [
            f"Relatedness network: {n_nodes} nodes, {n_edges} edges "
            f"({tree} in the maximum spanning tree, {n_edges - tree} extra); "
            f"{isolated} isolated node(s)"
        ]
        if n_nodes and "strength" in self.nodes:
            key = "id" if "id" in self.nodes else self.nodes.columns[0]
            hubs = self.nodes.sort_values(["strength", key], ascending=[False, True]).head(5)
            lines.append(
                "strongest nodes: "
                + ", ".join(f"{i} ({s:.2f})" for i, s in zip(hubs[key], hubs["strength"]))
            )
        return "\n".join(lines)


def relatedness_network(
    relatedness: pd.DataFrame,
    *,
    source: str = "activity_from",
    target: str = "activity_to",
    weight: str = "proximity",
    threshold: float | None = None,
    max_extra_edges: int | None = None,
    combine: Literal["mean", "max", "min"] = "mean",
    layout: Literal["spring", "kamada_kawai"] = "spring",
    seed: int = 0,
    node_attributes: pd.DataFrame | None = None,
    node_id: str = "id",
) -> RelatednessNetwork:
    """Maximum spanning tree plus the strongest links, with a layout.

    Parameters
    ----------
    relatedness : DataFrame
        One row per pair of activities (or clusters) with a weight, e.g. from
        :func:`ris3.clusters.colocation.colocation_relatedness`,
        :func:`~ris3.clusters.colocation.aggregate_relatedness`
        (``source="cluster_from", target="cluster_to",
        weight="relatedness"``) or :func:`ris3.skill_relatedness`
        (``source="origin", target="destination",
        weight="skill_relatedness"``). Pairs may be listed in one or both
        directions; self pairs are ignored.
    source, target, weight : str
        Column names.
    threshold : float, optional
        Besides the tree, keep the links with ``weight >= threshold``.
    max_extra_edges : int, optional
        Besides the tree, keep at most this many of the strongest other
        links (those above ``threshold`` when both are given). With neither
        option the network is the tree alone.
    combine : {"mean", "max", "min"}, default "mean"
        How the two directions of a pair are combined when both are listed
        (a pair listed once keeps its weight).
    layout : {"spring", "kamada_kawai"}, default "spring"
        networkx's spring (Fruchterman-Reingold) layout seeded with ``seed``,
        or Kamada-Kawai (deterministic; path lengths ``1 / w``). Stronger
        links pull nodes closer; weights are rescaled to (0, 1] for the
        layout when some are <= 0 (e.g. skill relatedness).
    seed : int, default 0
        Seed of the spring layout. The same input and seed give the same
        coordinates.
    node_attributes : DataFrame, optional
        Extra columns for the node table (e.g. cluster name, employment),
        joined on ``node_id``. Ids listed here but in no pair become
        isolated nodes (degree 0).
    node_id : str, default "id"
        Column of ``node_attributes`` with the node ids.

    Returns
    -------
    RelatednessNetwork
        ``nodes``: ``id, x, y, degree, strength`` (``strength`` = sum of the
        weights of the node's edges in the network) plus the attributes,
        sorted by id. ``edges``: ``source, target, weight, in_tree``, one row
        per undirected link (``source`` sorts before ``target``), tree edges
        first, then by decreasing weight.

    Raises
    ------
    InputError
        Missing columns, non-numeric or missing weights, bad options.
    DegenerateDataError
        No pair of distinct nodes.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabasi, A.-L. and Hausmann, R. (2007). The
    product space conditions the development of nations. Science 317, 482-487.

    Examples
    --------
    >>> import pandas as pd
    >>> phi = pd.DataFrame({
    ...     "activity_from": ["a", "a", "a", "b", "b", "c"],
    ...     "activity_to":   ["b", "c", "d", "c", "d", "d"],
    ...     "proximity":     [0.9, 0.2, 0.1, 0.6, 0.3, 0.5],
    ... })
    >>> net = relatedness_network(phi, threshold=0.3)
    >>> net.edges
      source target  weight  in_tree
    0      a      b     0.9     True
    1      b      c     0.6     True
    2      c      d     0.5     True
    3      b      d     0.3    False
    >>> net.nodes[["id", "degree", "strength"]]
      id  degree  strength
    0  a       1       0.9
    1  b       3       1.8
    2  c       2       1.1
    3  d       2       0.8
    """
    import networkx as nx

    check_option("combine", combine, COMBINE)
    check_option("layout", layout, LAYOUTS)
    seed = int(check_number("seed", seed, low=0, integer=True))
    if threshold is not None:
        threshold = check_number("threshold", threshold)
    if max_extra_edges is not None:
        max_extra_edges = int(check_number("max_extra_edges", max_extra_edges, low=0, integer=True))
    pairs, ids = _undirected_pairs(relatedness, source, target, weight, combine)
    attrs = None
    if node_attributes is not None:
        attrs = _check_attributes(node_attributes, node_id)
        extra = pd.Index(attrs[node_id]).difference(ids)
        ids = ids.append(extra).sort_values() if len(extra) else ids
        # codes refer to positions in ``ids``; recode after adding isolated nodes
        pairs["a"] = ids.get_indexer(pairs["id_a"])
        pairs["b"] = ids.get_indexer(pairs["id_b"])

    graph = nx.Graph()
    graph.add_nodes_from(range(len(ids)))
    # Insertion in a fixed order makes Kruskal's tie-breaking and the layout
    # reproducible.
    ordered = pairs.sort_values(["a", "b"])
    graph.add_weighted_edges_from(
        zip(ordered["a"].tolist(), ordered["b"].tolist(), ordered["w"].tolist())
    )
    tree = nx.maximum_spanning_tree(graph, weight="weight", algorithm="kruskal")
    n = len(ids)
    tree_edges = np.array(list(tree.edges()), dtype=np.int64).reshape(-1, 2)
    tree_keys = tree_edges.min(axis=1) * n + tree_edges.max(axis=1)
    in_tree = np.isin(pairs["a"].to_numpy() * n + pairs["b"].to_numpy(), tree_keys)
    pairs["in_tree"] = in_tree

    rest = pairs.loc[~in_tree]
    if threshold is not None:
        rest = rest.loc[rest["w"] >= threshold]
    if max_extra_edges is not None:
        rest = rest.sort_values(["w", "a", "b"], ascending=[False, True, True]).head(
            max_extra_edges
        )
    elif threshold is None:
        rest = rest.iloc[:0]
    kept = pd.concat([pairs.loc[in_tree], rest])
    kept = kept.sort_values(["in_tree", "w", "a", "b"], ascending=[False, False, True, True])

    attraction = _layout_weights(kept["w"].to_numpy())
    net = nx.Graph()
    net.add_nodes_from(range(n))
    net.add_edges_from(
        (u, v, {"weight": wt, "length": 1.0 / wt})
        for u, v, wt in zip(kept["a"].tolist(), kept["b"].tolist(), attraction)
    )
    pos = _layout(net, layout, seed)

    a = kept["a"].to_numpy()
    b = kept["b"].to_numpy()
    w = kept["w"].to_numpy()
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    strength = np.bincount(a, weights=w, minlength=n) + np.bincount(b, weights=w, minlength=n)
    nodes = pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "x": pos[:, 0],
            "y": pos[:, 1],
            "degree": degree,
            "strength": strength,
        }
    )
    if attrs is not None:
        extra_cols = attrs.rename(columns={node_id: "id"})
        clash = [c for c in extra_cols.columns if c in nodes.columns and c != "id"]
        if clash:
            raise InputError(
                f"node_attributes must not have columns named like the node table's; "
                f"got {short_list(clash)}"
            )
        nodes = nodes.merge(extra_cols, on="id", how="left")
    edges = pd.DataFrame(
        {
            "source": ids.to_numpy()[a],
            "target": ids.to_numpy()[b],
            "weight": w,
            "in_tree": kept["in_tree"].to_numpy(),
        }
    )
    return RelatednessNetwork(nodes=nodes, edges=edges.reset_index(drop=True))


def _undirected_pairs(
    table: pd.DataFrame, source: str, target: str, weight: str, combine: str
) -> tuple[pd.DataFrame, pd.Index]:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"relatedness must be a pandas DataFrame; got {type(table).__name__}")
    absent = [c for c in (source, target, weight) if c not in table.columns]
    if absent:
        raise InputError(
            f"relatedness has no column {short_list(absent)}; its columns are "
            f"{short_list(list(table.columns))}"
        )
    w = table[weight]
    if not pd.api.types.is_numeric_dtype(w) or pd.api.types.is_bool_dtype(w):
        raise InputError(f"weight column {weight!r} must be numeric; got dtype {w.dtype}")
    if w.isna().any() or not np.isfinite(w.to_numpy(dtype=float)).all():
        raise InputError(
            f"weight column {weight!r} has {int((~np.isfinite(w.to_numpy(dtype=float))).sum())} "
            "missing or infinite values; drop the pairs with undefined relatedness first"
        )
    if table[source].isna().any() or table[target].isna().any():
        raise InputError(f"columns {source!r} and {target!r} must not have missing ids")
    dup = table.duplicated(subset=[source, target], keep=False).to_numpy()
    if dup.any():
        ex = table.loc[dup, [source, target]].drop_duplicates().iloc[0]
        raise InputError(
            f"relatedness has {int(dup.sum())} rows for the same ({source}, {target}) pair, "
            f"e.g. {ex.iloc[0]!r} -> {ex.iloc[1]!r}; give each directed pair once "
            "(combine= only merges the two directions of a pair)"
        )
    from ris3.tidy import check_sums

    check_sums(table, weight, w.to_numpy(dtype=float))
    t = table.loc[table[source] != table[target]]
    if t.empty:
        raise DegenerateDataError("relatedness has no pair of distinct nodes: nothing to draw")
    ids = pd.Index(pd.unique(np.concatenate([t[source].to_numpy(), t[target].to_numpy()])))
    ids = ids.sort_values()
    s = ids.get_indexer(t[source])
    d = ids.get_indexer(t[target])
    frame = pd.DataFrame(
        {"a": np.minimum(s, d), "b": np.maximum(s, d), "w": t[weight].to_numpy(dtype=float)}
    )
    pairs = frame.groupby(["a", "b"], as_index=False, sort=True)["w"].agg(combine)
    pairs["id_a"] = ids.to_numpy()[pairs["a"].to_numpy()]
    pairs["id_b"] = ids.to_numpy()[pairs["b"].to_numpy()]
    return pairs, ids


def _check_attributes(attrs: Any, node_id: str) -> pd.DataFrame:
    if not isinstance(attrs, pd.DataFrame):
        raise InputError(f"node_attributes must be a pandas DataFrame; got {type(attrs).__name__}")
    if node_id not in attrs.columns:
        raise InputError(
            f"node_attributes has no column {node_id!r} (node_id); its columns are "
            f"{short_list(list(attrs.columns))}"
        )
    if attrs[node_id].duplicated().any():
        dup = attrs.loc[attrs[node_id].duplicated(), node_id].unique().tolist()
        raise InputError(f"node_attributes must list each node once; {short_list(dup)} repeat")
    return attrs


def _layout_weights(w: np.ndarray) -> list[float]:
    """Positive attraction weights for the layout (rescaled when some are <= 0)."""
    if w.size and (w <= 0).any():
        lo, hi = float(w.min()), float(w.max())
        span = hi - lo
        w = 0.05 + 0.95 * (w - lo) / span if span > 0 else np.ones_like(w)
    return w.tolist()


def _layout(graph: Any, layout: str, seed: int) -> np.ndarray:
    import networkx as nx

    n = graph.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    if layout == "spring":
        pos = nx.spring_layout(graph, weight="weight", seed=seed)
    else:
        # path length 1 / w: strong links are short. Nodes in different
        # components sit 1.5 times the longest path apart.
        dist = dict(nx.shortest_path_length(graph, weight="length"))
        longest = max((d for row in dist.values() for d in row.values()), default=1.0)
        far = 1.5 * longest if longest > 0 else 1.0
        full = {u: {v: dist[u].get(v, far) for v in graph} for u in graph}
        pos = nx.kamada_kawai_layout(graph, dist=full)
    return np.array([pos[i] for i in range(n)], dtype=float)
