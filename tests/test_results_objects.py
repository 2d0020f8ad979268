"""Results objects speak alike: ``tidy()`` and ``summary()``, no private types or columns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import ris3

KEYS = {"region": "geo", "activity": "nace_r2", "value": "persons_employed"}


@pytest.fixture(scope="module")
def sbs2014() -> pd.DataFrame:
    d = ris3.datasets.load("eu-sbs")
    return d[d["year"] == 2014].reset_index(drop=True)


def test_relatedness_network_tidy_and_summary(sbs2014: pd.DataFrame) -> None:
    prox = ris3.proximity(sbs2014, **KEYS, missing="drop")
    net = ris3.relatedness_network(prox, max_extra_edges=50)
    tidy = net.tidy()
    pd.testing.assert_frame_equal(tidy, net.edges)
    assert tidy is not net.edges
    n_nodes = prox["activity_from"].nunique()
    # a maximum spanning forest has nodes - components edges; the data form one component
    assert len(net.nodes) == n_nodes
    assert int(tidy["in_tree"].sum()) == n_nodes - 1
    assert len(tidy) == n_nodes - 1 + 50
    text = net.summary()
    assert text.splitlines()[0] == (
        f"Relatedness network: {n_nodes} nodes, {n_nodes + 49} edges "
        f"({n_nodes - 1} in the maximum spanning tree, 50 extra); 0 isolated node(s)"
    )
    # the strongest node is the one with the largest sum of edge weights
    ends = pd.concat(
        [tidy[["source", "weight"]].rename(columns={"source": "id"}),
         tidy[["target", "weight"]].rename(columns={"target": "id"})]
    )  # fmt: skip
    best = ends.groupby("id")["weight"].sum().idxmax()
    assert text.splitlines()[1].startswith(f"strongest nodes: {best} (")


def test_read_result_tidy_and_deprecated_to_frame(tmp_path: object) -> None:
    from pathlib import Path

    import ris3.data  # a subpackage: imported, not resolved lazily like the functions

    p = Path(str(tmp_path)) / "emp.csv"
    p.write_text("nuts,nace,emp\nAT33,C,10\nAT33,F,\nAT34,C,5\n")
    res = ris3.data.read_checked(p, region="nuts", activity="nace", value="emp")
    assert res.tidy() is res.data
    assert res.tidy()["emp"].tolist()[0] == 10.0 and np.isnan(res.tidy()["emp"].tolist()[1])
    with pytest.warns(FutureWarning, match="renamed ReadResult.tidy"):
        assert res.to_frame() is res.data


def test_complexity_options_are_a_public_frozen_dataclass(sbs2014: pd.DataFrame) -> None:
    res = ris3.complexity(sbs2014, **KEYS, missing="drop", threshold=1.5, iterations=7)
    opts = res.options
    assert not type(opts).__name__.startswith("_")
    from ris3.measures.complexity import ComplexityOptions

    assert isinstance(opts, ComplexityOptions)
    as_dict = dataclasses.asdict(opts)
    assert as_dict["threshold"] == 1.5 and as_dict["iterations"] == 7
    assert as_dict["method"] == "eigenvector" and as_dict["strict"] is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.threshold = 2.0  # type: ignore[misc]


def test_opportunity_top_has_the_tidy_columns_only(sbs2014: pd.DataFrame) -> None:
    res = ris3.opportunities(sbs2014, **KEYS, target="AT33", missing="drop")
    top = res.top(5)
    tidy = res.tidy()
    assert list(top.columns) == list(tidy.columns)
    assert not [c for c in top.columns if c.startswith("_")]
    # the five best balanced scores among activities AT33 is not specialised in
    cand = tidy[~tidy["specialised"]].dropna(subset=["score_balanced"])
    want = cand.sort_values(["score_balanced", "nace_r2"], ascending=[False, True]).head(5)
    assert top["nace_r2"].tolist() == want["nace_r2"].tolist()
    assert not top["specialised"].any()


def test_every_results_object_has_tidy_and_summary() -> None:
    from ris3.clusters.mapping import ClusterMap
    from ris3.clusters.networks import RelatednessNetwork
    from ris3.data.nuts import ConversionResult
    from ris3.data.quality import QualityReport, ReadResult
    from ris3.diversification.backtest import BacktestResult
    from ris3.diversification.opportunity_result import OpportunityResult
    from ris3.evaluation.panel import PreparedPanel
    from ris3.evaluation.results import EvaluationResult
    from ris3.measures.complexity import ComplexityResult
    from ris3.report.region_profile import RegionProfile
    from ris3.strategy.surveys import StrengthReport

    for cls in (ClusterMap, RelatednessNetwork, ConversionResult, QualityReport, ReadResult,
                BacktestResult, OpportunityResult, PreparedPanel, EvaluationResult,
                ComplexityResult, RegionProfile, StrengthReport):  # fmt: skip
        assert callable(getattr(cls, "tidy", None)), cls.__name__
        assert callable(getattr(cls, "summary", None)), cls.__name__


def test_prepared_panel_tidy_and_summary() -> None:
    from ris3.evaluation.panel import prepare_panel

    panel = ris3.simulate_panel(200, 5, seed=4)
    prep = prepare_panel(panel, firm="firm_id", region="region", activity="activity",
                         time="year", entry_year="entry_year", value_added="value_added")  # fmt: skip
    assert prep.tidy() is prep.sample
    first = prep.summary().splitlines()[0]
    members = int(panel.loc[panel["entry_year"].notna(), "firm_id"].nunique())
    assert first.startswith(f"{len(prep.sample)} firm-years kept of {len(panel)}; ")
    assert first.endswith(f"{panel['firm_id'].nunique()} firms in, {members} members")
