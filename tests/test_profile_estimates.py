"""The region profile on published totals, and with confidential cells estimated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ris3 import datasets
from ris3.clusters.eu_definitions import eu_benchmark_clusters
from ris3.errors import InputError
from ris3.report import profile

V = "persons_employed"


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return datasets.load("eu-sbs", "regions")


@pytest.fixture(scope="module")
def nl13():
    return profile("NL13")


@pytest.fixture(scope="module")
def nl13_estimated():
    return profile("NL13", estimate_suppressed=True)


def test_nl13_shares_use_the_published_total(nl13) -> None:
    # 43 % of NL13's 2014 cells are confidential: the observed cells sum to 89,710 while
    # the published sections (D, E, J confidential: their divisions stand in) and S95 give
    # 121,181; the shares of the profile are of the latter
    spec = nl13.specialisation.set_index("activity")
    assert nl13.coverage["region_observed_total"] == 89_710
    assert nl13.coverage["region_total"] == 121_181
    assert spec.loc["G47", "share"] == pytest.approx(21_525 / 121_181, rel=1e-12)
    assert spec.loc["N78", "share"] == pytest.approx(17_070 / 121_181, rel=1e-12)
    assert spec["share"].sum() == pytest.approx(89_710 / 121_181)
    assert any("lower bound" in n and "121,181" in n for n in nl13.notes)
    assert not spec["estimated"].any()


def test_estimated_cells_are_marked_in_every_table(nl13_estimated, regions) -> None:
    p = nl13_estimated
    cur = regions[(regions["geo"] == "NL13") & (regions["year"] == 2014)].set_index("nace_r2")
    spec = p.specialisation.set_index("activity")
    was_missing = set(cur.index[cur[V].isna()])
    start = regions[(regions["geo"] == "NL13") & (regions["year"] == p.compare_year)]
    missing_start = set(start.loc[start[V].isna(), "nace_r2"])
    # a row rests on an estimate when its 2014 cell (all 29 are bounded) or the start
    # of its growth was filled
    marked = set(spec.index[spec["estimated"]])
    assert was_missing <= marked <= was_missing | missing_start
    assert marked - was_missing  # some 2009 cells were filled too
    assert p.coverage["region_estimated"] == len(was_missing) == 29
    # observed cells keep their published values
    obs = cur.index[cur[V].notna()]
    np.testing.assert_array_equal(spec.loc[obs, "employment"], cur.loc[obs, V])
    assert (spec.loc[sorted(was_missing), "employment"] >= 0).all()
    # section C (published 17,456) is filled up to its published value
    c = [a for a in spec.index if a.startswith("C")]
    assert spec.loc[c, "employment"].sum() == pytest.approx(17_456, rel=1e-6)
    for name, table in p.tables().items():
        if name == "network_edges":
            continue  # links between activities, no cell values
        assert "estimated" in table.columns, name
    # no table shows a confidential cell as a number without marking it
    for name, col in (
        ("specialisation", "activity"),
        ("opportunities", "activity"),
        ("shift_share", "activity"),
    ):
        t = p.tables()[name]
        rows = t[t[col].isin(was_missing)]
        assert rows["estimated"].all(), name
        assert not t.loc[~t[col].isin(was_missing | missing_start), "estimated"].any(), name
    # a cluster category rests on estimates when it has weight on an estimated division
    m = eu_benchmark_clusters().mapping
    on_estimates = set(m.loc[m["activity"].isin(was_missing) & (m["weight"] > 0), "cluster"])
    assert 0 < len(on_estimates) < m["cluster"].nunique()
    t = p.clusters
    assert set(t.loc[t["estimated"], "cluster"]) == on_estimates
    # the portfolio rests on the cells of both years compared: estimates of either count
    both = regions[(regions["geo"] == "NL13") & regions["year"].isin([p.compare_year, p.year])]
    either = set(both.loc[both[V].isna(), "nace_r2"])
    on_either = set(m.loc[m["activity"].isin(either) & (m["weight"] > 0), "cluster"])
    assert on_either > on_estimates
    pf = p.portfolio
    assert set(pf.loc[pf["estimated"], "cluster"]) == on_either
    assert any("29 of NL13's 2014 cells are estimates" in n for n in p.notes)
    # the one-line summary says which top specialisations rest on estimates
    top = p.top_specialisations()
    assert top["estimated"].any() and not top["estimated"].all()
    for a, q, e in zip(top["activity"], top["lq_europe"], top["estimated"]):
        assert f"{a} (LQ {q:.2f}{', estimated' if e else ''})" in p.summary()


def test_without_estimates_no_confidential_cell_is_a_number(nl13, regions) -> None:
    cur = regions[(regions["geo"] == "NL13") & (regions["year"] == 2014)]
    missing = set(cur.loc[cur[V].isna(), "nace_r2"])
    spec = nl13.specialisation.set_index("activity")
    assert spec.loc[sorted(missing), ["employment", "share", "lq_europe"]].isna().all().all()


def test_estimates_need_published_margins() -> None:
    own = pd.DataFrame(
        {"nuts": ["XA11", "XA12"] * 2, "nace": ["a", "a", "b", "b"], "emp": [1.0, 2.0, 3.0, 4.0]}
    )
    with pytest.raises(InputError, match=r"estimate_suppressed=True needs published margins"):
        profile(
            "XA11",
            data=own,
            region="nuts",
            activity="nace",
            value="emp",
            time="yr",
            estimate_suppressed=True,
        )


def test_cli_estimate_suppressed(tmp_path, capsys) -> None:
    from ris3.cli import main

    out = tmp_path / "NL13"
    code = main(["profile", "NL13", "--estimate-suppressed", "--format", "html", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    spec = pd.read_csv(out / "tables" / "specialisation.csv")
    # the 29 confidential cells of 2014 and 6 rows whose 2009 start value was filled
    assert spec["estimated"].sum() == 35
    assert spec.loc[spec["estimated"], "employment"].notna().all()
