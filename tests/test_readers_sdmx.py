"""Eurostat SDMX-CSV gives the same table, flags and quality report as the bulk TSV."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ris3.data import read_eurostat_tsv
from ris3.errors import DataFileError

SBS = "eu_sbs_r_nuts06_r2/sbs_r_nuts06_r2.tsv.gz"
KEYS = ["nace_r2", "indic_sb", "geo"]


@pytest.fixture(scope="module")
def tsv_lines(shared_data: Path) -> tuple[str, list[str]]:
    """Real lines of the SBS bulk file: Austria and Malta, employment and local units."""
    with gzip.open(shared_data / SBS, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n")
        lines = [
            line.rstrip("\n")
            for line in fh
            if line.split("\t")[0].split(",")[1] in {"V16110", "V11210"}
            and line.split("\t")[0].split(",")[2][:2] in {"AT", "MT"}
        ]
    return header, lines


def _to_sdmx_csv(header: str, lines: list[str]) -> str:
    """The bulk TSV lines as the dissemination API writes them: one observation per line.

    Observations that are ``:`` without a flag are left out, as the API does.
    """
    periods = [t.strip() for t in header.split("\t")[1:]]
    rows = []
    for line in lines:
        key, *cells = line.split("\t")
        for period, cell in zip(periods, cells, strict=True):
            number, _, flag = cell.strip().partition(" ")
            if number == ":" and not flag:
                continue
            rows.append(
                [
                    "ESTAT:SBS_R_NUTS06_R2(1.0)",
                    "08/02/21 23:00:00",
                    "A",
                    *key.split(","),
                    period,
                    "" if number == ":" else number,
                    flag.replace(" ", ""),
                ]  # fmt: skip
            )
    cols = ["DATAFLOW", "LAST UPDATE", "freq", *KEYS, "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
    frame = pd.DataFrame(rows, columns=cols).sort_values(["TIME_PERIOD", *KEYS])
    return frame.to_csv(index=False)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values([*KEYS, "time"]).reset_index(drop=True)


def test_sdmx_csv_and_bulk_tsv_give_identical_tables(
    tsv_lines: tuple[str, list[str]], tmp_path: Path
) -> None:
    header, lines = tsv_lines
    assert len(lines) > 40
    tsv = tmp_path / "sbs.tsv"
    tsv.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    sdmx = tmp_path / "sbs.csv.gz"
    sdmx.write_bytes(gzip.compress(_to_sdmx_csv(header, lines).encode("utf-8")))

    a = read_eurostat_tsv(tsv)
    b = read_eurostat_tsv(sdmx)
    assert (b.data["freq"] == "A").all()
    pd.testing.assert_frame_equal(_sorted(a.data), _sorted(b.data.drop(columns="freq")))
    # confidential cells stay NaN with their flag; flags such as b (break) survive
    assert (a.data["flag"] == "c").sum() > 0
    assert b.data.loc[b.data["flag"] == "c", "value"].isna().all()
    assert (a.data["flag"].str.contains("c")).sum() == (b.data["flag"].str.contains("c")).sum()
    qa, qb = a.quality, b.quality
    assert (qa.rows, qa.regions, qa.activities, qa.years) == (
        qb.rows,
        qb.regions,
        qb.activities,
        qb.years,
    )
    frame_b = qb.tidy()
    pd.testing.assert_frame_equal(
        qa.tidy().reset_index(drop=True),
        frame_b.drop(columns=[c for c in ["freq"] if c in frame_b]).reset_index(drop=True),
    )
    assert qa.coverage is not None and qb.coverage is not None and len(qa.coverage) > 10
    pd.testing.assert_frame_equal(qa.coverage, qb.coverage.drop(columns="freq"))
    assert qa.summary().replace(str(tsv), "F") == qb.summary().replace(str(sdmx), "F")

    # the same filters on both
    fa = read_eurostat_tsv(tsv, indic_sb=["V16110"], years=[2013, 2014], nuts_level=2)
    fb = read_eurostat_tsv(sdmx, indic_sb=["V16110"], years=[2013, 2014], nuts_level=2)
    pd.testing.assert_frame_equal(_sorted(fa.data), _sorted(fb.data.drop(columns="freq")))
    # a value checked by hand in the raw line: AT33 local units (V11210) of section B in 2014
    line = next(x for x in lines if x.startswith("B,V11210,AT33\t"))
    periods = [t.strip() for t in header.split("\t")[1:]]
    raw = line.split("\t")[1 + periods.index("2014")].strip().split(" ")[0]
    got = b.data.query("nace_r2 == 'B' and indic_sb == 'V11210' and geo == 'AT33' and time == 2014")
    assert got["value"].iloc[0] == float(raw)


def test_cli_reads_sdmx_csv(tsv_lines: tuple[str, list[str]], tmp_path: Path) -> None:
    header, lines = tsv_lines
    sdmx = tmp_path / "sbs.csv"
    sdmx.write_text(_to_sdmx_csv(header, lines), encoding="utf-8")
    out = tmp_path / "sbs.parquet"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ris3.cli import main; sys.exit(main())",
            "read",
            str(sdmx),
            "--format",
            "eurostat",
            "--filter",
            "indic_sb=V16110",
            "--years",
            "2013,2014",
            "--out",
            str(out),
        ],  # fmt: skip
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    table = pd.read_parquet(out)
    assert set(table["indic_sb"]) == {"V16110"} and set(table["time"]) == {2013, 2014}
    assert "confidential" in run.stderr or "missing" in run.stderr


def test_sdmx_csv_with_a_repeated_observation_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text(
        "DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:X(1.0),01/01/24,A,AT33,2014,4,\n"
        "ESTAT:X(1.0),01/01/24,A,AT33,2014,5,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"line 3: the observation of A, AT33 in 2014"):
        read_eurostat_tsv(p, activity=None)
