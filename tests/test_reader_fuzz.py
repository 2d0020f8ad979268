"""Garbage in, ris3 errors out: no reader lets another exception type escape."""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ris3.data import read_bres, read_cbp, read_checked, read_eurostat_tsv
from ris3.data.quality import ReadResult
from ris3.errors import Ris3Error

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

READERS: dict[str, Callable[[Path], Any]] = {
    "eurostat": read_eurostat_tsv,
    "cbp": read_cbp,
    "bres": read_bres,
    "table": lambda p: read_checked(p, region="geo", activity="nace", value="emp"),
}

VALID_TSV = (
    "nace_r2,indic_sb,geo\\time\t2014 \t2013 \n"
    "C,V16110,AT\t12 b\t: c\n"
    "C,V16110,AT33\t4 \t: \n"
    "C10,V16110,AT33\t3.5 p\t2 \n"
)
VALID_CSV = {
    "cbp": "cbsa_code,naics_code,naics_level,EMP,ESTAB\n10180,00,2,10,3\n10180,311111,6,4,2\n",
    "bres": "Industry,East,London,Total,SIC2007,Description\n0111 : x,1,2,3,0111, x\n",
    "table": "geo,nace,emp\nAT33,C,1\nAT34,C,2\n",
    "eurostat": VALID_TSV,
}


def run(reader: str, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"input{suffix}"
        p.write_bytes(data)
        try:
            out = READERS[reader](p)
        except Ris3Error:
            return
        assert isinstance(out, ReadResult)
        str(out)
        out.quality.tidy()


SUFFIXES = {
    "eurostat": [".tsv", ".tsv.gz"],
    "cbp": [".csv", ".csv.gz"],
    "bres": [".csv"],
    "table": [".csv", ".csv.gz", ".parquet", ".xlsx", ".tsv"],
}


@pytest.mark.parametrize("reader", sorted(READERS))
@SETTINGS
@given(data=st.binary(max_size=400), pick=st.integers(0, 10))
def test_random_bytes(reader: str, data: bytes, pick: int) -> None:
    suffixes = SUFFIXES[reader]
    run(reader, data, suffixes[pick % len(suffixes)])


@pytest.mark.parametrize("reader", sorted(READERS))
@SETTINGS
@given(
    text=st.text(
        alphabet=st.sampled_from(list(",\t\n :.-cbpe0123456789ACVgeo\\time\"'")), max_size=300
    )
)
def test_random_tabular_text(reader: str, text: str) -> None:
    run(reader, text.encode(), SUFFIXES[reader][0])
    run(reader, gzip.compress(text.encode(), mtime=0), SUFFIXES[reader][0] + ".gz")


@pytest.mark.parametrize("reader", sorted(READERS))
@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000), st.integers(0, 3), st.sampled_from(list('\t,\n: c5x\\"\x00é'))
        ),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_valid_files(reader: str, edits: list[tuple[int, int, str]]) -> None:
    """Insert, replace or delete characters in a valid file, and truncate it."""
    text = VALID_CSV[reader]
    for pos, kind, ch in edits:
        i = pos % (len(text) + 1)
        if kind == 0:
            text = text[:i] + ch + text[i:]
        elif kind == 1:
            text = text[:i] + ch + text[i + 1 :]
        elif kind == 2:
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i]
    run(reader, text.encode("utf-8"), SUFFIXES[reader][0])


@SETTINGS
@given(cut=st.integers(0, 200))
def test_truncated_gzip(cut: int) -> None:
    blob = gzip.compress(VALID_TSV.encode(), mtime=0)
    run("eurostat", blob[: min(cut, len(blob) - 1)], ".tsv.gz")


def test_valid_inputs_do_parse() -> None:
    """The seeds of the mutations are valid, so the fuzz tests exercise the parsers."""
    for reader, text in VALID_CSV.items():
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / f"input{SUFFIXES[reader][0]}"
            p.write_text(text)
            assert isinstance(READERS[reader](p), ReadResult)
