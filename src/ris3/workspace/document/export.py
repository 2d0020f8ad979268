"""Write the strategy document as a self-contained HTML page, a PDF or an XLSX workbook.

The HTML page is built by the report layer (:class:`ris3.report.html.Page`):
its charts are drawn by the Vega libraries inlined in the page, so it opens
offline and requests nothing from another host. The PDF is that page printed
by the system's Chromium (:func:`ris3.report.browser.open_report`). The
workbook has a ``contents`` sheet and one sheet per table of every section,
values at full precision. A failed export leaves no file behind: each format
is written to a temporary file beside the target and renamed at the end.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ris3.errors import InputError, Ris3Error
from ris3.workspace.parts import Section

FORMATS = ("html", "pdf", "xlsx")
#: how the HTML shows numbers; the workbook keeps them exact
SIGNIFICANT = 6
ILLUSTRATIVE_NOTE = (
    "Illustrative: this section rests on invented demonstration records, not on real "
    "people, events or measurements."
)


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{SIGNIFICANT}g}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def to_html(
    title: str, subtitle: str, sections: list[Section], *, bundle: str | None = None
) -> str:
    """Return the document as one HTML page (tables and charts of every section)."""
    from ris3.report.html import Column, Page

    page = Page(
        title,
        subtitle=subtitle,
        footer=(
            f"Made by ris3. Tables show numbers to {SIGNIFICANT} significant digits; the XLSX "
            "workbook of the same document carries them at full precision. A dash is a "
            "missing or confidential value."
        ),
    )
    for sec in sections:
        s = page.section(_slug(sec.key), sec.title)
        if sec.illustrative:
            s.raw(f'<p class="banner illustrative">{html.escape(ILLUSTRATIVE_NOTE)}</p>')
        for p in sec.paragraphs:
            s.text(p)
        for name, df in sec.tables.items():
            cols = [
                Column(
                    str(c),
                    str(c).replace("_", " "),
                    _fmt,
                    numeric=pd.api.types.is_numeric_dtype(df[c])
                    and not pd.api.types.is_bool_dtype(df[c]),
                )
                for c in df.columns
            ]
            flat = df.reset_index(drop=True)
            flat.columns = [str(c) for c in flat.columns]
            if flat.empty:
                s.text(f"{name}: no rows.")
            else:
                s.table(flat, cols, name=f"{_slug(sec.key)}-{_slug(name)}", caption=name)
        for name, chart in sec.charts.items():
            s.chart(f"{_slug(sec.key)}-{_slug(name)}", chart, caption=name)
    return page.to_html(bundle=bundle)


def _sheet_name(section: Section, table: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", " ", f"{section.key} {table}").strip()[:31].strip()
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(name.lower())
    return name


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=str)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def workbook_sheets(sections: list[Section]) -> list[tuple[str, str, str]]:
    """``(sheet, section title, table name)`` of every table, in document order."""
    taken = {"contents"}
    return [
        (_sheet_name(sec, name, taken), sec.title, name) for sec in sections for name in sec.tables
    ]


def write_xlsx(path: Path, title: str, sections: list[Section]) -> None:
    """Return the workbook: a ``contents`` sheet, then one sheet per table."""
    from openpyxl import Workbook

    wb = Workbook()
    contents = wb.active
    contents.title = "contents"
    contents.append([title])
    contents.append(["sheet", "section", "table", "rows", "illustrative"])
    sheets = iter(workbook_sheets(sections))
    for sec in sections:
        for name, df in sec.tables.items():
            sheet, _, _ = next(sheets)
            contents.append([sheet, sec.title, name, len(df), "yes" if sec.illustrative else "no"])
            ws = wb.create_sheet(sheet)
            ws.append([str(c) for c in df.columns])
            for row in df.itertuples(index=False, name=None):
                ws.append([_cell(v) for v in row])
    wb.save(path)


def write_pdf(path: Path, page_html: str) -> None:
    """Print the HTML page to PDF with the system Chromium (every chart drawn first)."""
    from ris3.report.browser import open_report

    with tempfile.TemporaryDirectory(prefix="ris3-document-") as tmp:
        src = Path(tmp) / "document.html"
        src.write_text(page_html, encoding="utf-8")
        check = open_report(src, pdf=path)
        problems = check.chart_errors + check.page_errors + check.blocked_requests
        if problems:
            raise Ris3Error(f"the document did not print cleanly: {'; '.join(problems[:3])}")


def write_document(
    path: str | Path,
    title: str,
    subtitle: str,
    sections: list[Section],
    *,
    bundle: str | None = None,
) -> Path:
    """Write the document in the format of ``path``'s suffix (.html, .pdf or .xlsx).

    The file appears only when it is complete; on any error nothing is left.
    """
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"the output must end in .html, .pdf or .xlsx; got {out.name}")
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist")
    # a hidden name beside the target, unique to this process and call
    tmp = out.with_name(f".{out.stem}-{os.getpid()}-{uuid.uuid4().hex[:8]}.{fmt}")
    writers: dict[str, Callable[[], object]] = {
        "html": lambda: tmp.write_text(
            to_html(title, subtitle, sections, bundle=bundle), encoding="utf-8"
        ),
        "pdf": lambda: write_pdf(tmp, to_html(title, subtitle, sections, bundle=bundle)),
        "xlsx": lambda: write_xlsx(tmp, title, sections),
    }
    written = False
    try:
        writers[fmt]()
        tmp.replace(out)
        written = True
    finally:
        if not written:  # a failed export leaves no file behind
            tmp.unlink(missing_ok=True)
    return out
