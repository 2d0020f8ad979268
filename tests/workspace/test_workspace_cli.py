"""The ``ris3 workspace`` commands, run as a user runs them, in temporary folders."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
PASSWORD = "Kq7-walnut-Harbor"
#: an organisation of the demo strategy
ORG = "Example mechatronics cluster"


def ris3(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "PYTHONPATH": SRC,
        "RIS3_ADMIN_PASSWORD": PASSWORD,
        "RIS3_DEMO_PASSWORD": PASSWORD,
        **(env or {}),
    }
    full_env.pop("RIS3_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "ris3.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


def test_import_ris3_and_its_cli_stay_light() -> None:
    code = (
        "import sys, ris3, ris3.cli, ris3.workspace; "
        "print([m for m in ('django', 'ninja', 'waitress') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        check=True,
    )
    assert out.stdout.strip() == "[]"


def test_migrations_are_complete() -> None:
    from django.core.management import call_command

    # exits with an error if a model change has no migration
    call_command("makemigrations", "workspace", "--check", "--dry-run", verbosity=0)


def test_init_token_and_errors(tmp_path: Path) -> None:
    db = tmp_path / "ws"
    done = ris3("workspace", "init", "--db", str(db), "--admin", "admin@example.org")
    assert done.returncode == 0, done.stderr
    assert (db / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    again = ris3("workspace", "init", "--db", str(db), "--admin", "x@example.org")
    assert again.returncode == 2
    assert again.stderr.strip() == f"ris3: error: --db {db} holds a workspace already"
    out = ris3("workspace", "token", "--db", str(db), "--user", "admin@example.org")
    token = out.stdout.strip().splitlines()[-1]
    with sqlite3.connect(db / "workspace.sqlite3") as con:
        hashes = [r[0] for r in con.execute("select token_hash from workspace_apitoken")]
        mode = con.execute("pragma journal_mode").fetchone()[0]
    assert hashes == [hashlib.sha256(token.encode()).hexdigest()]
    assert mode == "wal"
    bad = ris3("workspace", "token", "--db", str(db), "--user", "nobody@example.org")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "ris3: error: --user nobody@example.org: no such user in this workspace"
    )
    made = ris3(
        "workspace",
        "user",
        "--db",
        str(db),
        "--email",
        "eva@example.org",
        env={"RIS3_USER_PASSWORD": PASSWORD},
    )
    assert made.returncode == 0 and made.stdout.strip() == "user eva@example.org created"
    role = ris3(
        "workspace",
        "user",
        "--db",
        str(db),
        "--email",
        "eva@example.org",
        "--strategy",
        "7",
        "--role",
        "boss",
    )
    assert role.stderr.strip() == (
        "ris3: error: --role must be one of owner, facilitator, evaluator, stakeholder, "
        "observer, applicant; got 'boss'"
    )
    role = ris3(
        "workspace",
        "user",
        "--db",
        str(db),
        "--email",
        "eva@example.org",
        "--strategy",
        "7",
        "--role",
        "observer",
    )
    assert role.stderr.strip() == "ris3: error: --strategy 7: no such strategy in this workspace"
    missing = ris3("workspace", "token", "--db", str(tmp_path / "none"), "--user", "a@b.org")
    assert "is not a workspace folder" in missing.stderr and missing.returncode == 2
    weak = ris3(
        "workspace",
        "init",
        "--db",
        str(tmp_path / "w2"),
        "--admin",
        "a@example.org",
        env={"RIS3_ADMIN_PASSWORD": "12345"},
    )
    assert weak.returncode == 2 and "password rejected" in weak.stderr
    url = ris3(
        "workspace",
        "init",
        "--db",
        str(tmp_path / "w3"),
        "--admin",
        "a@example.org",
        "--database-url",
        "mysql://x/y",
    )
    assert (
        url.stderr.strip()
        == "ris3: error: --database-url must start with postgresql:// (got mysql://)"
    )


# the demo's export -> import -> export round trip: test_workspace_roundtrip.py


def _fresh_postgres_database(url: str, name: str) -> str:
    """Drop and create database ``name`` on the server of ``url``; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_pages_static_files_and_concurrent_writes(tmp_path: Path) -> None:
    db = tmp_path / "ws"
    assert ris3("workspace", "demo", "--db", str(db)).returncode == 0
    token = ris3("workspace", "token", "--db", str(db), "--user", "facilitator@example.org")
    bearer = {"Authorization": "Bearer " + token.stdout.strip().splitlines()[-1]}
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("RIS3_DATABASE_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ris3.cli",
            "workspace",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == f"ris3 workspace at http://127.0.0.1:{port}/ (Ctrl+C stops it)"
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                page = urllib.request.urlopen(base + "/accounts/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        html = page.read().decode()
        assert page.status == 200 and '<html lang="en">' in html
        css = urllib.request.urlopen(base + "/static/workspace/style.css", timeout=5)
        assert css.status == 200 and b".badge" in css.read()
        schema = urllib.request.urlopen(base + "/api/openapi.json", timeout=5)
        assert schema.status == 200
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + "/api/strategies", timeout=5)
        assert err.value.code == 401
        # 8 clients write 15 stakeholders each while reading: nothing fails, nothing is lost
        url = base + "/api/strategies/1/stakeholders"

        def client(k: int) -> list[int]:
            codes = []
            for i in range(15):
                body = json.dumps({"name": f"P{k}-{i}", "organisation": ORG}).encode()
                req = urllib.request.Request(
                    url,
                    data=body,
                    method="POST",
                    headers={**bearer, "Content-Type": "application/json"},
                )
                codes.append(urllib.request.urlopen(req, timeout=30).status)
                req = urllib.request.Request(url, headers=bearer)
                codes.append(urllib.request.urlopen(req, timeout=30).status)
            return codes

        with ThreadPoolExecutor(8) as pool:
            codes = [c for result in pool.map(client, range(8)) for c in result]
        assert sorted(set(codes)) == [200, 201] and codes.count(201) == 120
        req = urllib.request.Request(url + "?limit=1000", headers=bearer)
        answer = urllib.request.urlopen(req, timeout=30)
        people = json.loads(answer.read())
        assert len(people) == 12 + 120 and answer.headers["X-Total-Count"] == "132"
        # the default window is the first 100 by name; offset pages on
        req = urllib.request.Request(url + "?offset=100", headers=bearer)
        rest = json.loads(urllib.request.urlopen(req, timeout=30).read())
        first = json.loads(
            urllib.request.urlopen(urllib.request.Request(url, headers=bearer)).read()
        )
        assert [p["id"] for p in first + rest] == [p["id"] for p in people]
        assert len({p["name"] for p in people if p["name"].startswith("P")}) == 120
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_docstring_examples_of_the_workspace() -> None:
    # the package's modules need Django configured, so the doctest run of src/ skips them
    import doctest

    from ris3.workspace import analysis, permissions, runtime

    for module in (analysis, permissions, runtime):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_lower_layers_never_import_the_workspace() -> None:
    root = Path(SRC) / "ris3"
    offenders = []
    for path in root.rglob("*.py"):
        if "workspace" in path.relative_to(root).parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (
            "import django",
            "from django",
            "import ninja",
            "from ris3.workspace",
            "import ris3.workspace",
        ):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []
    # the command line names the workspace group by module path only, loaded lazily
    assert '"ris3.workspace.cli"' in (root / "cli.py").read_text(encoding="utf-8")


def test_archive_times_keep_every_microsecond() -> None:
    # Django's own encoder writes 06.000412 as "06.000Z" and, once restored, as "06Z";
    # the archive writes every time in one lossless form
    from datetime import UTC, datetime

    from django.utils.dateparse import parse_datetime

    from ris3.workspace.archive import _ExactJSONEncoder

    for micro in (0, 412, 16_000, 999_999):
        t = datetime(2026, 1, 1, 0, 0, 6, micro, tzinfo=UTC)
        text = _ExactJSONEncoder().default(t)
        assert text == f"2026-01-01T00:00:06.{micro:06d}Z"
        assert parse_datetime(text) == t
