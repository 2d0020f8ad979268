"""The command line's output writer: checked up front, all outputs or none."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from ris3._cli.output import Outputs
from ris3.cli import main
from ris3.errors import DataFileError

TABLE = pd.DataFrame({"nace": ["011", "11"], "emp": [1.0, 2.0]})


def test_all_outputs_appear_together(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "sub" / "b.parquet"
    with Outputs() as outs:
        outs.file("--out", a)
        outs.file("--other", b)
        outs.write("--out", TABLE)
        # nothing under the final names before the run ends
        assert not a.exists() and not b.exists()
        outs.write("--other", TABLE)
    assert pd.read_csv(a, dtype={"nace": str}).equals(TABLE)
    assert pd.read_parquet(b).equals(TABLE)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.csv", "b.parquet", "sub"]


def test_failure_after_a_write_leaves_nothing(tmp_path: Path) -> None:
    a = tmp_path / "new" / "deeper" / "a.csv"
    old = tmp_path / "old.csv"
    old.write_text("kept\n")
    with pytest.raises(RuntimeError), Outputs() as outs:
        outs.file("--out", a)
        outs.file("--old", old)
        outs.write("--out", TABLE)
        raise RuntimeError("interrupted")
    # no temporary file, no created folder, the earlier file untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]
    assert old.read_text() == "kept\n"


def test_gzip_csv_is_compressed(tmp_path: Path) -> None:
    out = tmp_path / "t.csv.gz"
    with Outputs() as outs:
        outs.file("--out", out)
        outs.write("--out", TABLE)
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert pd.read_csv(out, dtype={"nace": str}).equals(TABLE)


@pytest.mark.parametrize(
    ("setup", "path", "match"),
    [
        (None, "x.xlsx", "--out 'X' has an unknown extension; allowed: .csv"),
        ("dir", "d", "--out 'X' is a folder; give a file name"),
        ("file", "f/x.csv", "is a file, not a folder"),
        ("input", "in.csv", "--out 'X' is an input of this command"),
    ],
)
def test_paths_checked_before_anything(
    setup: str | None, path: str, match: str, tmp_path: Path
) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "f").write_text("x")
    (tmp_path / "in.csv").write_text("a\n1\n")
    target = tmp_path / path
    outs = Outputs(inputs=[tmp_path / "in.csv"])
    with pytest.raises(DataFileError, match=match.replace("X", str(target)).replace(".", r"\.")):
        outs.file("--out", target)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(DataFileError, match="cannot be written to"):
        Outputs().file("--out", ro / "x.csv")


def test_two_options_one_path(tmp_path: Path) -> None:
    outs = Outputs()
    outs.file("--nodes-out", tmp_path / "x.csv")
    with pytest.raises(DataFileError, match="--edges-out and --nodes-out name the same path"):
        outs.file("--edges-out", tmp_path / "x.csv")


def test_folder_output_replaces_managed_entries(tmp_path: Path) -> None:
    target = tmp_path / "report"
    (target / "tables").mkdir(parents=True)
    (target / "tables" / "stale.csv").write_text("old")
    (target / "profile.pdf").write_text("old pdf")
    (target / "notes.txt").write_text("the user's own file")
    with Outputs() as outs:
        stage = outs.folder("--out", target, managed=("index.html", "tables", "profile.pdf"))
        (stage / "tables").mkdir()
        (stage / "tables" / "fresh.csv").write_text("new")
        (stage / "index.html").write_text("<html>")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "index.html", "notes.txt", "tables", "tables/fresh.csv"
    ]  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_write_profile_removes_a_stale_pdf(tmp_path: Path) -> None:
    from ris3.report.region_profile import profile
    from ris3.report.write import write_profile

    rows = {"XA11": (50, 30, 20), "XA12": (20, 50, 30), "XB11": (40, 60, 100), "XB12": (50, 40, 10)}
    df = pd.DataFrame(
        [
            {"nuts": r, "nace": a, "year": y, "emp": v * (0.8 if y == 2010 else 1.0)}
            for y in (2010, 2015)
            for r, vals in rows.items()
            for a, v in zip("abc", vals, strict=True)
        ]
    )
    p = profile("XA11", data=df, region="nuts", activity="nace", value="emp", n_peers=2)
    (tmp_path / "profile.pdf").write_text("a report of last year")
    written = write_profile(p, tmp_path, formats=["html"])
    assert "pdf" not in written and not (tmp_path / "profile.pdf").exists()


def test_shift_share_reports_a_region_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"geo": r, "nace": a, "year": y, "emp": 0.0 if r == "ES11" else 10.0 + i}
        for i, (y, r, a) in enumerate(
            (y, r, a)
            for y in (2010, 2015)
            for r in ("ES11", "ES12", "ES13")
            for a in ("011", "012")
        )
    ]
    src = tmp_path / "d.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    out = tmp_path / "o.csv"
    argv = ["shift-share", str(src), "--region", "geo", "--activity", "nace", "--value", "emp",
            "--time", "year", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "ris3: warning: 1 region(s) of --region 'geo' have no row in the decomposition" in err
    assert "'ES11'" in err and "2 regions" in err
    assert set(pd.read_csv(out)["geo"]) == {"ES12", "ES13"}
