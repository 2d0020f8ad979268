"""Relatedness networks: maximum spanning tree plus strongest links, with a layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from ris3.clusters.networks import relatedness_network
from ris3.errors import ConventionError, DegenerateDataError, InputError

PUBLISHED = "us_cluster_definitions/uscmp_related_clusters_pairs.csv.gz"


def scipy_max_tree_weight(a: np.ndarray, b: np.ndarray, w: np.ndarray, n: int) -> float:
    """Weight of a maximum spanning forest by scipy (independent of networkx)."""
    # a minimum spanning forest of shift - w (all > 0, as scipy needs) is a
    # maximum spanning forest of w
    shift = w.max() + 1.0
    m = sp.coo_matrix((shift - w, (a, b)), shape=(n, n)).tocsr()
    forest = minimum_spanning_tree(m)
    return float(shift * forest.nnz - forest.sum())


def test_hand_worked() -> None:
    phi = pd.DataFrame(
        {
            "activity_from": ["a", "a", "a", "b", "b", "c"],
            "activity_to": ["b", "c", "d", "c", "d", "d"],
            "proximity": [0.9, 0.2, 0.1, 0.6, 0.3, 0.5],
        }
    )
    tree = relatedness_network(phi)
    assert tree.edges[["source", "target"]].to_numpy().tolist() == [
        ["a", "b"],
        ["b", "c"],
        ["c", "d"],
    ]
    assert tree.edges["in_tree"].all()
    both = relatedness_network(phi, threshold=0.2)
    assert both.edges["weight"].tolist() == [0.9, 0.6, 0.5, 0.3, 0.2]
    assert both.edges["in_tree"].tolist() == [True, True, True, False, False]
    top1 = relatedness_network(phi, max_extra_edges=1)
    assert top1.edges["weight"].tolist() == [0.9, 0.6, 0.5, 0.3]
    capped = relatedness_network(phi, threshold=0.25, max_extra_edges=5)
    assert capped.edges["weight"].tolist() == [0.9, 0.6, 0.5, 0.3]
    nodes = both.nodes.set_index("id")
    assert nodes["degree"].to_dict() == {"a": 2, "b": 3, "c": 3, "d": 2}
    assert nodes.loc["c", "strength"] == pytest.approx(0.2 + 0.6 + 0.5)
    assert list(both.nodes.columns) == ["id", "x", "y", "degree", "strength"]
    assert list(both.edges.columns) == ["source", "target", "weight", "in_tree"]


def test_directions_are_combined() -> None:
    table = pd.DataFrame({"s": ["a", "b", "a"], "t": ["b", "a", "c"], "w": [0.2, 0.6, 0.1]})
    kw = {"source": "s", "target": "t", "weight": "w"}
    for combine, expected in [("mean", 0.4), ("max", 0.6), ("min", 0.2)]:
        edges = relatedness_network(table, combine=combine, **kw).edges
        assert edges.loc[0, ["source", "target"]].tolist() == ["a", "b"]
        assert edges.loc[0, "weight"] == pytest.approx(expected)
    # a pair listed once keeps its weight
    assert relatedness_network(table, **kw).edges.loc[1, "weight"] == pytest.approx(0.1)


def test_uscmp_cluster_network(shared_data) -> None:
    ref = pd.read_csv(shared_data / PUBLISHED)
    ref = ref.loc[ref.clustera != ref.clusterb]
    net = relatedness_network(
        ref,
        source="cluster_name",
        target="cluster_name_2",
        weight="cr_all",
        threshold=float(ref["cr_all"].quantile(0.95)),
        seed=3,
    )
    assert len(net.nodes) == 51
    tree = net.edges[net.edges.in_tree]
    assert len(tree) == 50  # connected: n - 1 tree edges
    # the tree is a maximum spanning tree: same weight as scipy's on the same graph
    ids = pd.Index(sorted(set(ref.cluster_name)))
    sym = (
        ref.assign(
            a=np.minimum(ids.get_indexer(ref.cluster_name), ids.get_indexer(ref.cluster_name_2)),
            b=np.maximum(ids.get_indexer(ref.cluster_name), ids.get_indexer(ref.cluster_name_2)),
        )
        .groupby(["a", "b"], as_index=False)["cr_all"]
        .mean()
    )
    expected = scipy_max_tree_weight(sym.a.to_numpy(), sym.b.to_numpy(), sym.cr_all.to_numpy(), 51)
    assert tree["weight"].sum() == pytest.approx(expected, rel=1e-12)
    extra = net.edges[~net.edges.in_tree]
    assert (extra["weight"] >= ref["cr_all"].quantile(0.95)).all()
    # degree counts each kept edge at both ends
    assert net.nodes["degree"].sum() == 2 * len(net.edges)
    assert np.isfinite(net.nodes[["x", "y"]].to_numpy()).all()


def test_layout_is_deterministic() -> None:
    rng = np.random.default_rng(0)
    n = 12
    i, j = np.triu_indices(n, 1)
    table = pd.DataFrame({"activity_from": i, "activity_to": j, "proximity": rng.random(i.size)})
    one = relatedness_network(table, threshold=0.8, seed=42)
    two = relatedness_network(table.sample(frac=1.0, random_state=1), threshold=0.8, seed=42)
    pd.testing.assert_frame_equal(one.nodes, two.nodes)
    pd.testing.assert_frame_equal(one.edges, two.edges)
    other = relatedness_network(table, threshold=0.8, seed=43)
    assert not np.allclose(one.nodes[["x", "y"]], other.nodes[["x", "y"]])
    kk1 = relatedness_network(table, layout="kamada_kawai")
    kk2 = relatedness_network(table, layout="kamada_kawai", seed=7)
    pd.testing.assert_frame_equal(kk1.nodes, kk2.nodes)


def test_strongly_linked_nodes_sit_closer() -> None:
    # two tight triangles joined by one weak link
    table = pd.DataFrame(
        {
            "activity_from": ["a", "a", "b", "x", "x", "y", "c"],
            "activity_to": ["b", "c", "c", "y", "z", "z", "x"],
            "proximity": [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.05],
        }
    )

    def dist(pos: pd.DataFrame, p: str, q: str) -> float:
        return float(np.hypot(*(pos.loc[p, ["x", "y"]] - pos.loc[q, ["x", "y"]])))

    for layout in ("spring", "kamada_kawai"):
        pos = relatedness_network(table, threshold=0.5, layout=layout).nodes.set_index("id")
        assert dist(pos, "a", "b") < dist(pos, "a", "y")
        assert dist(pos, "x", "z") < dist(pos, "b", "z")


def test_negative_weights_and_isolated_nodes() -> None:
    sr = pd.DataFrame(
        {
            "origin": [1, 2, 1, 3, 2, 3],
            "destination": [2, 1, 3, 1, 3, 2],
            "skill_relatedness": [0.4, 0.4, -0.6, -0.6, -0.2, -0.2],
        }
    )
    attrs = pd.DataFrame({"code": [1, 2, 3, 4], "label": ["one", "two", "three", "four"]})
    net = relatedness_network(
        sr,
        source="origin",
        target="destination",
        weight="skill_relatedness",
        node_attributes=attrs,
        node_id="code",
        layout="kamada_kawai",
    )
    assert net.edges[["source", "target", "weight"]].to_numpy().tolist() == [
        [1, 2, 0.4],
        [2, 3, -0.2],
    ]
    nodes = net.nodes.set_index("id")
    assert nodes.loc[4, "degree"] == 0 and nodes.loc[4, "label"] == "four"
    assert np.isfinite(nodes[["x", "y"]].to_numpy()).all()


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(3, 9),
    seed=st.integers(0, 10_000),
    density=st.floats(0.3, 1.0),
    threshold=st.floats(0.0, 1.0),
)
def test_properties(n, seed, density, threshold) -> None:
    rng = np.random.default_rng(seed)
    i, j = np.triu_indices(n, 1)
    keep = rng.random(i.size) < density
    if not keep.any():
        keep[0] = True
    w = rng.random(i.size)[keep].round(3)
    table = pd.DataFrame({"activity_from": i[keep], "activity_to": j[keep], "proximity": w})
    net = relatedness_network(table, threshold=threshold)
    ids = np.unique(np.concatenate([i[keep], j[keep]]))
    codes = {k: p for p, k in enumerate(ids)}
    a = np.array([codes[k] for k in i[keep]])
    b = np.array([codes[k] for k in j[keep]])
    graph = sp.coo_matrix((np.ones(a.size), (a, b)), shape=(ids.size, ids.size))
    n_comp = connected_components(graph, directed=False)[0]
    tree = net.edges[net.edges.in_tree]
    assert len(tree) == ids.size - n_comp
    assert tree["weight"].sum() == pytest.approx(scipy_max_tree_weight(a, b, w, ids.size))
    assert (net.edges.loc[~net.edges.in_tree, "weight"] >= threshold).all()
    assert len(net.edges) == len(tree) + int((w >= threshold).sum()) - int(
        (tree["weight"] >= threshold).sum()
    )


def test_errors() -> None:
    table = pd.DataFrame({"activity_from": ["a"], "activity_to": ["b"], "proximity": [0.5]})
    with pytest.raises(InputError, match=r"relatedness has no column 'weight'; its columns are"):
        relatedness_network(table, weight="weight")
    with pytest.raises(
        InputError, match=r"weight column 'proximity' has 1 missing or infinite values"
    ):
        relatedness_network(table.assign(proximity=[np.nan]))
    with pytest.raises(InputError, match=r"weight column 'activity_to' must be numeric"):
        relatedness_network(table, weight="activity_to")
    with pytest.raises(DegenerateDataError, match=r"no pair of distinct nodes"):
        relatedness_network(table.assign(activity_to=["a"]))
    with pytest.raises(
        ConventionError, match=r"layout must be one of 'spring', 'kamada_kawai'; got 'circle'"
    ):
        relatedness_network(table, layout="circle")  # type: ignore[arg-type]
    with pytest.raises(
        ConventionError, match=r"combine must be one of 'mean', 'max', 'min'; got 'sum'"
    ):
        relatedness_network(table, combine="sum")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"seed must be an integer >= 0; got -1"):
        relatedness_network(table, seed=-1)
    with pytest.raises(InputError, match=r"max_extra_edges must be an integer >= 0; got 1.5"):
        relatedness_network(table, max_extra_edges=1.5)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"threshold must be a number; got 'high'"):
        relatedness_network(table, threshold="high")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"node_attributes has no column 'id'"):
        relatedness_network(table, node_attributes=pd.DataFrame({"code": ["a"]}))
    with pytest.raises(InputError, match=r"node_attributes must list each node once; 'a' repeat"):
        relatedness_network(table, node_attributes=pd.DataFrame({"id": ["a", "a"]}))
    with pytest.raises(
        InputError, match=r"must not have columns named like the node table's; got 'degree'"
    ):
        relatedness_network(table, node_attributes=pd.DataFrame({"id": ["a"], "degree": [3]}))
    with pytest.raises(InputError, match=r"relatedness must be a pandas DataFrame; got dict"):
        relatedness_network({"a": 1})  # type: ignore[arg-type]


def test_cli_relatedness_network(tmp_path) -> None:
    from ris3.cli import main

    phi = pd.DataFrame(
        {
            "activity_from": ["a", "a", "a", "b", "b", "c"],
            "activity_to": ["b", "c", "d", "c", "d", "d"],
            "proximity": [0.9, 0.2, 0.1, 0.6, 0.3, np.nan],
        }
    )
    src = tmp_path / "phi.csv"
    phi.to_csv(src, index=False)
    nodes, edges = tmp_path / "nodes.csv", tmp_path / "edges.csv"
    args = ["relatedness-network", str(src), "--nodes-out", str(nodes), "--edges-out", str(edges)]
    assert main([*args, "--threshold", "0.3"]) == 2  # the missing weight is an error
    assert main([*args, "--threshold", "0.3", "--dropna", "--seed", "4"]) == 0
    expected = relatedness_network(phi.dropna(), threshold=0.3, seed=4)
    pd.testing.assert_frame_equal(pd.read_csv(edges), expected.edges)
    pd.testing.assert_frame_equal(pd.read_csv(nodes), expected.nodes)
