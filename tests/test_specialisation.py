"""Location quotients (LQ/RCA/RTA) and RPOP: hand-worked, real data, properties, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ris3.errors import ClassificationError, ConventionError, DegenerateDataWarning, InputError
from ris3.kernels import specialisation as ks
from ris3.measures.specialisation import location_quotient, rca, rpop

REGIONS = ["R1", "R2", "R3", "R4", "R5", "R6"]
ACTS = ["a", "b", "c", "d", "e"]
# Column totals 100, 100, 200, 200, 200 of 800: reference shares 1/8, 1/8, 1/4, 1/4, 1/4.
X = np.array(
    [
        [40, 0, 20, 20, 0],  # 80
        [20, 20, 40, 40, 40],  # 160, same structure as the whole
        [0, 40, 80, 40, 0],  # 160
        [20, 20, 0, 40, 80],  # 160
        [10, 10, 40, 40, 60],  # 160
        [10, 10, 20, 20, 20],  # 80
    ],
    dtype=float,
)
# worked by hand: share of the region / share of the whole
LQ_ALL = np.array(
    [
        [4.0, 0.0, 1.0, 1.0, 0.0],
        [1.0, 1.0, 1.0, 1.0, 1.0],
        [0.0, 2.0, 2.0, 1.0, 0.0],
        [1.0, 1.0, 0.0, 1.0, 2.0],
        [0.5, 0.5, 1.0, 1.0, 1.5],
        [1.0, 1.0, 1.0, 1.0, 1.0],
    ]
)


def tidy(x: np.ndarray, regions: list[str] = REGIONS, acts: list[str] = ACTS) -> pd.DataFrame:
    r, a = np.meshgrid(np.arange(len(regions)), np.arange(len(acts)), indexing="ij")
    return pd.DataFrame(
        {
            "geo": np.asarray(regions)[r.ravel()],
            "nace": np.asarray(acts)[a.ravel()],
            "emp": x.ravel(),
        }
    )


def as_matrix(out: pd.DataFrame, col: str, regions: list[str] = REGIONS) -> np.ndarray:
    return out.pivot(index="geo", columns="nace", values=col).loc[regions, ACTS].to_numpy()


# --- hand-worked 6 x 5 example -------------------------------------------------


def test_lq_against_all_regions_hand_worked() -> None:
    out = location_quotient(tidy(X), region="geo", activity="nace", value="emp")
    assert list(out.columns) == [
        "geo",
        "nace",
        "emp",
        "share",
        "reference_share",
        "lq",
        "specialised",
    ]
    np.testing.assert_array_equal(as_matrix(out, "lq"), LQ_ALL)
    np.testing.assert_array_equal(
        out.loc[out.geo == "R1", "reference_share"], [0.125, 0.125, 0.25, 0.25, 0.25]
    )
    np.testing.assert_array_equal(out.loc[out.geo == "R1", "share"], [0.5, 0, 0.25, 0.25, 0])
    # presence LQ >= 1: counted by hand per region
    assert as_matrix(out, "specialised").sum(axis=1).tolist() == [3, 5, 3, 4, 3, 5]


def test_strict_and_threshold() -> None:
    out = location_quotient(tidy(X), region="geo", activity="nace", value="emp", strict=True)
    assert as_matrix(out, "specialised").sum(axis=1).tolist() == [1, 0, 2, 1, 1, 0]
    out = location_quotient(tidy(X), region="geo", activity="nace", value="emp", threshold=2.0)
    assert as_matrix(out, "specialised").sum(axis=1).tolist() == [1, 0, 2, 1, 0, 0]


def test_rca_is_the_same_function() -> None:
    assert rca is location_quotient


def test_named_reference_row() -> None:
    df = pd.concat([tidy(X), tidy(np.array([[1.0, 1.0, 1.0, 1.0, 4.0]]), ["EU"])])
    out = location_quotient(df, region="geo", activity="nace", value="emp", reference="EU")
    assert "EU" not in set(out.geo)
    assert len(out) == 30
    # reference shares 1/8 1/8 1/8 1/8 1/2: R1 shares .5 0 .25 .25 0 -> 4 0 2 2 0
    np.testing.assert_array_equal(as_matrix(out, "lq")[0], [4.0, 0.0, 2.0, 2.0, 0.0])
    # R5 shares 1/16 1/16 1/4 1/4 3/8
    np.testing.assert_array_equal(as_matrix(out, "lq")[4], [0.5, 0.5, 2.0, 2.0, 0.75])


def test_named_reference_equal_to_sum_gives_default() -> None:
    df = pd.concat([tidy(X), tidy(X.sum(axis=0, keepdims=True), ["World"])])
    out = location_quotient(df, region="geo", activity="nace", value="emp", reference="World")
    np.testing.assert_allclose(as_matrix(out, "lq"), LQ_ALL, rtol=1e-15)


HIER = pd.DataFrame({"child": REGIONS, "parent": ["X", "X", "X", "Y", "Y", "Y"]})


def test_parent_reference_sum_of_children() -> None:
    out = location_quotient(tidy(X), region="geo", activity="nace", value="emp", hierarchy=HIER)
    lq = as_matrix(out, "lq")
    # X = R1+R2+R3 = 60 60 140 100 40 (400); Y = 40 40 60 100 160 (400)
    np.testing.assert_allclose(lq[0], [0.5 / 0.15, 0.0, 0.25 / 0.35, 1.0, 0.0], rtol=1e-14)
    np.testing.assert_allclose(lq[3], [1.25, 1.25, 0.0, 1.0, 1.25], rtol=1e-14)


def test_parent_rows_used_when_present_else_sum() -> None:
    df = pd.concat([tidy(X), tidy(np.ones((1, 5)), ["X"])])
    for mode in ("parent", None):
        out = location_quotient(
            df, region="geo", activity="nace", value="emp", hierarchy=HIER, reference=mode
        )
        assert "X" not in set(out.geo)
        lq = as_matrix(out, "lq")
        np.testing.assert_allclose(lq[0], [2.5, 0.0, 1.25, 1.25, 0.0], rtol=1e-14)  # X's own row
        np.testing.assert_allclose(lq[3], [1.25, 1.25, 0.0, 1.0, 1.25], rtol=1e-14)  # Y summed
    out = location_quotient(
        df, region="geo", activity="nace", value="emp", hierarchy=HIER, reference="parent_sum"
    )
    np.testing.assert_allclose(as_matrix(out, "lq")[0][0], 0.5 / 0.15, rtol=1e-14)
    with pytest.raises(InputError, match=r"reference='parent_rows'.*1 parent\(s\) have none.*'Y'"):
        location_quotient(
            df, region="geo", activity="nace", value="emp", hierarchy=HIER, reference="parent_rows"
        )


def test_hierarchy_as_dict() -> None:
    a = location_quotient(tidy(X), region="geo", activity="nace", value="emp", hierarchy=HIER)
    b = location_quotient(
        tidy(X),
        region="geo",
        activity="nace",
        value="emp",
        hierarchy=dict(zip(HIER.child, HIER.parent)),
    )
    pd.testing.assert_frame_equal(a, b)


def test_list_reference_sums_regions_that_stay() -> None:
    kw = {"region": "geo", "activity": "nace", "value": "emp"}
    out = location_quotient(tidy(X), **kw, reference=["R2", "R3"])
    assert set(out.geo) == set(REGIONS)
    assert out.attrs["reference"] == "reference=['R2', 'R3']"
    # R2 + R3 = 20 60 120 80 40 (320); R1 shares .5 0 .25 .25 0
    np.testing.assert_allclose(
        as_matrix(out, "lq")[0], [0.5 * 16, 0.0, 0.25 * 8 / 3, 1.0, 0.0], rtol=1e-14
    )


def test_mapping_reference_is_each_regions_own_row() -> None:
    kw = {"region": "geo", "activity": "nace", "value": "emp"}
    # parent rows equal to the sum of their children: same LQs as summing them
    df = pd.concat([tidy(X), tidy(np.array([X[:3].sum(axis=0), X[3:].sum(axis=0)]), ["X", "Y"])])
    mapping = dict(zip(HIER.child, HIER.parent))
    out = location_quotient(df, **kw, reference=mapping)
    assert set(out.geo) == set(REGIONS)
    lq = as_matrix(out, "lq")
    np.testing.assert_allclose(lq[0], [0.5 / 0.15, 0.0, 0.25 / 0.35, 1.0, 0.0], rtol=1e-14)
    np.testing.assert_allclose(lq[3], [1.25, 1.25, 0.0, 1.0, 1.25], rtol=1e-14)
    rows = location_quotient(df, **kw, hierarchy=HIER, reference="parent_rows")
    np.testing.assert_array_equal(rows["lq"], out["lq"])
    # a reference row absent from a period where its regions have rows
    late = pd.concat([df.assign(year=1), tidy(X).assign(year=2), df[df.geo == "X"].assign(year=2)])
    with pytest.raises(
        InputError,
        match=r"the reference mapping needs the rows of the reference regions in column 'geo'; "
        r"1 have none in year=2: 'Y'",
    ):
        location_quotient(late, **kw, time="year", reference=mapping)


def test_reference_table() -> None:
    ref = pd.DataFrame({"nace": ACTS, "emp": [1.0, 1.0, 1.0, 1.0, 4.0]})
    out = location_quotient(
        tidy(X), region="geo", activity="nace", value="emp", reference_table=ref
    )
    np.testing.assert_array_equal(as_matrix(out, "lq")[0], [4.0, 0.0, 2.0, 2.0, 0.0])


def test_reference_table_by_time() -> None:
    df = pd.concat([tidy(X).assign(year=2020), tidy(X).assign(year=2021)])
    ref = pd.DataFrame(
        {"nace": ACTS * 2, "emp": [1.0, 1, 1, 1, 4, 1, 1, 2, 2, 2], "year": [2020] * 5 + [2021] * 5}
    )
    out = location_quotient(
        df, region="geo", activity="nace", value="emp", time="year", reference_table=ref
    )
    r1 = out[out.geo == "R1"]
    np.testing.assert_array_equal(r1.loc[r1.year == 2020, "lq"], [4.0, 0.0, 2.0, 2.0, 0.0])
    # 2021 reference shares 1/8 1/8 1/4 1/4 1/4 = the data's own
    np.testing.assert_array_equal(r1.loc[r1.year == 2021, "lq"], LQ_ALL[0])


def test_time_periods_are_independent() -> None:
    x2 = X.copy()
    x2[:, 0] *= 3  # activity a triples in 2021
    df = pd.concat([tidy(X).assign(year=2020), tidy(x2).assign(year=2021)])
    out = location_quotient(df, region="geo", activity="nace", value="emp", time="year")
    assert list(out.columns[:3]) == ["year", "geo", "nace"]
    for year, x in ((2020, X), (2021, x2)):
        alone = location_quotient(tidy(x), region="geo", activity="nace", value="emp")
        np.testing.assert_allclose(
            out.loc[out.year == year, "lq"].to_numpy(), alone["lq"], rtol=1e-14
        )


def test_output_follows_input_row_order_and_does_not_mutate() -> None:
    df = tidy(X).sample(frac=1.0, random_state=3).reset_index(drop=True)
    before = df.copy()
    out = location_quotient(df, region="geo", activity="nace", value="emp")
    pd.testing.assert_frame_equal(df, before)
    assert out[["geo", "nace"]].equals(df[["geo", "nace"]])


def test_missing_policies_and_report() -> None:
    df = tidy(X)
    df.loc[1, "emp"] = np.nan  # R1 b, which is 0 anyway
    with pytest.raises(InputError, match="missing value"):
        location_quotient(df, region="geo", activity="nace", value="emp")
    out = location_quotient(df, region="geo", activity="nace", value="emp", missing="drop")
    assert len(out) == 29
    assert out.attrs["missing"] == "missing='drop': 1 missing cells, 1 dropped, 0 set to zero"
    np.testing.assert_array_equal(as_matrix(out.fillna(0), "lq")[0][[0, 2, 3, 4]], [4, 1, 1, 0])


# --- RPOP -------------------------------------------------------------------


def test_rpop_hand_worked() -> None:
    pop = {"R1": 10.0, "R2": 20.0, "R3": 20.0, "R4": 40.0, "R5": 40.0, "R6": 20.0}  # 150
    out = rpop(tidy(X), region="geo", activity="nace", value="emp", population=pop)
    r1 = out[out.geo == "R1"]
    # a: 40 / 10 per capita against 100 / 150
    np.testing.assert_allclose(r1["rpop"], [6.0, 0.0, 1.5, 1.5, 0.0], rtol=1e-14)
    np.testing.assert_allclose(r1["reference_per_capita"], [2 / 3, 2 / 3, 4 / 3, 4 / 3, 4 / 3])
    np.testing.assert_array_equal(r1["specialised"], [True, False, True, True, False])
    r4 = out[out.geo == "R4"]  # 20 0 40 80 over 40 people: 0.5 0.5 0 1 2
    np.testing.assert_allclose(r4["rpop"], [0.75, 0.75, 0.0, 0.75, 1.5], rtol=1e-14)


def test_rpop_population_as_column_and_table() -> None:
    pop = pd.DataFrame({"geo": REGIONS, "population": [10.0, 20, 20, 40, 40, 20]})
    a = rpop(tidy(X), region="geo", activity="nace", value="emp", population=pop)
    b = rpop(
        tidy(X).merge(pop, on="geo"),
        region="geo",
        activity="nace",
        value="emp",
        population="population",
    )
    np.testing.assert_array_equal(a["rpop"], b["rpop"])


def test_rpop_errors() -> None:
    with pytest.raises(InputError, match=r"population is missing for 1 region\(s\): 'R6'"):
        rpop(
            tidy(X),
            region="geo",
            activity="nace",
            value="emp",
            population={r: 1.0 for r in REGIONS[:5]},
        )
    with pytest.raises(InputError, match=r"population must be a finite number > 0.*'R2'"):
        rpop(tidy(X), region="geo", activity="nace", value="emp", population={"R1": 1, "R2": 0})
    with pytest.raises(InputError, match="data has no column 'pop'"):
        rpop(tidy(X), region="geo", activity="nace", value="emp", population="pop")
    bad = tidy(X).assign(pop=np.arange(30.0) + 1)
    with pytest.raises(InputError, match=r"must hold one value per geo; 'R1'"):
        rpop(bad, region="geo", activity="nace", value="emp", population="pop")
    with pytest.raises(
        InputError, match="population table must have columns 'geo' and 'population'"
    ):
        rpop(
            tidy(X), region="geo", activity="nace", value="emp", population=pd.DataFrame({"x": [1]})
        )
    with pytest.raises(InputError, match="population must be a column name of data.*got list"):
        rpop(tidy(X), region="geo", activity="nace", value="emp", population=[1, 2])  # type: ignore[arg-type]


# --- errors -----------------------------------------------------------------


def test_error_messages() -> None:
    df = tidy(X)
    kw = {"region": "geo", "activity": "nace", "value": "emp"}
    with pytest.raises(InputError, match="threshold must be a number > 0; got 0"):
        location_quotient(df, **kw, threshold=0)
    with pytest.raises(InputError, match="threshold must be a number > 0; got -1"):
        location_quotient(df, **kw, threshold=-1)
    with pytest.raises(InputError, match="strict must be True or False; got 'yes'"):
        location_quotient(df, **kw, strict="yes")  # type: ignore[arg-type]
    with pytest.raises(
        InputError,
        match=r"reference='R7' is not a label of column 'geo'; did you mean 'R6', 'R5', 'R4'\?",
    ):
        location_quotient(df, **kw, reference="R7")
    with pytest.raises(InputError, match=r"reference='EU2B' is not a label.*did you mean 'EU28'"):
        location_quotient(pd.concat([df, tidy(X[:1], ["EU28"])]), **kw, reference="EU2B")
    with pytest.raises(
        ClassificationError,
        match=r"2 region\(s\) of column 'geo' have no parent in hierarchy=: 'R5', 'R6'",
    ):
        location_quotient(df, **kw, hierarchy={r: "X" for r in REGIONS[:4]})
    with pytest.raises(
        InputError, match=r"1 activit\(ies\) of column 'nace' are missing from reference_table: 'e'"
    ):
        location_quotient(df, **kw, reference_table=pd.DataFrame({"nace": ACTS[:4], "emp": 1.0}))
    with pytest.raises(
        InputError,
        match="reference_table must be a DataFrame with columns 'nace' and 'emp'; got dict",
    ):
        location_quotient(df, **kw, reference_table={"a": 1})  # type: ignore[arg-type]
    with pytest.raises(
        ConventionError, match="reference_table= cannot be combined with reference="
    ):
        location_quotient(
            df, **kw, reference="R1", reference_table=pd.DataFrame({"nace": ACTS, "emp": 1.0})
        )
    with pytest.raises(ConventionError, match=r"reference='parent' needs hierarchy="):
        location_quotient(df, **kw, reference="parent")
    with pytest.raises(
        ConventionError,
        match=r"reference \(with hierarchy=\) must be one of 'parent', 'parent_rows', 'parent_sum'; got 'EU'",
    ):
        location_quotient(df, **kw, reference="EU", hierarchy=HIER)
    with pytest.raises(InputError, match="hierarchy must have columns 'child' and 'parent'"):
        location_quotient(df, **kw, hierarchy=pd.DataFrame({"nuts2": REGIONS}))
    with pytest.raises(
        ClassificationError,
        match=r"hierarchy gives more than one parent to 1 child code\(s\): 'R1'",
    ):
        location_quotient(
            df, **kw, hierarchy=pd.concat([HIER, pd.DataFrame({"child": ["R1"], "parent": ["Y"]})])
        )
    zero_region = df.copy()
    zero_region.loc[zero_region.geo == "R6", "emp"] = 0.0
    # a region with nothing has undefined shares: NaN rows and a warning, not an abort
    with pytest.warns(
        DegenerateDataWarning,
        match=r"location quotient is undefined for 1 region\(s\) in column 'geo' whose values "
        r"sum to 0: 'R6'",
    ):
        zr = location_quotient(zero_region, **kw)
    r6 = zr[zr.geo == "R6"]
    assert r6["lq"].isna().all() and r6["share"].isna().all() and not r6["specialised"].any()
    # the other regions: LQ by hand without R6 (it adds nothing to the reference)
    rest = zero_region[zero_region.geo != "R6"]
    share = rest.emp / rest.groupby("geo").emp.transform("sum")
    ref = rest.groupby("nace").emp.sum() / rest.emp.sum()
    np.testing.assert_allclose(
        zr.loc[zr.geo != "R6", "lq"].to_numpy(), (share / rest.nace.map(ref)).to_numpy()
    )
    zero_ref = pd.concat([df, tidy(np.array([[1.0, 1, 1, 1, 0]]), ["EU"])])
    with pytest.raises(
        InputError, match=r"zero or missing share of 1 activit\(ies\).*infinite: 'e'"
    ):
        location_quotient(zero_ref, **kw, reference="EU")
    absent = pd.concat([df.assign(year=1), tidy(X[:1], ["EU"]).assign(year=1), df.assign(year=2)])
    with pytest.raises(InputError, match="reference='EU' has no rows in year=2"):
        location_quotient(absent, **kw, time="year", reference="EU")
    ref_t = pd.DataFrame({"nace": ACTS, "emp": 1.0, "year": 1})
    with pytest.raises(InputError, match="reference_table has no rows for year=2"):
        location_quotient(
            pd.concat([df.assign(year=1), df.assign(year=2)]),
            **kw,
            time="year",
            reference_table=ref_t,
        )


# --- properties -------------------------------------------------------------

matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 7), st.integers(2, 6)),
    elements=st.sampled_from([0.0, 1.0, 2.0, 3.0, 7.5, 100.0, 1e4]),
).filter(lambda m: (m.sum(axis=1) > 0).all() and (m.sum(axis=0) > 0).all())


@settings(max_examples=25, deadline=None)
@given(matrices, st.sampled_from([0.001, 3.0, 1e6]))
def test_lq_invariant_to_scaling(m: np.ndarray, factor: float) -> None:
    regions = [f"r{i}" for i in range(m.shape[0])]
    acts = [f"a{j}" for j in range(m.shape[1])]
    a = location_quotient(tidy(m, regions, acts), region="geo", activity="nace", value="emp")
    b = location_quotient(
        tidy(m * factor, regions, acts), region="geo", activity="nace", value="emp"
    )
    np.testing.assert_allclose(a["lq"], b["lq"], rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(matrices, st.integers(1, 3))
def test_equivalent_reference_specifications_agree(m: np.ndarray, n_groups: int) -> None:
    regions = [f"r{i}" for i in range(m.shape[0])]
    acts = [f"a{j}" for j in range(m.shape[1])]
    kw = {"region": "geo", "activity": "nace", "value": "emp"}
    df = tidy(m, regions, acts)
    default = location_quotient(df, **kw)
    # every region listed, or a total row equal to their sum, is the default
    listed = location_quotient(df, **kw, reference=regions)
    np.testing.assert_allclose(listed["lq"], default["lq"], rtol=1e-12)
    # regions grouped: a parent's own row, a mapping to it, and the sum of children agree
    parent = {r: f"p{i % n_groups}" for i, r in enumerate(regions)}
    sums = df.assign(geo=df["geo"].map(parent)).groupby(["geo", "nace"], as_index=False).sum()
    both = pd.concat([df, sums], ignore_index=True)
    summed = location_quotient(df, **kw, hierarchy=parent, reference="parent_sum")
    rows = location_quotient(both, **kw, hierarchy=parent, reference="parent_rows")
    mapped = location_quotient(both, **kw, reference=parent)
    np.testing.assert_allclose(rows["lq"], summed["lq"], rtol=1e-12)
    np.testing.assert_array_equal(mapped["lq"], rows["lq"])
    assert set(mapped["geo"]) == set(regions)


@settings(max_examples=25, deadline=None)
@given(matrices, st.randoms(use_true_random=False))
def test_lq_permutes_with_labels(m: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    regions = [f"r{i}" for i in range(m.shape[0])]
    acts = [f"a{j}" for j in range(m.shape[1])]
    df = tidy(m, regions, acts)
    out = location_quotient(df, region="geo", activity="nace", value="emp")
    # rename labels with a permutation: codes change order, results follow the labels
    perm_r = regions[:]
    rnd.shuffle(perm_r)
    perm_a = acts[:]
    rnd.shuffle(perm_a)
    renamed = df.assign(
        geo=df.geo.map(dict(zip(regions, perm_r))), nace=df.nace.map(dict(zip(acts, perm_a)))
    )
    out2 = location_quotient(renamed, region="geo", activity="nace", value="emp")
    np.testing.assert_allclose(out["lq"].to_numpy(), out2["lq"].to_numpy(), rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(matrices)
def test_kernel_dense_and_sparse_identical(m: np.ndarray) -> None:
    dense = ks.location_quotient(m)
    sparse = ks.location_quotient(sp.csr_matrix(m))
    np.testing.assert_array_equal(dense.toarray(), sparse.toarray())
    np.testing.assert_array_equal(ks.presence(dense).toarray(), ks.presence(sparse).toarray())


@settings(max_examples=25, deadline=None)
@given(matrices)
def test_shares_sum_to_one(m: np.ndarray) -> None:
    regions = [f"r{i}" for i in range(m.shape[0])]
    acts = [f"a{j}" for j in range(m.shape[1])]
    out = location_quotient(tidy(m, regions, acts), region="geo", activity="nace", value="emp")
    np.testing.assert_allclose(out.groupby("geo")["share"].sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(out.groupby("geo")["reference_share"].sum(), 1.0, rtol=1e-12)
    # the LQ weighted by region size averages to 1 per activity
    weights = out.groupby("geo")["emp"].transform("sum") / out["emp"].sum()
    np.testing.assert_allclose((out["lq"] * weights).groupby(out["nace"]).sum(), 1.0, rtol=1e-12)


# --- real data ----------------------------------------------------------------


def sbs_year(sbs_all: pd.DataFrame, year: int) -> pd.DataFrame:
    """Persons employed (V16110) in one year: columns nace, geo, emp (NaN where missing).

    ``sbs_all`` is the session fixture ``sbs_persons_employed_all_levels``
    (or its NUTS-2 rows), read once per run.
    """
    one = sbs_all[sbs_all["time"] == year]
    return pd.DataFrame(
        {
            "nace": one["nace_r2"].to_numpy(),
            "geo": one["geo"].to_numpy(),
            "emp": one["value"].to_numpy(),
        }
    )


@pytest.fixture(scope="module")
def sbs(sbs_persons_employed_all_levels: pd.DataFrame) -> pd.DataFrame:
    df = sbs_year(sbs_persons_employed_all_levels, 2014)
    # NACE divisions (letter + 2 digits) at NUTS-2 and NUTS-0
    return df[df.nace.str.fullmatch(r"[A-Z]\d\d")]


def test_tirol_accommodation_against_europe(sbs: pd.DataFrame) -> None:
    nuts2 = sbs[sbs.geo.str.len() == 4]
    out = location_quotient(nuts2, region="geo", activity="nace", value="emp", missing="drop")
    known = nuts2.dropna(subset=["emp"])
    region_total = known.groupby("geo")["emp"].sum()
    europe = known.groupby("nace")["emp"].sum()
    expected = (known.set_index(["geo", "nace"])["emp"] / region_total) / (europe / europe.sum())
    got = out.set_index(["geo", "nace"])["lq"]
    pd.testing.assert_series_equal(
        got.sort_index(), expected.reindex(got.index).sort_index(), check_names=False, rtol=1e-12
    )
    tirol = got.loc[("AT33", "I55")]
    assert tirol > 5  # accommodation in Tirol: about 7 times the European share
    assert tirol == pytest.approx(32624 / region_total["AT33"] / (europe["I55"] / europe.sum()))
    assert out.attrs["missing"].startswith(f"missing='drop': {nuts2.emp.isna().sum()} missing")


def test_tirol_accommodation_against_austria(sbs: pd.DataFrame) -> None:
    data = sbs[sbs.geo.str.len().isin([2, 4]) & sbs.geo.str.startswith("AT")]
    # divisions with no known employment in any Austrian region (all confidential
    # or zero) have no defined LQ; leave them out explicitly
    known_any = data[data.geo.str.len() == 4].groupby("nace")["emp"].sum()
    data = data[data.nace.isin(known_any.index[known_any > 0])]
    hier = {g: g[:2] for g in data.geo.unique() if len(g) == 4}
    out = location_quotient(
        data,
        region="geo",
        activity="nace",
        value="emp",
        missing="drop",
        hierarchy=hier,
        reference="parent_sum",
    )
    known = data[data.geo.str.len() == 4].dropna(subset=["emp"])
    at = known.groupby("nace")["emp"].sum()
    tirol = known[known.geo == "AT33"].set_index("nace")["emp"]
    expected = (tirol / tirol.sum()) / (at / at.sum())
    got = out[out.geo == "AT33"].set_index("nace")["lq"]
    pd.testing.assert_series_equal(got, expected.reindex(got.index), check_names=False, rtol=1e-12)
    assert 2.5 < got["I55"] < 5  # lower against Austria, itself specialised in tourism


def test_oec_exports_rca(shared_data: Path) -> None:
    ex = pd.read_csv(shared_data / "trade_oec_hs_sections_datawheel" / "global_exports.csv.gz")
    assert ex["Country ID"].nunique() == 226
    out = rca(ex, region="Country ID", activity="Section ID", value="Trade Value")
    country = ex.groupby("Country ID")["Trade Value"].transform("sum")
    section = ex.groupby("Section ID")["Trade Value"].transform("sum")
    expected = (ex["Trade Value"] / country) / (section / ex["Trade Value"].sum())
    np.testing.assert_allclose(out["lq"], expected, rtol=1e-12)
    angola_minerals = out[(out["Country ID"] == "afago") & (out["Section ID"] == 5)]
    assert angola_minerals["lq"].item() > 5  # oil exporter


def test_patent_rta_by_wipo_field(shared_data: Path) -> None:
    raw = pd.read_csv(
        shared_data
        / "patents_ncses_sei2020_wipo35"
        / "uspto_patents_families_by_country_wipo35_1998_2018.csv.gz"
    )
    pat = raw[raw.measure == "uspto_patents"]
    paths = set(pat.geo_path)
    leaves = {p for p in paths if not any(q.startswith(p + " -> ") for q in paths)}
    aggregates = ("All others", "Unclassified", "Former Soviet Union")
    economies = {p for p in leaves if not p.endswith(aggregates)}
    data = pat[pat.geo_path.isin(economies) | (pat.geo_depth == 1)]
    assert set(data.loc[data.geo_depth == 1, "geo"]) == {"World"}
    assert data.loc[data.geo_depth > 1, "geo"].nunique() == 33
    out = location_quotient(
        data, region="geo", activity="wipo_field", value="value", time="year", reference="World"
    )
    eco = data[data.geo != "World"]
    world = data[data.geo == "World"].set_index(["year", "wipo_field"])["value"]
    world_share = world / world.groupby("year").transform("sum")
    eco_share = (
        eco.set_index(["year", "geo", "wipo_field"])["value"]
        / eco.groupby(["year", "geo"])["value"].sum()
    )
    expected = eco_share / world_share
    got = out.set_index(["year", "geo", "wipo_field"])["lq"]
    np.testing.assert_allclose(got.to_numpy(), expected.reindex(got.index).to_numpy(), rtol=1e-12)
    assert len(out) == len(eco)
    # reference = the 33 economies together gives different, equally checkable values
    alone = location_quotient(eco, region="geo", activity="wipo_field", value="value", time="year")
    sums = eco.groupby(["year", "wipo_field"])["value"].sum()
    share = sums / sums.groupby("year").transform("sum")
    exp2 = eco_share / share
    got2 = alone.set_index(["year", "geo", "wipo_field"])["lq"]
    np.testing.assert_allclose(got2.to_numpy(), exp2.reindex(got2.index).to_numpy(), rtol=1e-12)


def test_rpop_population_by_time() -> None:
    df = pd.concat([tidy(X).assign(year=1), tidy(X).assign(year=2)])
    pop = pd.DataFrame(
        {
            "geo": REGIONS * 2,
            "year": [1] * 6 + [2] * 6,
            "population": [10.0, 20, 20, 40, 40, 20] + [20.0, 20, 20, 40, 40, 10],
        }
    )
    out = rpop(df, region="geo", activity="nace", value="emp", population=pop, time="year")
    r1 = out[out.geo == "R1"]
    np.testing.assert_allclose(r1.loc[r1.year == 1, "rpop"], [6.0, 0.0, 1.5, 1.5, 0.0], rtol=1e-14)
    # year 2: R1 has 20 people, total still 150: 40 / 20 against 100 / 150
    np.testing.assert_allclose(
        r1.loc[r1.year == 2, "rpop"], [3.0, 0.0, 0.75, 0.75, 0.0], rtol=1e-14
    )
    assert r1["population"].tolist() == [10.0] * 5 + [20.0] * 5


def test_explicit_all_reference_missing_zero_and_integer_labels() -> None:
    df = tidy(X)
    a = location_quotient(df, region="geo", activity="nace", value="emp", reference="all")
    np.testing.assert_array_equal(as_matrix(a, "lq"), LQ_ALL)
    codes = df.assign(geo=df.geo.str[1].astype(int))
    b = location_quotient(codes, region="geo", activity="nace", value="emp")
    np.testing.assert_array_equal(b["lq"], a["lq"])
    with_nan = df.copy()
    with_nan.loc[1, "emp"] = np.nan  # R1 b, 0 in the hand-worked matrix
    c = location_quotient(with_nan, region="geo", activity="nace", value="emp", missing="zero")
    np.testing.assert_array_equal(c["lq"], a["lq"])
    assert c.attrs["missing"] == "missing='zero': 1 missing cells, 0 dropped, 1 set to zero"


def test_more_error_messages() -> None:
    kw = {"region": "geo", "activity": "nace", "value": "emp"}
    df = tidy(X)
    # a parent row with a zero cell where a child has employment: hint at parent_sum
    parent_row = tidy(np.array([[1.0, 1, 1, 1, 0]]), ["X"])
    with pytest.raises(
        InputError,
        match=r"reference='parent'\) has a zero or missing share of 1 activit\(ies\).*'e'; "
        r"e\.g\. region 'R2', activity 'e' \(reference='parent_sum' compares",
    ):
        location_quotient(pd.concat([df, parent_row]), **kw, hierarchy=HIER)
    with pytest.raises(
        InputError, match="reference_table needs every region to have a positive total"
    ):
        location_quotient(df, **kw, reference_table=pd.DataFrame({"nace": ACTS, "emp": 0.0}))
    pop = pd.DataFrame({"geo": ["R1", "R1"], "population": [1.0, 2.0]})
    with pytest.raises(InputError, match=r"population table has duplicated \['geo'\]: 'R1'"):
        rpop(df, **kw, population=pop)


def test_rca_matches_growth_lab_ecomplexity(shared_data: Path) -> None:
    """RCA and presence against the Growth Lab's ecomplexity 0.5.3 (stored reference).

    tests/references/ecomplexity_baci_cells.csv was made by
    tests/references/make_complexity_reference.py from the same BACI file.
    """
    baci = pd.read_csv(
        shared_data / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz"
    )
    ref = pd.read_csv(Path(__file__).parent / "references" / "ecomplexity_baci_cells.csv")
    out = rca(baci, region="i", activity="hs2", value="v")
    both = ref.merge(out, on=["i", "hs2"], how="left", validate="one_to_one")
    absent = both["lq"].isna()  # pairs not in the table: 0 exports, RCA 0 in both
    assert (both.loc[absent, "rca"] == 0).all() and absent.sum() < len(both) / 10
    np.testing.assert_allclose(both.loc[~absent, "lq"], both.loc[~absent, "rca"], rtol=1e-12)
    np.testing.assert_array_equal(
        both.loc[~absent, "specialised"].astype(int), both.loc[~absent, "mcp"]
    )


def test_rpop_matches_growth_lab_ecomplexity(shared_data: Path) -> None:
    """RPOP against ecomplexity 0.5.3 on OEC exports (tests/references/make_rpop_reference.py)."""
    ex = pd.read_csv(shared_data / "trade_oec_hs_sections_datawheel" / "global_exports.csv.gz")
    ref = pd.read_csv(Path(__file__).parent / "references" / "ecomplexity_oec_rpop.csv")
    population = (
        ref[["loc", "pop"]]
        .drop_duplicates()
        .rename(columns={"loc": "Country ID", "pop": "population"})
    )
    out = rpop(
        ex, region="Country ID", activity="Section ID", value="Trade Value", population=population
    )
    both = ref.merge(
        out,
        left_on=["loc", "prod"],
        right_on=["Country ID", "Section ID"],
        how="left",
        validate="one_to_one",
        suffixes=("_ref", ""),
    )
    absent = both["rpop"].isna()  # pairs not in the table (no exports): 0 in ecomplexity
    assert (both.loc[absent, "rpop_ref"] == 0).all() and absent.sum() == len(ref) - len(ex)
    np.testing.assert_allclose(both.loc[~absent, "rpop"], both.loc[~absent, "rpop_ref"], rtol=1e-12)
    np.testing.assert_array_equal(
        both.loc[~absent, "specialised"].astype(int), both.loc[~absent, "mcp"]
    )


def test_zero_value_against_zero_reference_share_is_undefined() -> None:
    # country A has no y at all: its regions' LQ in y against A is 0/0, not 0
    df = pd.DataFrame(
        {
            "geo": ["A1", "A1", "A2", "A2", "B1", "B1"],
            "nace": ["x", "y", "x", "y", "x", "y"],
            "emp": [4.0, 0.0, 6.0, 0.0, 5.0, 5.0],
        }
    )
    parents = {"A1": "A", "A2": "A", "B1": "B"}
    out = location_quotient(df, region="geo", activity="nace", value="emp", hierarchy=parents)
    a_y = out[out["geo"].isin(["A1", "A2"]) & (out["nace"] == "y")]
    assert a_y["lq"].isna().all() and not a_y["specialised"].any()
    np.testing.assert_allclose(out.loc[out["nace"] == "x", "lq"], [1.0, 1.0, 1.0])
    assert out.loc[(out["geo"] == "B1") & (out["nace"] == "y"), "lq"].item() == 1.0
