"""Files the workspace keeps in its folder (proposal attachments, ...) and their records.

Each part names its files in ``STORED_FILES`` of its ``archive`` module
(:class:`ris3.workspace.parts.StoredFiles`): a folder of the workspace
folder and the model whose records name, size and hash them. The archive
carries these files, and ``ris3 workspace check`` compares them with their
records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ris3.workspace.parts import StoredFiles, part_modules

#: every part's stored files, in part order
STORED_FILES: tuple[StoredFiles, ...] = tuple(
    spec for module in part_modules("archive") for spec in getattr(module, "STORED_FILES", ())
)

_CHUNK = 1 << 20


def plain_name(name: Any) -> bool:
    """Whether ``name`` is a plain file name (no folder, no hidden or parent name).

    >>> [plain_name(n) for n in ("3f2a9c", "../secret_key", "a/b", ".x", "")]
    [True, False, False, False, False]
    """
    return (
        isinstance(name, str)
        and bool(name)
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def digest(path: Path) -> tuple[int, str]:
    """Return the size in bytes and the SHA-256 (hex) of the file at ``path``."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def workspace_dir() -> Path:
    """Return the configured workspace folder."""
    from django.conf import settings

    return Path(settings.WORKSPACE_DIR)


def records(spec: StoredFiles) -> list[dict[str, Any]]:
    """Return the records of ``spec.model`` by id: ``pk``, ``name``, ``size``, ``sha256``."""
    from django.apps import apps

    rows = (
        apps.get_model(spec.model)
        .objects.order_by("pk")
        .values_list("pk", spec.name_field, spec.size_field, spec.sha256_field)
    )
    return [{"pk": pk, "name": n, "size": s, "sha256": h} for pk, n, s, h in rows]


def record_problem(spec: StoredFiles, rec: dict[str, Any], root: Path) -> str | None:
    """Say what is wrong with the file of one record on disk (one line), or None."""
    where = f"{spec.model} {rec['pk']}"
    if not plain_name(rec["name"]):
        return f"{where}: stored name {rec['name']!r} is not a plain file name"
    entry = f"{spec.folder}/{rec['name']}"
    path = root / spec.folder / rec["name"]
    if not path.is_file():
        return f"{where}: {entry} is missing"
    size, sha = digest(path)
    if size != rec["size"]:
        return f"{where}: {entry} has {size} bytes; its record says {rec['size']}"
    if sha != rec["sha256"]:
        return f"{where}: {entry} has SHA-256 {sha}; its record says {rec['sha256']}"
    return None


def problems() -> tuple[int, list[str]]:
    """Count the stored files recorded and list one line per mismatch with the disk.

    A mismatch is a recorded file that is missing or differs in size or hash,
    or a file in a stored-files folder that no record names.
    """
    root = workspace_dir()
    n = 0
    found: list[str] = []
    for spec in STORED_FILES:
        recs = records(spec)
        n += len(recs)
        found += [p for rec in recs if (p := record_problem(spec, rec, root)) is not None]
        folder = root / spec.folder
        named = {rec["name"] for rec in recs}
        if folder.is_dir():
            found += [
                f"{spec.folder}/{p.name}: no {spec.model} record names this file"
                for p in sorted(folder.iterdir())
                if p.name not in named
            ]
    return n, found
