"""The workspace archive covers every model, restores foreign keys first, and carries files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from conftest import ROLES
from ris3.errors import InputError
from ris3.workspace import archive
from ris3.workspace.parts import PARTS


def _labels() -> list[str]:
    return [label for _, label in archive.ENTITIES]


def test_every_model_of_every_installed_app_is_archived_or_named_as_not() -> None:
    labels = _labels()
    assert len(labels) == len(set(labels)), "a model is archived twice"
    names = [name for name, _ in archive.ENTITIES]
    assert len(names) == len(set(names)), "two entities share a file name"
    installed = {m._meta.label_lower for m in apps.get_models()}
    # the workspace's own models, core and parts: every one in the archive
    workspace = {
        m._meta.label_lower for m in apps.get_models() if m._meta.app_label in ("workspace", *PARTS)
    }
    assert workspace - set(labels) == set()
    # the models of Django's applications: archived, or named with the reason they are not
    assert installed - set(labels) - set(archive.NOT_ARCHIVED) == set()
    assert set(archive.NOT_ARCHIVED) & set(labels) == set()
    assert set(archive.NOT_ARCHIVED) <= installed
    assert all(m.split(".")[0] not in ("workspace", *PARTS) for m in archive.NOT_ARCHIVED)
    # every part with models has its archive module, and the document part has none
    with_models = {m._meta.app_label for m in apps.get_models()} & set(PARTS)
    assert with_models == {"surveys", "calls", "priorities", "policy", "monitoring"}


def _targets(model: Any) -> list[tuple[str, str]]:
    """(field name, target label) of every foreign key, one-to-one and many-to-many field."""
    out = []
    for field in model._meta.get_fields(include_hidden=False):
        if field.auto_created and not field.concrete:
            continue  # reverse relations
        if field.is_relation and field.related_model is not None:
            out.append((field.name, field.related_model._meta.label_lower))
    return out


def _late(labels: list[str]) -> list[str]:
    """The relations of ``labels`` (restore order) whose target is not restored before."""
    position = {label: i for i, label in enumerate(labels)}
    late = []
    for label in labels:
        for name, target in _targets(apps.get_model(label)):
            if (label, name) in archive.EMPTY_RELATIONS:
                continue  # export refuses them unless empty
            if target not in position or position[target] >= position[label]:
                late.append(f"{label}.{name} -> {target}")
    return late


def test_restore_order_puts_every_foreign_key_target_first() -> None:
    labels = _labels()
    assert _late(labels) == []
    # the check reaches into the parts and fails on a wrong order
    swapped = list(labels)
    i, j = swapped.index("calls.assignment"), swapped.index("calls.score")
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert _late(swapped) == ["calls.score.assignment -> calls.assignment"]
    # many-to-many targets count too: a proposal's domains come first
    moved = [lb for lb in labels if lb != "workspace.domain"] + ["workspace.domain"]
    assert "calls.proposal.domains -> workspace.domain" in _late(moved)


def test_stored_files_name_a_model_and_its_fields() -> None:
    declared = archive.STORED_FILES
    assert [(s.folder, s.model) for s in declared] == [("attachments", "calls.attachment")]
    for s in declared:
        model = apps.get_model(s.model)
        fields = {f.name for f in model._meta.get_fields()}
        assert {s.name_field, s.size_field, s.sha256_field} <= fields
        assert s.model in _labels()


def test_import_inserts_rows_and_never_updates_them(db: None, tmp_path: Path) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from part_records import PDF, calls_records

    from ris3.workspace import identity, services
    from ris3.workspace.calls import services as calls
    from ris3.workspace.calls.models import Assignment, Attachment, Score
    from ris3.workspace.models import Domain
    from ris3.workspace.stored_files import workspace_dir

    out = tmp_path / "small.zip"
    with transaction.atomic():
        users = {r: identity.create_user(f"{r}@arch.example", "Kq7-walnut-Harbor") for r in ROLES}
        strategy = services.create_strategy(
            users["owner"], region_code="AT33", name="S", period_start=2021, period_end=2027
        )
        for r in ROLES[1:]:
            services.add_member(users["owner"], strategy, users[r], r)
        domain = Domain.objects.create(strategy=strategy, title="Tourism", codes="I55")
        ids = calls_records(users, strategy, domain)
        assignment = Assignment.objects.get(pk=ids["assignment_id"])
        criteria = assignment.proposal.call.criteria.order_by("number")
        calls.submit_scores(
            users["evaluator"], assignment, {c.pk: (6.0, "Reasoned.") for c in criteria}
        )
        stored = Attachment.objects.get(pk=ids["attachment_id"]).stored_as
        manifest = archive.export_archive(out)
        transaction.set_rollback(True)
    assert manifest["files"]["call_scores.json"]["records"] == 2
    assert manifest["stored_files"] == {
        f"attachments/{stored}": {"bytes": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}
    }
    # the file stays on disk after the rollback: move it away, as a new workspace has none
    kept = workspace_dir() / "attachments" / stored
    kept.rename(tmp_path / stored)
    assert archive.database_is_empty()
    try:
        with CaptureQueriesContext(connection) as queries:
            counts = archive.import_archive(out)
        assert counts["call_scores.json"] == 2 and counts["attachments"] == 1
        assert Score.objects.count() == 2 and kept.read_bytes() == PDF
        assert Assignment.objects.get(pk=ids["assignment_id"]).submitted_at is not None
        writes = [q["sql"].split()[0].upper() for q in queries.captured_queries]
        assert "UPDATE" not in writes and writes.count("INSERT") >= sum(
            f["records"] for f in manifest["files"].values()
        )
        # and a second import into the now full database is refused before any write
        with pytest.raises(InputError, match="the database is not empty"):
            archive.import_archive(out)
    finally:
        kept.unlink(missing_ok=True)
