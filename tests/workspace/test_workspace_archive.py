"""The workspace archive covers every model, restores foreign keys first, and carries files."""

from __future__ import annotations

from typing import Any

from django.apps import apps

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
