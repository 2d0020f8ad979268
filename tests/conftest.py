"""Shared fixtures: paths to the real data in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real published data (see SOURCES.md there)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"real data folder {SHARED_DATA} not found: tests need ../shared/data")
    return SHARED_DATA


#: The regional Structural Business Statistics file (NACE Rev. 2, 2008-2015).
SBS_REGIONAL = Path("eu_sbs_r_nuts06_r2") / "sbs_r_nuts06_r2.tsv.gz"


@pytest.fixture(scope="session")
def sbs_persons_employed_all_levels(shared_data: Path) -> pd.DataFrame:
    """Persons employed (V16110) in the regional SBS, 2008-2014, every geo level.

    Read once per test run with :func:`ris3.data.readers_eurostat.read_eurostat_tsv`
    (the file takes seconds to parse). Columns ``nace_r2``, ``indic_sb``,
    ``geo`` (countries, NUTS-1 and NUTS-2), ``time`` (int), ``value``
    (float, NaN where Eurostat has ":") and ``flag``. Shared by many tests:
    select or copy, never modify it in place.
    """
    from ris3.data.readers_eurostat import read_eurostat_tsv

    read = read_eurostat_tsv(
        shared_data / SBS_REGIONAL, indic_sb=["V16110"], years=range(2008, 2015)
    )
    return read.data


@pytest.fixture(scope="session")
def sbs_persons_employed(sbs_persons_employed_all_levels: pd.DataFrame) -> pd.DataFrame:
    """The NUTS-2 rows of :func:`sbs_persons_employed_all_levels` (same columns)."""
    df = sbs_persons_employed_all_levels
    return df[df["geo"].str.len() == 4].reset_index(drop=True)
