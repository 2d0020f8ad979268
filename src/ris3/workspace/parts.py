"""The workspace's parts: Django applications that plug into the core.

Each part is a package ``ris3.workspace.<part>`` and a Django application of
its own (its models, migrations, pages, API routes and templates). The core
reads from each part, when the module exists:

- ``permissions``: ``PERMISSIONS`` (action -> roles), ``PAGES`` and ``API``
  (URL name -> {method: action}) and optionally ``PUBLISHED`` (actions open
  to anonymous visitors of a published strategy), merged into the one
  permission table of :mod:`ris3.workspace.permissions`;
- ``urls``: ``urlpatterns``, served from the site root;
- ``api``: ``router`` (a django-ninja router) and ``PREFIX`` (its path under
  ``/api/``);
- ``archive``: ``ENTITIES`` ((file name, model label) pairs in restore
  order), appended to the archive of :mod:`ris3.workspace.archive`, and
  optionally ``STORED_FILES`` (:class:`StoredFiles`: files the part keeps in
  the workspace folder, carried by the archive and checked by
  ``ris3 workspace check``);
- ``tabs``: ``TABS`` ((URL name, label, action) triples), the strategy tabs
  a visitor sees when the permission table allows ``action``;
- ``demo``: ``populate(owner, strategy, users)``, adding the part's
  illustrative records to the demo strategy (``users``: role -> user);
- ``document``: ``sections(strategy)``, a list of :class:`Section` for the
  strategy document (HTML, PDF and XLSX export).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, NamedTuple

#: the installed parts, in the order their tabs and archive files appear
PARTS: tuple[str, ...] = (
    "surveys",
    "calls",
    "priorities",
    "policy",
    "monitoring",
    "document",
)


def part_modules(name: str) -> list[ModuleType]:
    """Return the ``name`` module of every part that has one, in :data:`PARTS` order."""
    found = []
    for part in PARTS:
        try:
            found.append(importlib.import_module(f"ris3.workspace.{part}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"ris3.workspace.{part}.{name}":
                raise
    return found


class StoredFiles(NamedTuple):
    """Files a part keeps in a folder of the workspace folder, one per record of ``model``.

    ``name_field`` holds the file's name inside ``folder``; ``size_field`` and
    ``sha256_field`` its size in bytes and SHA-256 (hex) as recorded.
    """

    folder: str
    model: str
    name_field: str
    size_field: str
    sha256_field: str


@dataclass(frozen=True)
class Section:
    """One section of the strategy document.

    ``tables`` are tidy pandas DataFrames (each becomes a table of the HTML
    and PDF and a sheet of the XLSX workbook); ``charts`` are Altair charts
    of the chart layer (:mod:`ris3.report.charts`); ``illustrative`` marks a
    section built from invented demo records.
    """

    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: dict[str, Any] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)
    illustrative: bool = False
