"""Export a workspace to a versioned zip archive, and restore one into a new database.

The archive holds one JSON file per entity (records sorted by id, Django's
serialisation) and ``manifest.json`` (format version, ris3 version, time,
and per file its record count and SHA-256). Exporting a restored database
gives the same entity files byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from ris3.errors import DataFileError, InputError
from ris3.workspace.parts import part_modules

FORMAT = "ris3-workspace"
FORMAT_VERSION = 1

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
    # then the entities of the workspace's parts (surveys, calls, ...)
    *(entity for module in part_modules("archive") for entity in module.ENTITIES),
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


def export_archive(out: Path) -> dict[str, Any]:
    """Write every entity of the configured database to ``out`` (a zip file)."""
    from ris3 import __version__

    files: dict[str, dict[str, Any]] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, label in ENTITIES:
            qs = _model(label).objects.order_by("pk")
            # sorted keys: PostgreSQL's jsonb does not keep the key order of JSON fields
            text = serializers.serialize(
                "json", qs, indent=1, sort_keys=True, cls=_ExactJSONEncoder
            )
            data = text.encode()
            zf.writestr(_entry(name), data)
            files[name] = {"records": qs.count(), "sha256": hashlib.sha256(data).hexdigest()}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "ris3_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": files,
        }
        zf.writestr(_entry("manifest.json"), json.dumps(manifest, indent=1, sort_keys=True))
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


def database_is_empty() -> bool:
    """Whether the configured database has no users and no workspace records."""
    return not any(_model(label).objects.exists() for _, label in ENTITIES)


def import_archive(path: Path) -> dict[str, int]:
    """Restore an archive into the (migrated, empty) configured database.

    Returns the number of records restored per file.
    """
    if not path.is_file():
        raise InputError(f"--archive {path} does not exist")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataFileError(f"{path} is not a zip archive") from None
    with zf:
        manifest = read_manifest(zf, path)
        if not database_is_empty():
            raise InputError("the database is not empty: import restores into a new database only")
        counts: dict[str, int] = {}
        with transaction.atomic():
            for name, _label in ENTITIES:
                try:
                    data = zf.read(name)
                except KeyError:
                    raise DataFileError(f"{path} lacks {name}") from None
                expected = manifest["files"].get(name, {}).get("sha256")
                if expected != hashlib.sha256(data).hexdigest():
                    raise DataFileError(
                        f"{path}: {name} does not match its checksum in manifest.json"
                    )
                n = 0
                for obj in serializers.deserialize("json", io.BytesIO(data)):
                    obj.save()
                    n += 1
                counts[name] = n
            models = [_model(label) for _, label in ENTITIES]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    return counts
