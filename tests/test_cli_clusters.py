"""`ris3 clusters` and `ris3 shift-share` on the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.cli import main


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    data = pd.DataFrame(
        {
            "year": [2010] * 6 + [2015] * 6,
            "geo": ["A", "A", "A", "B", "B", "B"] * 2,
            "code": ["11", "12", "99"] * 4,
            "emp": [30.0, 10, 5, 10, 30, 5, 40, 10, 5, 10, 20, 5],
            "est": [3.0, 1, 1, 1, 3, 1, 4, 1, 1, 1, 2, 1],
        }
    )
    definition = pd.DataFrame(
        {"activity": ["11", "12"], "cluster": ["X", "Y"], "kind": ["traded", "local"]}
    )
    d, p = tmp_path / "def.csv", tmp_path / "data.csv"
    data.to_csv(p, index=False)
    definition.to_csv(d, index=False)
    return p, d


def test_clusters_command(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, definition = files
    out, stars, unc, reg = (tmp_path / n for n in ("map.csv", "stars.csv", "unc.csv", "reg.csv"))
    code = main(
        [
            "clusters",
            str(data),
            "--definition",
            str(definition),
            "--definition-type",
            "kind",
            "--region",
            "geo",
            "--activity",
            "code",
            "--value",
            "emp",
            "--establishments",
            "est",
            "--time",
            "year",
            "--out",
            str(out),
            "--stars",
            str(stars),
            "--uncovered",
            str(unc),
            "--regions",
            str(reg),
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "1 activity code(s) in column 'code' are not in" in err  # code 99, reported
    m = pd.read_csv(out)
    a = m[(m.year == 2010) & (m.geo == "A") & (m.cluster == "X")].iloc[0]
    assert a["value"] == 30 and a["share"] == pytest.approx(30 / 45)
    assert a["lq"] == pytest.approx((30 / 45) / (40 / 90))
    u = pd.read_csv(unc)
    assert u["code"].tolist() == [99, 99] and u["value"].tolist() == [10.0, 10.0]
    assert {"size_star", "stars"} <= set(pd.read_csv(stars).columns)
    r = pd.read_csv(reg)
    np.testing.assert_allclose(r["uncovered_share"], [5 / 45, 5 / 45, 5 / 55, 5 / 35])


def test_clusters_command_errors(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, definition = files
    code = main(
        [
            "clusters",
            str(data),
            "--definition",
            str(definition),
            "--region",
            "nuts",
            "--activity",
            "code",
            "--value",
            "emp",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert code == 2
    assert "no column 'nuts' (given as --region)" in capsys.readouterr().err
    code = main(
        [
            "clusters",
            str(data),
            "--definition",
            str(definition),
            "--definition-cluster",
            "group",
            "--region",
            "geo",
            "--activity",
            "code",
            "--value",
            "emp",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert code == 2
    assert "no column 'group' (given as cluster=)" in capsys.readouterr().err


def test_shift_share_command(files: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = files
    out, by = tmp_path / "ss.csv", tmp_path / "by.csv"
    code = main(
        [
            "shift-share",
            str(data),
            "--region",
            "geo",
            "--activity",
            "code",
            "--value",
            "emp",
            "--time",
            "year",
            "--out",
            str(out),
            "--by-region",
            str(by),
        ]
    )
    assert code == 0
    t = pd.read_csv(out)
    eff = t[["national_effect", "industry_mix_effect", "competitive_effect"]].sum(axis=1)
    np.testing.assert_allclose(eff, t["change"], atol=1e-9)
    b = pd.read_csv(by).set_index("geo")
    assert b.loc["A", "change"] == 10 and b.loc["B", "change"] == -10
    # total growth 90 -> 90: no national effect
    np.testing.assert_allclose(b["national_effect"], 0, atol=1e-9)


def test_reference_options_on_the_command_line(files: tuple[Path, Path], tmp_path: Path) -> None:
    data, definition = files
    base = ["--region", "geo", "--activity", "code", "--time", "year"]
    # an external reference in which code 11 (cluster X) is 10 % of 100
    table = tmp_path / "ref.csv"
    pd.DataFrame({"code": ["11", "12", "99"], "emp": [10.0, 10, 80]}).to_csv(table, index=False)
    hier = tmp_path / "hier.csv"
    pd.DataFrame({"child": ["A", "B"], "parent": ["P", "P"]}).to_csv(hier, index=False)
    out = tmp_path / "map.csv"
    args = ["clusters", str(data), "--definition", str(definition), *base, "--value", "emp"]
    assert main([*args, "--out", str(out), "--reference-table", str(table)]) == 0
    m = pd.read_csv(out)
    a = m[(m.year == 2010) & (m.geo == "A") & (m.cluster == "X")].iloc[0]
    assert a["lq"] == pytest.approx((30 / 45) / 0.1)
    # the parent P has no rows: the sum of A and B, i.e. all regions
    assert main([*args, "--out", str(out), "--hierarchy", str(hier)]) == 0
    a = pd.read_csv(out).query("year == 2010 and geo == 'A' and cluster == 'X'").iloc[0]
    assert a["lq"] == pytest.approx((30 / 45) / (40 / 90))
    # shift-share against an external table per year: 100 -> 150, G = 0.5
    yearly = tmp_path / "ref_years.csv"
    pd.DataFrame(
        {"year": [2010] * 3 + [2015] * 3, "code": [11, 12, 99] * 2, "emp": [10.0, 10, 80] * 2}
    ).assign(emp=lambda d: d["emp"] * d["year"].map({2010: 1.0, 2015: 1.5})).to_csv(
        yearly, index=False
    )
    ss = tmp_path / "ss.csv"
    cmd = ["shift-share", str(data), *base, "--value", "emp", "--out", str(ss)]
    assert main([*cmd, "--reference-table", str(yearly)]) == 0
    t = pd.read_csv(ss).set_index(["geo", "code"])
    assert t.loc[("A", 11), "national_effect"] == pytest.approx(30 * 0.5)
    assert t.loc[("A", 11), "industry_mix_effect"] == pytest.approx(0.0, abs=1e-9)
    assert main([*cmd, "--hierarchy", str(hier), "--reference", "parent_sum"]) == 0
    parent = pd.read_csv(ss)
    assert main(cmd) == 0
    pd.testing.assert_frame_equal(parent, pd.read_csv(ss))
