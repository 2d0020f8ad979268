"""The tidy-table adapter: validation messages and encoding."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from ris3.errors import ConventionError, InputError
from ris3.tidy import encode


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "geo": ["A", "A", "B", "B", "C"],
            "nace": ["x", "y", "x", "y", "x"],
            "emp": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )


def test_encode_builds_matrix(table: pd.DataFrame) -> None:
    ct = encode(table, region="geo", activity="nace", value="emp")
    assert list(ct.regions) == ["A", "B", "C"]
    assert list(ct.activities) == ["x", "y"]
    np.testing.assert_array_equal(ct.matrix().toarray(), [[1, 2], [3, 4], [5, 0]])
    np.testing.assert_array_equal(ct.gather([ct.matrix()]), table["emp"].to_numpy())


def test_encode_with_time_keeps_periods_apart() -> None:
    df = pd.DataFrame(
        {"y": [2010, 2011, 2011], "r": ["A", "A", "B"], "a": ["x", "x", "x"], "v": [1, 2, 3]}
    )
    ct = encode(df, region="r", activity="a", value="v", time="y")
    assert ct.n_times == 2
    assert ct.matrix(0).toarray().tolist() == [[1.0], [0.0]]
    assert ct.matrix(1).toarray().tolist() == [[2.0], [3.0]]
    assert ct.present_regions(0).tolist() == [True, False]
    assert ct.stacked().shape == (4, 1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"region": "nuts"}, r"no column 'nuts' \(given as region=\); available columns"),
        ({"value": "geo"}, "must name different columns"),
    ],
)
def test_bad_columns(table: pd.DataFrame, kwargs: dict, match: str) -> None:
    args = {"region": "geo", "activity": "nace", "value": "emp", **kwargs}
    with pytest.raises(InputError, match=match):
        encode(table, **args)


def test_bad_values(table: pd.DataFrame) -> None:
    t = table.copy()
    t["emp"] = t["emp"].astype(object)
    t.loc[2, "emp"] = "c"
    with pytest.raises(InputError, match=r"'emp' \(value=\) must be numeric; 1 row\(s\).*'c'"):
        encode(t, region="geo", activity="nace", value="emp")
    t = table.copy()
    t.loc[1, "emp"] = -3
    with pytest.raises(InputError, match=r"must be >= 0; 1 row\(s\) are negative, e.g. row 1"):
        encode(t, region="geo", activity="nace", value="emp")
    t.loc[1, "emp"] = np.inf
    with pytest.raises(InputError, match=r"must be finite; 1 row\(s\) are not, e.g. row 1 = inf"):
        encode(t, region="geo", activity="nace", value="emp")


def test_duplicates_and_empty(table: pd.DataFrame) -> None:
    t = pd.concat([table, table.iloc[[0]]])
    with pytest.raises(InputError, match=r"2 rows with duplicated keys \['geo', 'nace'\]"):
        encode(t, region="geo", activity="nace", value="emp")
    with pytest.raises(InputError, match="is empty"):
        encode(table.iloc[:0], region="geo", activity="nace", value="emp")
    with pytest.raises(InputError, match="must be a pandas DataFrame"):
        encode([1, 2], region="geo", activity="nace", value="emp")  # type: ignore[arg-type]


def test_missing_policies(table: pd.DataFrame) -> None:
    t = table.copy()
    t.loc[3, "emp"] = np.nan
    with pytest.raises(InputError, match="1 missing value.*missing is not zero"):
        encode(t, region="geo", activity="nace", value="emp")
    dropped = encode(t, region="geo", activity="nace", value="emp", missing="drop")
    assert (dropped.missing.missing_cells, dropped.missing.dropped) == (1, 1)
    assert len(dropped.keys) == 4
    zeroed = encode(t, region="geo", activity="nace", value="emp", missing="zero")
    assert zeroed.missing.zeroed == 1 and len(zeroed.keys) == 5
    with pytest.raises(ConventionError, match="missing must be one of 'raise', 'drop', 'zero'"):
        encode(t, region="geo", activity="nace", value="emp", missing="ignore")  # type: ignore[arg-type]
    # the caller's table is never modified
    assert np.isnan(t.loc[3, "emp"])


def test_zero_totals_are_named(table: pd.DataFrame) -> None:
    t = table.copy()
    t.loc[4, "emp"] = 0
    ct = encode(t, region="geo", activity="nace", value="emp")
    with pytest.raises(InputError, match=r"1 region\(s\) in column 'geo' sum to 0: 'C'"):
        ct.require_positive_totals("the location quotient")


def test_import_is_light() -> None:
    code = (
        "import sys, ris3; heavy = [m for m in ('altair', 'ibis', 'pyspark', 'duckdb', "
        "'pyfixest', 'vl_convert', 'networkx', 'typer', 'matplotlib') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
