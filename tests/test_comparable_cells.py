"""Comparisons across years on the bundled Eurostat SBS: missing is never zero, breaks.

Every expected value is computed here by hand in pandas from the raw rows of
the bundled ``eu-sbs`` table (persons employed), not with the functions
under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ris3 import datasets
from ris3.clusters.definitions import ClusterDefinition
from ris3.clusters.mapping import map_clusters
from ris3.clusters.portfolio import portfolio
from ris3.errors import ConventionError, InputError
from ris3.measures.dynamics import entry_exit, shift_share, specialisation_change

KW = {"region": "geo", "activity": "nace_r2", "value": "persons_employed", "time": "year"}
FLAG = "persons_employed_flag"
CHANGE_COLUMNS = ["change", "growth", "lq_start", "lq_end", "lq_change"]
EFFECTS = ["national_effect", "industry_mix_effect", "competitive_effect"]


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    d = datasets.load("eu-sbs", table="regions")
    return d[~d["geo"].str.endswith("ZZ")].reset_index(drop=True)


def wide(sbs: pd.DataFrame, y0: int, y1: int) -> pd.DataFrame:
    """Raw cells: one row per (geo, nace_r2) with a row in either year, columns y0, y1."""
    two = sbs[sbs["year"].isin([y0, y1])]
    return two.pivot(index=["geo", "nace_r2"], columns="year", values="persons_employed")


def breaks_between(sbs: pd.DataFrame, y0: int, y1: int) -> pd.Index:
    b = sbs[sbs["year"].between(y0 + 1, y1) & sbs[FLAG].fillna("").str.contains("b")]
    return pd.MultiIndex.from_frame(b[["geo", "nace_r2"]]).unique()


# ---------------------------------------------------------------- repro 2: a confidential end


def test_confidential_end_is_not_an_exit(sbs: pd.DataFrame) -> None:
    raw = sbs[(sbs["geo"] == "AT11") & (sbs["nace_r2"] == "B08")].set_index("year")
    assert raw.loc[2008, "persons_employed"] == 292
    assert np.isnan(raw.loc[2014, "persons_employed"]) and raw.loc[2014, FLAG] == "c"
    ch = specialisation_change(sbs, **KW, start=2008, end=2014, missing="drop")
    row = ch[(ch["geo"] == "AT11") & (ch["nace_r2"] == "B08")].iloc[0]
    assert row["value_start"] == 292 and np.isnan(row["value_end"])
    assert row[CHANGE_COLUMNS].isna().all()
    assert row["transition"] == "unknown" and row["status"] == "missing_end"
    ee = entry_exit(sbs, **KW, start=2008, end=2014, missing="drop").set_index("geo")
    # AT11's cells missing in 2008 or 2014, counted by hand
    w = wide(sbs, 2008, 2014).loc["AT11"]
    assert ee.loc["AT11", "n_unknown"] == int(w.isna().any(axis=1).sum()) > 0


def test_no_missing_cell_has_a_change_or_a_transition(sbs: pd.DataFrame) -> None:
    """Invariant over every region x activity of the outputs, 2008 -> 2014."""
    w = wide(sbs, 2008, 2014)
    missing = w.isna().any(axis=1)
    # regions with no value at all in a year are absent from it: every cell is missing
    for y in (2008, 2014):
        absent = w[y].isna().groupby(level="geo").transform("all")
        assert (missing[absent]).all()
    ch = specialisation_change(sbs, **KW, start=2008, end=2014, missing="drop")
    ch = ch.set_index(["geo", "nace_r2"])
    m = missing.reindex(ch.index)
    assert not m.isna().any()  # every listed cell is a raw cell
    gaps = ch[m.to_numpy()]
    # each missing cell is listed, none lost, except in a region with no value in any year
    # (Mayotte, FRY5): it is no region of the table at all
    never = sbs.groupby("geo")["persons_employed"].count()
    assert list(never.index[never == 0]) == ["FRY5"]
    assert len(gaps) == int(missing.drop(index="FRY5", level="geo").sum())
    assert gaps[CHANGE_COLUMNS].isna().all().all()
    assert (gaps["transition"] == "unknown").all()
    assert (gaps["status"] != "observed").all()
    assert ch.attrs["n_left_out"] == len(gaps)
    known = ch[~m.to_numpy()]
    assert (known["status"] == "observed").all()
    assert set(known["transition"]) <= {"entry", "exit", "kept", "none"}
    # values are the raw observed values, never 0 for a missing one
    np.testing.assert_array_equal(ch["value_start"], w[2008].reindex(ch.index))
    np.testing.assert_array_equal(ch["value_end"], w[2014].reindex(ch.index))

    ss = shift_share(sbs, **KW, start=2008, end=2014, missing="drop", unbalanced="drop")
    t = ss.tidy().set_index(["geo", "nace_r2"])
    gaps = t[missing.reindex(t.index).to_numpy()]
    assert len(gaps) == ss.n_left_out > 0
    assert gaps[["change", *EFFECTS]].isna().all().all()
    ok = t[t["status"] == "observed"]
    np.testing.assert_allclose(ok[EFFECTS].sum(axis=1), ok["change"], atol=1e-6)
    by = ss.by_region().set_index("geo")
    assert (by["n_left_out"] == gaps.groupby(level="geo").size().reindex(by.index).fillna(0)).all()
    assert "cells left out" in ss.summary()


def test_readme_counts_no_longer_count_missing_cells(sbs: pd.DataFrame) -> None:
    """The README's example: before, 458 of 1,207 entries and 198 of 1,150 exits were
    cells missing in one of the years; now none is, and every entry is hand-checked."""
    d = datasets.load("eu-sbs", table="regions")  # as in the README, extra-regio included
    ch = specialisation_change(d, **KW, start=2008, end=2014, missing="drop")
    w = wide(d, 2008, 2014)
    both = w.dropna()
    # LQs by hand on the cells observed in both years
    lq = {}
    for y in (2008, 2014):
        x = both[y]
        region_total = x.groupby(level="geo").transform("sum")
        ref_share = x.groupby(level="nace_r2").transform("sum") / x.sum()
        lq[y] = (x / region_total) / ref_share
    spec0, spec1 = lq[2008] >= 1, lq[2014] >= 1
    nonzero = both.sum(axis=1) > 0
    entries = set(both.index[nonzero & ~spec0 & spec1])
    exits = set(both.index[nonzero & spec0 & ~spec1])
    got = ch.set_index(["geo", "nace_r2"])["transition"]
    assert set(got.index[got == "entry"]) == entries
    assert set(got.index[got == "exit"]) == exits
    assert len(entries) == 791 and len(exits) == 775


# ---------------------------------------------------------------- repro 3: AT33 F43


def test_reference_growth_and_lq_on_consistent_cells(sbs: pd.DataFrame) -> None:
    w = wide(sbs, 2009, 2014)
    both = w.dropna()
    f43 = both.xs("F43", level="nace_r2")
    ref_growth = (f43[2014].sum() / f43[2009].sum()) ** (1 / 5) - 1
    assert ref_growth == pytest.approx(0.0100, abs=5e-5)  # not 4.92 %/yr
    mine = both.loc["AT33"]
    growth = (mine.loc["F43", 2014] / mine.loc["F43", 2009]) ** (1 / 5) - 1
    assert growth == pytest.approx(0.0239, abs=5e-5)

    def lq(cells: pd.DataFrame, y: int) -> float:
        r = cells.loc["AT33", y]
        tot = cells[y].groupby(level="nace_r2").sum()
        return float((r["F43"] / r.sum()) / (tot["F43"] / cells[y].sum()))

    assert lq(both, 2009) == pytest.approx(1.795, abs=5e-4)
    assert lq(both, 2014) == pytest.approx(1.831, abs=5e-4)
    # the API with breaks included compares the same cells
    ch = specialisation_change(
        sbs[sbs["year"].between(2009, 2014)],
        **KW,
        start=2009,
        end=2014,
        missing="drop",
        flag=FLAG,
        breaks="include",
    ).set_index(["geo", "nace_r2"])
    row = ch.loc[("AT33", "F43")]
    assert row["lq_start"] == pytest.approx(lq(both, 2009), rel=1e-12)
    assert row["lq_end"] == pytest.approx(lq(both, 2014), rel=1e-12)
    assert row["growth"] == pytest.approx(growth, rel=1e-12)
    # by default, cells with a break in series (France, Finland, Ireland) are left out too
    comparable = both[~both.index.isin(breaks_between(sbs, 2009, 2014))]
    default = specialisation_change(
        sbs[sbs["year"].between(2009, 2014)], **KW, start=2009, end=2014, missing="drop", flag=FLAG
    ).set_index(["geo", "nace_r2"])
    assert default.loc[("AT33", "F43"), "lq_start"] == pytest.approx(lq(comparable, 2009))
    assert default.loc[("AT33", "F43"), "lq_end"] == pytest.approx(lq(comparable, 2014))
    assert lq(comparable, 2014) > lq(comparable, 2009)  # rising, not falling to 1.40


@pytest.fixture(scope="module")
def at33():
    from ris3.report import profile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return profile("AT33", clusters="divisions")  # the portfolio of divisions


def test_at33_f43_is_growing_not_declining(at33, sbs: pd.DataFrame) -> None:
    assert (at33.compare_year, at33.year) == (2009, 2014)
    spec = at33.specialisation.set_index("activity")
    assert spec.loc["F43", "growth"] == pytest.approx((20281 / 18023) ** 0.2 - 1, rel=1e-12)
    assert spec.loc["F43", "stage"] == "growing"
    pf = at33.portfolio.set_index("cluster")
    assert pf.loc["F43", "quadrant"] == "specialised_growing"
    # the national line by hand: Austrian cells with a value in both years, no break
    w = wide(sbs, 2009, 2014).dropna()
    w = w[~w.index.isin(breaks_between(sbs, 2009, 2014))]
    at = w[w.index.get_level_values("geo").str.startswith("AT")]
    assert at33.national_growth == pytest.approx((at[2014].sum() / at[2009].sum()) ** 0.2 - 1)
    # the LQ change of the specialisation table is the portfolio's, on the same cells
    assert spec.loc["F43", "lq_change"] == pytest.approx(pf.loc["F43", "lq_change"])
    assert spec.loc["F43", "lq_change"] > 0
    # G47: quadrant and stage no longer contradict each other
    assert (pf.loc["G47", "quadrant"], pf.loc["G47", "stage"]) == (
        "unspecialised_declining",
        "marginal",
    )
    # cells missing in one year: observed value shown, no growth, no stage, never 0
    gaps = pf[pf["status"] != "observed"]
    assert len(gaps) == 6
    assert gaps[["growth", "lq_change", "change"]].isna().all().all()
    assert gaps["stage"].isna().all() and gaps["quadrant"].isna().all()
    raw = sbs[(sbs["geo"] == "AT33") & sbs["year"].isin([2009, 2014])]
    raw = raw.pivot(index="nace_r2", columns="year", values="persons_employed")
    np.testing.assert_array_equal(gaps["value"], raw.loc[gaps.index, 2014])
    np.testing.assert_array_equal(gaps["value_start"], raw.loc[gaps.index, 2009])


# ---------------------------------------------------------------- repro 6: breaks in series


def test_break_in_series_is_marked_and_not_ranked(sbs: pd.DataFrame) -> None:
    raw = sbs[(sbs["geo"] == "FR10") & (sbs["nace_r2"] == "F42")].set_index("year")
    assert raw.loc[2014, FLAG] == "b"
    growth = (raw.loc[2014, "persons_employed"] / raw.loc[2010, "persons_employed"]) ** 0.25 - 1
    assert growth == pytest.approx(0.319, abs=5e-4)
    span = sbs[sbs["year"].between(2010, 2014)]
    ch = specialisation_change(span, **KW, start=2010, end=2014, missing="drop", flag=FLAG)
    row = ch[(ch["geo"] == "FR10") & (ch["nace_r2"] == "F42")].iloc[0]
    assert row["break_in_series"] and row["status"] == "break"
    assert row[CHANGE_COLUMNS].isna().all() and row["transition"] == "unknown"
    assert row["value_start"] == 48288 and row["value_end"] == 146348  # shown, not hidden
    # every cell with a b after 2010 is marked, and no other
    marked = set(map(tuple, ch.loc[ch["break_in_series"].fillna(False), ["geo", "nace_r2"]].values))
    listed = set(map(tuple, ch[["geo", "nace_r2"]].values))
    assert marked == set(breaks_between(sbs, 2010, 2014)) & listed
    assert ch.attrs["n_breaks"] == len(marked)
    # a growth ranking never contains it
    ranked = ch.dropna(subset=["growth"]).sort_values("growth", ascending=False)
    assert not ranked["break_in_series"].any()
    # included on request, still marked
    inc = specialisation_change(
        span, **KW, start=2010, end=2014, missing="drop", flag=FLAG, breaks="include"
    )
    row = inc[(inc["geo"] == "FR10") & (inc["nace_r2"] == "F42")].iloc[0]
    assert row["break_in_series"] and row["status"] == "observed"
    assert row["growth"] == pytest.approx(growth, rel=1e-12)
    # shift-share: left out and marked
    ss = shift_share(span, **KW, start=2010, end=2014, missing="drop", unbalanced="drop", flag=FLAG)
    t = ss.tidy().set_index(["geo", "nace_r2"])
    assert t.loc[("FR10", "F42"), "status"] == "break"
    assert np.isnan(t.loc[("FR10", "F42"), "competitive_effect"])
    assert ss.n_breaks == int(t["break_in_series"].sum()) > 0
    # a b on the first year compared marks a break before the comparison (Finland, 2013)
    fi = specialisation_change(
        sbs[sbs["year"].isin([2013, 2014])], **KW, start=2013, end=2014, missing="drop", flag=FLAG
    )
    assert not fi.loc[fi["geo"].str.startswith("FI"), "break_in_series"].any()
    no_flag = specialisation_change(span, **KW, start=2010, end=2014, missing="drop")
    assert no_flag["break_in_series"].isna().all()


def test_profile_marks_breaks(sbs: pd.DataFrame) -> None:
    from ris3.report import profile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fr10 = profile("FR10")
    spec = fr10.specialisation.set_index("activity")
    assert bool(spec.loc["F42", "break_in_series"]) and np.isnan(spec.loc["F42", "growth"])
    assert spec.loc["F42", "stage"] is None
    # every French cell breaks in 2014: no growth can be compared with 2010
    assert "portfolio" in fr10.unavailable and "shift-share" in fr10.unavailable
    assert "break in series" in fr10.unavailable["shift-share"]


def test_flag_errors(sbs: pd.DataFrame) -> None:
    small = sbs[sbs["geo"].str.startswith("AT") & sbs["year"].isin([2013, 2014])]
    with pytest.raises(InputError, match="data has no column 'flags' \\(given as flag=\\)"):
        specialisation_change(small, **KW, start=2013, end=2014, missing="drop", flag="flags")
    with pytest.raises(ConventionError, match="breaks must be one of 'exclude', 'include'"):
        shift_share(small, **KW, missing="drop", flag=FLAG, breaks="drop")  # type: ignore[arg-type]


# ---------------------------------------------------------------- one rule: quadrant and stage


def test_quadrant_and_stage_never_contradict(sbs: pd.DataFrame) -> None:
    acts = pd.DataFrame({"a": sorted(sbs["nace_r2"].unique())})
    d = ClusterDefinition.from_frame(acts, activity="a", cluster="a")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cm = map_clusters(
            sbs[sbs["year"].isin([2009, 2014])],
            d,
            region="geo",
            activity="nace_r2",
            value="persons_employed",
            time="year",
            missing="drop",
        )
    for growth, ref in (("value", "cluster"), ("value", "total"), ("lq", "cluster")):
        pf = portfolio(cm, start=2009, end=2014, growth=growth, reference_growth=ref)
        assert pf["geo"].nunique() > 200
        q, s = pf["quadrant"], pf["stage"]
        assert not (s.isin(["growing", "emerging"]) & q.str.endswith("declining", na=False)).any()
        assert not ((s == "declining") & q.str.endswith("_growing", na=False)).any()
        assert not (s.isin(["growing", "mature"]) & q.str.startswith("unspec", na=False)).any()
        # a cell missing in either year has no stage, quadrant or growth
        w = wide(sbs, 2009, 2014)
        missing = w.isna().any(axis=1).reindex(pd.MultiIndex.from_frame(pf[["geo", "cluster"]]))
        gaps = pf[missing.fillna(True).to_numpy()]
        assert len(gaps) > 1000
        assert gaps["stage"].isna().all() and gaps["quadrant"].isna().all()
        assert gaps["growth"].isna().all() and (gaps["status"] != "observed").all()
    # the cluster reference growth by hand on the cells observed in both years
    pf = portfolio(cm, start=2009, end=2014).set_index(["geo", "cluster"])
    f43 = wide(sbs, 2009, 2014).dropna().xs("F43", level="nace_r2")
    expected = (f43[2014].sum() / f43[2009].sum()) ** 0.2 - 1
    assert pf.loc[("AT33", "F43"), "reference_growth"] == pytest.approx(expected, rel=1e-12)
    assert pf.loc[("AT33", "F43"), "stage"] == "growing"


def test_profile_quadrant_and_stage_agree(at33) -> None:
    pf = at33.portfolio
    up = pf["growth"] - pf["reference_growth"]
    assert (
        (pf.loc[pf["stage"].isin(["growing", "emerging"]), "quadrant"].dropna())
        .str.endswith("growing")
        .all()
    )
    assert (up[pf["stage"] == "declining"] < 0).all()
    assert (pf["reference_growth"].dropna() == at33.national_growth).all()


def test_missing_report_keeps_the_missing_keys() -> None:
    from ris3.tidy import encode

    df = pd.DataFrame(
        {"geo": ["A", "A", "B", "B"], "nace": ["x", "y", "x", "y"], "v": [1.0, None, 2.0, 3.0]}
    )
    ct = encode(df, region="geo", activity="nace", value="v", missing="drop")
    assert ct.missing.keys.to_dict("records") == [{"geo": "A", "nace": "y"}]
    assert ct.missing_matrix().toarray().tolist() == [[False, True], [False, False]]
    # the matrix reads the dropped cell as 0, the missing matrix says it is not a zero
    assert ct.matrix().toarray()[0, 1] == 0


def test_dynamic_shift_share_needs_every_year() -> None:
    # R1 x b is confidential in the middle year: its yearly path is incomplete
    rows = [
        (y, r, a, v)
        for y, vals in (
            (2010, (100, 50, 50, 100)),
            (2011, (110, None, 60, 90)),
            (2012, (120, 40, 80, 100)),
        )
        for (r, a), v in zip([("R1", "a"), ("R1", "b"), ("R2", "a"), ("R2", "b")], vals)
    ]
    df = pd.DataFrame(rows, columns=["year", "geo", "act", "emp"])
    kw = {"region": "geo", "activity": "act", "value": "emp", "time": "year"}
    ss = shift_share(df, **kw, method="dynamic", missing="drop")
    t = ss.tidy().set_index(["geo", "act"])
    assert t.loc[("R1", "b"), "status"] == "missing_between"
    assert (t.loc[("R1", "b"), "value_start"], t.loc[("R1", "b"), "value_end"]) == (50, 40)
    assert np.isnan(t.loc[("R1", "b"), "change"]) and ss.n_left_out == 1
    # the others against a reference without R1 x b: a 150 -> 170 -> 200 (by hand), b = R2 only
    g_a = [170 / 150 - 1, 200 / 170 - 1]
    g_all = [(170 + 90) / (150 + 100) - 1, (200 + 100) / (170 + 90) - 1]
    ne = 100 * g_all[0] + 110 * g_all[1]
    im = 100 * (g_a[0] - g_all[0]) + 110 * (g_a[1] - g_all[1])
    assert t.loc[("R1", "a"), "national_effect"] == pytest.approx(ne)
    assert t.loc[("R1", "a"), "industry_mix_effect"] == pytest.approx(im)
    assert t.loc[("R1", "a"), "competitive_effect"] == pytest.approx(20 - ne - im)


def test_shift_share_command_marks_breaks(sbs: pd.DataFrame, tmp_path) -> None:
    from ris3.cli import main

    data = tmp_path / "sbs.csv"
    sbs[sbs["geo"].str.startswith(("FR1", "AT")) & sbs["year"].isin([2013, 2014])].to_csv(
        data, index=False
    )
    out, by = tmp_path / "ss.csv", tmp_path / "by.csv"
    args = ["shift-share", str(data), "--region", "geo", "--activity", "nace_r2"]
    args += ["--value", "persons_employed", "--time", "year", "--missing", "drop"]
    args += ["--flag", FLAG, "--out", str(out), "--by-region", str(by)]
    assert main(args) == 0
    t = pd.read_csv(out).set_index(["geo", "nace_r2"])
    assert t.loc[("FR10", "F42"), "status"] == "break" and t.loc[("FR10", "F42"), "break_in_series"]
    assert t.loc[t["status"] != "observed", "competitive_effect"].isna().all()
    b = pd.read_csv(by).set_index("geo")
    n_missing = wide(sbs, 2013, 2014).loc["AT33"].isna().any(axis=1).sum()
    assert b.loc["FR10", "n_activities"] == 0 and b.loc["AT33", "n_left_out"] == n_missing > 0
    assert main([*args, "--breaks", "include"]) == 0
    t = pd.read_csv(out).set_index(["geo", "nace_r2"])
    assert t.loc[("FR10", "F42"), "status"] == "observed"
    assert t.loc[("FR10", "F42"), "change"] == 146348 - 50735


def test_shift_share_with_no_comparable_cell_lists_both_and_decomposes_nothing() -> None:
    """Each activity observed in one year only: nothing to decompose, nothing lost."""
    import ris3

    df = pd.DataFrame(
        {"geo": ["1", "1"], "nace": ["011", "11"], "year": [2010, 2015], "emp": [1.0, 1.0]}
    )
    out = ris3.shift_share(
        df, region="geo", activity="nace", value="emp", time="year", start=2010, end=2015
    )
    t = out.tidy().set_index("nace")
    assert t.loc["011", "status"] == "missing_end" and t.loc["11", "status"] == "missing_start"
    assert t["national_effect"].isna().all() and t["competitive_effect"].isna().all()
