"""`ris3 hierarchy`, `ris3 aggregate` and `ris3 convert-nuts` on the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ris3.cli import main
from ris3.data.nuts import nuts_concordance


def test_hierarchy_command(tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    assert main(["hierarchy", "wipo", "--out", str(out)]) == 0
    h = pd.read_csv(out)
    assert len(h) == 35 and set(h["parent"]) == {
        "Electrical engineering", "Instruments", "Chemistry", "Mechanical engineering",
        "Other fields",
    }  # fmt: skip


def test_hierarchy_command_bad_version(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["hierarchy", "nuts", "--version", "1999", "--out", str(tmp_path / "h.csv")]) == 2
    assert "version of hierarchy 'nuts' must be one of '2021'" in capsys.readouterr().err


def test_convert_nuts_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame({"geo": ["LT00", "AT11"], "year": 2014, "emp": [1000.0, 5.0]}).to_csv(
        data, index=False
    )
    out, report = tmp_path / "o.csv", tmp_path / "r.csv"
    args = ["convert-nuts", str(data), "--region", "geo", "--value", "emp", "--time", "year"]
    assert main([*args, "--from-version", "2013", "--out", str(out), "--report", str(report)]) == 0
    res = pd.read_csv(out).set_index("geo")["emp"]
    share = nuts_concordance(2013).query("from_code == 'LT00'").set_index("to_code")["share"]
    assert res.to_dict() == pytest.approx(
        {"AT11": 5.0, "LT01": 1000 * share["LT01"], "LT02": 1000 * share["LT02"]}
    )
    assert pd.read_csv(report)["status"].tolist() == ["unchanged", "split"]
    assert "NUTS 2013 -> 2021" in capsys.readouterr().err
    assert main([*args, "--from-version", "2021", "--out", str(out)]) == 2
    assert "no NUTS-2 conversion matrix from 2021 to 2021" in capsys.readouterr().err


def test_aggregate_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame({"geo": "AT11", "nace": ["C10", "C11", "C"], "emp": [1.0, 2.0, 4.0]}).to_csv(
        data, index=False
    )
    out = tmp_path / "o.csv"
    args = ["aggregate", str(data), "--region", "geo", "--activity", "nace", "--value", "emp"]
    assert main([*args, "--hierarchy", "nace_eurostat", "--out", str(out)]) == 0
    res = pd.read_csv(out)
    assert res[["nace", "emp", "n_children", "parent_total", "coverage"]].values.tolist() == [
        ["C", 3.0, 24, 4.0, 0.75]
    ]
    table = tmp_path / "h.csv"
    pd.DataFrame({"child": ["C10", "C11"], "parent": "FOOD", "child_level": "d",
                  "parent_level": "g"}).to_csv(table, index=False)  # fmt: skip
    with_c = pd.read_csv(data)
    with_c[with_c["nace"] != "C"].to_csv(data, index=False)
    assert main([*args, "--hierarchy", str(table), "--out", str(out)]) == 0
    assert pd.read_csv(out)["emp"].tolist() == [3.0]
    assert main([*args, "--hierarchy", "nace_eurostat", "--along", "x", "--out", str(out)]) == 2
    assert "along must be one of 'activity', 'region'; got 'x'" in capsys.readouterr().err
