"""Export a workspace to a versioned zip archive, and restore one into a new database.

The archive holds one JSON file per entity (records sorted by id, Django's
serialisation), the files the parts keep in the workspace folder (proposal
attachments under ``attachments/``, as in the folder) and ``manifest.json``
(format version, ris3 version, time, per entity file its record count and
SHA-256, per stored file its size and SHA-256). Import checks every checksum
and every stored file against its record before it writes anything, and
inserts the records (it never updates a row, so the database's triggers
refusing updates of submitted scores stay in force and are not tripped).
Exporting a restored workspace gives the same archive entries byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from ris3.errors import DataFileError, InputError
from ris3.workspace import stored_files
from ris3.workspace.parts import part_modules
from ris3.workspace.stored_files import STORED_FILES

FORMAT = "ris3-workspace"
#: 2: stored files (attachments) and login failures are in the archive
FORMAT_VERSION = 2

#: file name -> model label, in an order that restores foreign keys first
ENTITIES: tuple[tuple[str, str], ...] = (
    ("users.json", "auth.user"),
    ("strategies.json", "workspace.strategy"),
    ("steps.json", "workspace.step"),
    ("organisations.json", "workspace.organisation"),
    ("stakeholders.json", "workspace.stakeholder"),
    ("contacts.json", "workspace.contactlog"),
    ("evidence.json", "workspace.evidence"),
    ("domains.json", "workspace.domain"),
    ("domain_evidence.json", "workspace.domainevidence"),
    ("engagements.json", "workspace.engagement"),
    ("attendance.json", "workspace.attendance"),
    ("interests.json", "workspace.interestdeclaration"),
    ("memberships.json", "workspace.membership"),
    ("audit_log.json", "workspace.auditlog"),
    ("api_tokens.json", "workspace.apitoken"),
    ("login_failures.json", "workspace.loginfailure"),
    # then the entities of the workspace's parts (surveys, calls, ...)
    *(entity for module in part_modules("archive") for entity in module.ENTITIES),
)


#: models of the installed Django applications the archive leaves out, and why
NOT_ARCHIVED: dict[str, str] = {
    "auth.permission": "made by migrate from the models",
    "contenttypes.contenttype": "made by migrate from the models",
    "auth.group": "workspace roles are strategy memberships; export refuses users in groups",
    "sessions.session": "logins do not carry over to a restored workspace",
}
#: relations to models the archive leaves out: export refuses records that use them
EMPTY_RELATIONS: frozenset[tuple[str, str]] = frozenset(
    {("auth.user", "groups"), ("auth.user", "user_permissions")}
)


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond, always in the same form.

    Django's encoder cuts times to milliseconds and drops the fraction when
    it is zero, so a time of ``...06.000412`` exports as ``06.000Z``, is
    restored as ``06``, and exports again as ``06Z``: the round trip would
    change about one file in three.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            text = o.isoformat(timespec="microseconds")
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def _refuse_unarchived_relations() -> None:
    for label, field in sorted(EMPTY_RELATIONS):
        through = getattr(_model(label), field).through
        if through.objects.exists():
            raise InputError(
                f"{label} records use {field}, which the archive does not carry: "
                f"remove them first (workspace roles are strategy memberships)"
            )


def export_archive(out: Path) -> dict[str, Any]:
    """Write every entity and stored file of the configured workspace to ``out`` (a zip file).

    Refuses (and writes nothing) when a stored file is missing or differs
    from its record: ``ris3 workspace check`` lists every such file.
    """
    from ris3 import __version__

    _refuse_unarchived_relations()
    root = stored_files.workspace_dir()
    tmp = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            files: dict[str, dict[str, Any]] = {}
            for name, label in ENTITIES:
                qs = _model(label).objects.order_by("pk")
                # sorted keys: PostgreSQL's jsonb does not keep the key order of JSON fields
                text = serializers.serialize(
                    "json", qs, indent=1, sort_keys=True, cls=_ExactJSONEncoder
                )
                data = text.encode()
                zf.writestr(_entry(name), data)
                files[name] = {"records": qs.count(), "sha256": hashlib.sha256(data).hexdigest()}
            stored: dict[str, dict[str, Any]] = {}
            for spec in STORED_FILES:
                for rec in stored_files.records(spec):
                    problem = stored_files.record_problem(spec, rec, root)
                    if problem is not None:
                        raise DataFileError(
                            f"not exported: {problem} (`ris3 workspace check` lists all)"
                        )
                    entry = f"{spec.folder}/{rec['name']}"
                    with open(root / entry, "rb") as src, zf.open(_entry(entry), "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                    stored[entry] = {"bytes": rec["size"], "sha256": rec["sha256"]}
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "ris3_version": __version__,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "files": files,
                "stored_files": stored,
            }
            zf.writestr(_entry("manifest.json"), json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def _entry(name: str) -> zipfile.ZipInfo:
    # a fixed timestamp, so the same content makes the same archive entry
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def read_manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """Return the archive's manifest, checked for format and version."""
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except KeyError:
        raise DataFileError(f"{path} is not a workspace archive (no manifest.json)") from None
    if manifest.get("format") != FORMAT:
        raise DataFileError(
            f"{path} is not a workspace archive (format {manifest.get('format')!r})"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DataFileError(
            f"{path} has archive format version {manifest.get('format_version')}; "
            f"this ris3 reads version {FORMAT_VERSION}"
        )
    return manifest


def _zip_digest(zf: zipfile.ZipFile, entry: str) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with zf.open(entry) as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _stored_entries(
    zf: zipfile.ZipFile, path: Path, manifest: dict[str, Any], entities: dict[str, bytes]
) -> list[str]:
    """Return the stored-file entries of the archive, each checked against its record and manifest."""
    file_of = {label: name for name, label in ENTITIES}
    listed = manifest.get("stored_files", {})
    present = set(zf.namelist())
    entries: list[str] = []
    for spec in STORED_FILES:
        for obj in json.loads(entities[file_of[spec.model]]):
            f = obj["fields"]
            where = f"{path}: {spec.model} {obj['pk']}"
            name = f.get(spec.name_field)
            if not stored_files.plain_name(name):
                raise DataFileError(f"{where} names {name!r}, not a plain file name")
            entry = f"{spec.folder}/{name}"
            record = {"bytes": f.get(spec.size_field), "sha256": f.get(spec.sha256_field)}
            if entry not in present:
                raise DataFileError(f"{where}: the archive lacks its file {entry}")
            if listed.get(entry) != record:
                raise DataFileError(f"{where}: {entry} in manifest.json differs from its record")
            size, sha = _zip_digest(zf, entry)
            if (size, sha) != (record["bytes"], record["sha256"]):
                raise DataFileError(
                    f"{where}: {entry} has {size} bytes and SHA-256 {sha}; "
                    f"its record says {record['bytes']} bytes and {record['sha256']}"
                )
            entries.append(entry)
    unknown = sorted(present - set(entries) - set(entities) - {"manifest.json"})
    if unknown or set(listed) != set(entries):
        first = unknown[0] if unknown else sorted(set(listed) ^ set(entries))[0]
        raise DataFileError(f"{path}: {first} belongs to no record of the archive")
    return entries


def verify_archive(path: Path) -> tuple[dict[str, Any], dict[str, bytes], list[str]]:
    """Check an archive completely without touching any database or folder.

    Returns the manifest, the entity files' bytes and the stored-file entries;
    raises a one-line :class:`DataFileError` on the first entry that is
    missing or fails its checksum.
    """
    if not path.is_file():
        raise InputError(f"--archive {path} does not exist")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataFileError(f"{path} is not a zip archive") from None
    with zf:
        manifest = read_manifest(zf, path)
        entities: dict[str, bytes] = {}
        for name, _label in ENTITIES:
            try:
                data = zf.read(name)
            except KeyError:
                raise DataFileError(f"{path} lacks {name}") from None
            expected = manifest["files"].get(name, {}).get("sha256")
            if expected != hashlib.sha256(data).hexdigest():
                raise DataFileError(f"{path}: {name} does not match its checksum in manifest.json")
            entities[name] = data
        entries = _stored_entries(zf, path, manifest, entities)
    return manifest, entities, entries


def database_is_empty() -> bool:
    """Whether the configured database has no users and no workspace records."""
    return not any(_model(label).objects.exists() for _, label in ENTITIES)


def import_archive(path: Path) -> dict[str, int]:
    """Restore an archive into the (migrated, empty) configured database and workspace folder.

    Every record is inserted (never updated); the stored files go to their
    folders in the workspace folder. Nothing is written unless the whole
    archive passes its checks. Returns the number of records restored per
    entity file and, under each stored-files folder name, the number of files.
    """
    manifest, entities, entries = verify_archive(path)
    if not database_is_empty():
        raise InputError("the database is not empty: import restores into a new database only")
    root = stored_files.workspace_dir()
    for entry in entries:
        if (root / entry).exists():
            raise InputError(
                f"{root / entry} exists already: import restores into a new workspace folder"
            )
    counts: dict[str, int] = {}
    written: list[Path] = []
    done = False
    try:
        with transaction.atomic():
            for name, _label in ENTITIES:
                n = 0
                for obj in serializers.deserialize("json", io.BytesIO(entities[name])):
                    obj.save(force_insert=True)
                    n += 1
                counts[name] = n
            models = [_model(label) for _, label in ENTITIES]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
            with zipfile.ZipFile(path) as zf:
                for entry in entries:
                    target = root / entry
                    target.parent.mkdir(parents=True, exist_ok=True)
                    h = hashlib.sha256()
                    with zf.open(entry) as src, open(target, "xb") as dst:
                        written.append(target)
                        while chunk := src.read(1 << 20):
                            h.update(chunk)
                            dst.write(chunk)
                    if h.hexdigest() != manifest["stored_files"][entry]["sha256"]:
                        raise DataFileError(f"{path}: {entry} changed while it was restored")
                    folder = entry.split("/", 1)[0]
                    counts[folder] = counts.get(folder, 0) + 1
        done = True
    finally:
        if not done:  # the transaction rolled back: no file without its record
            for target in written:
                target.unlink(missing_ok=True)
    return counts
