"""``ris3 workspace check``: deployment settings, migrations, database integrity, stored files."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from ris3.errors import Ris3Error
from ris3.workspace import stored_files


class WorkspaceCheckError(Ris3Error):
    """The workspace fails a deployment or integrity check."""


class StoredFilesMismatch(WorkspaceCheckError):
    """Stored files (attachments) are missing, differ from their records, or have none.

    ``problems`` holds one line per file, ``passed`` the checks passed before.
    """

    def __init__(self, message: str, passed: list[str], problems: list[str]) -> None:
        super().__init__(message)
        self.passed = passed
        self.problems = problems


def run_checks() -> list[str]:
    """Run every check; returns what passed, raises on the first failure."""
    out = []
    buf = io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=buf, stderr=buf)
    except SystemCheckError as exc:
        first = [ln.strip() for ln in str(exc).splitlines() if ln.strip().startswith("?")]
        raise WorkspaceCheckError(
            "deployment check failed: " + (first[0] if first else str(exc).splitlines()[0])
        ) from None
    out.append("deployment settings: ok")
    plan = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    if plan:
        raise WorkspaceCheckError(
            f"{len(plan)} database migrations not applied: run `serve` or `init`"
        )
    out.append("migrations: all applied")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            result = [r[0] for r in cursor.fetchall()]
            if result != ["ok"]:
                raise WorkspaceCheckError(f"SQLite integrity check failed: {result[0]}")
            cursor.execute("PRAGMA foreign_key_check")
            broken = cursor.fetchall()
            if broken:
                raise WorkspaceCheckError(
                    f"{len(broken)} rows point to missing records (first in table {broken[0][0]})"
                )
            cursor.execute("PRAGMA journal_mode")
            out.append(f"database: SQLite, integrity ok, journal mode {cursor.fetchone()[0]}")
        else:
            cursor.execute("SELECT version()")
            out.append(f"database: {cursor.fetchone()[0].split(',')[0]}, reachable")
    with transaction.atomic():
        connection.check_constraints()
    out.append("constraints: ok")
    n, problems = stored_files.problems()
    if problems:
        raise StoredFilesMismatch(
            f"{len(problems)} stored files do not match their records ({n} recorded)",
            out,
            problems,
        )
    out.append(f"stored files: {n} recorded, all present with their size and SHA-256")
    return out
