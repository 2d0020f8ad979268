"""Regressions on real data: confidential cells, zero totals, split regions, small places.

Each test reproduces a case where ris3 used to mislead (a confidential cell
ranked as an opportunity with LQ 0, an abort on one zero-total activity, a
split region offered as its own peer, tiny economies topping the ECI) and
checks the corrected values against an independent pandas computation.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

import ris3
from ris3.diversification.opportunities import UNKNOWN, opportunities
from ris3.diversification.peers import peers, split_siblings
from ris3.errors import DataQualityWarning, DegenerateDataWarning
from ris3.measures.complexity import complexity
from ris3.measures.concentration import herfindahl
from ris3.measures.specialisation import location_quotient

SBS = {"region": "geo", "activity": "nace_r2", "value": "persons_employed"}


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    return ris3.datasets.load("eu-sbs", "regions")


def _quiet(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


# --- confidential cells are unknown, never opportunities or threats ----------------


@pytest.mark.parametrize("target", ["IE06", "NL13", "AT33"])
def test_confidential_cells_are_never_ranked(sbs: pd.DataFrame, target: str) -> None:
    d = sbs[sbs["year"] == 2014]
    mine = d[d["geo"] == target]
    confidential = set(mine.loc[mine["persons_employed"].isna(), "nace_r2"])
    assert confidential  # IE06 has 40, NL13 29, AT33 2 (C21, C30)
    res = _quiet(opportunities, d, **SBS, target=target, missing="drop")
    t = res.tidy().set_index("nace_r2")
    assert set(res.unknown) == confidential
    assert set(t.index[t["quadrant"] == UNKNOWN]) == confidential
    unk = t.loc[sorted(confidential)]
    assert unk["missing"].all() and not t.drop(index=unk.index)["missing"].any()
    for col in ("value", "share", "lq", "feasibility", "score_balanced", "score_long_jumps"):
        assert unk[col].isna().all(), col
    # nothing confidential among the ranked opportunities nor among the threats
    assert not set(res.top(10)["nace_r2"]) & confidential
    assert not set(t.index[t["quadrant"].isin(["opportunity", "threat"])]) & confidential
    assert f"{UNKNOWN} {len(confidential)}" in res.summary()

    # the observed cells: LQ by hand, missing cells left out of every sum
    obs = d.dropna(subset=["persons_employed"])
    x = obs.set_index(["geo", "nace_r2"])["persons_employed"]
    ref = obs.groupby("nace_r2")["persons_employed"].sum() / obs["persons_employed"].sum()
    row = x.loc[target]
    lq = (row / row.sum()) / ref.loc[row.index]
    np.testing.assert_allclose(t.loc[lq.index, "lq"], lq, rtol=1e-12)
    np.testing.assert_allclose(t.loc[row.index, "share"], row / row.sum(), rtol=1e-12)

    # strategy scores: percentile ranks among the observed, non-specialised cells only
    cand = t[~t["specialised"] & ~t["missing"]]
    n = len(cand)
    f = (rankdata(cand["feasibility"]) - 1) / (n - 1) if n > 1 else np.full(n, 0.5)
    a = (rankdata(cand["attractiveness"]) - 1) / (n - 1) if n > 1 else np.full(n, 0.5)
    np.testing.assert_allclose(cand["score_balanced"], 0.5 * f + 0.5 * a, rtol=1e-12)


def test_feasibility_of_confidential_cells_on_request(sbs: pd.DataFrame) -> None:
    d = sbs[sbs["year"] == 2014]
    plain = _quiet(opportunities, d, **SBS, target="AT33", missing="drop").tidy()
    asked = _quiet(
        opportunities, d, **SBS, target="AT33", missing="drop", unknown_feasibility=True
    ).tidy()
    plain, asked = plain.set_index("nace_r2"), asked.set_index("nace_r2")
    # C21 and C30 get their relatedness density, still no LQ, score or rank
    assert asked.loc[["C21", "C30"], "feasibility"].notna().all()
    assert plain.loc[["C21", "C30"], "feasibility"].isna().all()
    assert asked.loc[["C21", "C30"], "score_balanced"].isna().all()
    assert (asked.loc[["C21", "C30"], "quadrant"] == UNKNOWN).all()
    pd.testing.assert_series_equal(
        asked["feasibility"].drop(["C21", "C30"]), plain["feasibility"].drop(["C21", "C30"])
    )


def test_profile_ie06_ranks_no_confidential_cell(sbs: pd.DataFrame) -> None:
    from ris3.report.region_profile import profile

    p = _quiet(profile, "IE06")
    mine = sbs[(sbs["geo"] == "IE06") & (sbs["year"] == p.year)]
    confidential = set(mine.loc[mine["persons_employed"].isna(), "nace_r2"])
    o = p.opportunities
    ranked = o[o["score_balanced"].notna()]
    assert len(ranked) and not set(ranked["activity"]) & confidential
    gaps = o[o["activity"].isin(confidential)]
    assert len(gaps) == len(confidential)
    assert gaps[["value", "lq", "share"]].isna().all().all()
    assert (gaps["quadrant"] == UNKNOWN).all()
    assert any(f"{len(confidential)} of IE06's activities are missing" in n for n in p.notes)
    # IE06 was shared out from IE01 and IE02: marked, its split siblings are no peers
    assert p.converted and p.converted_from == ["IE01", "IE02"]
    assert p.split_siblings == ["IE04", "IE05"]
    assert not set(p.peers["peer"]) & {"IE04", "IE05"}


# --- split regions are not each other's peers ---------------------------------------


def test_split_siblings_are_not_peers(sbs: pd.DataFrame) -> None:
    d = sbs[sbs["year"] == 2014]
    conv = ris3.datasets.load("eu-sbs", "nuts_conversion")
    # the clones: every PL91 cell is the same multiple of PL92's
    w = d.pivot(index="nace_r2", columns="geo", values="persons_employed")
    ratio = (w["PL91"] / w["PL92"]).dropna()
    assert ratio.std() / ratio.mean() < 1e-9 and ratio.mean() == pytest.approx(1.2127, abs=1e-4)
    before = _quiet(peers, d, **SBS, target="PL91", missing="drop")
    assert before["geo"].iloc[0] == "PL92" and before["similarity"].iloc[0] == pytest.approx(1.0)

    sib = split_siblings(conv, "PL91", year=2014)
    assert sib.to_dict("list") == {"from_code": ["PL12"], "status": ["split"], "sibling": ["PL92"]}
    after = _quiet(peers, d, **SBS, target="PL91", missing="drop", exclude=list(sib["sibling"]))
    assert "PL92" not in set(after["geo"])
    # independent: cosine similarity of observed employment shares, PL91 and PL92 left out
    shares = w.div(w.sum(axis=0), axis=1).fillna(0.0)
    cos = (
        shares.T
        @ shares["PL91"]
        / (np.sqrt((shares**2).sum()) * np.sqrt((shares["PL91"] ** 2).sum()))
    )
    expect = cos.drop(["PL91", "PL92"]).sort_values(ascending=False)
    assert after["geo"].iloc[0] == "PL21" == expect.index[0]
    assert set(after["geo"]) == set(expect.index[:10])  # (HU11/HU12 tie: clones of each other)
    np.testing.assert_allclose(after["similarity"], expect.loc[after["geo"]].to_numpy(), rtol=1e-10)
    for a, b in (("HU11", "HU12"), ("LT01", "LT02")):
        assert list(split_siblings(conv, a, year=2014)["sibling"]) == [b]
    assert split_siblings(conv, "AT33", year=2014).empty


# --- zero totals: NaN and a warning, not an abort -------------------------------------


@pytest.fixture(scope="module")
def spain(sbs: pd.DataFrame) -> pd.DataFrame:
    return sbs[sbs["geo"].str.startswith("ES")].reset_index(drop=True)


def test_zero_total_activities_are_undefined_not_an_abort(spain: pd.DataFrame) -> None:
    d = spain[spain["year"] == 2009]
    tot = d.groupby("nace_r2")["persons_employed"].sum(min_count=1)
    zero = sorted(tot.index[tot == 0])
    assert zero == ["B06", "B09", "C19"]  # all Spanish regions report 0 (or nothing) here
    with pytest.warns(DegenerateDataWarning, match=r"3 activit\(ies\).*'B06', 'B09', 'C19'"):
        lq = location_quotient(d, **SBS, missing="drop")
    z = lq[lq["nace_r2"].isin(zero)]
    assert z["lq"].isna().all() and not z["specialised"].any()
    obs = d.dropna(subset=["persons_employed"])
    obs = obs[~obs["nace_r2"].isin(zero)]
    share = obs["persons_employed"] / obs.groupby("geo")["persons_employed"].transform("sum")
    ref = obs.groupby("nace_r2")["persons_employed"].sum() / obs["persons_employed"].sum()
    got = lq[~lq["nace_r2"].isin(zero)].set_index(["geo", "nace_r2"])["lq"]
    expect = pd.Series(
        (share / obs["nace_r2"].map(ref)).to_numpy(),
        index=pd.MultiIndex.from_frame(obs[["geo", "nace_r2"]]),
    )
    np.testing.assert_allclose(got.loc[expect.index], expect, rtol=1e-12)
    # the other measures go on too, with NaN for the undefined rows
    with pytest.warns(DegenerateDataWarning):
        h = herfindahl(d, **SBS, by="activity", missing="drop").set_index("nace_r2")
    assert h.loc[zero, "herfindahl"].isna().all() and h["herfindahl"].notna().sum() > 50
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        with pytest.warns(DegenerateDataWarning, match="'B06', 'B09', 'C19'"):
            c = complexity(d, **SBS, missing="drop")
    assert c.pci.set_index("nace_r2").index.intersection(zero).empty


def test_profile_on_own_spanish_table(spain: pd.DataFrame, tmp_path: Path) -> None:
    from ris3.report.region_profile import profile

    own = tmp_path / "own.csv"
    spain.to_csv(own, index=False)
    p = _quiet(profile, "ES53", data=pd.read_csv(own))
    assert p.year == 2014 and p.opportunities is not None
    # 19 Spanish regions: proximity is fragile, and the profile says so
    assert any("proximity rests on 19 region(s)" in n for n in p.notes)


def test_zero_total_region_in_the_ncses_patent_table(shared_data: Path) -> None:
    raw = pd.read_csv(
        shared_data
        / "patents_ncses_sei2020_wipo35"
        / "uspto_patents_families_by_country_wipo35_1998_2018.csv.gz"
    )
    d = raw[(raw["measure"] == "patent_families") & (raw["year"] == 2001)]
    kw = {"region": "geo_path", "activity": "wipo_field", "value": "value"}
    tot = d.groupby("geo_path")["value"].sum()
    zero = list(tot.index[tot == 0])
    assert zero == [
        "World -> Australia and Oceania -> All others",
        "World -> North America -> Puerto Rico",
    ]
    with pytest.warns(DegenerateDataWarning, match=r"2 region\(s\).*Oceania -> All others"):
        lq = location_quotient(d, **kw)
    z = lq[lq["geo_path"].isin(zero)]
    assert len(z) == 70 and z["lq"].isna().all() and not z["specialised"].any()
    ok = lq[~lq["geo_path"].isin(zero)]
    assert ok["lq"].notna().all()
    # Canada's RTA in one field by hand (the zero region adds nothing to the sums)
    can = d[d["geo_path"] == "World -> North America -> Canada"].set_index("wipo_field")["value"]
    ref = d.groupby("wipo_field")["value"].sum()
    field = "computer technology"
    expect = (can[field] / can.sum()) / (ref[field] / ref.sum())
    got = ok[(ok["geo_path"] == "World -> North America -> Canada") & (ok["wipo_field"] == field)]
    assert got["lq"].iloc[0] == pytest.approx(expect, rel=1e-12)


def test_zero_total_target_in_opportunities_is_undefined() -> None:
    df = pd.DataFrame(
        {
            "geo": list("AAABBBCCCDDDEEE"),
            "act": list("xyz") * 5,
            "emp": [5, 1, 0, 4, 4, 1, 0, 3, 6, 1, 0, 7, 0, 0, 0],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        with pytest.warns(DegenerateDataWarning, match="'E'"):
            res = opportunities(df, region="geo", activity="act", value="emp", target="A")
    assert res.tidy()["quadrant"].tolist() == ["weakness", "opportunity", "threat"]


# --- small places ---------------------------------------------------------------------


def test_min_value_keeps_tiny_economies_out_of_the_eci() -> None:
    trade = ris3.datasets.load("trade-hs2", "exports")
    kw = {"region": "exporter_name", "activity": "hs2", "value": "export_value_kusd"}
    before = _quiet(complexity, trade, **kw, missing="drop").eci
    top = before.sort_values("eci", ascending=False)["exporter_name"].head(2).tolist()
    assert top == ["Other Asia nes", "Cocos Isds"]
    with pytest.warns(DataQualityWarning, match=r"69 region\(s\).*below min_value=1e\+06"):
        res = complexity(trade, **kw, min_value=1e6, missing="drop")
    totals = trade.groupby("exporter_name")["export_value_kusd"].sum()
    small = totals[totals < 1e6]
    assert sorted(res.left_out["exporter_name"]) == sorted(small.index)
    np.testing.assert_allclose(
        res.left_out.set_index("exporter_name")["total"].loc[small.index], small
    )
    # the same as computing on the big exporters only
    big = trade[trade["exporter_name"].isin(totals.index[totals >= 1e6])]
    ref = _quiet(complexity, big, **kw, missing="drop").eci.set_index("exporter_name")["eci"]
    got = res.eci.set_index("exporter_name")["eci"]
    pd.testing.assert_series_equal(got.sort_index(), ref.sort_index())
    after = got.sort_values(ascending=False).index[:5].tolist()
    assert "Cocos Isds" not in set(got.index)
    assert after == ["Other Asia nes", "Japan", "Germany", "Czechia", "Slovenia"]
    assert "69 region-period(s)" in res.summary()


def test_few_regions_warn_and_min_value_in_opportunities(spain: pd.DataFrame) -> None:
    d = spain[spain["year"] == 2014]
    with pytest.warns(
        DataQualityWarning, match=r"proximity rests on 19 region\(s\).*fewer than 50"
    ):
        res = opportunities(d, **SBS, target="ES53", missing="drop")
    assert res.network_regions == 19
    assert res.top(1)["nace_r2"].iloc[0] == "C12"  # tobacco: the fragile result warned about
    assert "fewer than 50, read with care" in res.summary()
    with pytest.warns(DataQualityWarning, match=r"economic complexity rests on 19 region"):
        complexity(d, **SBS, missing="drop")
    # size filter: the target's own row is kept, small regions leave the network
    tot = d.groupby("geo")["persons_employed"].sum()
    cut = float(tot.sort_values().iloc[3])  # leaves out the three smallest
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res2 = opportunities(d, **SBS, target="ES53", missing="drop", min_value=cut)
    assert sorted(res2.left_out["geo"]) == sorted(tot.index[tot < cut])
    assert res2.network_regions == 16
    np.testing.assert_allclose(res2.tidy()["lq"].dropna(), res.tidy()["lq"].dropna())


def test_zero_total_target_has_no_opportunities() -> None:
    from ris3.errors import DegenerateDataError

    df = pd.DataFrame(
        {"geo": list("AABBCC"), "act": list("xy") * 3, "emp": [0.0, 0.0, 1.0, 2.0, 3.0, 1.0]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DegenerateDataError, match="target='A' has a total of 0: its shares"):
            opportunities(df, region="geo", activity="act", value="emp", target="A")
