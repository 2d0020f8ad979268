"""Skill relatedness (Neffke and Henning 2013) and job-spell flows."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ris3.clusters.linkages import (
    FLOW_COLUMNS,
    SKILL_RELATEDNESS_COLUMNS,
    job_spells_to_flows,
    skill_relatedness,
)
from ris3.engines import connect
from ris3.errors import (
    ClassificationError,
    ConventionError,
    DataQualityWarning,
    DegenerateDataError,
    DegenerateDataWarning,
    InputError,
)

ASHE = "uk_labour_flows_ashe/Table1_Reduced_matrix_2009_2018_flows.csv"


@pytest.fixture(scope="module")
def con():
    return connect(threads=1)


@pytest.fixture(scope="module")
def ashe(shared_data) -> pd.DataFrame:
    return pd.read_csv(shared_data / ASHE)


def dense_reference(flows: pd.DataFrame, o: str, d: str, c: str):
    """Skill relatedness with plain numpy on a dense matrix (independent of ris3)."""
    codes = np.array(sorted(set(flows[o]) | set(flows[d])))
    pos = {k: i for i, k in enumerate(codes)}
    f = np.zeros((len(codes), len(codes)))
    np.add.at(f, (flows[o].map(pos).to_numpy(), flows[d].map(pos).to_numpy()), flows[c])
    np.fill_diagonal(f, 0.0)
    expected = np.outer(f.sum(axis=1), f.sum(axis=0)) / f.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, f / expected, np.nan)
    directed = (ratio - 1) / (ratio + 1)
    sym = (directed + directed.T) / 2
    return codes, f, ratio, directed, sym


# --- hand-worked example -------------------------------------------------------------


def test_hand_worked_three_industries(con) -> None:
    flows = pd.DataFrame(
        {
            "from": ["a", "a", "b", "b", "c", "a"],
            "to": ["b", "c", "a", "c", "a", "a"],
            "n": [30, 10, 20, 5, 15, 500],
        }
    )
    out = skill_relatedness(flows, origin="from", destination="to", count="n", backend=con)
    assert tuple(out.columns) == SKILL_RELATEDNESS_COLUMNS
    # F.. = 80 (stayers a->a ignored); row sums a 40, b 25, c 15; column sums a 35, b 30, c 15.
    sr = {
        ("a", "b"): Fraction(30 * 80, 40 * 30),
        ("a", "c"): Fraction(10 * 80, 40 * 15),
        ("b", "a"): Fraction(20 * 80, 25 * 35),
        ("b", "c"): Fraction(5 * 80, 25 * 15),
        ("c", "a"): Fraction(15 * 80, 15 * 35),
        ("c", "b"): Fraction(0),
    }
    tilde = {k: (v - 1) / (v + 1) for k, v in sr.items()}
    assert sr[("a", "b")] == 2 and tilde[("c", "b")] == -1
    got = out.set_index(["origin", "destination"])
    for (i, j), value in sr.items():
        assert got.loc[(i, j), "sr_ratio"] == pytest.approx(float(value), rel=1e-12)
        assert got.loc[(i, j), "sr_directed"] == pytest.approx(float(tilde[(i, j)]), rel=1e-12)
        sym = (tilde[(i, j)] + tilde[(j, i)]) / 2
        assert got.loc[(i, j), "skill_relatedness"] == pytest.approx(float(sym), rel=1e-12)
    assert got.loc[("a", "b"), "expected_flow"] == pytest.approx(15.0)
    assert got.loc[("c", "b"), "flow"] == 0.0
    assert list(out["origin"]) == ["a", "a", "b", "b", "c", "c"]


# --- real data: UK ASHE job transitions 2009-2018 --------------------------------------


def test_ashe_matches_dense_reference(ashe, con) -> None:
    out = pytest.warns(
        DegenerateDataWarning,
        match=r"undefined \(NaN\) for 158 of 3902 ordered pairs: 36 industries have no "
        r"recorded move to another industry \(119, 141, .*\) and 37 none from another",
    )
    with out:
        got = skill_relatedness(
            ashe, origin="StartIndst", destination="FinalIndst", count="Counts", backend=con
        )
    codes, f, ratio, directed, sym = dense_reference(ashe, "StartIndst", "FinalIndst", "Counts")
    assert f.sum() == 129_524  # moves between different industries
    pos = {k: i for i, k in enumerate(codes)}
    i = got["origin"].map(pos).to_numpy()
    j = got["destination"].map(pos).to_numpy()
    # exactly the pairs with a flow in one direction at least, both orders
    has_flow = (f > 0) | (f.T > 0)
    assert len(got) == int(has_flow.sum()) == 3902
    in_result = has_flow.any(axis=1)
    assert int((in_result & (f.sum(axis=1) == 0)).sum()) == 36  # as the warning says
    assert int((in_result & (f.sum(axis=0) == 0)).sum()) == 37
    assert has_flow[i, j].all()
    np.testing.assert_array_equal(got["flow"].to_numpy(), f[i, j])
    np.testing.assert_allclose(got["sr_ratio"].to_numpy(), ratio[i, j], rtol=1e-12)
    np.testing.assert_allclose(got["sr_directed"].to_numpy(), directed[i, j], rtol=1e-12)
    np.testing.assert_allclose(got["skill_relatedness"].to_numpy(), sym[i, j], rtol=1e-12)
    # a documented pair: primary education (8520) and general secondary education (8531)
    row = got[(got.origin == 8520) & (got.destination == 8531)].iloc[0]
    assert row["flow"] == 2790
    assert row["skill_relatedness"] > 0.5


def test_ashe_complete_gives_every_pair(ashe, con) -> None:
    with pytest.warns(DegenerateDataWarning):
        got = skill_relatedness(
            ashe,
            origin="StartIndst",
            destination="FinalIndst",
            count="Counts",
            complete=True,
            backend=con,
        )
    codes, f, ratio, directed, sym = dense_reference(ashe, "StartIndst", "FinalIndst", "Counts")
    n = len(codes)
    assert len(got) == n * (n - 1) == 439 * 438
    full = np.full((n, n), np.nan)
    pos = {k: i for i, k in enumerate(codes)}
    full[got["origin"].map(pos), got["destination"].map(pos)] = got["skill_relatedness"]
    off = ~np.eye(n, dtype=bool)
    np.testing.assert_allclose(full[off], sym[off], rtol=1e-12)
    # pairs without any flow between industries that both have flows: exactly -1
    both = (f.sum(axis=1) > 0)[:, None] & (f.sum(axis=0) > 0)[None, :]
    no_flow = (f == 0) & (f.T == 0) & both & both.T & off
    assert no_flow.any() and np.all(full[no_flow] == -1.0)


def test_mean_available_uses_the_defined_direction(con) -> None:
    # d receives workers but never loses any: d -> x is undefined.
    flows = pd.DataFrame({"o": ["a", "b", "a", "b"], "d": ["b", "a", "d", "d"], "n": [4, 2, 2, 1]})
    with pytest.warns(DegenerateDataWarning, match="undefined"):
        strict = skill_relatedness(flows, origin="o", destination="d", count="n", backend=con)
    lenient = skill_relatedness(
        flows, origin="o", destination="d", count="n", symmetrise="mean_available", backend=con
    )
    s = strict.set_index(["origin", "destination"])
    m = lenient.set_index(["origin", "destination"])
    assert np.isnan(s.loc[("a", "d"), "skill_relatedness"])
    assert np.isnan(s.loc[("d", "a"), "sr_directed"])
    # a -> d: F=2, F[a.]=6, F[.d]=3, F..=9 -> SR=1, SR~=0
    assert m.loc[("a", "d"), "sr_ratio"] == pytest.approx(1.0)
    assert m.loc[("a", "d"), "skill_relatedness"] == pytest.approx(0.0)
    assert m.loc[("d", "a"), "skill_relatedness"] == pytest.approx(0.0)
    pd.testing.assert_series_equal(s.loc[("a", "b"), :], m.loc[("a", "b"), :], check_names=False)


def test_parquet_input_and_industries_list(ashe, con, tmp_path) -> None:
    path = tmp_path / "flows.parquet"
    ashe.to_parquet(path)
    codes = sorted(set(ashe.StartIndst) | set(ashe.FinalIndst)) + [99999]
    with pytest.warns(DegenerateDataWarning):
        a = skill_relatedness(
            path, origin="StartIndst", destination="FinalIndst", count="Counts", backend=con
        )
    with pytest.warns(DegenerateDataWarning):
        b = skill_relatedness(
            ashe,
            origin="StartIndst",
            destination="FinalIndst",
            count="Counts",
            industries=codes,
            backend=con,
        )
    pd.testing.assert_frame_equal(a, b)


# --- properties --------------------------------------------------------------------


@st.composite
def flow_tables(draw):
    n = draw(st.integers(3, 6))
    counts = draw(
        st.lists(st.integers(0, 50), min_size=n * n, max_size=n * n).filter(
            lambda c: sum(c[k] for k in range(n * n) if k // n != k % n) > 0
        )
    )
    codes = [f"i{k}" for k in range(n)]
    return pd.DataFrame(
        {
            "o": [codes[k // n] for k in range(n * n)],
            "d": [codes[k % n] for k in range(n * n)],
            "n": counts,
        }
    )


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flows=flow_tables(), scale=st.integers(2, 7), stay=st.integers(0, 1000))
def test_properties(con, flows, scale, stay) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        base = skill_relatedness(flows, origin="o", destination="d", count="n", backend=con)
        scaled = flows.assign(n=flows.n * scale)
        scaled.loc[scaled.o == scaled.d, "n"] = stay  # stayers do not matter
        other = skill_relatedness(scaled, origin="o", destination="d", count="n", backend=con)
        renamed = flows.assign(o="x" + flows.o, d="x" + flows.d)
        perm = skill_relatedness(renamed, origin="o", destination="d", count="n", backend=con)
    cols = ["sr_ratio", "sr_directed", "skill_relatedness"]
    np.testing.assert_allclose(base[cols].to_numpy(), other[cols].to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(base[cols].to_numpy(), perm[cols].to_numpy(), rtol=1e-12)
    s = base["skill_relatedness"].dropna()
    assert ((s >= -1) & (s < 1)).all()
    sym = base.set_index(["origin", "destination"])["skill_relatedness"]
    rev = sym.copy()
    rev.index = rev.index.swaplevel()
    pd.testing.assert_series_equal(sym, rev.reindex(sym.index))


# --- errors ------------------------------------------------------------------------


def test_errors(con) -> None:
    good = pd.DataFrame({"o": ["a", "b"], "d": ["b", "a"], "n": [1, 2]})

    def call(df, **kw):
        args = {"origin": "o", "destination": "d", "count": "n", "backend": con} | kw
        return skill_relatedness(df, **args)

    with pytest.raises(
        InputError, match=r"flows has no column 'moves'; its columns are 'o', 'd', 'n'"
    ):
        call(good, count="moves")
    with pytest.raises(InputError, match=r"count column 'o' must be numeric; got type string"):
        call(good, count="o")
    with pytest.raises(InputError, match=r"must be >= 0; got 1 negative values, e.g. 'b'->'a': -2"):
        call(good.assign(n=[1, -2]))
    with pytest.raises(InputError, match=r"column 'n' has 1 missing values"):
        call(good.assign(n=[1.0, np.nan]))
    with pytest.raises(InputError, match=r"column 'd' has 1 missing values"):
        call(good.assign(d=["b", None]))
    with pytest.raises(InputError, match=r"must be finite; got 1 infinite"):
        call(good.assign(n=[1.0, np.inf]))
    with pytest.raises(
        InputError, match=r"one row per \(o, d\) pair; 1 pairs appear more than once, e.g. 'a'->'b'"
    ):
        call(pd.concat([good, good.iloc[:1]]))
    with pytest.raises(InputError, match=r"must hold codes of the same type; got string and int64"):
        call(good.assign(d=[2, 1]))
    with pytest.raises(
        ClassificationError, match=r"flows has 1 industry codes not in industries: 'b'"
    ):
        call(good, industries=["a", "c"])
    with pytest.raises(InputError, match=r"industries must hold codes of the same type"):
        call(good, industries=[1, 2])
    with pytest.raises(
        InputError, match=r"industries must list each code once; got duplicates 'a'"
    ):
        call(good, industries=["a", "a", "b"])
    with pytest.raises(InputError, match=r"industries must be a list of codes; got str"):
        call(good, industries="ab")
    with pytest.raises(DegenerateDataError, match=r"no move between different industries"):
        call(pd.DataFrame({"o": ["a", "b"], "d": ["a", "b"], "n": [5, 3]}))
    with pytest.raises(DegenerateDataError, match=r"flows is empty"):
        call(good.iloc[:0])
    with pytest.raises(
        ConventionError, match=r"symmetrise must be one of 'mean', 'mean_available'; got 'max'"
    ):
        call(good, symmetrise="max")
    with pytest.raises(
        ConventionError, match=r"engine must be one of 'duckdb', 'spark'; got 'sqlite'"
    ):
        skill_relatedness(good, origin="o", destination="d", count="n", engine="sqlite")
    with pytest.raises(
        ConventionError, match=r"engine='spark' conflicts with the backend given \('duckdb'\)"
    ):
        call(good, engine="spark")
    with pytest.raises(InputError, match=r"complete must be True or False; got 1"):
        call(good, complete=1)
    with pytest.raises(InputError, match=r"origin must be a column name \(str\); got 0"):
        call(good, origin=0)


# --- job spells --------------------------------------------------------------------


def test_job_spells_rules(con) -> None:
    spells = pd.DataFrame(
        {
            "w": [1, 1, 1, 2, 2, 3, 3, 4],
            "ind": ["a", "b", "b", "a", "c", "c", "a", "a"],
            "s": [2000, 2004, 2010, 2001, 2003, 2002, 2020, 2001],
            "e": [2003, 2009, 2015, 2002, 2008, 2005, 2021, 2009],
        }
    )
    # given out of order: the rows are sorted by start within each worker
    shuffled = spells.sample(frac=1.0, random_state=3)
    out = job_spells_to_flows(shuffled, worker="w", industry="ind", start="s", end="e", backend=con)
    assert tuple(out.columns) == FLOW_COLUMNS
    assert out.to_dict("list") == {
        "origin": ["a", "a", "b", "c"],
        "destination": ["b", "c", "b", "a"],
        "count": [1, 1, 1, 1],
    }
    assert out.attrs["transitions"] == {"move": 4, "overlap": 0, "gap": 0}
    # with max_gap = 5 years the 2005 -> 2020 transition of worker 3 is a gap
    gap = job_spells_to_flows(
        spells, worker="w", industry="ind", start="s", end="e", max_gap=5, backend=con
    )
    assert gap.to_dict("list")["origin"] == ["a", "a", "b"]
    assert gap.attrs["transitions"] == {"move": 3, "overlap": 0, "gap": 1}
    # an end equal to the next start is not an overlap (inclusive or exclusive ends)
    touching = pd.DataFrame({"w": [1, 1], "ind": ["a", "b"], "s": [1, 5], "e": [5, 9]})
    assert job_spells_to_flows(
        touching, worker="w", industry="ind", start="s", end="e", backend=con
    )["count"].tolist() == [1]


def test_job_spells_overlap_policies(con) -> None:
    spells = pd.DataFrame(
        {
            "w": ["x", "x", "x", "y", "y"],
            "ind": [1, 2, 3, 1, 2],
            "s": [0, 3, 10, 0, 2],
            "e": [5, 8, None, 1, None],
        }
    )
    kw = {"worker": "w", "industry": "ind", "start": "s", "end": "e", "backend": con}
    with pytest.raises(
        InputError, match=r"1 transitions are between overlapping spells .* workers 'x'"
    ):
        job_spells_to_flows(spells, **kw)
    with pytest.warns(
        DataQualityWarning, match=r"1 transitions between overlapping spells were not counted"
    ):
        skipped = job_spells_to_flows(spells, overlap="skip", **kw)
    assert skipped.to_dict("list") == {"origin": [1, 2], "destination": [2, 3], "count": [1, 1]}
    counted = job_spells_to_flows(spells, overlap="count", **kw)
    assert counted.to_dict("list") == {
        "origin": [1, 2],
        "destination": [2, 3],
        "count": [2, 1],
    }
    assert counted.attrs["counted"] == ["move", "overlap"]
    # a running spell (end missing) followed by another spell is an overlap
    running = pd.DataFrame({"w": [1, 1], "ind": [1, 2], "s": [0, 3], "e": [None, 9]})
    with pytest.raises(InputError, match=r"overlapping"):
        job_spells_to_flows(running, **kw)


def test_job_spells_dates_and_workers_count(con) -> None:
    d = dt.date
    spells = pd.DataFrame(
        {
            "w": [1, 1, 1, 1, 2, 2],
            "ind": ["a", "b", "a", "b", "a", "b"],
            "s": [
                d(2010, 1, 1),
                d(2011, 1, 1),
                d(2012, 1, 1),
                d(2013, 1, 1),
                d(2010, 1, 1),
                d(2012, 1, 1),
            ],
            "e": [
                d(2010, 12, 31),
                d(2011, 12, 31),
                d(2012, 12, 31),
                d(2013, 12, 31),
                d(2010, 6, 30),
                d(2013, 1, 1),
            ],
        }
    )
    spells["s"] = pd.to_datetime(spells["s"])
    spells["e"] = pd.to_datetime(spells["e"])
    kw = {"worker": "w", "industry": "ind", "start": "s", "end": "e", "backend": con}
    moves = job_spells_to_flows(spells, **kw)
    assert moves.set_index(["origin", "destination"])["count"].to_dict() == {
        ("a", "b"): 3,
        ("b", "a"): 1,
    }
    workers = job_spells_to_flows(spells, count="workers", **kw)
    assert workers.set_index(["origin", "destination"])["count"].to_dict() == {
        ("a", "b"): 2,
        ("b", "a"): 1,
    }
    # worker 2 waited 550 days: not a switch with a one-year limit
    limited = job_spells_to_flows(spells, max_gap=dt.timedelta(days=365), **kw)
    assert limited.attrs["transitions"]["gap"] == 1
    assert limited.set_index(["origin", "destination"])["count"].to_dict() == {
        ("a", "b"): 2,
        ("b", "a"): 1,
    }


def test_job_spells_match_pandas_reference(con) -> None:
    rng = np.random.default_rng(7)
    n = 4000
    worker = rng.integers(0, 600, n)
    start = rng.permutation(n)  # distinct starts: order is unambiguous
    spells = pd.DataFrame({"w": worker, "ind": rng.integers(0, 12, n), "s": start, "e": start})
    got = job_spells_to_flows(spells, worker="w", industry="ind", start="s", end="e", backend=con)
    ref = spells.sort_values(["w", "s"])
    nxt = ref.groupby("w")["ind"].shift(-1)
    pairs = pd.DataFrame({"origin": ref["ind"], "destination": nxt}).dropna()
    pairs["destination"] = pairs["destination"].astype("int64")
    expected = pairs.value_counts().rename("count").reset_index()
    expected = expected.sort_values(["origin", "destination"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["count"].sum() == n - spells["w"].nunique()


def test_job_spells_errors(con) -> None:
    spells = pd.DataFrame({"w": [1, 1], "ind": ["a", "b"], "s": [1, 5], "e": [4, 9]})
    kw = {"worker": "w", "industry": "ind", "start": "s", "end": "e", "backend": con}
    with pytest.raises(InputError, match=r"spells has no column 'person'"):
        job_spells_to_flows(spells, **(kw | {"worker": "person"}))
    with pytest.raises(
        InputError, match=r"1 spells end before they start \(e < s\), e.g. worker 1 5..2"
    ):
        job_spells_to_flows(spells.assign(e=[4, 2]), **kw)
    with pytest.raises(InputError, match=r"column 'ind' has 1 missing values"):
        job_spells_to_flows(spells.assign(ind=["a", None]), **kw)
    with pytest.raises(
        InputError, match=r"must both be numbers or both dates; got int64 and timestamp"
    ):
        job_spells_to_flows(spells.assign(e=pd.to_datetime(["2020-01-01"] * 2)), **kw)
    with pytest.raises(InputError, match=r"max_gap must be a number >= 0; got -1"):
        job_spells_to_flows(spells, max_gap=-1, **kw)
    dated = spells.assign(
        s=pd.to_datetime(["2020-01-01", "2021-01-01"]),
        e=pd.to_datetime(["2020-06-01", "2021-06-01"]),
    )
    with pytest.raises(
        InputError, match=r"max_gap must be a timedelta >= 0 for date columns; got 30"
    ):
        job_spells_to_flows(dated, max_gap=30, **kw)
    with pytest.raises(
        ConventionError, match=r"overlap must be one of 'raise', 'skip', 'count'; got 'merge'"
    ):
        job_spells_to_flows(spells, overlap="merge", **kw)
    with pytest.raises(
        ConventionError, match=r"count must be one of 'moves', 'workers'; got 'people'"
    ):
        job_spells_to_flows(spells, count="people", **kw)


# --- the same numbers on Spark ------------------------------------------------------


@pytest.mark.slow
def test_spark_gives_the_same_results(ashe, con) -> None:
    """DuckDB and Spark (local mode) run the same Ibis expressions: same numbers."""
    pytest.importorskip("pyspark")
    spark = connect("spark", master="local[1]", config={"spark.sql.shuffle.partitions": "1"})
    kw = {"origin": "StartIndst", "destination": "FinalIndst", "count": "Counts"}
    with pytest.warns(DegenerateDataWarning):
        on_spark = skill_relatedness(ashe, backend=spark, **kw)
    with pytest.warns(DegenerateDataWarning):
        on_duckdb = skill_relatedness(ashe, backend=con, **kw)
    pd.testing.assert_frame_equal(on_spark, on_duckdb, check_dtype=False, rtol=1e-12)

    rng = np.random.default_rng(11)
    n = 2000
    start = pd.Timestamp("2000-01-01") + pd.to_timedelta(rng.integers(0, 5000, n), unit="D")
    spells = pd.DataFrame(
        {
            "w": rng.integers(0, 400, n),
            "ind": rng.choice(list("abcdefgh"), n),
            "s": start,
            "e": start + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
        }
    )
    args = {
        "worker": "w",
        "industry": "ind",
        "start": "s",
        "end": "e",
        "overlap": "count",
        "max_gap": dt.timedelta(days=200),
    }
    a = job_spells_to_flows(spells, backend=spark, **args)
    b = job_spells_to_flows(spells, backend=con, **args)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert a.attrs == b.attrs
    assert min(a.attrs["transitions"].values()) > 0  # every rule was exercised


# --- command line ------------------------------------------------------------------


def test_cli_skill_relatedness_and_job_flows(ashe, tmp_path, capsys) -> None:
    from ris3.cli import main

    flows_csv = tmp_path / "flows.csv"
    ashe.to_csv(flows_csv, index=False)
    out = tmp_path / "sr.parquet"
    code = main(
        [
            "skill-relatedness",
            str(flows_csv),
            "--origin",
            "StartIndst",
            "--destination",
            "FinalIndst",
            "--count",
            "Counts",
            "--symmetrise",
            "mean_available",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    written = pd.read_parquet(out)
    # the CLI reads industry codes from CSV as text (leading zeros are kept)
    direct = skill_relatedness(
        ashe.astype({"StartIndst": str, "FinalIndst": str}),
        origin="StartIndst",
        destination="FinalIndst",
        count="Counts",
        symmetrise="mean_available",
    )
    pd.testing.assert_frame_equal(written, direct, check_dtype=False)

    spells = pd.DataFrame(
        {"w": [1, 1, 2, 2], "ind": ["a", "b", "b", "a"], "s": [1, 5, 1, 9], "e": [4, 8, 3, 12]}
    )
    spells_pq = tmp_path / "spells.parquet"
    spells.to_parquet(spells_pq)
    flows_out = tmp_path / "moves.csv"
    args = ["job-flows", str(spells_pq), "--worker", "w", "--industry", "ind"]
    args += ["--start", "s", "--end", "e", "--max-gap", "3", "--out", str(flows_out)]
    assert main(args) == 0
    assert pd.read_csv(flows_out).to_dict("list") == {
        "origin": ["a"],
        "destination": ["b"],
        "count": [1],
    }
    # errors are one line and exit code 2
    bad = ["skill-relatedness", str(flows_csv), "--origin", "From", "--destination", "FinalIndst"]
    assert main([*bad, "--count", "Counts", "--out", str(out)]) == 2
    assert "flows has no column 'From'" in capsys.readouterr().err
    assert main([*args[:-2], "--max-gap-days", "3", "--out", str(flows_out)]) == 2
    assert "not both" in capsys.readouterr().err


def test_codes_of_different_integer_widths(ashe, con, tmp_path) -> None:
    narrow = ashe.astype({"FinalIndst": "int32"})
    path = tmp_path / "narrow.parquet"
    narrow.to_parquet(path)
    kw = {"origin": "StartIndst", "destination": "FinalIndst", "count": "Counts", "backend": con}
    codes = np.array(sorted(set(ashe.StartIndst) | set(ashe.FinalIndst)), dtype="int16")
    with pytest.warns(DegenerateDataWarning):
        a = skill_relatedness(path, industries=codes, complete=True, **kw)
    with pytest.warns(DegenerateDataWarning):
        b = skill_relatedness(ashe, complete=True, **kw)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
