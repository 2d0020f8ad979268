"""Pages about people: organisations, stakeholders, their import and export, contacts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ris3.errors import Ris3Error
from ris3.workspace import analysis, selectors, services
from ris3.workspace.forms import (
    ContactForm,
    InterestForm,
    OrganisationForm,
    StakeholderForm,
    UploadForm,
)
from ris3.workspace.models import Stakeholder, Strategy
from ris3.workspace.views import (
    page,
    page_context,
    paginate,
    read_table,
    versioned_edit,
)


@page("stakeholder_list")
def stakeholder_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the strategy's organisations and its stakeholders, a page at a time."""
    return render(
        request,
        "workspace/stakeholder_list.html",
        page_context(
            request,
            strategy,
            organisations=selectors.organisations(strategy),
            stakeholders=paginate(request, selectors.stakeholders(strategy)),
        ),
    )


@page("organisation_add")
def organisation_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Add an organisation to the strategy."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_organisation(request.user, strategy, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("stakeholder_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Add organisation")),
    )


@page("stakeholder_add")
def stakeholder_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Add a stakeholder to the strategy."""
    form = StakeholderForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.add_stakeholder(request.user, strategy, **fields)
        return redirect("stakeholder_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Add stakeholder")),
    )


@page("stakeholder_edit")
def stakeholder_edit(request: HttpRequest, strategy: Strategy, stakeholder_id: int) -> HttpResponse:
    """Edit a stakeholder of the strategy."""
    person = get_object_or_404(Stakeholder, pk=stakeholder_id, strategy=strategy)
    form = StakeholderForm(
        request.POST or None,
        instance=person,
        strategy=strategy,
        initial={"version": person.version},
    )
    return versioned_edit(
        request, strategy, person, form, "stakeholder_list", _("Edit stakeholder")
    )


def read_upload(upload: Any) -> pd.DataFrame:
    """Return a stakeholder table from an uploaded CSV or Excel file (all cells as text)."""
    return read_table(upload, dtype=str, keep_default_na=False)


@page("stakeholder_import")
def stakeholder_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Import stakeholders from a file: upload and preview, then confirm to create them."""
    session_key = f"ris3_import_{strategy.pk}"
    if request.method == "POST" and request.POST.get("confirm") == "1":
        stored = request.session.pop(session_key, None)
        if stored is None:
            return render(
                request,
                "workspace/message.html",
                page_context(
                    request, strategy, message=_("Nothing to import: upload the file again.")
                ),
                status=400,
            )
        n_org, n_people, rejected = services.import_stakeholders(
            request.user, strategy, analysis.table_from_json(stored)
        )
        return render(
            request,
            "workspace/message.html",
            page_context(
                request,
                strategy,
                message=_(
                    "Created %(org)d organisations and %(people)d stakeholders; %(rej)d rows rejected."
                )
                % {"org": n_org, "people": n_people, "rej": len(rejected)},
            ),
        )
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            table = read_upload(form.cleaned_data["file"])
            existing = list(selectors.stakeholders(strategy).values_list("email", flat=True))
            accepted, rejected = analysis.check_table(table, existing)
        except (Ris3Error, ValueError) as exc:
            form.add_error("file", str(exc))
        else:
            request.session[session_key] = analysis.table_to_json(table)
            preview = {"accepted": accepted, "rejected": analysis.table_to_json(rejected)}
    return render(
        request,
        "workspace/stakeholder_import.html",
        page_context(request, strategy, form=form, preview=preview),
    )


EXPORT_COLUMNS = [
    "name",
    "email",
    "organisation",
    "helix",
    "role",
    "public",
    "consent",
    "nace",
    "nuts",
    "cluster_organisation",
    "illustrative",
]


@page("stakeholder_export")
def stakeholder_export(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Download the strategy's stakeholders as CSV (default) or Excel (``?format=xlsx``)."""
    rows = [
        [
            s.name,
            s.email,
            s.organisation.name,
            s.organisation.helix,
            s.role,
            s.public,
            s.consent_contact,
            s.organisation.nace,
            s.organisation.nuts,
            s.organisation.is_cluster_organisation,
            s.illustrative,
        ]
        for s in selectors.stakeholders(strategy)
    ]
    stem = f"stakeholders-{strategy.region_code}-{strategy.pk}"
    if request.GET.get("format") == "xlsx":
        buf = io.BytesIO()
        pd.DataFrame(rows, columns=EXPORT_COLUMNS).to_excel(buf, index=False)
        resp = HttpResponse(
            buf.getvalue(),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
        resp["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return resp
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)
    resp = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return resp


@page("contact_add")
def contact_add(request: HttpRequest, strategy: Strategy, stakeholder_id: int) -> HttpResponse:
    """Log a contact with a stakeholder."""
    person = get_object_or_404(Stakeholder, pk=stakeholder_id, strategy=strategy)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.log_contact(
            request.user, person, when=d["date"], channel=d["channel"], note=d["note"]
        )
        return redirect("stakeholder_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(
            request,
            strategy,
            form=form,
            title=_("Log a contact with %(name)s") % {"name": person.name},
        ),
    )


@page("interest_add")
def interest_add(request: HttpRequest, strategy: Strategy, stakeholder_id: int) -> HttpResponse:
    """Record a stakeholder's declared interest in a domain."""
    person = get_object_or_404(Stakeholder, pk=stakeholder_id, strategy=strategy)
    form = InterestForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.declare_interest(
            request.user,
            person,
            description=d["description"],
            domain=d["domain"],
            when=d["declared_on"],
        )
        return redirect("stakeholder_list", pk=strategy.pk)
    title = _("Declared interest of %(name)s") % {"name": person.name}
    return render(
        request, "workspace/form.html", page_context(request, strategy, form=form, title=title)
    )
