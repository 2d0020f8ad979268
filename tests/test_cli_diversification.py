"""``ris3 opportunities|peers|backtest|stars|portfolio`` write what the functions return."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ris3
from ris3.cli import main

KEYS = {"region": "geo", "activity": "nace_r2", "value": "persons_employed"}
K = ["--region", "geo", "--activity", "nace_r2", "--value", "persons_employed"]


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    d = ris3.datasets.load("eu-sbs")
    d = d[d["geo"].str.startswith(("AT", "DE", "CZ", "IT"))]
    return d[["geo", "nace_r2", "year", "persons_employed"]].reset_index(drop=True)


@pytest.fixture(scope="module")
def csv(sbs: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("in") / "sbs.csv"
    sbs.to_csv(p, index=False)
    return p


def _read(p: Path, like: pd.DataFrame) -> pd.DataFrame:
    text = [c for c in like.columns if like[c].dtype == object or str(like[c].dtype) == "str"]
    got = pd.read_csv(p, dtype={c: str for c in text}, keep_default_na=False, na_values=[""])
    return got


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    want = want.reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    for c in want.columns:
        if pd.api.types.is_numeric_dtype(want[c]) and not pd.api.types.is_bool_dtype(want[c]):
            pd.testing.assert_series_equal(
                got[c].astype(float), want[c].astype(float), check_names=False, rtol=1e-12
            )
        else:
            assert got[c].astype(str).tolist() == want[c].astype(str).tolist(), c


def test_opportunities_equals_the_function(csv: Path, sbs: pd.DataFrame, tmp_path: Path) -> None:
    out, top = tmp_path / "o.csv", tmp_path / "t.csv"
    argv = ["opportunities", str(csv), *K, "--time", "year", "--target", "AT33"]
    assert main([*argv, "--missing", "drop", "--out", str(out), "--top", str(top)]) == 0
    res = ris3.opportunities(sbs, **KEYS, time="year", target="AT33", missing="drop")
    _same(_read(out, res.tidy()), res.tidy())
    _same(_read(top, res.top(10)), res.top(10))
    # confidential cells of the target stay unknown, never ranked
    got = pd.read_csv(out, dtype={"activity": str})
    assert (got.loc[got["missing"], "quadrant"] == "unknown (confidential)").all()
    # the default refuses missing values, as every command does
    assert main([*argv, "--out", str(tmp_path / "x.csv")]) == 2
    # --no-strict is the default; --strict changes presence to LQ > 1
    assert main([*argv, "--missing", "drop", "--no-strict", "--out", str(out)]) == 0
    _same(_read(out, res.tidy()), res.tidy())


def test_peers_equals_the_function(csv: Path, sbs: pd.DataFrame, tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    argv = ["peers", str(csv), *K, "--time", "year", "--period", "2014", "--target", "AT33"]
    assert main([*argv, "--n", "5", "--missing", "drop", "--out", str(out)]) == 0
    want = ris3.peers(sbs, **KEYS, time="year", period=2014, target="AT33", n=5, missing="drop")
    _same(_read(out, want), want)
    assert len(want) == 5 and "AT33" not in set(want["geo"])


def test_backtest_equals_the_function(
    csv: Path, sbs: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, dec = tmp_path / "b.csv", tmp_path / "d.csv"
    argv = ["backtest", str(csv), *K, "--time", "year", "--start", "2008", "--end", "2014"]
    assert main([*argv, "--missing", "drop", "-o", str(out), "--by-decile", str(dec)]) == 0
    res = ris3.backtest(sbs, **KEYS, time="year", start=2008, end=2014, missing="drop")
    _same(_read(out, res.tidy()), res.tidy())
    _same(_read(dec, res.by_decile()), res.by_decile())
    assert f"AUC density = {res.auc['density']:.3f}" in capsys.readouterr().err


def test_stars_and_portfolio_equal_the_functions(
    csv: Path, sbs: pd.DataFrame, tmp_path: Path
) -> None:
    cm = ris3.map_clusters(
        sbs,
        ris3.eu_benchmark_clusters(),
        region="geo",
        activity="nace_r2",
        value="persons_employed",
        time="year",
        missing="drop",
    )
    stars = tmp_path / "s.csv"
    assert (
        main(["stars", str(csv), *K, "--time", "year", "--missing", "drop", "--out", str(stars)])
        == 0
    )
    want = ris3.cluster_stars(cm)
    _same(_read(stars, want), want)
    pf = tmp_path / "p.csv"
    argv = ["portfolio", str(csv), *K, "--time", "year", "--start", "2008", "--end", "2014"]
    assert main([*argv, "--target", "AT33", "--missing", "drop", "--out", str(pf)]) == 0
    want = ris3.portfolio(cm, start=2008, end=2014, target="AT33")
    got = _read(pf, want)
    _same(got, want)
    # a cluster with a confidential cell in either period has no growth and says why
    assert set(got["geo"]) == {"AT33"}
    assert got.loc[got["status"] != "observed", "growth"].isna().all()
