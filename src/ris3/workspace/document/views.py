"""The strategy document's pages: what it holds, and its downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ris3.errors import Ris3Error
from ris3.workspace.document.export import FORMATS, workbook_sheets
from ris3.workspace.document.sections import document_sections, export_strategy
from ris3.workspace.models import Strategy
from ris3.workspace.views import page, page_context

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@page("document_page")
def document_page(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the strategy document: every section, with its download formats."""
    sections = document_sections(strategy)
    return render(
        request,
        "document/document.html",
        page_context(
            request,
            strategy,
            sections=sections,
            sheets=workbook_sheets(sections),
            formats=FORMATS,
        ),
    )


@page("document_download")
def document_download(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Download the document as ``?format=html`` (default), ``pdf`` or ``xlsx``."""
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return render(
            request,
            "workspace/message.html",
            page_context(
                request,
                strategy,
                message=_("format must be html, pdf or xlsx; got {f}").format(f=fmt),
                title=_("Not possible"),
            ),
            status=400,
        )
    with tempfile.TemporaryDirectory(prefix="ris3-document-") as tmp:
        out = Path(tmp) / f"strategy-{strategy.region_code}-{strategy.pk}.{fmt}"
        try:
            export_strategy(strategy, out)
        except Ris3Error as exc:
            return render(
                request,
                "workspace/message.html",
                page_context(request, strategy, message=str(exc), title=_("Not possible")),
                status=503 if fmt == "pdf" else 400,
            )
        resp = HttpResponse(out.read_bytes(), content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{out.name}"'
    return resp
