"""Shift-share and specialisation change: hand-worked 3x3, Eurostat SBS NUTS-2, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ris3.errors import ConventionError, DegenerateDataWarning, InputError
from ris3.measures.dynamics import entry_exit, shift_share, specialisation_change

EFFECTS = ["national_effect", "industry_mix_effect", "competitive_effect"]

# Hand-worked example (3 regions x 3 activities). Reference = all regions:
# totals 500 -> 600, G = 0.2; G_a = 0.2, G_b = 0, G_c = 0.6.
Y0 = {"R1": (100, 50, 50), "R2": (50, 100, 50), "R3": (50, 50, 0)}
Y1 = {"R1": (120, 40, 60), "R2": (50, 120, 80), "R3": (70, 40, 20)}
# (change, national, industry mix, competitive) worked out by hand
HAND = {
    ("R1", "a"): (20, 20, 0, 0),
    ("R1", "b"): (-10, 10, -10, -10),
    ("R1", "c"): (10, 10, 20, -20),
    ("R2", "a"): (0, 10, 0, -10),
    ("R2", "b"): (20, 20, -20, 20),
    ("R2", "c"): (30, 10, 20, 0),
    ("R3", "a"): (20, 10, 0, 10),
    ("R3", "b"): (-10, 10, -10, -10),
    ("R3", "c"): (20, 0, 0, 20),
}
HAND_REGION = {"R1": (20, 40, 10, -30), "R2": (50, 40, 0, 10), "R3": (30, 20, -10, 20)}


def long(*years: tuple[int, dict[str, tuple[int, ...]]]) -> pd.DataFrame:
    rows = [
        (y, r, a, float(v))
        for y, table in years
        for r, vals in table.items()
        for a, v in zip("abc", vals)
        if v != 0
    ]
    return pd.DataFrame(rows, columns=["year", "geo", "act", "emp"])


def test_classic_hand_worked() -> None:
    ss = shift_share(
        long((2010, Y0), (2015, Y1)), region="geo", activity="act", value="emp", time="year"
    )
    t = ss.tidy().set_index(["geo", "act"])
    assert len(t) == 9  # R3 x c is new: present only at the end, still listed
    for key, (chg, ne, im, ce) in HAND.items():
        np.testing.assert_allclose(
            t.loc[key, ["change", *EFFECTS]].to_numpy(dtype=float), [chg, ne, im, ce], atol=1e-12
        )
    r = ss.by_region().set_index("geo")
    for key, vals in HAND_REGION.items():
        np.testing.assert_allclose(
            r.loc[key, ["change", *EFFECTS]].to_numpy(dtype=float), vals, atol=1e-12
        )
    assert ss.method == "classic" and ss.periods == [2010, 2015]
    assert "change 100.0 = national 100.0" in ss.summary()


def test_dynamic_is_sum_of_yearly_classic() -> None:
    mid = {"R1": (110, 45, 40), "R2": (60, 90, 70), "R3": (40, 60, 10)}
    df = long((2010, Y0), (2011, mid), (2012, Y1))
    dyn = shift_share(df, region="geo", activity="act", value="emp", time="year", method="dynamic")
    a = shift_share(
        df, region="geo", activity="act", value="emp", time="year", start=2010, end=2011
    )
    b = shift_share(
        df, region="geo", activity="act", value="emp", time="year", start=2011, end=2012
    )
    d = dyn.tidy().set_index(["geo", "act"])
    s = (
        a.tidy()
        .set_index(["geo", "act"])[EFFECTS]
        .add(b.tidy().set_index(["geo", "act"])[EFFECTS], fill_value=0)
    )
    np.testing.assert_allclose(d[EFFECTS].to_numpy(), s.loc[d.index].to_numpy(), atol=1e-9)
    np.testing.assert_allclose(d[EFFECTS].sum(axis=1), d["change"], atol=1e-9)
    assert dyn.periods == [2010, 2011, 2012]
    # the classic decomposition over the whole period differs from the dynamic one
    cl = shift_share(df, region="geo", activity="act", value="emp", time="year").tidy()
    assert not np.allclose(
        cl.set_index(["geo", "act"]).loc[d.index, EFFECTS].to_numpy(), d[EFFECTS].to_numpy()
    )


@pytest.fixture(scope="module")
def sbs(sbs_persons_employed_all_levels: pd.DataFrame) -> pd.DataFrame:
    """Persons employed (V16110) in 2008, 2011 and 2014: NUTS-2 and countries, NACE divisions."""
    d = sbs_persons_employed_all_levels
    keep = (
        d["time"].isin([2008, 2011, 2014])
        & d["geo"].str.len().isin([2, 4])
        & d["nace_r2"].str.fullmatch(r"[A-Z]\d\d")
    )
    return pd.DataFrame(
        {
            "geo": d.loc[keep, "geo"].to_numpy(),
            "nace": d.loc[keep, "nace_r2"].to_numpy(),
            "year": d.loc[keep, "time"].to_numpy(),
            "emp": d.loc[keep, "value"].to_numpy(),
        }
    )


def test_shift_share_sbs_adds_up(sbs: pd.DataFrame) -> None:
    nuts2 = sbs[(sbs["geo"].str.len() == 4) & sbs["year"].isin([2008, 2014])]
    with pytest.raises(InputError, match="missing is not zero"):
        shift_share(nuts2, region="geo", activity="nace", value="emp", time="year")
    with pytest.raises(InputError, match=r"region\(s\) in column 'geo' are absent from some"):
        shift_share(nuts2, region="geo", activity="nace", value="emp", time="year", missing="drop")
    ss = shift_share(
        nuts2,
        region="geo",
        activity="nace",
        value="emp",
        time="year",
        missing="drop",
        unbalanced="drop",
    )
    everything = ss.tidy()
    assert everything["geo"].nunique() > 200 and everything["nace"].nunique() > 60
    t = everything[everything["status"] == "observed"]
    np.testing.assert_allclose(t[EFFECTS].sum(axis=1), t["change"], rtol=1e-12, atol=1e-6)
    # cells missing in either year are listed with undefined effects, never as 0
    gaps = everything[everything["status"] != "observed"]
    assert len(gaps) == ss.n_left_out > 0
    assert gaps[["change", *EFFECTS]].isna().all().all()
    # independent: value_start/value_end are the cells observed in both years
    kept_regions = set(everything["geo"])
    nuts2_kept = nuts2[nuts2["geo"].isin(kept_regions)]
    wide = nuts2_kept.pivot_table(index=["geo", "nace"], columns="year", values="emp", dropna=False)
    both = wide.dropna()
    assert set(map(tuple, t[["geo", "nace"]].to_numpy())) == set(both.index[both.sum(axis=1) > 0])
    kept = both.loc[pd.MultiIndex.from_frame(t[["geo", "nace"]])]
    np.testing.assert_array_equal(t["value_start"], kept[2008])
    np.testing.assert_array_equal(t["value_end"], kept[2014])
    # national effect: start value x growth of all kept regions on those cells
    g = both[2014].sum() / both[2008].sum() - 1
    np.testing.assert_allclose(t["national_effect"], t["value_start"] * g, rtol=1e-12)
    # all-regions reference: competitive effects cancel per activity, industry mix overall
    ce = t.groupby("nace")["competitive_effect"].sum()
    np.testing.assert_allclose(ce, 0, atol=1e-6)
    assert abs(t["industry_mix_effect"].sum()) < 1e-6
    r = ss.by_region()
    np.testing.assert_allclose(r[EFFECTS].sum(axis=1), r["change"], rtol=1e-12, atol=1e-6)
    # regions observed in only one of the two years are listed, not silently lost
    assert set(ss.dropped_regions) == set(nuts2.dropna()["geo"]) - kept_regions
    assert len(ss.dropped_regions) > 0


def test_shift_share_sbs_national_reference_and_dynamic(sbs: pd.DataFrame) -> None:
    at = sbs[sbs["geo"].str.startswith("AT")].dropna()
    # keep divisions the national row reports in every year (others are confidential there)
    full = at[at["geo"] == "AT"].groupby("nace")["year"].nunique()
    at = at[at["nace"].isin(full.index[full == 3])]
    ss = shift_share(
        at,
        region="geo",
        activity="nace",
        value="emp",
        time="year",
        start=2008,
        end=2014,
        reference="AT",
        unbalanced="drop",
    )
    t = ss.tidy()
    assert "AT" not in set(t["geo"]) and ss.reference == "region 'AT'"
    nat = at[at["geo"] == "AT"].pivot_table(index="nace", columns="year", values="emp")
    g = nat[2014].sum() / nat[2008].sum() - 1
    np.testing.assert_allclose(t["national_effect"], t["value_start"] * g, rtol=1e-12)
    gi = (nat[2014] / nat[2008] - 1).loc[t["nace"]].to_numpy()
    with_start = t["value_start"].to_numpy() > 0
    np.testing.assert_allclose(
        t["industry_mix_effect"].to_numpy()[with_start],
        (t["value_start"] * (gi - g)).to_numpy()[with_start],
        rtol=1e-9,
    )
    np.testing.assert_allclose(t[EFFECTS].sum(axis=1), t["change"], atol=1e-6)
    dyn = shift_share(
        at,
        region="geo",
        activity="nace",
        value="emp",
        time="year",
        method="dynamic",
        reference="AT",
        unbalanced="drop",
    )
    d = dyn.tidy()
    assert dyn.periods == [2008, 2011, 2014]
    np.testing.assert_allclose(d[EFFECTS].sum(axis=1), d["change"], atol=1e-6)


def test_shift_share_errors() -> None:
    df = long((2010, Y0), (2015, Y1))
    kw = {"region": "geo", "activity": "act", "value": "emp", "time": "year"}
    with pytest.raises(
        InputError, match=r"start=2011 is not a period of column 'year'; periods: 2010, 2015"
    ):
        shift_share(df, start=2011, **kw)
    with pytest.raises(InputError, match="end must come after start; got start=2015, end=2010"):
        shift_share(df, start=2015, end=2010, **kw)
    with pytest.raises(
        ConventionError, match=r"method must be one of 'classic', 'dynamic'; got 'x'"
    ):
        shift_share(df, method="x", **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="needs at least two periods"):
        shift_share(df[df["year"] == 2010], **kw)
    with pytest.raises(InputError, match=r"reference='EU' is not a label of column 'geo'"):
        shift_share(df, reference="EU", **kw)
    gap = df[~((df["geo"] == "R2") & (df["year"] == 2015))]
    with pytest.raises(InputError, match=r"1 region\(s\) in column 'geo' are absent .*'R2'"):
        shift_share(gap, **kw)
    with_ref = pd.concat(
        [df, df.assign(geo="EU").groupby(["year", "geo", "act"], as_index=False)["emp"].sum()]
    )
    no_ref_late = with_ref[~((with_ref["geo"] == "EU") & (with_ref["year"] == 2015))]
    with pytest.raises(InputError, match=r"reference region\(s\) 'EU' are absent"):
        shift_share(no_ref_late, reference="EU", **kw)
    # the reference lacks an activity a region has at the start: undefined, warned, NaN
    odd = with_ref[~((with_ref["geo"] == "EU") & (with_ref["act"] == "a"))]
    with pytest.warns(
        DegenerateDataWarning, match="industry-mix and competitive effects are undefined"
    ):
        res = shift_share(odd, reference="EU", **kw).tidy()
    assert res.loc[res["act"] == "a", "industry_mix_effect"].isna().all()
    # with a named aggregate row equal to the sum of regions, results equal the default
    same = shift_share(with_ref, reference="EU", **kw).tidy()
    base = shift_share(df, **kw).tidy()
    np.testing.assert_allclose(same[EFFECTS].to_numpy(), base[EFFECTS].to_numpy(), atol=1e-9)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.integers(0, 500), min_size=12, max_size=12),
    st.lists(st.integers(0, 500), min_size=12, max_size=12),
)
def test_shift_share_identities(v0: list[int], v1: list[int]) -> None:
    regions, acts = ["r1", "r2", "r3", "r4"], ["a", "b", "c"]
    rows = [
        (y, r, a, float(v))
        for y, vals in ((0, v0), (1, v1))
        for (r, a), v in zip([(r, a) for r in regions for a in acts], vals)
    ]
    df = pd.DataFrame(rows, columns=["t", "geo", "act", "x"])
    tot0 = df[df["t"] == 0].groupby("act")["x"].sum()
    rs0 = df[df["t"] == 0].groupby("geo")["x"].sum()
    rs1 = df[df["t"] == 1].groupby("geo")["x"].sum()
    # the identities below need every activity at the start and every region in both years
    assume(not ((tot0 == 0).any() or (rs0 == 0).any() or (rs1 == 0).any()))
    t = shift_share(df, region="geo", activity="act", value="x", time="t").tidy()
    scale = max(1.0, float(df["x"].abs().max()))
    np.testing.assert_allclose(t[EFFECTS].sum(axis=1), t["change"], atol=1e-9 * scale)
    np.testing.assert_allclose(t.groupby("act")["competitive_effect"].sum(), 0, atol=1e-8 * scale)
    assert abs(t["industry_mix_effect"].sum()) < 1e-8 * scale
    # relabelling regions permutes rows but not values
    ren = {"r1": "z9", "r2": "r2", "r3": "r3", "r4": "a0"}
    t2 = shift_share(
        df.assign(geo=df["geo"].map(ren)), region="geo", activity="act", value="x", time="t"
    ).tidy()
    t2["geo"] = t2["geo"].map({v: k for k, v in ren.items()})
    m = t.merge(t2, on=["geo", "act"], suffixes=("", "_2"))
    np.testing.assert_allclose(
        m["competitive_effect"], m["competitive_effect_2"], atol=1e-9 * scale
    )


def test_specialisation_change_and_entry_exit() -> None:
    df = long((2010, Y0), (2015, Y1))
    ch = specialisation_change(
        df, region="geo", activity="act", value="emp", time="year", start=2010, end=2015
    ).set_index(["geo", "act"])
    # R3 x c: LQ 0 -> (20/130) / (160/600) = 0.577: no entry; R2 x c: 1.25 -> 1.2
    assert ch.loc[("R3", "c"), "lq_start"] == 0
    assert ch.loc[("R3", "c"), "lq_end"] == pytest.approx((20 / 130) / (160 / 600))
    assert ch.loc[("R2", "c"), "lq_start"] == pytest.approx((50 / 200) / (100 / 500))
    assert ch.loc[("R2", "c"), "transition"] == "kept"
    # R1 x c: (50/200)/(100/500) = 1.25 -> (60/220)/(160/600) = 1.02: kept
    assert ch.loc[("R1", "c"), "transition"] == "kept"
    # R3 x a: (50/100)/(200/500) = 1.25 -> (70/130)/(240/600) = 1.35 kept;
    # R3 x b: (50/100)/(200/500) = 1.25 -> (40/130)/(200/600) = 0.92: exit
    assert ch.loc[("R3", "b"), "transition"] == "exit"
    assert ch.loc[
        (
            "R3",
            "a",
        ),
        "growth",
    ] == pytest.approx((70 / 50) ** (1 / 5) - 1)
    assert np.isnan(ch.loc[("R3", "c"), "growth"])
    # R2 x b: (100/200)/(200/500) = 1.25 -> (120/250)/(200/600) = 1.44 kept
    # R1 x a: 1.25 -> (120/220)/(240/600) = 1.36 kept; R1 x b: 0.625 -> 0.545 none
    assert ch.loc[("R1", "b"), "transition"] == "none"
    ee = entry_exit(
        df, region="geo", activity="act", value="emp", time="year", start=2010, end=2015
    ).set_index("geo")
    assert ee.loc["R3", "n_exits"] == 1 and ee.loc["R3", "n_entries"] == 0
    expected = ch.reset_index().groupby("geo")["transition"].apply(lambda s: (s == "kept").sum())
    np.testing.assert_array_equal(ee["n_kept"], expected.loc[ee.index])
    # higher threshold: fewer specialisations; strict inequality at exactly 1.25
    strict = specialisation_change(
        df,
        region="geo",
        activity="act",
        value="emp",
        time="year",
        start=2010,
        end=2015,
        threshold=1.25,
        strict=True,
    )
    assert not strict["specialised_start"].any()
    with pytest.raises(InputError, match=r"threshold must be a number > 0; got 0"):
        specialisation_change(
            df,
            region="geo",
            activity="act",
            value="emp",
            time="year",
            start=2010,
            end=2015,
            threshold=0,
        )


def test_specialisation_change_sbs(sbs: pd.DataFrame) -> None:
    de = sbs[sbs["geo"].str.startswith("DE") & (sbs["geo"].str.len() == 4)].dropna()
    ch = specialisation_change(
        de, region="geo", activity="nace", value="emp", time="year", start=2008, end=2014
    )
    # independent LQ of one cell in 2014, on the cells observed in both years (the regions
    # recoded between 2008 and 2014, DE40 and DED4/DED5 against DE41/DE42 and DED1/DED3,
    # are absent from one of the years and count in neither)
    in_2008 = set(de.loc[de["year"] == 2008, "geo"])
    y = de[(de["year"] == 2014) & de["geo"].isin(in_2008)]
    recoded = {"DE40", "DED4", "DED5", "DE41", "DE42", "DED1", "DED3"}
    assert set(de["geo"]) - set(y["geo"]) == recoded
    assert ch.loc[ch["geo"].isin(recoded), "transition"].eq("unknown").all()
    r, a = "DE11", "C29"
    lq = (y[(y.geo == r) & (y.nace == a)].emp.sum() / y[y.geo == r].emp.sum()) / (
        y[y.nace == a].emp.sum() / y.emp.sum()
    )
    row = ch[(ch["geo"] == r) & (ch["nace"] == a)].iloc[0]
    assert row["lq_end"] == pytest.approx(lq)
    assert row["lq_end"] > 2  # Stuttgart region: automotive
    assert set(ch["transition"]) <= {"entry", "exit", "kept", "none", "unknown"}
    known = ch.dropna(subset=["lq_start", "lq_end"])
    assert (
        (known["transition"] == "entry") == ((known["lq_start"] < 1) & (known["lq_end"] >= 1))
    ).all()


def test_shift_share_each_region_against_its_country() -> None:
    # two "countries" P and Q, each with its own total row
    df = long((2010, Y0), (2015, Y1))
    df["country"] = df["geo"].map({"R1": "P", "R2": "P", "R3": "Q"})
    totals = df.groupby(["year", "country", "act"], as_index=False)["emp"].sum()
    both = pd.concat([df.drop(columns="country"), totals.rename(columns={"country": "geo"})])
    mapping = {"R1": "P", "R2": "P", "R3": "Q"}
    ss = shift_share(
        both, region="geo", activity="act", value="emp", time="year", reference=mapping
    )
    t = ss.tidy().set_index(["geo", "act"])
    assert set(t.index.get_level_values("geo")) == {"R1", "R2", "R3"}
    # P: 400 -> 470, G = 0.175; P x c: 100 -> 140, G_c = 0.4
    assert t.loc[("R1", "c"), "national_effect"] == pytest.approx(50 * 0.175)
    assert t.loc[("R1", "c"), "industry_mix_effect"] == pytest.approx(50 * (0.4 - 0.175))
    # Q is R3 alone: its competitive effects vanish where it had the activity at the start
    assert t.loc[("R3", "a"), "competitive_effect"] == pytest.approx(0, abs=1e-9)
    assert t.loc[("R3", "b"), "competitive_effect"] == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(t[EFFECTS].sum(axis=1), t["change"], atol=1e-9)


def test_shift_share_parent_from_hierarchy_and_external_table() -> None:
    kw = {"region": "geo", "activity": "act", "value": "emp", "time": "year"}
    df = long((2010, Y0), (2015, Y1))
    mapping = {"R1": "P", "R2": "P", "R3": "Q"}
    totals = df.assign(geo=df["geo"].map(mapping)).groupby(["year", "geo", "act"]).sum()
    both = pd.concat([df, totals.reset_index()])
    rows = shift_share(both, **kw, reference=mapping).tidy()
    # the parents' rows (here equal to their children's sum) or the sum itself
    for mode in ("parent", "parent_rows"):
        parent = shift_share(both, **kw, hierarchy=mapping, reference=mode).tidy()
        np.testing.assert_allclose(parent[EFFECTS], rows[EFFECTS], atol=1e-9)
    summed = shift_share(df, **kw, hierarchy=mapping, reference="parent_sum").tidy()
    np.testing.assert_allclose(summed[EFFECTS], rows[EFFECTS], atol=1e-9)
    # an external table equal to all regions gives the default decomposition
    table = df.groupby(["year", "act"], as_index=False)["emp"].sum()
    ext = shift_share(df, **kw, reference_table=table).tidy()
    base = shift_share(df, **kw).tidy()
    np.testing.assert_allclose(ext[EFFECTS], base[EFFECTS], atol=1e-9)
    # an activity only in the table counts in the reference's total growth:
    # 500 + 100 -> 600 + 300, G = 0.5; R1 x a: 100 * 0.5 and 100 * (0.2 - 0.5)
    extra = pd.concat(
        [table, pd.DataFrame({"year": [2010, 2015], "act": "z", "emp": [100.0, 300]})]
    )
    t = shift_share(df, **kw, reference_table=extra).tidy().set_index(["geo", "act"])
    assert t.loc[("R1", "a"), "national_effect"] == pytest.approx(50.0)
    assert t.loc[("R1", "a"), "industry_mix_effect"] == pytest.approx(-30.0)
    with pytest.raises(InputError, match="reference_table needs the column 'year'"):
        shift_share(df, **kw, reference_table=table.drop(columns="year"))


def test_specialisation_change_against_parents_matches_location_quotient() -> None:
    from ris3.measures.specialisation import location_quotient

    df = long((2010, Y0), (2015, Y1))
    hier = {"R1": "P", "R2": "P", "R3": "Q", "R4": "Q"}
    df = pd.concat([df, df[df["geo"] == "R3"].assign(geo="R4", emp=lambda d: d["emp"] * 3)])
    kw = {"region": "geo", "activity": "act", "value": "emp", "time": "year"}
    ch = specialisation_change(df, **kw, start=2010, end=2015, hierarchy=hier)
    lq = location_quotient(df, **kw, hierarchy=hier)
    for year, col in ((2010, "lq_start"), (2015, "lq_end")):
        expected = lq[lq["year"] == year].set_index(["geo", "act"])["lq"]
        got = ch.set_index(["geo", "act"])[col]
        np.testing.assert_allclose(got.loc[expected.index], expected, rtol=1e-12)
    # Q = R3 + 3 R3: every LQ of R3 and R4 is 1
    np.testing.assert_allclose(ch.loc[ch["geo"].isin(["R3", "R4"]), "lq_end"], 1.0, rtol=1e-12)
