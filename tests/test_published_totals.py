"""Published totals as denominators: published_totals() and location_quotient(totals=)."""

from __future__ import annotations

import gzip
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.data.totals import published_totals
from ris3.errors import ClassificationError, ConventionError, DataQualityWarning, InputError
from ris3.measures.specialisation import location_quotient

V = "persons_employed"


def _raw_nl13_2014(shared_data: Path) -> dict[str, float | None]:
    """NL13 persons employed in 2014 straight from the Eurostat TSV (None = ':' missing)."""
    out: dict[str, float | None] = {}
    path = shared_data / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        col = [h.strip() for h in header].index("2014")
        for line in fh:
            if ",V16110,NL13\t" not in line:
                continue
            parts = line.rstrip("\n").split("\t")
            code = parts[0].split(",")[0]
            cell = parts[col].strip().split(" ")[0]
            out[code] = None if cell == ":" else float(cell)
    return out


@pytest.fixture(scope="module")
def sbs() -> dict[str, pd.DataFrame]:
    return {t: ris3.datasets.load("eu-sbs", t) for t in ("regions", "regions_sections")}


@pytest.fixture(scope="module")
def totals(sbs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return published_totals(
        sbs["regions"],
        sbs["regions_sections"],
        region="geo",
        activity="nace_r2",
        value=V,
        parent="nace_section",
        time="year",
    )


def test_nl13_total_from_the_raw_file(totals: pd.DataFrame, shared_data: Path) -> None:
    raw = _raw_nl13_2014(shared_data)
    sections = [c for c in raw if len(c) == 1]
    divisions = [c for c in raw if len(c) == 3]
    published = sum(v for c in sections if (v := raw[c]) is not None and c != "S")
    assert published == 117_129  # sections B-N published in the file (D, E, J confidential)
    assert raw["S95"] == 307  # S95 has no section row in the file
    confidential = [c for c in sections if raw[c] is None]
    assert confidential == ["D", "E", "J"]
    stand_in = sum(raw[d] or 0.0 for d in divisions if d[0] in confidential)
    observed = sum(raw[d] or 0.0 for d in divisions)
    assert observed == 89_710
    row = totals[(totals["geo"] == "NL13") & (totals["year"] == 2014)].iloc[0]
    assert row[V] == published + stand_in + 307 == 121_181
    assert row["observed"] == 89_710
    assert row["coverage"] == pytest.approx(89_710 / 121_181)
    assert not row["exact"] and row["aggregates_missing"] == 3
    # 2009: every section published -> exact; total = sections + S95
    r09 = totals[(totals["geo"] == "NL13") & (totals["year"] == 2009)].iloc[0]
    assert r09["exact"] and r09["aggregates_missing"] == 0


def test_nl13_shares_use_the_published_total(
    sbs: dict[str, pd.DataFrame], totals: pd.DataFrame
) -> None:
    cur = sbs["regions"][sbs["regions"]["year"] == 2014]
    cur = cur[~cur["geo"].str.endswith("ZZ")]
    kw = dict(region="geo", activity="nace_r2", value=V, time="year", missing="drop")
    obs = location_quotient(cur, **kw)  # type: ignore[arg-type]
    pub = location_quotient(cur, **kw, totals=totals)  # type: ignore[arg-type]
    assert obs.attrs["denominator"] == "observed" and pub.attrs["denominator"] == "published"
    nl_o = obs[obs["geo"] == "NL13"].set_index("nace_r2")
    nl_p = pub[pub["geo"] == "NL13"].set_index("nace_r2")
    g47 = float(nl_p.loc["G47", V])
    assert nl_o.loc["G47", "share"] == pytest.approx(g47 / 89_710)
    assert nl_p.loc["G47", "share"] == pytest.approx(g47 / 121_181)
    assert (nl_p["region_total"] == 121_181).all()
    np.testing.assert_allclose(nl_p["coverage"], 89_710 / 121_181)
    # every NL13 share was inflated by 121,181 / 89,710 = 1.351 under the observed sum
    pos = nl_p[V] > 0
    np.testing.assert_allclose(nl_o.loc[pos, "share"] / nl_p.loc[pos, "share"], 121_181 / 89_710)
    # the reference total is the sum of the regions' published totals
    ref_total = float(
        totals.loc[totals["geo"].isin(set(cur["geo"])) & (totals["year"] == 2014), V].sum()
    )
    g47_all = float(cur.loc[cur["nace_r2"] == "G47", V].sum())
    assert nl_p.loc["G47", "reference_share"] == pytest.approx(g47_all / ref_total)
    assert nl_p.loc["G47", "lq"] == pytest.approx((g47 / 121_181) / (g47_all / ref_total))


def test_national_reference_uses_the_parent_rows_total() -> None:
    df = pd.DataFrame(
        {
            "geo": ["A1", "A1", "A2", "A2", "A", "A"],
            "nace": ["x", "y"] * 3,
            "emp": [10.0, np.nan, 20.0, 30.0, 40.0, 50.0],
        }
    )
    tot = pd.DataFrame({"geo": ["A1", "A2", "A"], "emp": [25.0, 50.0, 100.0]})
    hier = {"A1": "A", "A2": "A"}
    out = location_quotient(
        df,
        region="geo",
        activity="nace",
        value="emp",
        hierarchy=hier,
        totals=tot,
        missing="drop",
        reference="parent_rows",
    )
    a1x = out[(out["geo"] == "A1") & (out["nace"] == "x")].iloc[0]
    assert a1x["share"] == pytest.approx(10 / 25)
    assert a1x["reference_share"] == pytest.approx(40 / 100)
    assert a1x["lq"] == pytest.approx(1.0)
    assert a1x["coverage"] == pytest.approx(10 / 25)
    # parent_sum: the reference total is the children's published totals, 25 + 50
    out = location_quotient(
        df,
        region="geo",
        activity="nace",
        value="emp",
        hierarchy=hier,
        totals=tot,
        missing="drop",
        reference="parent_sum",
    )
    a1x = out[(out["geo"] == "A1") & (out["nace"] == "x")].iloc[0]
    assert a1x["reference_share"] == pytest.approx(30 / 75)


def test_observed_denominator_with_totals_reports_coverage() -> None:
    df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"], "emp": [1.0, 3.0, 2.0]})
    tot = pd.DataFrame({"geo": ["A", "B"], "emp": [8.0, 2.0]})
    plain = location_quotient(df, region="geo", activity="nace", value="emp")
    out = location_quotient(
        df, region="geo", activity="nace", value="emp", totals=tot, denominator="observed"
    )
    np.testing.assert_allclose(out["lq"], plain["lq"])
    np.testing.assert_allclose(out["coverage"], [0.5, 0.5, 1.0])
    assert "region_total" not in plain.columns and plain.attrs["denominator"] == "observed"


def test_totals_value_names_the_column_and_time_is_matched() -> None:
    df = pd.DataFrame(
        {
            "geo": ["A", "A", "B", "B"],
            "nace": ["x", "x", "x", "x"],
            "t": [1, 2, 1, 2],
            "emp": [1.0, 2.0, 3.0, 4.0],
        }
    )
    tot = pd.DataFrame(
        {"geo": ["A", "A", "B", "B"], "t": [1, 2, 1, 2], "total": [2.0, 4.0, 3.0, 4.0]}
    )
    out = location_quotient(
        df, region="geo", activity="nace", value="emp", time="t", totals=tot, totals_value="total"
    )
    np.testing.assert_allclose(out["share"], [0.5, 0.5, 1.0, 1.0])


def test_errors() -> None:
    df = pd.DataFrame({"geo": ["A", "B"], "nace": ["x", "x"], "emp": [1.0, 2.0]})
    kw = dict(region="geo", activity="nace", value="emp")
    with pytest.raises(ConventionError, match=r"denominator='published' needs totals="):
        location_quotient(df, **kw, denominator="published")  # type: ignore[arg-type]
    with pytest.raises(ConventionError, match=r"totals_value='total' needs totals="):
        location_quotient(df, **kw, totals_value="total")  # type: ignore[arg-type]
    with pytest.raises(ConventionError, match=r"denominator must be one of"):
        location_quotient(df, **kw, denominator="sum")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"no published total for 1 region.*'B'"):
        location_quotient(df, **kw, totals=pd.DataFrame({"geo": ["A"], "emp": [3.0]}))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"totals has no column\(s\) 'emp'"):
        location_quotient(df, **kw, totals=pd.DataFrame({"geo": ["A"], "n": [3.0]}))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"duplicated geo rows"):
        location_quotient(df, **kw, totals=pd.DataFrame({"geo": ["A", "A", "B"], "emp": [1.0] * 3}))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"finite number >= 0"):
        location_quotient(df, **kw, totals=pd.DataFrame({"geo": ["A", "B"], "emp": [-1.0, 2.0]}))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"totals must be a DataFrame"):
        location_quotient(df, **kw, totals={"A": 1.0})  # type: ignore[arg-type]
    with pytest.warns(DataQualityWarning, match=r"below the sum of the cells of 1 region"):
        location_quotient(df, **kw, totals=pd.DataFrame({"geo": ["A", "B"], "emp": [0.5, 2.0]}))  # type: ignore[arg-type]


def test_published_totals_errors() -> None:
    cells = pd.DataFrame({"geo": ["R", "R"], "nace": ["C10", "F41"], "emp": [1.0, 2.0]})
    secs = pd.DataFrame({"geo": ["R", "R"], "nace": ["C", "F"], "emp": [5.0, 5.0]})
    kw = dict(region="geo", activity="nace", value="emp")
    with pytest.raises(ClassificationError, match=r"gives no parent to 1 activit\(ies\): 'F41'"):
        published_totals(cells, secs, **kw, parent={"C10": "C"})  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"aggregates has 2 duplicated"):
        published_totals(
            cells, pd.concat([secs, secs.iloc[:1]]), **kw, parent={"C10": "C", "F41": "F"}
        )  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"aggregates has no column\(s\) 'emp'"):
        published_totals(
            cells, secs.rename(columns={"emp": "v"}), **kw, parent={"C10": "C", "F41": "F"}
        )  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"parent must be a column name of data or a mapping"):
        published_totals(cells, secs, **kw, parent=3)  # type: ignore[arg-type]
    t = published_totals(cells, secs, **kw, parent={"C10": "C", "F41": "F"})  # type: ignore[arg-type]
    assert t["emp"].tolist() == [10.0] and t["exact"].tolist() == [True]


def test_published_totals_of_eu_sbs_bound_the_observed_sums(totals: pd.DataFrame) -> None:
    # a published total is never below the observed sum beyond rounding of the source
    assert (totals["observed"] <= totals[V] * 1.001).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert totals["coverage"].dropna().between(0, 1.001).all()


def test_cbp_all_sector_rows_as_denominators() -> None:
    emp = ris3.datasets.load("us-cbp", "employment")
    tot = ris3.datasets.load("us-cbp", "totals")
    out = location_quotient(
        emp,
        region="cbsa_code",
        activity="naics_code",
        value="employment",
        totals=tot,
        totals_value="employment",
    )
    assert out.attrs["denominator"] == "published"
    published = tot.set_index("cbsa_code")["employment"]
    observed = emp.groupby("cbsa_code")["employment"].sum()
    first = out[out["cbsa_code"] == "10100"].iloc[0]
    assert first["share"] == pytest.approx(first["employment"] / 19_132)
    cov = out.groupby("cbsa_code")["coverage"].first()
    np.testing.assert_allclose(cov, (observed / published).reindex(cov.index), rtol=1e-12)
    # the 6-digit cells cover about 73 % of the published all-sector employment (median CBSA)
    assert 0.65 < cov.median() < 0.8
    ref = float(emp.loc[emp["naics_code"] == first["naics_code"], "employment"].sum())
    assert first["reference_share"] == pytest.approx(ref / published.sum())


def test_totals_equal_to_the_observed_sums_change_nothing() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        [(r, a, t) for r in "ABCD" for a in "xyz" for t in (1, 2)], columns=["geo", "nace", "t"]
    )
    df["emp"] = rng.integers(1, 100, len(df)).astype(float)
    sums = df.groupby(["geo", "t"], as_index=False)["emp"].sum()
    kw = dict(region="geo", activity="nace", value="emp", time="t")
    plain = location_quotient(df, **kw)  # type: ignore[arg-type]
    for ref in (None, ["A", "B"]):
        a = location_quotient(df, **kw, reference=ref)  # type: ignore[arg-type]
        b = location_quotient(df, **kw, reference=ref, totals=sums)  # type: ignore[arg-type]
        np.testing.assert_allclose(b["lq"], a["lq"], rtol=1e-12)
        np.testing.assert_allclose(b["coverage"], 1.0)
    np.testing.assert_allclose(plain["share"], b["share"], rtol=1e-12)
