"""Diversity, ubiquity, entropy and variety: hand-worked, real data, properties, errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ris3.errors import ClassificationError, DegenerateDataWarning, InputError
from ris3.kernels import diversity as kd
from ris3.measures.diversity import diversity, entropy, ubiquity, variety
from test_specialisation import ACTS, X, sbs_year, tidy

KW = {"region": "geo", "activity": "nace", "value": "emp"}
GROUPS = {"a": "G1", "b": "G1", "c": "G2", "d": "G2", "e": "G2"}


def test_diversity_and_ubiquity_hand_worked() -> None:
    d = diversity(tidy(X), **KW)
    assert list(d.columns) == ["geo", "diversity"]
    assert d["diversity"].tolist() == [3, 5, 3, 4, 3, 5]
    u = ubiquity(tidy(X), **KW)
    assert list(u.columns) == ["nace", "ubiquity"]
    assert u["ubiquity"].tolist() == [4, 4, 5, 6, 4]
    assert diversity(tidy(X), **KW, strict=True)["diversity"].tolist() == [1, 0, 2, 1, 1, 0]
    assert ubiquity(tidy(X), **KW, strict=True)["ubiquity"].tolist() == [1, 1, 1, 0, 2]


def test_entropy_hand_worked() -> None:
    h = entropy(tidy(X), **KW)
    r5 = 2 * 0.0625 * 4 + 2 * 0.25 * 2 + 0.375 * math.log2(1 / 0.375)
    np.testing.assert_allclose(h["entropy"], [1.5, 2.25, 1.5, 1.75, r5, 2.25], rtol=1e-14)
    nats = entropy(tidy(X), **KW, base=math.e)
    np.testing.assert_allclose(nats["entropy"], h["entropy"] * math.log(2), rtol=1e-14)


def test_variety_hand_worked() -> None:
    v = variety(tidy(X), **KW, hierarchy=GROUPS)
    assert list(v.columns) == ["geo", "entropy", "unrelated_variety", "related_variety"]
    uv_quarter = 0.25 * 2 + 0.75 * math.log2(4 / 3)  # groups 1/4, 3/4
    # R1: groups .5 .5 -> UV 1; within: a alone (0), c d halves (1) -> RV .5
    assert v.loc[0, "unrelated_variety"] == pytest.approx(1.0, rel=1e-15)
    assert v.loc[0, "related_variety"] == pytest.approx(0.5, rel=1e-15)
    # R2: G1 = 1/4 split in halves (1 bit), G2 = 3/4 split in thirds (log2 3)
    assert v.loc[1, "unrelated_variety"] == pytest.approx(uv_quarter, rel=1e-14)
    assert v.loc[1, "related_variety"] == pytest.approx(0.25 + 0.75 * math.log2(3), rel=1e-14)
    # R4: G2 = 0, 1/4, 1/2 -> within shares 1/3, 2/3
    h_within = (1 / 3) * math.log2(3) + (2 / 3) * math.log2(1.5)
    assert v.loc[3, "related_variety"] == pytest.approx(0.25 + 0.75 * h_within, rel=1e-14)
    np.testing.assert_allclose(
        v["unrelated_variety"] + v["related_variety"], v["entropy"], rtol=1e-14
    )


def test_variety_hierarchy_as_table_and_time() -> None:
    table = pd.DataFrame({"child": list(GROUPS), "parent": list(GROUPS.values())})
    df = pd.concat([tidy(X).assign(year=2020), tidy(X * 2).assign(year=2021)])
    v = variety(df, **KW, hierarchy=table, time="year")
    assert list(v.columns[:2]) == ["year", "geo"]
    np.testing.assert_allclose(
        v.loc[v.year == 2020, "related_variety"].to_numpy(),
        v.loc[v.year == 2021, "related_variety"].to_numpy(),
        rtol=1e-14,
    )


def test_errors() -> None:
    with pytest.raises(
        ClassificationError,
        match=r"2 activit\(ies\) of column 'nace' are not in hierarchy=: 'd', 'e'",
    ):
        variety(tidy(X), **KW, hierarchy={"a": "G1", "b": "G1", "c": "G2"})
    with pytest.raises(
        ClassificationError, match=r"hierarchy has 1 row\(s\) with a missing child or parent"
    ):
        variety(tidy(X), **KW, hierarchy={**GROUPS, "e": None})
    with pytest.raises(InputError, match="hierarchy is empty"):
        variety(tidy(X), **KW, hierarchy={})
    with pytest.raises(
        InputError,
        match="hierarchy must be a DataFrame with columns 'child' and 'parent'.*got list",
    ):
        variety(tidy(X), **KW, hierarchy=["a"])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="base must be a number > 0 other than 1; got 1"):
        entropy(tidy(X), **KW, base=1)
    with pytest.raises(InputError, match="base must be a number > 0; got -2"):
        entropy(tidy(X), **KW, base=-2)
    with pytest.raises(InputError, match="threshold must be a number > 0; got 0"):
        diversity(tidy(X), **KW, threshold=0)
    z = tidy(X)
    z.loc[z.geo == "R2", "emp"] = 0.0
    with pytest.warns(
        DegenerateDataWarning, match=r"entropy is undefined for 1 region\(s\).*sum to 0: 'R2'"
    ):
        ez = entropy(z, **KW).set_index("geo")["entropy"]
    assert np.isnan(ez["R2"])
    pd.testing.assert_series_equal(
        ez.drop("R2"), entropy(z[z.geo != "R2"], **KW).set_index("geo")["entropy"]
    )
    with pytest.warns(DegenerateDataWarning, match="diversity is undefined"):
        dz = diversity(z, **KW).set_index("geo")["diversity"]
    assert dz.dtype == "Int64" and dz.isna().sum() == 1 and pd.isna(dz["R2"])


shares_matrices = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(2, 8)),
    elements=st.sampled_from([0.0, 1.0, 3.0, 0.5, 1e3]),
).filter(lambda m: (m.sum(axis=1) > 0).all())


@settings(max_examples=30, deadline=None)
@given(shares_matrices, st.data())
def test_uv_plus_rv_is_entropy(m: np.ndarray, data: st.DataObject) -> None:
    n_a = m.shape[1]
    groups = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n_a, max_size=n_a)))
    h, uv, rv = kd.variety(sp.csr_matrix(m), groups, 3)
    np.testing.assert_allclose(uv + rv, h, atol=1e-12)
    np.testing.assert_allclose(h, kd.entropy(m), atol=1e-12)
    assert (uv >= -1e-12).all() and (rv >= -1e-12).all()
    # dense and sparse input agree
    h2, uv2, rv2 = kd.variety(m, groups, 3)
    np.testing.assert_array_equal(uv, uv2)
    np.testing.assert_array_equal(rv, rv2)
    # entropy is bounded by log2 of the number of activities used
    assert (h <= np.log2(np.maximum((m > 0).sum(axis=1), 1)) + 1e-12).all()


def test_real_variety_nuts2_divisions_in_sections(sbs_persons_employed: pd.DataFrame) -> None:
    sbs = sbs_year(sbs_persons_employed, 2013)
    data = sbs[sbs.nace.str.fullmatch(r"[A-Z]\d\d") & (sbs.geo.str.len() == 4)]
    data = data[data.geo.str.startswith(("AT", "DE"))]
    hier = {code: code[0] for code in data.nace.unique()}
    v = variety(data, **KW, hierarchy=hier, missing="drop").set_index("geo")
    # independent: plain groupby arithmetic in log2
    known = data.dropna(subset=["emp"])
    known = known[known.emp > 0]
    p = known["emp"] / known.groupby("geo")["emp"].transform("sum")
    section = known.nace.str[0]
    big_p = p.groupby([known.geo, section]).sum()
    uv = (big_p * np.log2(1 / big_p)).groupby(level=0).sum()
    h = (p * np.log2(1 / p)).groupby(known.geo).sum()
    np.testing.assert_allclose(v.loc[uv.index, "unrelated_variety"], uv, rtol=1e-12)
    np.testing.assert_allclose(v.loc[h.index, "entropy"], h, rtol=1e-12)
    np.testing.assert_allclose(
        v["unrelated_variety"] + v["related_variety"], v["entropy"], rtol=1e-12
    )
    assert (v["related_variety"] > 0).all()
    # LQ-based counts need every activity to have employment somewhere
    totals = known.groupby("nace")["emp"].sum()
    d_all = diversity(data, **KW, missing="drop").set_index("geo")["diversity"]
    data = data[data.nace.isin(totals.index)]
    d = diversity(data, **KW, missing="drop").set_index("geo")["diversity"]
    # an activity with nothing changes no other LQ, so no region's diversity
    pd.testing.assert_series_equal(d_all, d)
    lq = p / known.nace.map(totals / totals.sum())
    expected = (lq >= 1).groupby(known.geo).sum()
    pd.testing.assert_series_equal(
        d.loc[expected.index], expected, check_names=False, check_dtype=False
    )
    assert d.between(1, data.nace.nunique()).all()
    assert set(ACTS).isdisjoint(d.index)


def test_diversity_matches_growth_lab_ecomplexity(shared_data: Path) -> None:
    """Diversity (RCA >= 1 counts) against ecomplexity 0.5.3 on BACI 2024 (stored reference)."""
    baci = pd.read_csv(
        shared_data / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz"
    )
    refs = Path(__file__).parent / "references"
    d = diversity(baci, region="i", activity="hs2", value="v")
    regions = pd.read_csv(refs / "ecomplexity_baci_regions.csv")
    both = regions.merge(d, on="i", suffixes=("_ref", ""), validate="one_to_one")
    assert len(both) == len(regions) == len(d) == 226
    np.testing.assert_array_equal(both["diversity"], both["diversity_ref"])
    u = ubiquity(baci, region="i", activity="hs2", value="v")
    acts = pd.read_csv(refs / "ecomplexity_baci_activities.csv")
    both = acts.merge(u, on="hs2", suffixes=("_ref", ""), validate="one_to_one")
    assert len(both) == len(acts)
    np.testing.assert_array_equal(both["ubiquity"], both["ubiquity_ref"])


@settings(max_examples=20, deadline=None)
@given(shares_matrices, st.randoms(use_true_random=False))
def test_region_measures_follow_relabelled_regions(m: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    regions = [f"r{i}" for i in range(m.shape[0])]
    acts = [f"a{j}" for j in range(m.shape[1])]
    df = tidy(m, regions, acts)
    groups = {a: f"g{j % 2}" for j, a in enumerate(acts)}
    before = variety(df, **KW, hierarchy=groups).set_index("geo")
    shuffled = regions[:]
    rnd.shuffle(shuffled)
    rename = dict(zip(regions, shuffled))
    after = variety(df.assign(geo=df.geo.map(rename)), **KW, hierarchy=groups).set_index("geo")
    pd.testing.assert_frame_equal(
        after.loc[[rename[r] for r in regions]].reset_index(drop=True),
        before.loc[regions].reset_index(drop=True),
        rtol=1e-12,
    )
    k_dense, u_dense = kd.diversity_ubiquity(m > 0)
    k_sparse, u_sparse = kd.diversity_ubiquity(sp.csr_matrix(m > 0))
    np.testing.assert_array_equal(k_dense, k_sparse)
    np.testing.assert_array_equal(u_dense, u_sparse)
