"""Tests of ris3.evaluation: simulator, panel preparation, estimators, results, CLI.

Small simulated panels keep the default run fast; the coverage study over many
seeds is in test_evaluation_coverage.py (slow).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import ConventionError, DataQualityWarning, InputError
from ris3.evaluation import EvaluationResult, evaluate_programme, simulate_panel
from ris3.evaluation import estimators as est
from ris3.evaluation.panel import prepare_panel

KEYS = dict(
    firm="firm_id", region="region", activity="activity", time="year", entry_year="entry_year"
)


def run(panel: pd.DataFrame, **kw) -> EvaluationResult:
    args = dict(
        KEYS,
        value_added="value_added",
        outcomes=["value_added"],
        peer_regions=["R02", "R03"],
        productivity=False,
    )
    args.update(kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return evaluate_programme(panel, **args)


def treated_truth(panel: pd.DataFrame) -> float:
    treated = panel["entry_year"].notna() & (panel["year"] >= panel["entry_year"].fillna(0))
    return float(panel.loc[treated, "true_effect"].mean())


@pytest.fixture(scope="module")
def sim() -> pd.DataFrame:
    return simulate_panel(3000, 8, seed=3, membership_rate=0.4, effect=0.1)


@pytest.fixture(scope="module")
def result(sim: pd.DataFrame) -> EvaluationResult:
    return run(
        sim,
        employment="employment",
        outcomes=["value_added", "employment"],
        productivity=True,
        policy=["rd"],
        controls=["size_class"],
    )


# --------------------------------------------------------------------- simulator


def test_simulator_is_reproducible_and_realistic():
    a = simulate_panel(800, 6, seed=5)
    b = simulate_panel(800, 6, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not a.duplicated(["firm_id", "year"]).any()
    # skewed sizes: mean well above the median, a long right tail
    first = a.groupby("firm_id")["employment"].first()
    assert first.mean() > 1.5 * first.median()
    assert first.max() > 20 * first.median()
    # attrition and births make the panel unbalanced
    assert a.groupby("firm_id").size().nunique() > 1
    # the planted effect sits exactly on member rows from entry on
    treated = a["entry_year"].notna() & (a["year"] >= a["entry_year"].fillna(0))
    assert (a.loc[treated, "true_effect"] == 0.1).all()
    assert (a.loc[~treated, "true_effect"] == 0).all()
    # members only in the programme region and in its industries, staggered entry
    members = a[a["entry_year"].notna()]
    assert set(members["region"]) == {"R01"}
    assert members["entry_year"].nunique() > 2
    assert (a["profit"] < 0).any() and (a["exports"] == 0).any()


def test_simulator_selection_on_size_makes_members_larger():
    p = simulate_panel(6000, 5, seed=3, selection="size", n_regions=3)
    eligible = p[(p["region"] == "R01") & p["activity"].isin(["A01", "A02", "A03", "A04"])]
    size = eligible.groupby("firm_id").agg(
        emp=("employment", "mean"), member=("entry_year", lambda s: s.notna().any())
    )
    member = size["member"].astype(bool)  # pandas < 2.3 gives 0/1 from a lambda
    assert size.loc[member, "emp"].median() > 1.5 * size.loc[~member, "emp"].median()


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(programme_regions=6), "programme_regions must be < n_regions"),
        (dict(selection="pretrend"), "selection must be one of"),
        (dict(membership_rate=0), "membership_rate must be a number > 0"),
        (dict(n_years=3), "n_years must be an integer >= 4"),
    ],
)
def test_simulator_rejects_bad_arguments(kw, match):
    with pytest.raises((InputError, ConventionError), match=match):
        simulate_panel(100, **{"n_years": 6, **kw})


# ------------------------------------------------------------ panel preparation


def tiny_panel() -> pd.DataFrame:
    """3 firms x 3 years, hand-checkable: firm 1 joins in 2021."""
    return pd.DataFrame(
        {
            "firm_id": [1, 1, 1, 2, 2, 3, 3, 3, 4, 4],
            "region": ["X", "X", "X", "X", "X", "Y", "Y", "Y", "Y", "Y"],
            "activity": ["a", "a", "a", "b", "b", "a", "a", "a", "b", "b"],
            "year": [2020, 2021, 2022, 2020, 2022, 2020, 2021, 2022, 2020, 2021],
            "entry_year": [2021, 2021, 2021, None, None, None, None, None, None, None],
            "value_added": [100.0, 150.0, 180.0, 50.0, 60.0, 80.0, 90.0, 99.0, 10.0, 10.0],
            "employment": [10.0, 10.0, 12.0, 5.0, 5.0, 8.0, 9.0, 9.0, 2.0, 2.0],
            "turnover": [400.0, 500.0, 600.0, 200.0, 220.0, 300.0, 300.0, 330.0, 40.0, 40.0],
            "profit": [40.0, 75.0, 60.0, -10.0, 5.0, 30.0, 30.0, 33.0, 1.0, 2.0],
        }
    )


def prep_tiny(**kw):
    args = dict(
        KEYS,
        value_added="value_added",
        employment="employment",
        turnover="turnover",
        profit="profit",
        peer_regions=["Y"],
    )
    args.update(kw)
    return prepare_panel(tiny_panel(), **args)


def test_prepare_panel_hand_worked():
    prep = prep_tiny(with_lq=True)
    s = prep.sample.set_index(["firm", "year"])
    assert prep.programme_regions == ["X"] and prep.member_activities == ["a"]
    assert s.loc[(1, 2021), "value_added"] == pytest.approx(np.log(150))
    assert s.loc[(1, 2021), "value_added_growth"] == pytest.approx(np.log(150 / 100))
    # firm 2 has a gap (2020 -> 2022): no growth rate rather than a two-year one
    assert np.isnan(s.loc[(2, 2022), "value_added_growth"])
    assert s.loc[(1, 2022), "profitability_growth"] == pytest.approx(60 / 600 - 75 / 500)
    assert s.loc[(1, 2022), "productivity"] == pytest.approx(np.log(180 / 12))
    assert s.loc[(1, 2020), "treated"] == 0 and s.loc[(1, 2021), "treated"] == 1
    assert s.loc[(1, 2020), "rel_time"] == -1 and s.loc[(1, 2022), "rel_time"] == 1
    assert s.loc[(2, 2020), "rel_time"] == -1 and s.loc[(2, 2020), "entry_year"] == 0
    # group (a): region X; group (b): members + activity "a" in peer region Y
    assert s["group_region"].groupby(level=0).first().to_dict() == {1: True, 2: True, 3: False}
    assert s["group_peer"].groupby(level=0).first().to_dict() == {1: True, 2: False, 3: True}
    assert 4 not in s.index.get_level_values(0)  # activity b in Y is in no group
    # LQ by hand, 2020: X = {a: 10, b: 5}, Y = {a: 8, b: 2}; total 25, a = 18
    assert s.loc[(1, 2020), "lq"] == pytest.approx((10 / 15) / (18 / 25))
    assert s.loc[(3, 2020), "lq"] == pytest.approx((8 / 10) / (18 / 25))
    assert prep.report["rows_in"] == 10 and prep.report["members"] == 1


def test_prepare_panel_reads_parquet_on_the_engine(tmp_path):
    path = tmp_path / "panel.parquet"
    tiny_panel().to_parquet(path)
    prep = prepare_panel(str(path), **KEYS, value_added="value_added")
    direct = prepare_panel(tiny_panel(), **KEYS, value_added="value_added")
    pd.testing.assert_frame_equal(
        prep.sample.sort_values(["firm", "year"]).reset_index(drop=True),
        direct.sample.sort_values(["firm", "year"]).reset_index(drop=True),
    )


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda d: pd.concat([d, d.iloc[[0]]]), r"1 duplicated \(firm_id, year\) pair"),
        (
            lambda d: d.assign(entry_year=d["entry_year"].where(d["firm_id"] != 1, 2019)),
            r"must lie within the panel's years 2020-2022; 1 firm\(s\) joined outside",
        ),
        (
            lambda d: d.assign(entry_year=d["entry_year"].where(d["year"] != 2022, 2022)),
            "must be the same on every row of a firm",
        ),
        (
            lambda d: d.assign(
                region=np.where((d["firm_id"] == 3) & (d["year"] == 2022), "X", d["region"])
            ),
            r"1 firm\(s\) appear in more than one 'region'",
        ),
        (
            lambda d: d.assign(value_added=d["value_added"].where(d["firm_id"] != 3, 0.0)),
            r"column 'value_added' \(value_added=\) must be > 0 .* 3 row\(s\) are <= 0",
        ),
        (lambda d: d.assign(entry_year=None), "no firm joined the programme"),
        (lambda d: d.drop(columns="activity"), r"no column 'activity' \(activity=\)"),
    ],
)
def test_prepare_panel_bad_input(change, match):
    data = change(tiny_panel())
    with pytest.raises(InputError, match=match):
        prepare_panel(data, **KEYS, value_added="value_added")


def test_prepare_panel_options_errors():
    with pytest.raises(InputError, match="peer_regions must be regions without the programme"):
        prep_tiny(peer_regions=["X"])
    with pytest.raises(InputError, match=r"peer_regions 'Z' do not appear in the panel"):
        prep_tiny(peer_regions=["Z"])
    with pytest.raises(
        InputError, match=r"outcome 'wage_per_employee' needs the column\(s\) wages="
    ):
        prep_tiny(outcomes=["wage_per_employee"])
    with pytest.raises(ConventionError, match="outcomes must be one of"):
        prep_tiny(outcomes=["happiness"])
    with pytest.raises(ConventionError, match="region_rule must be one of"):
        prep_tiny(region_rule="mode")
    with pytest.raises(InputError, match="with_lq=True needs employment="):
        prepare_panel(tiny_panel(), **KEYS, value_added="value_added", with_lq=True)


def test_region_rules_first_last_drop():
    moved = tiny_panel()
    moved.loc[(moved["firm_id"] == 3) & (moved["year"] == 2022), "region"] = "X"
    args = dict(KEYS, value_added="value_added", peer_regions=["Y"])
    first = prepare_panel(moved, **args, region_rule="first").sample
    assert set(first.loc[first["firm"] == 3, "region"]) == {"Y"}
    last = prepare_panel(moved, **args, region_rule="last").sample
    assert set(last.loc[last["firm"] == 3, "region"]) == {"X"}
    dropped = prepare_panel(moved, **args, region_rule="drop")
    assert 3 not in set(dropped.sample["firm"])
    assert dropped.report["firms_dropped_region_switch"] == 1


def test_nonpositive_drop_sets_missing_and_reports():
    d = tiny_panel()
    d.loc[(d["firm_id"] == 3) & (d["year"] == 2021), "value_added"] = -5.0
    prep = prepare_panel(
        d, **KEYS, value_added="value_added", peer_regions=["Y"], nonpositive="drop"
    )
    s = prep.sample.set_index(["firm", "year"])
    assert np.isnan(s.loc[(3, 2021), "value_added"])
    assert np.isnan(s.loc[(3, 2022), "value_added_growth"])  # lag is missing too
    assert s.loc[(3, 2020), "value_added"] == pytest.approx(np.log(80))
    assert prep.report["nonpositive"] == {"value_added": 1}


# ------------------------------------------------------------------- estimators


def two_by_two(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 60
    firm = np.repeat(np.arange(n), 2)
    year = np.tile([0, 1], n)
    member = firm < 20
    treated = (member & (year == 1)).astype("int64")
    y = rng.normal(size=2 * n) + 0.7 * treated
    return pd.DataFrame(
        dict(
            firm=firm,
            year=year,
            member=member,
            treated=treated,
            entry_year=np.where(member, 1, 0),
            rel_time=np.where(member, year - 1, -1),
            y=y,
        )
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_did_equals_difference_of_mean_changes(seed):
    d = two_by_two(seed)
    wide = d.pivot(index="firm", columns="year", values="y")
    change = wide[1] - wide[0]
    member = d.groupby("firm")["member"].first()
    by_hand = change[member].mean() - change[~member].mean()
    assert est.did_twfe(d, "y")["estimate"] == pytest.approx(by_hand, abs=1e-8)
    att, event, _ = est.did_staggered(d, "y", window=(1, 1))
    assert att["estimate"] == pytest.approx(by_hand, abs=1e-8)
    assert event.set_index("rel_time").loc[0, "estimate"] == pytest.approx(by_hand, abs=1e-8)


def test_staggered_cell_is_a_two_by_two_comparison():
    """Each cohort x event-time coefficient is a DiD against never-members."""
    p = simulate_panel(1500, 6, seed=4, attrition=0.0, effect=0.2, effect_growth=0.1)
    p = p[p.groupby("firm_id")["year"].transform("size") == 6]  # balanced
    prep = prepare_panel(p, **KEYS, value_added="value_added", peer_regions=["R02"])
    d = prep.sample[prep.sample["group_region"]]
    # only one cohort: keep the 2013 entrants and the never-members
    d = d[(d["entry_year"] == 2013) | ~d["member"]]
    att, event, _ = est.did_staggered(d, "value_added", window=(5, 5))
    m = d.groupby(["member", "year"])["value_added"].mean()
    by_hand = (m[True, 2015] - m[True, 2012]) - (m[False, 2015] - m[False, 2012])
    assert event.set_index("rel_time").loc[2, "estimate"] == pytest.approx(by_hand, abs=1e-8)


def test_staggered_recovers_dynamic_effects_where_twfe_does_not():
    p = simulate_panel(
        4000, 10, seed=8, effect=0.0, effect_growth=0.2, membership_rate=0.5, selection="none"
    )
    r = run(p, estimators=["did_twfe", "did_staggered"], peer_regions=["R02"])
    truth = treated_truth(p)
    e = r.estimates[r.estimates["reference_group"] == "same_region"].set_index("method")
    stag, twfe = e.loc["did_staggered"], e.loc["did_twfe"]
    assert abs(stag["estimate"] - truth) < 3 * stag["std_error"]
    # growing effects bias the single TWFE coefficient downwards
    assert twfe["estimate"] < truth - 3 * twfe["std_error"]


def test_wald_zero_hand_computed():
    out = est.wald_zero(np.array([1.0, 2.0]), np.array([[1.0, 0.5], [0.5, 2.0]]))
    v_inv = np.linalg.inv(np.array([[1.0, 0.5], [0.5, 2.0]]))
    stat = np.array([1.0, 2.0]) @ v_inv @ np.array([1.0, 2.0])
    assert out["statistic"] == pytest.approx(stat)
    assert out["p_value"] == pytest.approx(np.exp(-stat / 2))  # chi2 with 2 df
    # small-sample version: W/2 ~ F(2, G-1), whose tail is (1 + 2x/n)^(-n/2)
    small = est.wald_zero(np.array([1.0, 2.0]), np.array([[1.0, 0.5], [0.5, 2.0]]), clusters=9)
    assert small["p_value"] == pytest.approx((1 + 2 * (stat / 2) / 8) ** (-8 / 2))


def test_productivity_regression_matches_least_squares_with_dummies():
    rng = np.random.default_rng(2)
    n = 300
    d = pd.DataFrame(
        {
            "firm": np.arange(n),
            "year": rng.integers(0, 3, n),
            "activity": rng.choice(["a", "b", "c"], n),
            "lq": rng.uniform(0.2, 3, n),
            "rd": rng.integers(0, 2, n),
            "size_class": rng.choice(["s", "m"], n),
        }
    )
    d["y"] = 0.2 * d["lq"] + 0.1 * d["rd"] + rng.normal(0, 0.3, n)
    out = est.productivity_regression(
        d, "y", regressors=["lq", "rd", "size_class"], fixed_effects="activity + year"
    ).set_index("term")
    x = pd.get_dummies(
        d[["lq", "rd", "size_class", "activity"]],
        drop_first=True,
        columns=["size_class", "activity"],
    ).astype(float)
    x = pd.concat([x, pd.get_dummies(d["year"], prefix="y").astype(float)], axis=1)
    beta = np.linalg.lstsq(x.to_numpy(), d["y"].to_numpy(), rcond=None)[0]
    ref = dict(zip(x.columns, beta))
    assert out.loc["lq", "estimate"] == pytest.approx(ref["lq"], abs=1e-8)
    assert out.loc["rd", "estimate"] == pytest.approx(ref["rd"], abs=1e-8)
    assert out.loc["C(size_class)[T.s]", "estimate"] == pytest.approx(ref["size_class_s"], abs=1e-8)


# ----------------------------------------------------------- evaluate_programme


def test_planted_effect_is_recovered(sim, result):
    truth = treated_truth(sim)
    e = result.estimates
    for _, row in e[e["outcome"] == "value_added"].iterrows():
        if row["method"] == "naive":
            continue
        assert abs(row["estimate"] - truth) < 4 * row["std_error"], row.to_dict()
        assert row["ci_low"] < row["estimate"] < row["ci_high"]
    # nothing planted on employment
    emp = e[(e["outcome"] == "employment") & (e["method"] != "naive")]
    assert (emp["estimate"].abs() < 4 * emp["std_error"]).all()


def test_naive_comparison_is_biased_under_selection_and_says_so(sim, result):
    v = result.verdict().set_index("outcome")
    naive = result.estimates.query("method == 'naive' and outcome == 'value_added'")
    assert naive["estimate"].iloc[0] > treated_truth(sim) + 0.3  # big firms joined
    assert v.loc["value_added", "naive_bias_z"] > 3
    assert "naive member vs non-member comparison is biased" in v.loc["value_added", "notes"]
    assert v.loc["value_added", "verdict"] == "positive effect"


def test_pretrend_test_flags_diverging_trends():
    p = simulate_panel(3000, 8, seed=21, pretrend=0.06, effect=0.0, membership_rate=0.4)
    r = run(p)
    pre = r.pretrends.set_index("reference_group")["p_value"]
    assert (pre < 0.01).all()
    v = r.verdict().iloc[0]
    assert v["verdict"] == "inconclusive: pre-trends"
    assert "pre-trends differ vs same_region" in v["notes"]
    leads = r.event_study.query("reference_group == 'same_region' and rel_time <= -2")
    # members grow faster: leads are below the reference year, increasingly so further back
    assert leads.sort_values("rel_time")["estimate"].is_monotonic_increasing


def test_no_pretrend_flag_without_divergence(result):
    assert (result.pretrends["p_value"] > 0.001).all()
    assert (result.pretrends["df"] >= 3).all()
    # member firms behind each event time, counted independently
    ev = result.event_study.query("outcome == 'value_added' and reference_group == 'same_region'")
    assert (ev["n_members"] > 0).all()


def test_few_members_per_lead_warns(sim):
    small = sim[(sim["entry_year"].isna()) | (sim["firm_id"] % 4 == 0)]
    with pytest.warns(DataQualityWarning, match="leads rest on few member firms"):
        evaluate_programme(
            small,
            **KEYS,
            value_added="value_added",
            outcomes=["value_added"],
            peer_regions=["R02"],
            productivity=False,
            estimators=["did_staggered"],
        )


def test_productivity_block(result, sim):
    prod = result.productivity
    assert set(prod["outcome"]) == {"productivity", "productivity_growth"}
    terms = set(prod["term"])
    assert {"member", "treated", "lq", "rd"} <= terms
    assert any(t.startswith("C(size_class)") for t in terms)
    assert (prod["n_obs"] > 1000).all()
    # with firm effects the membership coefficient is the within-firm change,
    # i.e. the planted effect on value added per employee
    r = run(
        sim,
        employment="employment",
        productivity=True,
        fixed_effects="firm + year",
        estimators=["did_twfe"],
    )
    within = r.productivity.query("outcome == 'productivity'").set_index("term")
    assert "member" not in within.index  # constant within firm: absorbed
    assert abs(within.loc["treated", "estimate"] - 0.1) < 4 * within.loc["treated", "std_error"]


def test_results_tidy_summary_and_charts(result, tmp_path):
    tidy = result.tidy()
    assert list(tidy.columns[:5]) == ["table", "outcome", "reference_group", "method", "term"]
    assert len(tidy) == len(result.estimates) + len(result.productivity)
    text = result.summary()
    assert "positive effect" in text and "R01" in text and "R02, R03" in text
    chart = result.event_study_chart("value_added").to_dict()
    assert chart["title"].startswith("Event study: value_added")
    trends = result.trends
    assert set(trends["group"]) == {"members", "non-members, same region", "firms in peer regions"}
    members_2012 = trends.query("outcome == 'value_added' and group == 'members' and year == 2012")[
        "mean"
    ].iloc[0]
    assert result.trends_chart("value_added").to_dict()["mark"]["type"] == "line"
    written = result.save(tmp_path / "out", chart_format="json")
    names = {p.name for p in written}
    assert {
        "estimates.csv",
        "verdict.csv",
        "summary.txt",
        "event_study_value_added.json",
        "trends_employment.json",
    } <= names
    assert np.isfinite(members_2012)
    with pytest.raises(ConventionError, match="outcome must be one of"):
        result.event_study_chart("turnover")


def test_structural_peers_used_when_none_given(sim):
    r = run(sim, peer_regions=None, employment="employment", n_peers=2)
    peers = r.info["peer_regions"]
    assert len(peers) == 2 and "R01" not in peers
    assert set(r.estimates["reference_group"]) == {"same_region", "peer_regions"}


def test_without_peers_warns_and_uses_one_group(sim):
    with pytest.warns(DataQualityWarning, match="reference group \\(b\\) .* is skipped"):
        r = evaluate_programme(
            sim,
            **KEYS,
            value_added="value_added",
            outcomes=["value_added"],
            n_peers=0,
            productivity=False,
            estimators=["did_twfe"],
        )
    assert set(r.estimates["reference_group"]) == {"same_region"}
    assert r.verdict()["verdict"].iloc[0] == "positive effect (one reference group only)"


@pytest.mark.parametrize(
    "kw, err, match",
    [
        (dict(estimators=["ols"]), ConventionError, "estimators must be one of"),
        (dict(event_window=(0, 5)), InputError, "event_window must be two integers >= 1"),
        (dict(fixed_effects="firm + sector"), ConventionError, "fixed_effects term must be one of"),
        (
            dict(productivity=True),
            InputError,
            "productivity=True needs value_added= and employment=",
        ),
        (dict(alpha=1.5), InputError, "alpha must be a number > 0 and < 1"),
    ],
)
def test_evaluate_programme_bad_options(kw, err, match):
    with pytest.raises(err, match=match):
        evaluate_programme(tiny_panel(), **KEYS, value_added="value_added", **kw)


def test_reference_group_without_non_members():
    d = tiny_panel()
    d.loc[d["firm_id"] == 2, "entry_year"] = 2022
    with pytest.raises(InputError, match="reference group 'same_region' has no non-member firm"):
        evaluate_programme(
            d, **KEYS, value_added="value_added", productivity=False, peer_regions=["Y"]
        )


def test_staggered_needs_post_entry_rows():
    d = two_by_two(0)
    d = d[d["year"] == 0]
    with pytest.raises(InputError, match="has no member firm-year after entry"):
        est.did_staggered(d, "y")


# -------------------------------------------------------------------------- CLI


def test_cli_evaluate_writes_tables_and_charts(tmp_path, sim):
    from ris3.cli import main

    panel = tmp_path / "panel.parquet"
    sim.to_parquet(panel)
    config = tmp_path / "evaluation.toml"
    config.write_text(
        "[columns]\n"
        'firm = "firm_id"\nregion = "region"\nactivity = "activity"\ntime = "year"\n'
        'entry_year = "entry_year"\nvalue_added = "value_added"\n'
        "[evaluation]\n"
        'outcomes = ["value_added"]\npeer_regions = ["R02"]\nproductivity = false\n'
        'estimators = ["did_twfe", "naive"]\n'
        "[output]\n"
        'charts = "json"\n'
    )
    out = tmp_path / "out"
    assert main(["evaluate", str(panel), "--config", str(config), "--out", str(out)]) == 0
    est_table = pd.read_csv(out / "estimates.csv")
    assert set(est_table["method"]) == {"did_twfe", "naive"}
    assert (out / "charts" / "trends_value_added.json").is_file()


def test_cli_evaluate_bad_config(tmp_path, capsys):
    from ris3.cli import main

    config = tmp_path / "bad.toml"
    config.write_text('[columns]\nfirm = "firm_id"\n[colour]\nx = 1\n')
    panel = tmp_path / "p.parquet"
    tiny_panel().to_parquet(panel)
    assert main(["evaluate", str(panel), "--config", str(config)]) == 2
    assert "config sections must be among" in capsys.readouterr().err
    config.write_text('[columns]\nfirm = "firm_id"\n')
    assert main(["evaluate", str(panel), "--config", str(config)]) == 2
    assert "config [columns] must name region, activity, time, entry_year" in (
        capsys.readouterr().err
    )


def test_lq_on_real_uk_employment_matches_pandas(shared_data):
    """LQ in the prepared panel vs a direct pandas computation, on ONS BRES 2015.

    Each region x SIC-4 class with employees is used as one 'firm'; activities
    are SIC divisions (2 digits). Two identical years; chemicals (SIC 20) in
    the North East join the programme in 2016.
    """
    raw = pd.read_csv(
        shared_data / "uk_bres2015_region_sic4" / "Bres_2015_Region_and_Country.csv",
        dtype={"SIC2007": str},
    )
    regions = [c for c in raw.columns[1:12]]
    long = raw.melt(
        id_vars=["SIC2007"], value_vars=regions, var_name="region", value_name="employment"
    )
    long = long[long["employment"] > 0].copy()
    long["activity"] = long["SIC2007"].str[:2]
    long["firm_id"] = long["region"] + "|" + long["SIC2007"]
    member = (long["region"] == "North East") & (long["activity"] == "20")
    long["entry_year"] = np.where(member, 2016, np.nan)
    panel = pd.concat([long.assign(year=2015), long.assign(year=2016)], ignore_index=True)
    prep = prepare_panel(
        panel, **KEYS, employment="employment", outcomes=["employment"], with_lq=True
    )
    # independent: LQ = (E_rd / E_r) / (E_d / E) with pandas group sums
    cell = long.groupby(["region", "activity"])["employment"].sum()
    e_r = cell.groupby(level=0).sum()
    e_d = cell.groupby(level=1).sum()
    lq = (cell / e_r.reindex(cell.index, level=0)) / (e_d.reindex(cell.index, level=1) / cell.sum())
    s = prep.sample
    expected = lq.reindex(
        pd.MultiIndex.from_arrays([s["region"].astype(str), s["activity"].astype(str)])
    )
    np.testing.assert_allclose(s["lq"].to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert prep.programme_regions == ["North East"] and prep.member_activities == ["20"]
    assert len(s) == 2 * int((long["region"] == "North East").sum())  # group (a) only


# ------------------------------------------------------ invariants and verdicts


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 10.0))
def test_did_invariant_to_firm_and_year_shifts_and_scales_linearly(seed, scale):
    """Adding firm and year constants leaves both DiD estimates unchanged;
    multiplying the outcome by c multiplies them by c."""
    rng = np.random.default_rng(seed)
    n, t = 80, 5
    firm = np.repeat(np.arange(n), t)
    year = np.tile(np.arange(t), n)
    member = firm < 30
    entry = np.where(member, 2 + firm % 2, 0)
    treated = (member & (year >= entry)).astype("int64")
    y = rng.normal(size=n * t) + 0.3 * treated
    d = pd.DataFrame(
        dict(
            firm=firm,
            year=year,
            member=member,
            treated=treated,
            entry_year=entry,
            rel_time=np.where(member, year - entry, -1),
            y=y,
        )
    )
    shifted = d.assign(y=d["y"] + rng.normal(0, 5, n)[firm] + rng.normal(0, 5, t)[year])
    scaled = d.assign(y=scale * d["y"])
    base = est.did_twfe(d, "y")["estimate"]
    assert est.did_twfe(shifted, "y")["estimate"] == pytest.approx(base, abs=1e-6)
    assert est.did_twfe(scaled, "y")["estimate"] == pytest.approx(scale * base, rel=1e-6)
    stag = est.did_staggered(d, "y", window=(3, 3))[0]["estimate"]
    assert est.did_staggered(shifted, "y", window=(3, 3))[0]["estimate"] == pytest.approx(
        stag, abs=1e-6
    )


def hand_result(
    effects: dict[str, tuple[float, float]],
    pre_p: dict[str, float],
    naive: tuple[float, float] | None = None,
) -> EvaluationResult:
    rows = []
    for group, (b, se) in effects.items():
        rows.append(
            dict(
                outcome="y",
                reference_group=group,
                method="did_staggered",
                estimate=b,
                std_error=se,
                p_value=2 * (1 - _norm_cdf(abs(b / se))),
            )
        )
    if naive is not None:
        rows.append(
            dict(
                outcome="y",
                reference_group="same_region",
                method="naive",
                estimate=naive[0],
                std_error=naive[1],
                p_value=0.0,
            )
        )
    pre = pd.DataFrame(
        [
            dict(outcome="y", reference_group=g, statistic=1.0, df=3, p_value=p, min_members=50)
            for g, p in pre_p.items()
        ],
        columns=["outcome", "reference_group", "statistic", "df", "p_value", "min_members"],
    )
    empty = pd.DataFrame()
    return EvaluationResult(
        estimates=pd.DataFrame(rows),
        event_study=empty,
        pretrends=pre,
        productivity=empty,
        trends=empty,
        info={"alpha": 0.05},
    )


def _norm_cdf(x: float) -> float:
    from math import erf, sqrt

    return 0.5 * (1 + erf(x / sqrt(2)))


@pytest.mark.parametrize(
    "effects, pre_p, expected",
    [
        ({"same_region": (0.1, 0.02), "peer_regions": (0.12, 0.02)}, {}, "positive effect"),
        ({"same_region": (-0.1, 0.02), "peer_regions": (-0.08, 0.02)}, {}, "negative effect"),
        ({"same_region": (0.1, 0.02), "peer_regions": (0.01, 0.02)}, {}, "mixed"),
        ({"same_region": (0.1, 0.02), "peer_regions": (-0.1, 0.02)}, {}, "mixed"),
        ({"same_region": (0.01, 0.02), "peer_regions": (0.02, 0.02)}, {}, "no significant effect"),
        (
            {"same_region": (0.1, 0.02), "peer_regions": (0.1, 0.02)},
            {"peer_regions": 0.01},
            "inconclusive: pre-trends",
        ),
        ({"same_region": (0.1, 0.02)}, {}, "positive effect (one reference group only)"),
    ],
)
def test_verdict_rules(effects, pre_p, expected):
    v = hand_result(effects, pre_p).verdict().iloc[0]
    assert v["verdict"] == expected


def test_verdict_naive_bias_z_by_hand():
    r = hand_result({"same_region": (0.1, 0.03)}, {}, naive=(0.5, 0.04))
    v = r.verdict().iloc[0]
    assert v["naive_bias_z"] == pytest.approx(0.4 / 0.05)
    assert "biased by selection" in v["notes"]
    close = hand_result({"same_region": (0.1, 0.03)}, {}, naive=(0.15, 0.04)).verdict().iloc[0]
    assert close["naive_bias_z"] == pytest.approx(0.05 / 0.05) and close["notes"] == ""


def test_import_evaluation_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, ris3.evaluation, ris3._cli.evaluate; "
        "heavy = [m for m in ('pyfixest', 'altair', 'ibis', 'duckdb', 'pyspark') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
