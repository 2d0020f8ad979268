"""One numeric validation and one key policy for every table ris3 reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.errors import DataFileError, InputError
from ris3.tidy import encode, read_table

KW = {"region": "geo", "activity": "nace", "value": "emp"}


def table(values: object) -> pd.DataFrame:
    return pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"], "emp": values})


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([True, False, True], r"must hold real numbers; it holds true/false \(bool\)"),
        (pd.to_timedelta([1, 2, 3], unit="D"), r"it holds durations"),
        (pd.to_datetime(["2020-01-01"] * 3), r"it holds dates"),
        ([5 + 7j, 1 + 0j, 2 + 0j], r"it holds complex numbers"),
        ([1.0, True, 2.0], r"row 1 is True \(bool\)"),
        ([1.0, pd.Timedelta(days=1), 2.0], r"row 1 is Timedelta"),
        ([np.inf, 1.0, 2.0], r"must be finite; 1 row\(s\) are not, e.g. row 0 = inf"),
        ([1e-320, 1.0, 2.0], r"1 nonzero value\(s\) below 2.23e-308 in magnitude, e.g. row 0"),
        ([1e308, 1e308, 1e308], r"sum beyond the largest float .* largest cells: row 0 = 1e\+308"),
    ],
)
def test_values_must_be_real_finite_numbers(values: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        encode(table(values), **KW)


def test_overflow_is_per_period() -> None:
    df = pd.concat([table([1e308, 1.0, 1.0]).assign(t=1), table([1e308, 1.0, 1.0]).assign(t=2)])
    # each period sums to a finite total: no error
    encode(df.reset_index(drop=True), **KW, time="t")
    with pytest.raises(InputError, match="sum beyond the largest float"):
        encode(df.reset_index(drop=True), **KW)  # one period: duplicates aside, the sum overflows


@pytest.mark.parametrize("flag", ["no", 0, None, "False"])
def test_allow_negative_must_be_a_bool(flag: object) -> None:
    with pytest.raises(InputError, match=f"allow_negative must be True or False; got {flag!r}"):
        encode(table([-1.0, 1.0, 2.0]), **KW, allow_negative=flag)  # type: ignore[arg-type]


def test_duplicate_column_names_and_missing_roles() -> None:
    df = table([1.0, 2.0, 3.0])
    df.columns = ["geo", "emp", "emp"]
    with pytest.raises(InputError, match="duplicated column names: 'emp'"):
        encode(df, **KW)
    with pytest.raises(InputError, match=r"region= must be a column name \(str\); got None"):
        encode(table([1.0, 2.0, 3.0]), region=None, activity="nace", value="emp")  # type: ignore[arg-type]


def test_time_typo_is_an_error() -> None:
    df = table([1.0, 2.0, 3.0]).assign(year=["2013", "2013a", "2013"])
    with pytest.raises(
        InputError, match=r"column 'year' \(time=\) mixes years with other text: row 1 is '2013a'"
    ):
        encode(df, **KW, time="year")
    # text periods that are all text are fine (quarters)
    encode(table([1.0, 2.0, 3.0]).assign(q=["2013Q1"] * 3), **KW, time="q")


@pytest.mark.parametrize("bad", [None, 123, ["a.csv"]])
def test_read_table_needs_a_path(bad: object) -> None:
    with pytest.raises(InputError, match="path must be a file path"):
        read_table(bad)  # type: ignore[arg-type]


def test_key_columns_are_text_from_csv_and_excel(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("nace,emp\n011,1\n11,2\n001,3\n")
    got = read_table(csv, keys=["nace"])
    assert got["nace"].tolist() == ["011", "11", "001"]
    # both '011' and '11' stay distinct codes: no duplicate appears
    ct = encode(got.assign(geo="A"), region="geo", activity="nace", value="emp")
    assert sorted(ct.activities) == ["001", "011", "11"]
    xlsx = tmp_path / "t.xlsx"
    pd.DataFrame({"nace": ["011", 11, "001"], "emp": [1, 2, 3]}).to_excel(xlsx, index=False)
    assert read_table(xlsx, keys=["nace"])["nace"].tolist() == ["011", "11", "001"]


def test_csv_errors_name_file_lines(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("geo,nace,emp\nA,x,1\nA,y,c\n")
    with pytest.raises(InputError, match=r"e.g. line 3 of t.csv = 'c'"):
        encode(csv, **KW)
    csv.write_text("geo,nace,emp\nA,x,1\nA,y,\n")
    with pytest.raises(InputError, match=r"1 missing value\(s\), e.g. line 3 of t.csv"):
        encode(csv, **KW)


def test_unknown_extension_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="is a folder"):
        read_table(tmp_path)
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(DataFileError, match="unknown extension; allowed: .csv"):
        read_table(tmp_path / "x.json")
