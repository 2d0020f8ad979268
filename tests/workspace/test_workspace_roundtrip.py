"""The full demo workspace, with proposal attachments, through export -> import -> export.

SQLite to SQLite always, and SQLite to PostgreSQL when ``RIS3_TEST_DATABASE_URL``
names a server (scripts/test-workspace-postgres.sh). Record counts per
archive file are compared with the databases, the attachments with the
files on disk, and the score-locking triggers are checked after import.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_workspace_cli import SRC, _fresh_postgres_database, ris3

from ris3.workspace import archive

#: a real binary file (the WIPO-NACE concordance workbook) and a small PDF
XLSX = Path("/work/shared/data/concordance_wipo35_nace_isi2019").glob("*.xlsx")
PDF = b"%PDF-1.4\n% illustrative work plan\n1 0 obj << /Type /Catalog >> endobj\n"

ADD_ATTACHMENTS = """
import hashlib, sys, uuid
from pathlib import Path
from ris3.workspace import runtime
db = Path(sys.argv[1])
runtime.setup(db, None)
from ris3.workspace.calls.models import Attachment, Proposal
files = [
    ("plan.pdf", "application/pdf", Path(sys.argv[2]).read_bytes()),
    ("concordance.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     Path(sys.argv[3]).read_bytes()),
]
for proposal, (name, kind, data) in zip(Proposal.objects.order_by("pk"), files):
    stored = uuid.uuid4().hex
    (db / "attachments").mkdir(exist_ok=True)
    (db / "attachments" / stored).write_bytes(data)
    Attachment.objects.create(proposal=proposal, name=name, stored_as=stored,
        content_type=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest())
"""


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return dict(json.loads(zf.read("manifest.json")))


def _check_counts(entries: dict[str, bytes], count: Callable[[str], int]) -> dict[str, int]:
    """Records per entity file against the rows of its table (and of its many-to-many tables)."""
    from django.apps import apps

    got = {}
    for name, label in archive.ENTITIES:
        model = apps.get_model(label)
        records = json.loads(entries[name])
        assert count(model._meta.db_table) == len(records), name
        for field in model._meta.many_to_many:
            links = sum(len(r["fields"][field.name]) for r in records)
            assert count(field.remote_field.through._meta.db_table) == links, (name, field.name)
        got[name] = len(records)
    return got


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo workspace with two attachments, and its archive."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    db = tmp / "demo"
    done = ris3("workspace", "demo", "--db", str(db))
    assert done.returncode == 0, done.stderr
    (tmp / "plan.pdf").write_bytes(PDF)
    xlsx = next(XLSX)
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("RIS3_DATABASE_URL", None)
    added = subprocess.run(
        [sys.executable, "-c", ADD_ATTACHMENTS, str(db), str(tmp / "plan.pdf"), str(xlsx)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    a = tmp / "a.zip"
    out = ris3("workspace", "export", "--db", str(db), "--out", str(a))
    assert out.returncode == 0, out.stderr
    return {"tmp": tmp, "db": db, "archive": a, "xlsx": xlsx}


def test_sqlite_round_trip_keeps_every_record_and_file(demo: dict[str, Any]) -> None:
    tmp, db, a = demo["tmp"], demo["db"], demo["archive"]
    first = _entries(a)
    manifest = _manifest(a)
    assert manifest["format_version"] == 2
    # the manifest's counts and hashes are those of the entries and of the database
    with sqlite3.connect(db / "workspace.sqlite3") as con:

        def count(table: str) -> int:
            return int(con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])

        counts = _check_counts(first, count)
    assert {n: f["records"] for n, f in manifest["files"].items()} == counts
    assert all(
        hashlib.sha256(first[n]).hexdigest() == f["sha256"] for n, f in manifest["files"].items()
    )
    # every part is populated by the demo, and the two attachments are in the archive
    for part_file in ("surveys.json", "calls.json", "scoring_runs.json", "instruments.json"):
        assert counts[part_file] >= 1, part_file
    assert counts["call_scores.json"] == 30 and counts["call_attachments.json"] == 2
    stored = manifest["stored_files"]
    assert sorted(v["bytes"] for v in stored.values()) == sorted(
        [len(PDF), demo["xlsx"].stat().st_size]
    )
    for entry, meta in stored.items():
        assert first[entry] == (db / entry).read_bytes()
        assert hashlib.sha256(first[entry]).hexdigest() == meta["sha256"]

    restored = tmp / "restored"
    imp = ris3("workspace", "import", "--db", str(restored), "--archive", str(a))
    assert imp.returncode == 0, imp.stderr
    assert f"{sum(counts.values())} records and 2 stored files restored" in imp.stdout
    for entry in stored:
        assert (restored / entry).read_bytes() == (db / entry).read_bytes()
    b = tmp / "b.zip"
    assert ris3("workspace", "export", "--db", str(restored), "--out", str(b)).returncode == 0
    second = _entries(b)
    assert set(first) == set(second) and first == second
    assert len(first) == len(archive.ENTITIES) + 2
    with sqlite3.connect(restored / "workspace.sqlite3") as con:

        def count2(table: str) -> int:
            return int(con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])

        assert _check_counts(second, count2) == counts
        # the triggers are in place after the import and refuse to change a submitted score
        triggers = {
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert {"calls_score_locked", "calls_assignment_locked"} <= triggers
        with pytest.raises(sqlite3.DatabaseError, match="submitted scores are locked"):
            con.execute("UPDATE calls_score SET value = 0")
        with pytest.raises(sqlite3.DatabaseError, match="submitted scores are locked"):
            con.execute("UPDATE calls_assignment SET submitted_at = NULL")
    check = ris3("workspace", "check", "--db", str(restored))
    assert check.returncode == 0, check.stderr
    assert "stored files: 2 recorded, all present" in check.stdout
    refused = ris3("workspace", "import", "--db", str(restored), "--archive", str(a))
    assert refused.returncode == 2 and "holds a database already" in refused.stderr


def _rewrite(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Copy an archive, passing each entry through ``change`` (None drops it)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)


def test_import_refuses_a_missing_or_altered_attachment_and_writes_nothing(
    demo: dict[str, Any],
) -> None:
    tmp, a = demo["tmp"], demo["archive"]
    stored = _manifest(a)["stored_files"]
    pdf = next(e for e, m in stored.items() if m["bytes"] == len(PDF))
    cases = {
        "dropped": (lambda n, d: None if n == pdf else d, "the archive lacks its file " + pdf),
        "altered": (
            lambda n, d: d.replace(b"work plan", b"work pl4n") if n == pdf else d,
            f"{pdf} has {len(PDF)} bytes and SHA-256",
        ),
        "extra": (lambda n, d: d, "attachments/stray belongs to no record of the archive"),
    }
    for case, (change, message) in cases.items():
        bad = tmp / f"{case}.zip"
        _rewrite(a, bad, change)
        if case == "extra":
            with zipfile.ZipFile(bad, "a") as zf:
                zf.writestr("attachments/stray", b"x")
        target = tmp / f"into-{case}"
        done = ris3("workspace", "import", "--db", str(target), "--archive", str(bad))
        assert done.returncode != 0
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], done.stderr
        assert not target.exists()  # no folder, no secret key, no database, no file


def test_check_reports_each_attachment_that_does_not_match(demo: dict[str, Any]) -> None:
    tmp = demo["tmp"]
    copy = tmp / "damaged"
    shutil.copytree(demo["db"], copy)
    ok = ris3("workspace", "check", "--db", str(copy))
    assert ok.returncode == 0 and "stored files: 2 recorded, all present" in ok.stdout
    with sqlite3.connect(copy / "workspace.sqlite3") as con:
        rows = con.execute(
            "SELECT id, stored_as, size FROM calls_attachment ORDER BY id"
        ).fetchall()
    (pdf_id, pdf_name, _), (x_id, x_name, x_size) = rows
    (copy / "attachments" / pdf_name).unlink()
    data = bytearray((copy / "attachments" / x_name).read_bytes())
    data[-1] ^= 0xFF  # same size, other bytes
    (copy / "attachments" / x_name).write_bytes(bytes(data))
    (copy / "attachments" / "leftover").write_bytes(b"abc")
    done = ris3("workspace", "check", "--db", str(copy))
    assert done.returncode != 0
    found = [ln for ln in done.stdout.splitlines() if "attachment" in ln]
    sha = hashlib.sha256(bytes(data)).hexdigest()
    assert found == [
        f"calls.attachment {pdf_id}: attachments/{pdf_name} is missing",
        f"calls.attachment {x_id}: attachments/{x_name} has SHA-256 {sha}; its record says "
        + hashlib.sha256(demo["xlsx"].read_bytes()).hexdigest(),
        "attachments/leftover: no calls.attachment record names this file",
    ]
    assert "3 stored files do not match their records (2 recorded)" in done.stderr
    (copy / "attachments" / x_name).write_bytes(bytes(data[:-1]))
    done = ris3("workspace", "check", "--db", str(copy))
    assert f"has {x_size - 1} bytes; its record says {x_size}" in done.stdout
    # and export refuses rather than write an archive without the file
    out = ris3("workspace", "export", "--db", str(copy), "--out", str(tmp / "damaged.zip"))
    assert out.returncode != 0 and f"attachments/{pdf_name} is missing" in out.stderr
    assert not (tmp / "damaged.zip").exists()


@pytest.mark.skipif(
    not os.environ.get("RIS3_TEST_DATABASE_URL"), reason="needs RIS3_TEST_DATABASE_URL"
)
def test_sqlite_to_postgresql_round_trip(demo: dict[str, Any]) -> None:
    import psycopg

    tmp, a = demo["tmp"], demo["archive"]
    first = _entries(a)
    url = _fresh_postgres_database(os.environ["RIS3_TEST_DATABASE_URL"], "ris3_roundtrip")
    pg = tmp / "pg"
    imp = ris3("workspace", "import", "--db", str(pg), "--database-url", url, "--archive", str(a))
    assert imp.returncode == 0, imp.stderr
    c = tmp / "c.zip"
    out = ris3("workspace", "export", "--db", str(pg), "--database-url", url, "--out", str(c))
    assert out.returncode == 0, out.stderr
    third = _entries(c)
    diffs = {
        n: list(
            difflib.unified_diff(
                first[n].decode(errors="replace").splitlines(),
                third[n].decode(errors="replace").splitlines(),
                n=0,
                lineterm="",
            )
        )[:12]
        for n in first
        if third.get(n) != first[n]
    }
    assert diffs == {} and set(third) == set(first)
    with psycopg.connect(url) as con:

        def count(table: str) -> int:
            return int(con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])

        counts = _check_counts(third, count)
        assert counts == {n: f["records"] for n, f in _manifest(a)["files"].items()}
        triggers = {
            r[0]
            for r in con.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid IN "
                "('calls_score'::regclass, 'calls_assignment'::regclass) AND NOT tgisinternal"
            )
        }
        assert triggers == {"calls_score_locked", "calls_assignment_locked"}
        with pytest.raises(psycopg.errors.RaiseException, match="submitted scores are locked"):
            con.execute("UPDATE calls_score SET value = 0")
    check = ris3("workspace", "check", "--db", str(pg), "--database-url", url)
    assert check.returncode == 0 and "PostgreSQL" in check.stdout, check.stderr
    assert "stored files: 2 recorded, all present" in check.stdout
