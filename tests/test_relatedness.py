"""Proximity and relatedness density: hand-worked values, ecomplexity, properties."""

from __future__ import annotations

import warnings
from math import sqrt

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ris3 import ConventionError, DegenerateDataWarning, InputError
from ris3 import proximity as proximity_table
from ris3 import relatedness_density as density_table
from ris3.kernels import relatedness as kr
from ris3.kernels.specialisation import location_quotient
from ris3.measures._kernel_warnings import warn_constant_rca, warn_unrelated

# 6 regions x 5 activities (a..e), worked by hand below.
#      a b c d e
M6 = np.array(
    [
        [1, 1, 0, 0, 0],  # r1
        [1, 1, 1, 0, 0],  # r2
        [0, 1, 1, 0, 0],  # r3
        [0, 0, 1, 1, 0],  # r4
        [0, 0, 0, 1, 1],  # r5
        [1, 0, 0, 1, 1],  # r6
    ]
)
# ubiquity u = (3, 3, 3, 3, 2); co-occurrences (off-diagonal):
# a-b 2 (r1, r2), a-c 1 (r2), a-d 1 (r6), a-e 1 (r6), b-c 2 (r2, r3),
# c-d 1 (r4), d-e 2 (r5, r6), all other pairs 0.


def _sym(n: int, entries: dict[tuple[int, int], float], diag: float) -> np.ndarray:
    out = np.full((n, n), 0.0)
    for (i, j), v in entries.items():
        out[i, j] = out[j, i] = v
    np.fill_diagonal(out, diag)
    return out


A, B, C, D, E = range(5)


def test_cooccurrence_by_hand() -> None:
    c = kr.cooccurrence(M6)
    assert np.diag(c).tolist() == [3, 3, 3, 3, 2]
    expected = _sym(
        5, {(A, B): 2, (A, C): 1, (A, D): 1, (A, E): 1, (B, C): 2, (C, D): 1, (D, E): 2}, 0
    )
    np.fill_diagonal(expected, [3, 3, 3, 3, 2])
    np.testing.assert_array_equal(c, expected)


def test_hidalgo_by_hand() -> None:
    # C / max(u_p, u_q): every max is 3 here
    expected = _sym(
        5,
        {(A, B): 2 / 3, (A, C): 1 / 3, (A, D): 1 / 3, (A, E): 1 / 3, (B, C): 2 / 3,
         (C, D): 1 / 3, (D, E): 2 / 3},
        1.0,
    )  # fmt: skip
    np.testing.assert_allclose(kr.proximity(M6), expected, rtol=0, atol=1e-15)


def test_cosine_by_hand() -> None:
    expected = _sym(
        5,
        {(A, B): 2 / 3, (A, C): 1 / 3, (A, D): 1 / 3, (A, E): 1 / sqrt(6), (B, C): 2 / 3,
         (C, D): 1 / 3, (D, E): 2 / sqrt(6)},
        1.0,
    )  # fmt: skip
    np.testing.assert_allclose(kr.proximity(M6, method="cosine"), expected, atol=1e-15)


def test_jaccard_by_hand() -> None:
    # C / (u_p + u_q - C)
    expected = _sym(
        5,
        {(A, B): 2 / 4, (A, C): 1 / 5, (A, D): 1 / 5, (A, E): 1 / 4, (B, C): 2 / 4,
         (C, D): 1 / 5, (D, E): 2 / 3},
        1.0,
    )  # fmt: skip
    np.testing.assert_allclose(kr.proximity(M6, method="jaccard"), expected, atol=1e-15)


def test_association_strength_by_hand() -> None:
    # off-diagonal sums s = (5, 4, 4, 4, 3), T = 20; c T / (s_p s_q)
    expected = _sym(
        5,
        {(A, B): 2 * 20 / 20, (A, C): 20 / 20, (A, D): 20 / 20, (A, E): 20 / 15,
         (B, C): 2 * 20 / 16, (C, D): 20 / 16, (D, E): 2 * 20 / 12},
        0.0,
    )  # fmt: skip
    np.testing.assert_allclose(kr.proximity(M6, method="association"), expected, atol=1e-14)


def test_probability_index_by_hand() -> None:
    # EconGeo: c / ((T/2) ((s_p/T) s_q/(T - s_p) + (s_q/T) s_p/(T - s_q)))
    #        = c / ((s_p s_q / 2) (1/(T - s_p) + 1/(T - s_q)))
    def prob(c: float, sp_: float, sq: float, t: float = 20) -> float:
        return c / ((sp_ * sq / 2) * (1 / (t - sp_) + 1 / (t - sq)))

    got = kr.proximity(M6, method="probability")
    assert got[A, B] == pytest.approx(48 / 31, abs=1e-14)  # 2 / (10 * 31/240)
    assert got[A, E] == pytest.approx(17 / 16, abs=1e-14)  # 1 / (7.5 * 32/255)
    assert got[D, E] == pytest.approx(272 / 99, abs=1e-14)  # 2 / (6 * 33/272)
    assert got[B, C] == pytest.approx(prob(2, 4, 4), abs=1e-14)
    assert got[B, D] == 0.0 and np.all(np.diag(got) == 0)
    np.testing.assert_allclose(got, got.T, atol=0)


def test_rca_correlation_against_numpy_and_ecomplexity() -> None:
    rng = np.random.default_rng(3)
    x = rng.gamma(1.0, 10.0, size=(30, 6))
    rca = location_quotient(x).toarray()
    m = (rca >= 1).astype(float)
    got = kr.proximity(m, method="rca_correlation", rca=rca)
    np.testing.assert_allclose(got, (1 + np.corrcoef(rca.T)) / 2, atol=1e-14)
    ec = pytest.importorskip("ecomplexity.calc_proximity")
    np.testing.assert_allclose(got, ec.calc_continuous_proximity(rca, None), atol=1e-14)


def test_rca_correlation_constant_column_warns() -> None:
    rca = np.array([[1.0, 2.0, 0.5], [1.0, 0.5, 2.0], [1.0, 1.0, 1.0]])
    got = kr.proximity((rca >= 1) * 1.0, method="rca_correlation", rca=rca)
    assert np.isnan(got[0, 1]) and got[0, 0] == 1.0
    assert kr.constant_rca(rca).tolist() == [True, False, False]
    with pytest.warns(DegenerateDataWarning, match=r"same RCA in every region.*'x'"):
        warn_constant_rca(rca, ["x", "y", "z"])


def test_density_by_hand() -> None:
    d = kr.relatedness_density(M6, kr.proximity(M6))
    # column c of phi without diagonal: a 1/3, b 2/3, d 1/3, e 0 -> sum 4/3
    assert d[0, C] == pytest.approx((1 / 3 + 2 / 3) / (4 / 3), abs=1e-15)  # r1 has a, b
    # column e: a 1/3, d 2/3 -> sum 1; r1 has a only
    assert d[0, E] == pytest.approx(1 / 3, abs=1e-15)
    # r5 (d, e) around a: column a = b 2/3, c 1/3, d 1/3, e 1/3 -> (1/3 + 1/3) / (5/3)
    assert d[4, A] == pytest.approx(2 / 5, abs=1e-15)
    # including the diagonal adds phi[p, p] = 1 to the denominator and, when present,
    # to the numerator: r1 around a (present) -> (1 + 2/3) / (5/3 + 1)
    di = kr.relatedness_density(M6, kr.proximity(M6), include_diagonal=True)
    assert di[0, A] == pytest.approx((1 + 2 / 3) / (8 / 3), abs=1e-15)


def test_density_of_activity_without_neighbours_is_nan_and_named() -> None:
    m = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 0]])
    d = kr.relatedness_density(m, kr.proximity(m))
    assert np.isnan(d[:, 2]).all() and np.isfinite(d[:, :2]).all()
    assert kr.unrelated(d).tolist() == [False, False, True]
    with pytest.warns(DegenerateDataWarning, match=r"undefined \(NaN\) for 1 .*'solar'"):
        warn_unrelated(d, ["wind", "hydro", "solar"])
    # the measure names it from the table's labels
    tidy = pd.DataFrame({"geo": ["r1", "r1", "r2", "r3"], "tech": ["wind", "hydro", "wind", "hydro"],
                         "on": [1, 1, 1, 1]})  # fmt: skip
    tidy = pd.concat([tidy, pd.DataFrame({"geo": ["r1"], "tech": ["solar"], "on": [0]})])
    with pytest.warns(DegenerateDataWarning, match=r"undefined \(NaN\) for 1 .*'solar'"):
        density_table(tidy, region="geo", activity="tech", value="on", binary=True)


def test_econgeo_normalisation_by_hand() -> None:
    """Cosine and Jaccard as EconGeo's relatedness(): co-occurrence row sums, not ubiquity.

    M (3 regions x 4 activities) = [[1,1,0,1],[1,0,1,1],[0,1,1,1]];
    C = M'M has ubiquity diag (2, 2, 2, 3) and off-diagonal
    c[a,b] = 1, c[a,c] = 1, c[a,d] = 2, c[b,c] = 1, c[b,d] = 2, c[c,d] = 2.
    Row sums without the diagonal: s = (4, 4, 4, 6).
    """
    m = np.array([[1, 1, 0, 1], [1, 0, 1, 1], [0, 1, 1, 1]])
    cos = kr.proximity(m, method="cosine", normalisation="econgeo")
    jac = kr.proximity(m, method="jaccard", normalisation="econgeo")
    assert cos[0, 1] == pytest.approx(1 / sqrt(4 * 4), abs=1e-15)  # 0.25
    assert cos[0, 3] == pytest.approx(2 / sqrt(4 * 6), abs=1e-15)
    assert jac[0, 1] == pytest.approx(1 / (4 + 4 - 1), abs=1e-15)  # 1/7
    assert jac[2, 3] == pytest.approx(2 / (4 + 6 - 2), abs=1e-15)  # 1/4
    assert np.diag(cos).tolist() == [0.0] * 4 and np.diag(jac).tolist() == [0.0] * 4
    # the textbook forms divide by ubiquity instead
    assert kr.proximity(m, method="cosine")[0, 3] == pytest.approx(2 / sqrt(2 * 3), abs=1e-15)
    assert kr.proximity(m, method="jaccard")[0, 3] == pytest.approx(2 / (2 + 3 - 2), abs=1e-15)
    with pytest.raises(InputError, match="normalisation='econgeo' applies to method='cosine'"):
        kr.proximity(m, normalisation="econgeo")
    with pytest.raises(ConventionError, match="normalisation must be one of"):
        kr.proximity(m, method="cosine", normalisation="rows")
    # the same from a tidy table through ris3.proximity
    tidy = pd.DataFrame(
        [(f"r{i}", a, int(v)) for i, row in enumerate(m) for a, v in zip("abcd", row)],
        columns=["geo", "act", "on"],
    )
    got = proximity_table(tidy, region="geo", activity="act", value="on", binary=True,
                          method="jaccard", normalisation="econgeo")  # fmt: skip
    pair = got.set_index(["activity_from", "activity_to"])["proximity"]
    assert pair["a", "b"] == pytest.approx(1 / 7, abs=1e-15)
    assert pair["c", "d"] == pytest.approx(1 / 4, abs=1e-15)


def test_kernel_errors() -> None:
    with pytest.raises(InputError, match=r"presence matrix must hold only 0 and 1; got"):
        kr.proximity(np.array([[2.0, 0.0], [1.0, 1.0]]))
    with pytest.raises(InputError, match=r"phi must be a square \(n_activities, n_activities\)"):
        kr.relatedness_density(M6, np.ones((3, 3)))
    with pytest.raises(InputError, match=r"without NaN or negative entries"):
        kr.relatedness_density(M6, -np.ones((5, 5)))
    with pytest.raises(InputError, match=r"needs the rca= matrix"):
        kr.proximity(M6, method="rca_correlation")
    with pytest.raises(ConventionError, match=r"method must be one of 'hidalgo'.*got 'pmi'"):
        kr.proximity(M6, method="pmi")  # type: ignore[arg-type]


# ---------------------------------------------------------------- adapters


def _tidy_m6() -> pd.DataFrame:
    r, a = np.nonzero(np.ones_like(M6))
    return pd.DataFrame(
        {"geo": [f"r{i + 1}" for i in r], "act": [chr(97 + j) for j in a], "m": M6[r, a]}
    )


def test_proximity_table_binary_matches_kernel() -> None:
    out = proximity_table(_tidy_m6(), region="geo", activity="act", value="m", binary=True)
    assert list(out.columns) == ["activity_from", "activity_to", "proximity"]
    assert len(out) == 5 * 4  # ordered pairs, self-pairs left out
    wide = out.pivot(index="activity_from", columns="activity_to", values="proximity")
    assert wide.loc["a", "b"] == pytest.approx(2 / 3) and wide.loc["d", "e"] == pytest.approx(2 / 3)
    withself = proximity_table(
        _tidy_m6(), region="geo", activity="act", value="m", binary=True, self_pairs=True
    )
    assert len(withself) == 25


def test_density_table_binary_by_hand() -> None:
    out = density_table(_tidy_m6(), region="geo", activity="act", value="m", binary=True)
    assert list(out.columns) == ["geo", "act", "specialised", "density"]
    row = out[(out.geo == "r1") & (out.act == "c")]
    assert row["density"].item() == pytest.approx(0.75)
    assert row["specialised"].item() == 0.0


def test_adapter_errors() -> None:
    df = _tidy_m6()
    with pytest.raises(InputError, match=r"binary=True needs column 'm' to hold only 0 and 1"):
        density_table(df.assign(m=df.m * 3), region="geo", activity="act", value="m",
                      binary=True)  # fmt: skip
    with pytest.raises(InputError, match=r"threshold must be a number > 0; got -1"):
        proximity_table(df, region="geo", activity="act", value="m", threshold=-1)
    with pytest.raises(ConventionError, match=r"method must be one of .*got 'cos'"):
        proximity_table(df, region="geo", activity="act", value="m", method="cos")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"cannot be used with binary=True"):
        proximity_table(df, region="geo", activity="act", value="m", binary=True,
                        method="rca_correlation")  # fmt: skip
    with pytest.raises(InputError, match=r"self_pairs must be True or False; got 'yes'"):
        proximity_table(df, region="geo", activity="act", value="m", self_pairs="yes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"data has no column 'emp'"):
        density_table(df, region="geo", activity="act", value="emp")


def test_zero_total_region_is_named_and_nan() -> None:
    df = pd.DataFrame(
        {
            "geo": ["A", "A", "B", "B", "C", "C", "Z", "Z"],
            "act": ["x", "y"] * 4,
            "emp": [5.0, 1.0, 1.0, 5.0, 3.0, 3.0, 0.0, 0.0],
        }
    )
    with pytest.warns(
        DegenerateDataWarning, match=r"1 region\(s\) in column 'geo' have a total of 0.*'Z'"
    ):
        out = density_table(df, region="geo", activity="act", value="emp")
    z = out[out.geo == "Z"]
    assert z["density"].isna().all() and z["specialised"].isna().all()
    assert out[out.geo != "Z"]["density"].notna().all()


# ------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def baci(shared_data) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    path = shared_data / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz"
    df = pd.read_csv(path)
    df["year"] = 2024
    return df


def test_baci_proximity_and_density_match_ecomplexity(baci: pd.DataFrame) -> None:
    ecx = pytest.importorskip("ecomplexity")
    cols = {"time": "year", "loc": "i", "prod": "hs2", "val": "v"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ecx.proximity(baci, cols)
        full = ecx.ecomplexity(baci, cols, verbose=False, check_logsupermodularity=False)
    ref = ref[ref.hs2_1 != ref.hs2_2]
    got = proximity_table(baci, region="i", activity="hs2", value="v", time="year")
    m = got.merge(ref, left_on=["year", "activity_from", "activity_to"],
                  right_on=["year", "hs2_1", "hs2_2"])  # fmt: skip
    assert len(m) == len(got) == 96 * 95
    np.testing.assert_allclose(m["proximity_x"], m["proximity_y"], rtol=0, atol=1e-12)
    # ecomplexity 0.5.3 keeps the self-proximity in density
    dens = density_table(baci, region="i", activity="hs2", value="v", include_diagonal=True)
    md = dens.merge(full, on=["i", "hs2"])
    assert len(md) == 226 * 96
    np.testing.assert_allclose(md["density_x"], md["density_y"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(md["specialised"], md["mcp"])


def test_baci_all_methods_density_in_unit_interval(baci: pd.DataFrame) -> None:
    for method in kr.PROXIMITY_METHODS:
        d = density_table(baci, region="i", activity="hs2", value="v", method=method)
        assert d["density"].between(0, 1 + 1e-12).all(), method


# ------------------------------------------------------------ properties

binary_matrices = arrays(
    np.int8, st.tuples(st.integers(2, 9), st.integers(2, 7)), elements=st.integers(0, 1)
)


@settings(max_examples=60, deadline=None)
@given(binary_matrices, st.sampled_from(kr.PROXIMITY_METHODS[:5]))
def test_density_in_unit_interval(m: np.ndarray, method: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        d = kr.relatedness_density(m, kr.proximity(m, method=method))  # type: ignore[arg-type]
    finite = d[np.isfinite(d)]
    assert np.all(finite >= 0) and np.all(finite <= 1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(binary_matrices, st.sampled_from(kr.PROXIMITY_METHODS[:5]), st.randoms())
def test_permutation_and_sparse_input(m: np.ndarray, method: str, rnd) -> None:  # type: ignore[no-untyped-def]
    rows = np.array(rnd.sample(range(m.shape[0]), m.shape[0]))
    cols = np.array(rnd.sample(range(m.shape[1]), m.shape[1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        phi = kr.proximity(m, method=method)  # type: ignore[arg-type]
        phi_sparse = kr.proximity(sp.csr_matrix(m), method=method)  # type: ignore[arg-type]
        phi_perm = kr.proximity(m[rows][:, cols], method=method)  # type: ignore[arg-type]
        d = kr.relatedness_density(m, phi)
        d_sparse = kr.relatedness_density(sp.csc_matrix(m), phi_sparse)
        d_perm = kr.relatedness_density(m[rows][:, cols], phi_perm)
    np.testing.assert_array_equal(phi, phi_sparse)
    np.testing.assert_array_equal(d, d_sparse)
    np.testing.assert_allclose(phi_perm, phi[np.ix_(cols, cols)], atol=1e-12)
    np.testing.assert_allclose(d_perm, d[np.ix_(rows, cols)], atol=1e-12)
