"""Submitted scores are locked in the database as well as in the services.

A score row is written once, when its evaluator submits, and never updated;
a submitted assignment never becomes unsubmitted again. Deleting stays
possible (deleting a strategy or call removes its records).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = (
    """CREATE TRIGGER calls_score_locked BEFORE UPDATE ON calls_score
    BEGIN SELECT RAISE(ABORT, 'submitted scores are locked'); END""",
    """CREATE TRIGGER calls_assignment_locked BEFORE UPDATE ON calls_assignment
    WHEN OLD.submitted_at IS NOT NULL
    AND (NEW.submitted_at IS NULL OR NEW.submitted_at != OLD.submitted_at
         OR NEW.proposal_id != OLD.proposal_id OR NEW.evaluator_id != OLD.evaluator_id)
    BEGIN SELECT RAISE(ABORT, 'submitted scores are locked'); END""",
)
SQLITE_UNDO = (
    "DROP TRIGGER IF EXISTS calls_score_locked",
    "DROP TRIGGER IF EXISTS calls_assignment_locked",
)
POSTGRES = (
    """CREATE FUNCTION calls_score_locked() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'submitted scores are locked'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER calls_score_locked BEFORE UPDATE ON calls_score
    FOR EACH ROW EXECUTE FUNCTION calls_score_locked()""",
    """CREATE FUNCTION calls_assignment_locked() RETURNS trigger AS $$
    BEGIN
      IF OLD.submitted_at IS NOT NULL AND (NEW.submitted_at IS DISTINCT FROM OLD.submitted_at
         OR NEW.proposal_id != OLD.proposal_id OR NEW.evaluator_id != OLD.evaluator_id) THEN
        RAISE EXCEPTION 'submitted scores are locked';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER calls_assignment_locked BEFORE UPDATE ON calls_assignment
    FOR EACH ROW EXECUTE FUNCTION calls_assignment_locked()""",
)
POSTGRES_UNDO = (
    "DROP TRIGGER IF EXISTS calls_score_locked ON calls_score",
    "DROP FUNCTION IF EXISTS calls_score_locked()",
    "DROP TRIGGER IF EXISTS calls_assignment_locked ON calls_assignment",
    "DROP FUNCTION IF EXISTS calls_assignment_locked()",
)


def _run(statements: dict[str, tuple[str, ...]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}),
        )
    ]
