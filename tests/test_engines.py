"""Tests of ris3.engines.backend: connections, inputs and results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ris3.engines import backend_name, connect, table_from, to_pandas
from ris3.errors import ConventionError, DataFileError, InputError, OptionalDependencyError


@pytest.fixture(scope="module")
def con():
    return connect("duckdb", threads=1, memory_limit="1GB")


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame({"industry": ["a", "b", "a", "c"], "n": [1, 2, 3, 4]})


def _sums(table) -> dict[str, int]:
    out = to_pandas(table.group_by("industry").agg(n=table.n.sum()).order_by("industry"))
    return dict(zip(out["industry"], out["n"].astype(int)))


def test_connect_duckdb_applies_options(con) -> None:
    assert backend_name(con) == "duckdb"
    settings = con.raw_sql(
        "SELECT current_setting('threads') AS t, current_setting('memory_limit') AS m"
    ).fetchall()
    threads, memory = settings[0]
    assert int(threads) == 1
    # DuckDB reports the limit in its own units (1GB -> "953.6 MiB").
    assert "MiB" in memory or "GiB" in memory


def test_table_from_dataframe_copies_the_input(con, frame) -> None:
    table = table_from(frame, con)
    frame.loc[0, "n"] = 1000  # a later change by the caller must not leak in
    assert _sums(table) == {"a": 4, "b": 2, "c": 4}


def test_table_from_parquet_file_folder_and_glob(con, frame, tmp_path: Path) -> None:
    folder = tmp_path / "spells"
    folder.mkdir()
    frame.iloc[:2].to_parquet(folder / "part-0.parquet")
    frame.iloc[2:].to_parquet(folder / "part-1.parquet")
    expected = {"a": 4, "b": 2, "c": 4}
    assert _sums(table_from(folder, con)) == expected
    assert _sums(table_from(str(folder / "*.parquet"), con)) == expected
    assert _sums(table_from(folder / "part-1.parquet", con)) == {"a": 3, "c": 4}


def test_table_from_ibis_table_is_passed_through(con, frame) -> None:
    table = table_from(frame, con)
    assert table_from(table, con) is table


def test_table_from_default_backend_is_duckdb(frame) -> None:
    assert _sums(table_from(frame)) == {"a": 4, "b": 2, "c": 4}


def test_to_pandas_on_column_and_scalar(con, frame) -> None:
    table = table_from(frame, con)
    assert to_pandas(table.n.sum().name("total"))["total"].tolist() == [10]
    assert sorted(to_pandas(table.n)["n"].tolist()) == [1, 2, 3, 4]


def test_errors() -> None:
    with pytest.raises(
        ConventionError, match=r"engine must be one of 'duckdb', 'spark'; got 'polars'"
    ):
        connect("polars")  # type: ignore[arg-type]
    with pytest.raises(
        InputError, match=r"options for engine='duckdb' must be among .*; got 'master'"
    ):
        connect("duckdb", master="local[1]")
    with pytest.raises(
        InputError, match=r"options for engine='spark' must be among .*; got 'threads'"
    ):
        connect("spark", threads=2)
    with pytest.raises(InputError, match=r"threads must be an integer >= 1; got 0"):
        connect(threads=0)
    with pytest.raises(
        InputError, match=r"memory_limit must be a size string such as '4GB'; got 4"
    ):
        connect(memory_limit=4)
    with pytest.raises(InputError, match=r"DuckDB rejected the connection options"):
        connect(memory_limit="lots")


def test_table_from_errors(con, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nothing matches '.*missing\.parquet'"):
        table_from(tmp_path / "missing.parquet", con)
    with pytest.raises(DataFileError, match=r"nothing matches '.*\*\.parquet'"):
        table_from(str(tmp_path / "*.parquet"), con)
    with pytest.raises(InputError, match=r"obj must be a pandas DataFrame.*; got list"):
        table_from([1, 2], con)
    with pytest.raises(InputError, match=r"obj must have string column names; got 0"):
        table_from(pd.DataFrame([[1, 2]]), con)
    other = connect()
    foreign = table_from(pd.DataFrame({"a": [1]}), other)
    with pytest.raises(InputError, match=r"bound to another backend"):
        table_from(foreign, con)
    with pytest.raises(
        InputError, match=r"backend must be an Ibis DuckDB or PySpark backend; got str"
    ):
        table_from(pd.DataFrame({"a": [1]}), "duckdb")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"expr must be an Ibis table, column or scalar; got int"):
        to_pandas(3)  # type: ignore[arg-type]


def test_spark_missing_says_which_extra(monkeypatch) -> None:
    # Simulate an installation without PySpark: importing it fails.
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(OptionalDependencyError, match=r"pip install 'ris3\[spark\]'"):
        connect("spark")


def test_import_of_engines_is_light() -> None:
    code = (
        "import sys, ris3, ris3.engines; "
        "heavy = [m for m in ('ibis', 'duckdb', 'pyspark', 'pandas') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
