"""`ris3 read` and `ris3 datasets` on the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.cli import main


def test_read_eurostat(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture) -> None:
    out, quality = tmp_path / "sbs.parquet", tmp_path / "q.csv"
    src = shared_data / "eu_sbs_r_nuts06_r2/sbs_r_nuts06_r2.tsv.gz"
    args = ["read", str(src), "--format", "eurostat", "--out", str(out), "--quality", str(quality)]
    args += ["--filter", "indic_sb=V16110", "--filter", "nace_r2=C20,C21", "--years", "2010,2014"]
    assert main(args) == 0
    df = pd.read_parquet(out)
    assert set(df["nace_r2"]) == {"C20", "C21"} and set(df["time"]) == {2010, 2014}
    be = df[(df["geo"] == "BE21") & (df["nace_r2"] == "C20") & (df["time"] == 2010)].iloc[0]
    assert np.isnan(be["value"]) and be["flag"] == "c"  # line 36808: ': c'
    err = capsys.readouterr().err
    assert "Data quality of" in err and "confidential" in err
    q = pd.read_csv(quality)
    assert set(q["dimension"]) == {"region", "activity"}


def test_read_cbp_and_bres(tmp_path: Path, shared_data: Path) -> None:
    out = tmp_path / "cbp.csv"
    cbp = shared_data / "us_cbp2019_cbsa_naics/cbp2019_cbsa_naics_emp.csv.gz"
    assert main(["read", str(cbp), "--format", "cbp", "--level", "2", "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype={"cbsa_code": str, "naics_code": str})
    assert (df["naics_code"].str.len() == 2).all()
    bres = shared_data / "uk_bres2015_region_sic4/Bres_2015_Region_and_Country.csv"
    assert main(["read", str(bres), "--format", "bres", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 616 * 11


def test_read_errors(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture) -> None:
    src = shared_data / "eu_sbs_r_nuts06_r2/sbs_r_nuts06_r2.tsv.gz"
    out = str(tmp_path / "o.csv")
    assert main(["read", str(src), "--format", "excel", "--out", out]) == 2
    assert (
        "--format must be one of 'eurostat', 'cbp', 'bres'; got 'excel'" in capsys.readouterr().err
    )
    assert main(["read", str(src), "--format", "eurostat", "--filter", "geo", "--out", out]) == 2
    assert "--filter must look like KEY=CODE[,CODE...]; got 'geo'" in capsys.readouterr().err
    assert main(["read", str(tmp_path / "x.tsv"), "--format", "eurostat", "--out", out]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_datasets_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["datasets"]) == 0
    listing = capsys.readouterr().out
    assert listing.splitlines()[0].startswith("eu-sbs\tEurostat Structural Business Statistics")
    assert main(["datasets", "us-cbp"]) == 0
    text = capsys.readouterr().out
    assert "CC BY-SA" in text and "employment (default): 200,009 rows" in text
    out = tmp_path / "flows.csv"
    assert main(["datasets", "uk-labour-flows", "--table", "flows", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 3523
    assert main(["datasets", "eu-sbs", "--table", "names"]) == 2
    assert "--table needs --out FILE" in capsys.readouterr().err
    assert main(["datasets", "--out", str(out)]) == 2
    assert "--table and --out need a dataset NAME" in capsys.readouterr().err
    assert main(["datasets", "nope"]) == 2
    assert "name must be one of 'eu-sbs'" in capsys.readouterr().err
