"""Economic complexity: ecomplexity 0.5.3 (live and stored), hand checks, properties."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ris3 import (
    ComplexityResult,
    ConventionError,
    DegenerateDataError,
    DegenerateDataWarning,
    InputError,
    complexity,
)
from ris3.kernels import complexity as kc
from ris3.measures.complexity import TIDY_COLUMNS

REF = Path(__file__).parent / "references"
PY = {"standardise": "regions", "self_proximity": True}  # Python ecomplexity 0.5.3
TOL = 1e-9


@pytest.fixture(scope="module")
def baci(shared_data) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    path = shared_data / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz"
    df = pd.read_csv(path)
    df["year"] = 2024
    return df


@pytest.fixture(scope="module")
def cbp(shared_data) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    path = shared_data / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz"
    df = pd.read_csv(path, dtype={"naics_code": str})
    df = df.loc[df["naics_level"] == 6, ["cbsa_code", "naics_code", "EMP"]].copy()
    df["year"] = 2019
    return df


def _check_against_ecomplexity(got: pd.DataFrame, ref: pd.DataFrame, keys: list[str]) -> None:
    m = got.merge(ref, on=keys, suffixes=("", "_ec"), validate="one_to_one")
    assert len(m) == len(got) == len(ref)
    np.testing.assert_array_equal(m["specialised"], m["mcp"])
    np.testing.assert_allclose(m["lq"], m["rca"], rtol=0, atol=TOL, err_msg="lq")
    for col in ("density", "diversity", "ubiquity", "eci", "pci", "coi", "cog"):
        np.testing.assert_allclose(m[col], m[f"{col}_ec"], rtol=0, atol=TOL, err_msg=col)


# ------------------------------------------------ ecomplexity 0.5.3, run live


def test_baci_matches_ecomplexity_live(baci: pd.DataFrame) -> None:
    ecx = pytest.importorskip("ecomplexity")
    cols = {"time": "year", "loc": "i", "prod": "hs2", "val": "v"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ecx.ecomplexity(baci, cols, verbose=False, check_logsupermodularity=False)
    res = complexity(baci, region="i", activity="hs2", value="v", time="year", **PY)
    _check_against_ecomplexity(res.tidy(), ref, ["year", "i", "hs2"])


@pytest.mark.slow
def test_cbp_matches_ecomplexity_live(cbp: pd.DataFrame) -> None:
    ecx = pytest.importorskip("ecomplexity")
    cols = {"time": "year", "loc": "cbsa_code", "prod": "naics_code", "val": "EMP"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ecx.ecomplexity(cbp, cols, verbose=False, check_logsupermodularity=False)
    res = complexity(cbp, region="cbsa_code", activity="naics_code", value="EMP", time="year", **PY)
    _check_against_ecomplexity(res.tidy(), ref, ["year", "cbsa_code", "naics_code"])


# ----------------------------------- stored references (make_complexity_reference.py)


def _stored(name: str, loc: str, prod: str) -> tuple[pd.DataFrame, ...]:
    dtypes = {loc: str, prod: str}
    return tuple(
        pd.read_csv(REF / f"ecomplexity_{name}_{part}.csv", dtype=dtypes)
        for part in ("regions", "activities", "cells")
    )


@pytest.mark.parametrize("convention", ["py", "stata"])
@pytest.mark.parametrize("name", ["baci", "cbp"])
def test_matches_stored_reference(
    name: str, convention: str, request: pytest.FixtureRequest
) -> None:
    df = request.getfixturevalue(name)
    loc, prod, val = {"baci": ("i", "hs2", "v"), "cbp": ("cbsa_code", "naics_code", "EMP")}[name]
    df = df.astype({loc: str, prod: str})
    opts = PY if convention == "py" else {}
    res = complexity(df, region=loc, activity=prod, value=val, **opts)
    regions, acts, cells = _stored(name, loc, prod)
    e = res.eci.merge(regions, on=loc, validate="one_to_one")
    assert len(e) == len(regions) == len(res.eci)
    np.testing.assert_array_equal(e["diversity_x"], e["diversity_y"])
    np.testing.assert_allclose(e["eci"], e[f"eci_{convention}"], rtol=0, atol=TOL)
    np.testing.assert_allclose(e["coi"], e[f"coi_{convention}"], rtol=0, atol=TOL)
    p = res.pci.merge(acts, on=prod, validate="one_to_one")
    assert len(p) == len(acts) == len(res.pci)
    np.testing.assert_array_equal(p["ubiquity_x"], p["ubiquity_y"])
    np.testing.assert_allclose(p["pci"], p[f"pci_{convention}"], rtol=0, atol=TOL)
    c = res.tidy().merge(cells, on=[loc, prod], validate="one_to_one")
    assert len(c) == len(cells)
    np.testing.assert_allclose(c["lq"], c["rca"], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(c["specialised"], c["mcp"])
    np.testing.assert_allclose(c["density"], c[f"density_{convention}"], rtol=0, atol=TOL)
    np.testing.assert_allclose(c["cog"], c[f"cog_{convention}"], rtol=0, atol=TOL)


# ----------------------------------------------------------- hand checks


def _eig_reference(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ECI/PCI straight from the definition with a dense non-symmetric eig."""
    k, u = m.sum(1), m.sum(0)
    mpp = (m / u).T @ (m / k[:, None])
    vals, vecs = np.linalg.eig(mpp)
    kp = np.real(vecs[:, np.argsort(np.real(vals))[-2]])
    kcv = (m @ kp) / k
    if np.corrcoef(kcv, k)[0, 1] < 0:
        kp, kcv = -kp, -kcv
    n = kcv.size * m.shape[1]
    s = np.sqrt(m.shape[1] * ((kcv - kcv.mean()) ** 2).sum() / (n - 1))
    return (kcv - kcv.mean()) / s, (kp - kcv.mean()) / s


M_NESTED = np.array(
    [
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0],
        [1, 1, 1, 0, 0],
        [1, 1, 0, 0, 1],
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0],
    ],
    dtype=float,
)


def test_kernel_matches_definition_and_orders_nested_matrix() -> None:
    res = kc.economic_complexity(M_NESTED)
    eci, pci = _eig_reference(M_NESTED)
    np.testing.assert_allclose(res.eci, eci, atol=1e-12)
    np.testing.assert_allclose(res.pci, pci, atol=1e-12)
    # a perfectly nested (triangular) matrix: complexity follows the nesting
    tri = np.triu(np.ones((5, 5)))[:, ::-1]  # region i has activities 0 .. 4 - i
    nested = kc.economic_complexity(tri)
    assert np.all(np.diff(nested.eci) < 0) and np.all(np.diff(nested.pci) > 0)
    # ECI is the mean PCI of the region's activities (Growth Lab normalisation)
    np.testing.assert_allclose(res.eci, (M_NESTED @ res.pci) / M_NESTED.sum(1), atol=1e-12)


def test_rows_vs_regions_standardisation() -> None:
    rows = kc.economic_complexity(M_NESTED)
    regs = kc.economic_complexity(M_NESTED, standardise="regions")
    assert regs.eci.std(ddof=0) == pytest.approx(1.0)
    # rows: each region counted 5 times, ddof=1 over 30 rows
    assert np.sqrt(5 * (rows.eci**2).sum() / 29) == pytest.approx(1.0)
    np.testing.assert_allclose(rows.eci * np.sqrt(30 / 29), regs.eci, atol=1e-12)


def test_coi_cog_by_definition() -> None:
    res = kc.economic_complexity(M_NESTED)
    phi = res.proximity.copy()
    np.fill_diagonal(phi, 0)
    d = (M_NESTED @ phi) / phi.sum(0)
    np.testing.assert_allclose(res.density, d, atol=1e-14)
    coi = ((d * (1 - M_NESTED)) * res.kp).sum(1)
    n = M_NESTED.size
    coi_z = (coi - coi.mean()) / np.sqrt(5 * ((coi - coi.mean()) ** 2).sum() / (n - 1))
    np.testing.assert_allclose(res.coi, coi_z, atol=1e-12)
    cog = np.zeros_like(M_NESTED)
    for c in range(6):
        for p in range(5):
            cog[c, p] = (1 - M_NESTED[c, p]) * sum(
                (1 - M_NESTED[c, q]) * phi[q, p] * res.kp[q] / phi[q].sum() for q in range(5)
            )
    np.testing.assert_allclose(res.cog, cog / res.sd, atol=1e-12)


def test_eigsh_path_matches_dense_path(baci: pd.DataFrame, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dense = complexity(baci, region="i", activity="hs2", value="v")
    monkeypatch.setattr(kc, "DENSE_LIMIT", 10)
    sparse = complexity(baci, region="i", activity="hs2", value="v")
    np.testing.assert_allclose(sparse.eci["eci"], dense.eci["eci"], atol=1e-10)
    np.testing.assert_allclose(sparse.pci["pci"], dense.pci["pci"], atol=1e-10)


def test_reflections_approach_eigenvector(baci: pd.DataFrame) -> None:
    eig = complexity(baci, region="i", activity="hs2", value="v")
    few = complexity(baci, region="i", activity="hs2", value="v", method="reflections",
                     iterations=2)  # fmt: skip
    many = complexity(baci, region="i", activity="hs2", value="v", method="reflections",
                      iterations=300)  # fmt: skip
    err_few = np.abs(few.eci["eci"] - eig.eci["eci"]).max()
    err_many = np.abs(many.eci["eci"] - eig.eci["eci"]).max()
    assert err_many < 1e-8 < err_few
    assert many.periods[0].iterations == 300


def test_reflections_count_single_steps_as_documented() -> None:
    """``iterations=N`` is kc after 2N + 2 single reflections (EconGeo MORc steps=20 -> 9)."""
    rng = np.random.default_rng(3)
    m = (rng.random((30, 20)) < 0.35).astype(float)
    k, u = m.sum(axis=1), m.sum(axis=0)
    kc_n, kp_n = k.copy(), u.copy()
    for _ in range(20):  # kc_n = M kp_(n-1) / k, kp_n = M' kc_(n-1) / u, from kc_0 = k
        kc_n, kp_n = (m @ kp_n) / k, (m.T @ kc_n) / u

    def z(x: np.ndarray) -> np.ndarray:
        return (x - x.mean()) / x.std()

    gaps = {}
    for n in (8, 9, 10):
        eci = np.asarray(kc.economic_complexity(m, method="reflections", iterations=n).eci)
        gaps[n] = np.abs(z(eci) - np.sign(np.corrcoef(eci, kc_n)[0, 1]) * z(kc_n)).max()
    assert gaps[9] < 1e-8 < min(gaps[8], gaps[10])


def test_fitness_is_a_fixed_point(baci: pd.DataFrame) -> None:
    res = complexity(baci, region="i", activity="hs2", value="v", method="fitness", tol=1e-13)
    a = res.periods[0]
    m = res.tidy().pivot(index="i", columns="hs2", values="specialised").to_numpy(dtype=float)
    f, q = a.eci, a.pci
    f_next = m @ q
    q_next = 1 / (m.T @ (1 / f))
    np.testing.assert_allclose(f_next / f_next.mean(), f, rtol=1e-9)
    np.testing.assert_allclose(q_next / q_next.mean(), q, rtol=1e-9)
    assert f.mean() == pytest.approx(1.0) and q.mean() == pytest.approx(1.0)
    # fitness ranks countries much like ECI does
    eci = complexity(baci, region="i", activity="hs2", value="v").eci["eci"]
    assert pd.Series(f).corr(eci.reset_index(drop=True), method="spearman") > 0.5


def test_fitness_not_converging_warns() -> None:
    with pytest.warns(DegenerateDataWarning, match=r"fitness-complexity did not converge"):
        kc.economic_complexity(M_NESTED, method="fitness", max_iter=3)


# ------------------------------------------------------------ tidy, time


def _panel(baci: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    other = baci.assign(year=2025, v=baci["v"] * rng.lognormal(0, 0.3, len(baci)))
    return pd.concat([baci, other], ignore_index=True)


def test_tidy_columns_and_per_year_equals_single_year(baci: pd.DataFrame) -> None:
    panel = _panel(baci)
    res = complexity(panel, region="i", activity="hs2", value="v", time="year")
    assert isinstance(res, ComplexityResult)
    tidy = res.tidy()
    assert list(tidy.columns) == ["year", "i", "hs2", *TIDY_COLUMNS]
    assert len(tidy) == 2 * 226 * 96
    single = complexity(panel[panel.year == 2025], region="i", activity="hs2", value="v").tidy()
    got = tidy[tidy.year == 2025].drop(columns="year").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, single, check_exact=False, atol=1e-12, rtol=0)
    assert list(res.eci.columns) == ["year", "i", "diversity", "eci", "coi"]
    assert list(res.pci.columns) == ["year", "hs2", "ubiquity", "pci"]
    assert len(res.proximity) == 2 * 96 * 95
    text = res.summary()
    assert "period 2025" in text and "second eigenvalue" in text and "RCA >= 1" in text


# ---------------------------------------------------------- degenerate data


def _toy() -> pd.DataFrame:
    regions = ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["D"] * 4
    df = pd.DataFrame(
        {
            "region": regions,
            "sector": ["s1", "s2", "s3", "s4"] * 4,
            "jobs": [5, 10, 10, 10, 10, 10, 5, 1, 30, 20, 2, 1, 40, 2, 1, 1],
        }
    )
    return df


def test_zero_total_region_and_activity_named_nan_rows_only() -> None:
    df = _toy()
    extra = pd.DataFrame(
        {"region": ["Z"] * 4 + ["A", "B", "C", "D"], "sector": ["s1", "s2", "s3", "s4", *["s9"] * 4],
         "jobs": [0.0] * 8}
    )  # fmt: skip
    df = pd.concat([df, extra], ignore_index=True)
    with pytest.warns(DegenerateDataWarning) as rec:
        res = complexity(df, region="region", activity="sector", value="jobs")
    text = " ".join(str(w.message) for w in rec)
    assert "column 'region' have a total of 0" in text and "'Z'" in text
    assert "column 'sector' have a total of 0" in text and "'s9'" in text
    tidy = res.tidy()
    bad = (tidy.region == "Z") | (tidy.sector == "s9")
    assert tidy.loc[bad, list(TIDY_COLUMNS)].isna().all().all()
    assert tidy.loc[~bad, list(TIDY_COLUMNS)].notna().all().all()
    clean = complexity(_toy(), region="region", activity="sector", value="jobs").tidy()
    pd.testing.assert_frame_equal(tidy.loc[~bad].reset_index(drop=True), clean)


def _named(res: kc.ComplexityArrays, regions: list[str], activities: list[str]) -> None:
    """The measure's warnings, from what the label-free kernel returned."""
    from ris3.measures._kernel_warnings import warn_complexity_exclusions

    warn_complexity_exclusions(res, regions, activities)


def test_zero_diversity_region_named() -> None:
    m = np.vstack([M_NESTED, np.zeros(5)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)  # the kernel names nobody
        res = kc.economic_complexity(m)
    with pytest.warns(DegenerateDataWarning, match=r"specialised in nothing.*'R7'"):
        _named(res, [f"R{i + 1}" for i in range(7)], [f"p{i + 1}" for i in range(5)])
    assert np.isnan(res.eci[6]) and np.isfinite(res.eci[:6]).all()
    np.testing.assert_allclose(res.eci[:6], kc.economic_complexity(M_NESTED).eci, atol=1e-12)


def test_zero_ubiquity_activity_named() -> None:
    m = np.hstack([M_NESTED, np.zeros((6, 1))])
    res = kc.economic_complexity(m)
    with pytest.warns(DegenerateDataWarning, match=r"no specialised region.*'p6'"):
        _named(res, [f"R{i + 1}" for i in range(6)], [f"p{i + 1}" for i in range(6)])
    assert np.isnan(res.pci[5]) and np.isfinite(res.pci[:5]).all()


def test_disconnected_network_uses_largest_component() -> None:
    m = np.block([[M_NESTED, np.zeros((6, 2))], [np.zeros((2, 5)), np.array([[1, 1], [1, 0]])]])
    res = kc.economic_complexity(m)
    assert res.n_components == 2
    with pytest.warns(DegenerateDataWarning, match=r"disconnected .*'I1', 'I2'.*'q1', 'q2'"):
        _named(
            res,
            [f"R{i}" for i in range(6)] + ["I1", "I2"],
            [f"p{i}" for i in range(5)] + ["q1", "q2"],
        )
    assert np.isnan(res.eci[6:]).all() and np.isnan(res.pci[5:]).all()
    # ECI of the main component is computed on it alone (row count of the full matrix)
    assert np.isfinite(res.eci[:6]).all()
    assert res.included_regions.tolist() == [True] * 6 + [False] * 2


def test_identical_regions_raise() -> None:
    with pytest.raises(DegenerateDataError, match=r"kc is the same for every region"):
        kc.economic_complexity(np.ones((4, 3)))
    with pytest.raises(DegenerateDataError, match=r"kc is the same for every region"):
        kc.economic_complexity(np.ones((4, 3)), method="reflections")
    with pytest.raises(DegenerateDataError, match=r"at least 2 regions and 2 activities"):
        kc.economic_complexity(np.array([[1.0, 1.0]]))


def test_kernel_option_errors() -> None:
    with pytest.raises(ConventionError, match=r"method must be one of .*got 'x'"):
        kc.economic_complexity(M_NESTED, method="x")  # type: ignore[arg-type]
    with pytest.raises(ConventionError, match=r"standardise must be one of .*got 'y'"):
        kc.economic_complexity(M_NESTED, standardise="y")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"iterations must be an integer >= 1; got 0"):
        kc.economic_complexity(M_NESTED, method="reflections", iterations=0)


def test_option_errors() -> None:
    df = _toy()
    kw = {"region": "region", "activity": "sector", "value": "jobs"}
    with pytest.raises(ConventionError, match=r"method must be one of 'eigenvector'.*got 'svd'"):
        complexity(df, method="svd", **kw)  # type: ignore[arg-type]
    with pytest.raises(ConventionError, match=r"standardise must be one of 'rows', 'regions'"):
        complexity(df, standardise="zscore", **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"iterations must be an integer >= 1; got 0"):
        complexity(df, method="reflections", iterations=0, **kw)
    with pytest.raises(InputError, match=r"threshold must be a number > 0; got 0"):
        complexity(df, threshold=0, **kw)
    with pytest.raises(InputError, match=r"self_proximity must be True or False; got 1"):
        complexity(df, self_proximity=1, **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"binary=True needs column 'jobs' to hold only 0 and 1"):
        complexity(df, binary=True, **kw)
    with pytest.raises(InputError, match=r"column 'jobs' has 1 missing value"):
        complexity(df.assign(jobs=df.jobs.where(df.index != 3)), **kw)


def test_binary_input_and_missing_drop() -> None:
    df = _toy()
    kw = {"region": "region", "activity": "sector"}
    res = complexity(df, value="jobs", **kw)
    pres = res.tidy()[["region", "sector", "specialised"]]
    pres = pres.assign(specialised=pres["specialised"].astype(float))  # 0/1 as binary input
    again = complexity(pres, value="specialised", binary=True, **kw).tidy()
    np.testing.assert_allclose(again["eci"], res.tidy()["eci"], atol=1e-12)
    assert again["lq"].isna().all()
    dropped = complexity(df.assign(jobs=df.jobs.where(df.index != 15)), missing="drop",
                         value="jobs", **kw)  # fmt: skip
    assert "1 dropped" in dropped.summary()


# -------------------------------------------------------------- properties

presence_matrices = arrays(
    np.int8, st.tuples(st.integers(3, 8), st.integers(3, 6)), elements=st.integers(0, 1)
)


def _connected(m: np.ndarray) -> bool:
    from scipy.sparse import bmat, csr_matrix
    from scipy.sparse.csgraph import connected_components

    if (m.sum(0) == 0).any() or (m.sum(1) == 0).any():
        return False
    adj = bmat([[None, csr_matrix(m)], [csr_matrix(m.T), None]])
    return connected_components(adj)[0] == 1


@settings(max_examples=40, deadline=None)
@given(presence_matrices, st.randoms())
def test_properties_of_eci(m: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    assume(_connected(m))
    try:
        res = kc.economic_complexity(m)
    except DegenerateDataError:
        assume(False)
        return
    # sign convention: ECI increases with diversity on average
    if np.ptp(m.sum(1)) > 0:
        assert np.corrcoef(res.eci, m.sum(1))[0, 1] >= -1e-12
    # ECI = mean PCI of the region's activities
    np.testing.assert_allclose(res.eci, (m @ res.pci) / m.sum(1), atol=1e-8)
    # relabelling permutes the results; dense and sparse input agree
    rows = np.array(rnd.sample(range(m.shape[0]), m.shape[0]))
    cols = np.array(rnd.sample(range(m.shape[1]), m.shape[1]))
    perm = kc.economic_complexity(m[rows][:, cols])
    from scipy.sparse import csr_matrix

    sparse = kc.economic_complexity(csr_matrix(m))
    np.testing.assert_array_equal(sparse.eci, res.eci)
    lambdas = np.sort(np.linalg.eigvals((m / m.sum(0)).T @ (m / m.sum(1)[:, None])).real)
    oriented = abs(np.corrcoef(res.kc, m.sum(1))[0, 1]) > 1e-9
    if abs(res.eigenvalue - lambdas[-3]) > 1e-6 and oriented:
        # the result is unique only when lambda_2 is simple and kc is correlated
        # with diversity (otherwise the sign rule cannot orient it)
        np.testing.assert_allclose(perm.eci, res.eci[rows], atol=1e-8)
        np.testing.assert_allclose(perm.pci, res.pci[cols], atol=1e-8)
        np.testing.assert_allclose(perm.cog, res.cog[np.ix_(rows, cols)], atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.float64, (6, 5), elements=st.floats(0.5, 100)),
    st.integers(0, 5),
    st.floats(0.1, 1000),
)
def test_eci_orientation_and_scale_invariance(x: np.ndarray, region: int, scale: float) -> None:
    df = pd.DataFrame(
        {"r": np.repeat(np.arange(6), 5), "a": np.tile(np.arange(5), 6), "v": x.ravel()}
    )
    kw = {"region": "r", "activity": "a", "value": "v"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        try:
            base = complexity(df, **kw)
            scaled = complexity(df.assign(v=df.v * scale), **kw)
            doubled = complexity(df.assign(v=np.where(df.r == region, df.v * 2, df.v)), **kw)
        except DegenerateDataError:
            assume(False)
            return
    np.testing.assert_allclose(scaled.tidy()["eci"], base.tidy()["eci"], atol=1e-9, equal_nan=True)
    for res in (base, doubled):
        e = res.eci.dropna()
        if e["diversity"].nunique() > 1:
            # positive by construction; zero (to rounding) when the orientation is undefined
            assert np.corrcoef(e["eci"], e["diversity"])[0, 1] > -1e-9
