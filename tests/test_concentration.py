"""Concentration and inequality indices: hand-worked 6 x 5 example, real data, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ris3.errors import ConventionError, DegenerateDataWarning, InputError
from ris3.kernels import concentration as kc
from ris3.measures.concentration import (
    coefficient_of_specialisation,
    gini_specialisation,
    herfindahl,
    hoover_index,
    krugman_index,
    locational_gini,
)
from test_specialisation import X, tidy

KW = {"region": "geo", "activity": "nace", "value": "emp"}


def test_herfindahl_by_region_and_activity() -> None:
    out = herfindahl(tidy(X), **KW)
    assert list(out.columns) == ["geo", "herfindahl"]
    # R1 shares .5 0 .25 .25 0 -> .25 + .0625 + .0625; R5 1/16 1/16 1/4 1/4 3/8
    np.testing.assert_allclose(
        out["herfindahl"], [0.375, 0.21875, 0.375, 0.34375, 0.2734375, 0.21875], rtol=1e-15
    )
    by_act = herfindahl(tidy(X), **KW, by="activity")
    assert list(by_act.columns) == ["nace", "herfindahl"]
    # activity a: regional shares .4 .2 0 .2 .1 .1
    assert by_act["herfindahl"].iloc[0] == pytest.approx(0.26, rel=1e-14)


def test_krugman_and_coefficient_of_specialisation() -> None:
    k = krugman_index(tidy(X), **KW)
    np.testing.assert_allclose(k["krugman_index"], [0.75, 0, 0.75, 0.5, 0.25, 0], atol=1e-15)
    half = krugman_index(tidy(X), **KW, halved=True)
    np.testing.assert_allclose(half["krugman_index"], k["krugman_index"] / 2, atol=1e-15)
    cs = coefficient_of_specialisation(tidy(X), **KW)
    np.testing.assert_allclose(
        cs["coefficient_of_specialisation"], [0.375, 0, 0.375, 0.25, 0.125, 0], atol=1e-15
    )


def test_hoover_index() -> None:
    out = hoover_index(tidy(X), **KW)
    assert list(out.columns) == ["nace", "hoover_index"]
    np.testing.assert_allclose(out["hoover_index"], [0.3, 0.2, 0.2, 0.0, 0.3], atol=1e-15)


def test_gini_of_lq_and_shares() -> None:
    g = gini_specialisation(tidy(X), **KW)
    # R1 LQs 4 0 1 1 0 sorted 0 0 1 1 4: (0 + 0 + 0 + 2 + 16) / (5 * 6)
    np.testing.assert_allclose(g["gini"], [0.6, 0.0, 0.48, 0.32, 5 / 22.5, 0.0], atol=1e-15)
    gs = gini_specialisation(tidy(X), **KW, of="shares")
    assert gs["gini"].iloc[0] == pytest.approx(0.5, rel=1e-15)  # .5 .25 .25 0 0
    assert gs["gini"].iloc[1] == pytest.approx(0.15, rel=1e-14)  # 1/8 1/8 1/4 1/4 1/4


def test_locational_gini() -> None:
    out = locational_gini(tidy(X), **KW)
    # activity a: regions by LQ R3 R5 R2 R4 R6 R1, areas .2*.0+.2*.1+.2*.4+.2*.8+.1*1.1+.1*1.6
    assert out["locational_gini"].iloc[0] == pytest.approx(0.47, rel=1e-14)
    assert out["locational_gini"].iloc[3] == pytest.approx(0.0, abs=1e-15)  # d spread like total


def test_time_and_absent_activities() -> None:
    x2 = X[:, :4]  # activity e absent in 2021
    df = pd.concat([tidy(X).assign(year=2020), tidy(x2, acts=list("abcd")).assign(year=2021)])
    out = hoover_index(df, **KW, time="year")
    assert out.loc[out.year == 2021, "nace"].tolist() == list("abcd")
    alone = hoover_index(tidy(x2, acts=list("abcd")), **KW)
    np.testing.assert_allclose(out.loc[out.year == 2021, "hoover_index"], alone["hoover_index"])
    k = krugman_index(df, **KW, time="year")
    assert list(k.columns) == ["year", "geo", "krugman_index"]
    assert len(k) == 12


def test_errors() -> None:
    with pytest.raises(
        ConventionError, match="by must be one of 'region', 'activity'; got 'country'"
    ):
        herfindahl(tidy(X), **KW, by="country")  # type: ignore[arg-type]
    with pytest.raises(ConventionError, match="of must be one of 'lq', 'shares'; got 'values'"):
        gini_specialisation(tidy(X), **KW, of="values")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="halved must be True or False; got 1"):
        krugman_index(tidy(X), **KW, halved=1)  # type: ignore[arg-type]
    z = tidy(X)
    z.loc[z.nace == "a", "emp"] = 0.0
    with pytest.warns(
        DegenerateDataWarning, match=r"the Hoover index is undefined for 1 activit\(ies\).*'a'"
    ):
        hz = hoover_index(z, **KW).set_index("nace")["hoover_index"]
    assert np.isnan(hz["a"])
    # the other activities as without 'a' (it adds nothing to any region's total)
    hb = hoover_index(z[z.nace != "a"], **KW).set_index("nace")["hoover_index"]
    pd.testing.assert_series_equal(hz.drop("a"), hb)


matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 7), st.integers(2, 6)),
    elements=st.sampled_from([0.0, 1.0, 2.0, 5.0, 40.0]),
).filter(lambda m: (m.sum(axis=1) > 0).all() and (m.sum(axis=0) > 0).all())


@settings(max_examples=25, deadline=None)
@given(matrices)
def test_kernel_properties(m: np.ndarray) -> None:
    n_r, n_a = m.shape
    s = sp.csr_matrix(m)
    np.testing.assert_array_equal(kc.herfindahl(m), kc.herfindahl(s))
    h = kc.herfindahl(m)
    assert ((h >= 1 / n_a - 1e-12) & (h <= 1 + 1e-12)).all()
    # share_gap agrees with the dense definition
    shares = m / m.sum(axis=1, keepdims=True)
    ref = m.sum(axis=0) / m.sum()
    np.testing.assert_allclose(kc.share_gap(s, ref), np.abs(shares - ref).sum(axis=1), atol=1e-12)
    g = kc.gini_rows(shares)
    assert ((g >= -1e-12) & (g <= (n_a - 1) / n_a + 1e-12)).all()
    lg = kc.locational_gini(s)
    assert ((lg >= -1e-12) & (lg < 1)).all()
    np.testing.assert_allclose(kc.locational_gini(m * 7.0), lg, atol=1e-12)


def test_real_exports_krugman_and_hoover(shared_data: Path) -> None:
    ex = pd.read_csv(shared_data / "trade_oec_hs_sections_datawheel" / "global_exports.csv.gz")
    kw = {"region": "Country ID", "activity": "Section ID", "value": "Trade Value"}
    k = krugman_index(ex, **kw).set_index("Country ID")["krugman_index"]
    share = ex["Trade Value"] / ex.groupby("Country ID")["Trade Value"].transform("sum")
    world = ex.groupby("Section ID")["Trade Value"].sum() / ex["Trade Value"].sum()
    # countries report every section here? cells absent count as 0: build the full grid
    full = ex.assign(s=share).pivot(index="Country ID", columns="Section ID", values="s").fillna(0)
    expected = (full - world).abs().sum(axis=1)
    np.testing.assert_allclose(k.loc[expected.index], expected, rtol=1e-10)
    assert k.loc["afago"] > 1.5  # Angola: oil
    hv = hoover_index(ex, **kw).set_index("Section ID")["hoover_index"]
    tot = ex.groupby("Country ID")["Trade Value"].sum() / ex["Trade Value"].sum()
    act = ex.pivot(index="Country ID", columns="Section ID", values="Trade Value").fillna(0)
    exp_h = 0.5 * (act / act.sum()).sub(tot, axis=0).abs().sum()
    np.testing.assert_allclose(hv.loc[exp_h.index], exp_h, rtol=1e-10)
