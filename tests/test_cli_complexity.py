"""The ``ris3 complexity`` and ``ris3 relatedness`` commands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3 import complexity, proximity, relatedness_density
from ris3.cli import main
from ris3.measures.complexity import TIDY_COLUMNS


@pytest.fixture(scope="module")
def baci_panel(shared_data, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """BACI 2024 and a perturbed copy as 2025, as Parquet."""
    path = shared_data / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz"
    df = pd.read_csv(path)
    rng = np.random.default_rng(11)
    panel = pd.concat(
        [df.assign(year=2024), df.assign(year=2025, v=df.v * rng.lognormal(0, 0.2, len(df)))],
        ignore_index=True,
    )
    out = tmp_path_factory.mktemp("cli") / "baci.parquet"
    panel.to_parquet(out, index=False)
    return out


def test_complexity_command_writes_tidy(baci_panel: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cx.parquet"
    argv = ["complexity", str(baci_panel), "--region", "i", "--activity", "hs2", "--value", "v",
            "--time", "year", "--out", str(out), "--summary"]  # fmt: skip
    assert main(argv) == 0
    got = pd.read_parquet(out)
    assert list(got.columns) == ["year", "i", "hs2", *TIDY_COLUMNS]
    expected = complexity(
        pd.read_parquet(baci_panel), region="i", activity="hs2", value="v", time="year"
    ).tidy()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-12)
    assert "second eigenvalue" in capsys.readouterr().err


def test_complexity_command_options(baci_panel: Path, tmp_path: Path) -> None:
    out = tmp_path / "cx.csv"
    argv = ["complexity", str(baci_panel), "--region", "i", "--activity", "hs2", "--value", "v",
            "--time", "year", "--out", str(out), "--standardise", "regions",
            "--self-proximity", "--threshold", "1.5"]  # fmt: skip
    assert main(argv) == 0
    got = pd.read_csv(out)
    expected = complexity(
        pd.read_parquet(baci_panel), region="i", activity="hs2", value="v", time="year",
        standardise="regions", self_proximity=True, threshold=1.5,
    ).tidy()  # fmt: skip
    np.testing.assert_allclose(got["eci"], expected["eci"], atol=1e-12)
    np.testing.assert_allclose(got["cog"], expected["cog"], atol=1e-12)


def test_relatedness_command_with_density(baci_panel: Path, tmp_path: Path) -> None:
    prox_out, dens_out = tmp_path / "prox.csv", tmp_path / "dens.parquet"
    argv = ["relatedness", str(baci_panel), "--region", "i", "--activity", "hs2", "--value", "v",
            "--time", "year", "--method", "jaccard", "--out", str(prox_out),
            "--density", str(dens_out)]  # fmt: skip
    assert main(argv) == 0
    data = pd.read_parquet(baci_panel)
    kw = {"region": "i", "activity": "hs2", "value": "v", "time": "year", "method": "jaccard"}
    got = pd.read_csv(prox_out)
    assert list(got.columns) == ["year", "activity_from", "activity_to", "proximity"]
    np.testing.assert_allclose(got["proximity"], proximity(data, **kw)["proximity"], atol=1e-15)
    dens = pd.read_parquet(dens_out)
    pd.testing.assert_frame_equal(dens, relatedness_density(data, **kw))


def test_errors_exit_2_with_message(baci_panel: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["complexity", str(baci_panel), "--region", "i", "--activity", "hs2"]
    assert main([*base, "--value", "value", "--out", str(tmp_path / "x.csv")]) == 2
    assert "data has no column 'value' (given as --value)" in capsys.readouterr().err
    assert main([*base, "--value", "v", "--out", str(tmp_path / "x.txt")]) == 2
    assert "--out" in (err := capsys.readouterr().err) and "has an unknown extension" in err
    assert main([*base, "--value", "v", "--method", "pca", "--out", str(tmp_path / "x.csv")]) == 2
    assert "method must be one of 'eigenvector', 'reflections', 'fitness'; got 'pca'" in (
        capsys.readouterr().err
    )
    # two years in one table without --time are duplicated keys
    assert main([*base, "--value", "v", "--out", str(tmp_path / "x.csv")]) == 2
    assert "duplicated keys" in capsys.readouterr().err
    rel = ["relatedness", str(baci_panel), "--region", "i", "--activity", "hs2", "--value", "v",
           "--time", "year", "--out", str(tmp_path / "p.csv")]  # fmt: skip
    assert main([*rel, "--method", "pmi"]) == 2
    err = capsys.readouterr().err
    assert "--method is renamed --proximity-method" in err
    assert "--proximity-method must be one of 'hidalgo'" in err
    assert main([*rel, "--density", str(tmp_path / "d.xlsx")]) == 2
    assert "--density" in (err := capsys.readouterr().err) and "unknown extension" in err
    assert main([*rel, "--threshold", "-1"]) == 2
    assert "threshold must be a number > 0; got -1" in capsys.readouterr().err
