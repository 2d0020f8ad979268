"""Estimation of suppressed cells within published margins (ris3.estimate_suppressed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.data.suppressed import estimate_suppressed
from ris3.errors import ClassificationError, InputError

V = "persons_employed"


def test_hand_case_one_region_one_section() -> None:
    df = pd.DataFrame({"geo": ["R", "R"], "nace": ["C10", "C11"], "emp": [70.0, np.nan]})
    secs = pd.DataFrame({"geo": ["R"], "nace": ["C"], "emp": [100.0]})
    est = estimate_suppressed(
        df,
        region="geo",
        activity="nace",
        value="emp",
        activity_margins=secs,
        activity_parent={"C10": "C", "C11": "C"},
    )
    assert est.data["emp"].tolist() == [70.0, 30.0]
    assert est.data["estimated"].tolist() == [False, True]
    assert (est.n_missing, est.n_filled, est.n_left_missing) == (1, 1, 0)
    assert est.converged and est.max_relative_residual == 0.0
    assert df["emp"].isna().sum() == 1  # the caller's table is not modified


def test_hand_case_two_margins() -> None:
    # country X: regions X1, X2; divisions a, b of section S
    # truth: X1 a=10 b=30 ; X2 a=20 b=40 ; hidden X1a and X2b
    df = pd.DataFrame(
        {
            "geo": ["X1", "X1", "X2", "X2"],
            "nace": ["a", "b", "a", "b"],
            "emp": [np.nan, 30.0, 20.0, np.nan],
        }
    )
    secs = pd.DataFrame({"geo": ["X1", "X2"], "nace": ["S", "S"], "emp": [40.0, 60.0]})
    country = pd.DataFrame({"geo": ["X", "X"], "nace": ["a", "b"], "emp": [30.0, 70.0]})
    est = estimate_suppressed(
        df,
        region="geo",
        activity="nace",
        value="emp",
        activity_margins=secs,
        activity_parent={"a": "S", "b": "S"},
        region_margins=country,
        region_parent={"X1": "X", "X2": "X"},
    )
    np.testing.assert_allclose(est.data["emp"], [10.0, 30.0, 20.0, 40.0])
    assert est.data["estimated"].tolist() == [True, False, False, True]


def test_a_cell_without_published_margin_stays_missing() -> None:
    df = pd.DataFrame(
        {"geo": ["R", "R", "Q"], "nace": ["C10", "C11", "C10"], "emp": [70.0, np.nan, np.nan]}
    )
    secs = pd.DataFrame({"geo": ["R", "Q"], "nace": ["C", "C"], "emp": [100.0, np.nan]})
    est = estimate_suppressed(
        df,
        region="geo",
        activity="nace",
        value="emp",
        activity_margins=secs,
        activity_parent={"C10": "C", "C11": "C"},
    )
    assert est.data["emp"].isna().tolist() == [False, False, True]
    assert est.data["estimated"].tolist() == [False, True, False]
    assert (est.n_filled, est.n_left_missing) == (1, 1)


def _synthetic(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A full table with exact margins; about 30 % of cells hidden."""
    rng = np.random.default_rng(seed)
    regions = [f"{c}{i}" for c in "XY" for i in range(1, 6)]
    acts = {f"{s}{j}": s for s in "ST" for j in range(1, 5)}
    full = pd.DataFrame(
        [(r, a, s) for r in regions for a, s in acts.items()], columns=["geo", "nace", "sec"]
    )
    full["emp"] = rng.lognormal(4, 1.5, len(full)).round()
    full["country"] = full["geo"].str[0]
    secs = full.groupby(["geo", "sec"], as_index=False)["emp"].sum().rename(columns={"sec": "nace"})
    ctry = (
        full.groupby(["country", "nace"], as_index=False)["emp"]
        .sum()
        .rename(columns={"country": "geo"})
    )
    data = full.copy()
    data.loc[rng.random(len(data)) < 0.3, "emp"] = np.nan
    return full, data, secs, ctry


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_consistent_margins_hold_after_estimation(seed: int) -> None:
    full, data, secs, ctry = _synthetic(seed)
    est = estimate_suppressed(
        data,
        region="geo",
        activity="nace",
        value="emp",
        activity_margins=secs,
        activity_parent="sec",
        region_margins=ctry,
        region_parent="country",
        tol=1e-10,
    )
    out = est.data
    hidden = data["emp"].isna().to_numpy()
    assert est.converged
    assert (out["estimated"].to_numpy() == hidden).all()
    assert (out["emp"] >= 0).all() and out["emp"].notna().all()
    np.testing.assert_array_equal(out.loc[~hidden, "emp"], full.loc[~hidden, "emp"])
    by_sec = out.groupby(["geo", "sec"])["emp"].sum()
    np.testing.assert_allclose(by_sec, secs.set_index(["geo", "nace"])["emp"], rtol=1e-6)
    by_ctry = out.groupby(["country", "nace"])["emp"].sum()
    np.testing.assert_allclose(by_ctry, ctry.set_index(["geo", "nace"])["emp"], rtol=1e-6)
    assert est.max_relative_residual < 1e-6


@pytest.fixture(scope="module")
def sbs() -> dict[str, pd.DataFrame]:
    return {
        t: ris3.datasets.load("eu-sbs", t) for t in ("regions", "regions_sections", "countries")
    }


def _country_of(regions: pd.DataFrame) -> dict[str, str]:
    return {g: g[:2] for g in pd.unique(regions["geo"])}


def test_eu_sbs_section_margins_hold_where_feasible(sbs: dict[str, pd.DataFrame]) -> None:
    r, s = sbs["regions"], sbs["regions_sections"]
    est = estimate_suppressed(
        r,
        region="geo",
        activity="nace_r2",
        value=V,
        time="year",
        activity_margins=s,
        activity_parent="nace_section",
    )
    out = est.data
    missing = r[V].isna().to_numpy()
    # estimated exactly on filled cells, never on observed ones, observed values unchanged
    assert not out.loc[~missing, "estimated"].any()
    assert (out["estimated"].to_numpy() == (missing & out[V].notna().to_numpy())).all()
    np.testing.assert_array_equal(out.loc[~missing, V], r.loc[~missing, V])
    assert (out.loc[out["estimated"], V] >= 0).all()
    # left missing: exactly the cells whose section is not published (S95 has no section row)
    sec = s.set_index(["geo", "year", "nace_r2"])[V]
    keys = pd.MultiIndex.from_arrays([r["geo"], r["year"], r["nace_section"]])
    no_margin = sec.reindex(keys).isna().to_numpy()
    assert est.n_left_missing == int((missing & no_margin).sum())
    assert (out[V].isna().to_numpy() == (missing & no_margin)).all()
    # every section margin with a missing cell sums to its published value (gap >= 0)
    res = est.residuals
    feasible = res["published"] >= res["observed"]
    assert feasible.sum() > 1000
    assert res.loc[feasible, "relative_residual"].abs().max() < 1e-6
    # NL13 2014, section J: published J is confidential, so J's divisions stay missing;
    # section C (17,456 published) is filled up to the published value
    nl = out[(out["geo"] == "NL13") & (out["year"] == 2014)]
    assert nl.loc[nl["nace_section"] == "C", V].sum() == pytest.approx(17_456, rel=1e-9)
    assert nl.loc[(nl["nace_section"] == "J") & nl["estimated"]].empty


def test_eu_sbs_both_margins(sbs: dict[str, pd.DataFrame]) -> None:
    r = sbs["regions"]
    est = estimate_suppressed(
        r,
        region="geo",
        activity="nace_r2",
        value=V,
        time="year",
        activity_margins=sbs["regions_sections"],
        activity_parent="nace_section",
        region_margins=sbs["countries"],
        region_parent=_country_of(r),
    )
    out = est.data
    missing = r[V].isna().to_numpy()
    assert est.n_missing == int(missing.sum())
    assert est.n_filled + est.n_left_missing == est.n_missing
    assert (out["estimated"].to_numpy() == (missing & out[V].notna().to_numpy())).all()
    assert (out.loc[out["estimated"], V] >= 0).all()
    # measured on the bundled table (extra-regio units are not in it): 19,097 of the missing
    # cells lie under published margins and are filled
    assert est.n_filled == 19_097
    # where observed cells leave room (published >= observed), the sections are fitted last
    # and hold exactly; the country rows contradict some region x section rows (rounding,
    # NUTS conversion), so part of them cannot hold and the residuals say by how much
    res = est.residuals
    feasible = res[res["published"] >= res["observed"]]
    rel = feasible["relative_residual"].abs()
    assert rel[feasible["margin"] == "activity"].max() < 1e-6
    on_country = rel[feasible["margin"] == "region"]
    assert (on_country < 1e-6).mean() > 0.75 and (on_country < 0.01).mean() > 0.9
    assert est.n_incomplete_margins > 0  # countries with regions absent in 2008-2010
    # AT11 B08 2014 is confidential; the estimate respects the Austrian B08 row
    at = out[(out["geo"].str[:2] == "AT") & (out["year"] == 2014) & (out["nace_r2"] == "B08")]
    c = sbs["countries"]
    at_b08 = c[(c["geo"] == "AT") & (c["year"] == 2014) & (c["nace_r2"] == "B08")][V].item()
    assert at[V].sum() <= at_b08 * (1 + 1e-6)


def test_prior_shapes_the_split_within_a_margin() -> None:
    df = pd.DataFrame(
        {
            "geo": ["R"] * 3,
            "nace": ["C10", "C11", "C12"],
            "emp": [40.0, np.nan, np.nan],
            "before": [np.nan, 3.0, 1.0],
        }
    )
    secs = pd.DataFrame({"geo": ["R"], "nace": ["C"], "emp": [100.0]})
    est = estimate_suppressed(
        df,
        region="geo",
        activity="nace",
        value="emp",
        activity_margins=secs,
        activity_parent={"C10": "C", "C11": "C", "C12": "C"},
        prior="before",
    )
    np.testing.assert_allclose(est.data["emp"], [40.0, 45.0, 15.0])


def test_negative_gap_is_reported() -> None:
    df = pd.DataFrame({"geo": ["R", "R"], "nace": ["C10", "C11"], "emp": [120.0, np.nan]})
    secs = pd.DataFrame({"geo": ["R"], "nace": ["C"], "emp": [100.0]})
    est = estimate_suppressed(
        df,
        region="geo",
        activity="nace",
        value="emp",
        activity_margins=secs,
        activity_parent={"C10": "C", "C11": "C"},
    )
    assert est.data["emp"].tolist() == [120.0, 0.0]
    assert est.n_negative_gaps == 1
    assert est.residuals["residual"].tolist() == [-20.0]
    assert "1 margin(s) already exceeded" in est.summary()


def test_errors() -> None:
    df = pd.DataFrame({"geo": ["R", "R"], "nace": ["C10", "C11"], "emp": [70.0, np.nan]})
    secs = pd.DataFrame({"geo": ["R"], "nace": ["C"], "emp": [100.0]})
    par = {"C10": "C", "C11": "C"}
    kw = dict(region="geo", activity="nace", value="emp")
    with pytest.raises(InputError, match=r"give published margins to estimate within"):
        estimate_suppressed(df, **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"activity_margins= needs activity_parent="):
        estimate_suppressed(df, **kw, activity_margins=secs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"region_margins= needs region_parent="):
        estimate_suppressed(df, **kw, region_margins=secs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"activity_margins has 2 duplicated geo x nace rows"):
        estimate_suppressed(
            df,
            **kw,
            activity_margins=pd.concat([secs, secs]),  # type: ignore[arg-type]
            activity_parent=par,
        )
    with pytest.raises(InputError, match=r"activity_margins column 'emp' must be finite and >= 0"):
        estimate_suppressed(
            df,
            **kw,
            activity_margins=secs.assign(emp=-5.0),  # type: ignore[arg-type]
            activity_parent=par,
        )
    with pytest.raises(InputError, match=r"activity_margins has no column\(s\) 'emp'"):
        estimate_suppressed(
            df,
            **kw,
            activity_margins=secs.rename(columns={"emp": "x"}),  # type: ignore[arg-type]
            activity_parent=par,
        )
    with pytest.raises(InputError, match=r"activity_margins matches no cell of data"):
        estimate_suppressed(
            df,
            **kw,
            activity_margins=secs.assign(nace="Z"),  # type: ignore[arg-type]
            activity_parent=par,
        )
    with pytest.raises(ClassificationError, match=r"activity_parent gives no parent to 1 .*'C11'"):
        estimate_suppressed(df, **kw, activity_margins=secs, activity_parent={"C10": "C"})  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"max_iter must be"):
        estimate_suppressed(df, **kw, activity_margins=secs, activity_parent=par, max_iter=0)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"tol must be"):
        estimate_suppressed(df, **kw, activity_margins=secs, activity_parent=par, tol=0.0)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"data column 'emp' must be >= 0"):
        estimate_suppressed(
            df.assign(emp=[-1.0, np.nan]),
            **kw,
            activity_margins=secs,  # type: ignore[arg-type]
            activity_parent=par,
        )


def test_exported() -> None:
    assert ris3.estimate_suppressed is estimate_suppressed
    assert ris3.data.estimate_suppressed is estimate_suppressed
    assert ris3.published_totals is ris3.data.published_totals
