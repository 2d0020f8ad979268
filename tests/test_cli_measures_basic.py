"""`ris3 specialisation` and `ris3 diversity` on the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.cli import main
from ris3.measures.diversity import entropy, variety
from test_specialisation import LQ_ALL, X, tidy

BASE = ["--region", "geo", "--activity", "nace", "--value", "emp"]


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "emp.csv"
    pd.concat([tidy(X).assign(year=2020), tidy(X * 3).assign(year=2021)]).to_csv(path, index=False)
    return path


def test_specialisation_writes_lq_and_presence(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "lq.csv"
    assert main(["specialisation", str(table), *BASE, "--time", "year", "--out", str(out)]) == 0
    res = pd.read_csv(out)
    assert {"year", "geo", "nace", "lq", "specialised"} <= set(res.columns)
    assert len(res) == 60
    for year in (2020, 2021):
        lq = res[res.year == year].pivot(index="geo", columns="nace", values="lq").to_numpy()
        np.testing.assert_array_equal(lq, LQ_ALL)
    assert res.loc[(res.geo == "R1") & (res.year == 2020), "specialised"].tolist() == [
        True, False, True, True, False
    ]  # fmt: skip


def test_specialisation_options(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "lq.parquet"
    args = ["specialisation", str(table), *BASE, "--time", "year", "--out", str(out)]
    assert main([*args, "--strict"]) == 0
    assert pd.read_parquet(out).groupby("year")["specialised"].sum().tolist() == [5, 5]
    assert main([*args, "--threshold", "2"]) == 0
    assert pd.read_parquet(out).groupby("year")["specialised"].sum().tolist() == [4, 4]


def test_specialisation_named_reference_and_hierarchy(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    pd.concat([tidy(X), tidy(np.array([[1.0, 1, 1, 1, 4]]), ["EU28"])]).to_csv(data, index=False)
    out = tmp_path / "o.csv"
    assert main(["specialisation", str(data), *BASE, "--reference", "EU28", "--out", str(out)]) == 0
    res = pd.read_csv(out)
    assert "EU28" not in set(res.geo)
    assert res.loc[res.geo == "R1", "lq"].tolist() == [4.0, 0.0, 2.0, 2.0, 0.0]
    hier = tmp_path / "h.csv"
    pd.DataFrame({"child": ["R1", "R2", "R3", "R4", "R5", "R6"], "parent": "EU28"}).to_csv(
        hier, index=False
    )
    assert (
        main(["specialisation", str(data), *BASE, "--hierarchy", str(hier), "--out", str(out)]) == 0
    )
    assert pd.read_csv(out).loc[lambda d: d.geo == "R1", "lq"].tolist() == [4.0, 0.0, 2.0, 2.0, 0.0]


def test_specialisation_reference_table(table: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.csv"
    pd.DataFrame({"nace": list("abcde"), "emp": [1.0, 1, 1, 1, 4]}).to_csv(ref, index=False)
    out = tmp_path / "o.csv"
    args = ["specialisation", str(table), *BASE, "--time", "year", "--out", str(out)]
    assert main([*args, "--reference-table", str(ref)]) == 0
    res = pd.read_csv(out)
    assert res.loc[res.geo == "R1", "lq"].tolist() == [4.0, 0.0, 2.0, 2.0, 0.0] * 2


def test_diversity_command(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "div.csv"
    assert main(["diversity", str(table), *BASE, "--time", "year", "--out", str(out)]) == 0
    res = pd.read_csv(out)
    assert list(res.columns) == ["year", "geo", "diversity", "entropy"]
    assert res.loc[res.year == 2020, "diversity"].tolist() == [3, 5, 3, 4, 3, 5]
    np.testing.assert_allclose(
        res.loc[res.year == 2020, "entropy"],
        entropy(tidy(X), region="geo", activity="nace", value="emp")["entropy"],
    )
    hier = tmp_path / "h.csv"
    pd.DataFrame({"child": list("abcde"), "parent": ["G1", "G1", "G2", "G2", "G2"]}).to_csv(
        hier, index=False
    )
    assert (
        main(
            [
                "diversity",
                str(table),
                *BASE,
                "--hierarchy",
                str(hier),
                "--time",
                "year",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    res = pd.read_csv(out)
    assert list(res.columns) == [
        "year",
        "geo",
        "diversity",
        "entropy",
        "unrelated_variety",
        "related_variety",
    ]
    expected = variety(
        tidy(X),
        region="geo",
        activity="nace",
        value="emp",
        hierarchy=dict(zip("abcde", ["G1", "G1", "G2", "G2", "G2"])),
    )
    np.testing.assert_allclose(
        res.loc[res.year == 2021, "related_variety"], expected["related_variety"], rtol=1e-12
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--threshold", "-1"], "threshold must be a number > 0; got -1.0"),
        (["--missing", "ignore"], "--missing must be one of 'raise', 'drop', 'zero'; got 'ignore'"),
        (
            ["--time", "year", "--reference", "EU27"],
            "--reference EU27 is not a label of column 'geo'",
        ),
        (["--time", "period"], "data has no column 'period' (given as --time)"),
    ],
)
def test_specialisation_bad_input_one_line(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code = main(["specialisation", str(table), *BASE, "--out", str(tmp_path / "o.csv"), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.startswith("ris3: error: ") and err.count("\n") == 1


def test_diversity_bad_hierarchy(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hier = tmp_path / "h.csv"
    pd.DataFrame({"child": ["a", "b"], "parent": "G"}).to_csv(hier, index=False)
    code = main(
        [
            "diversity",
            str(table),
            *BASE,
            "--time",
            "year",
            "--hierarchy",
            str(hier),
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "3 activit(ies) of column 'nace' are not in --hierarchy: 'c', 'd', 'e'" in err


def test_missing_input_file_and_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ris3.cli",
            "specialisation",
            str(tmp_path / "none.csv"),
            *BASE,
            "--out",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == f"ris3: error: input file {str(tmp_path / 'none.csv')!r} does not exist"
    )
