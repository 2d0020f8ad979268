"""Pages of the policy mix: the instrument register, its analysis and the advisor.

Thin views: the tables come from :mod:`ris3.workspace.policy.analysis`,
every write from :mod:`ris3.workspace.policy.services`.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ris3.errors import InputError, Ris3Error
from ris3.workspace.analysis import table_from_json, table_to_json
from ris3.workspace.models import Strategy
from ris3.workspace.policy import analysis, services, tables
from ris3.workspace.policy.forms import InstrumentForm, RegionContextForm, UploadForm
from ris3.workspace.policy.models import Instrument, RegionContext
from ris3.workspace.services import EditConflict
from ris3.workspace.views import conflict_page, page, page_context, read_table


def rows(df: pd.DataFrame) -> dict[str, Any]:
    """Return a table for the templates: columns and rows of cells (missing cells None)."""
    return table_to_json(df) if len(df.columns) else {"columns": [], "data": []}


@page("instrument_list")
def instrument_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the strategy's instruments with their priorities, budgets and funding."""
    instruments = (
        Instrument.objects.filter(strategy=strategy)
        .prefetch_related("priorities", "budgets", "funding")
        .order_by("name")
    )
    return render(
        request,
        "policy/instrument_list.html",
        page_context(request, strategy, instruments=instruments),
    )


def _save(request: HttpRequest, strategy: Strategy, form: InstrumentForm) -> HttpResponse | None:
    d = form.cleaned_data
    fields = {k: d.get(k, "") for k in services.FIELDS}
    kwargs = {
        "fields": fields,
        "priorities": list(d["priorities"]),
        "budgets": d["budgets"],
        "funding": d["funding"],
    }
    try:
        if form.instance.pk:
            services.update_instrument(request.user, form.instance, d["version"], **kwargs)
        else:
            services.create_instrument(request.user, strategy, **kwargs)
    except EditConflict as exc:
        return conflict_page(request, strategy, exc)
    except InputError as exc:
        for reason in str(exc).split("; "):
            form.add_error(None, reason)
        return None
    return redirect("instrument_list", pk=strategy.pk)


@page("instrument_add")
def instrument_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Register an instrument."""
    form = InstrumentForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        done = _save(request, strategy, form)
        if done is not None:
            return done
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Register an instrument")),
    )


@page("instrument_edit")
def instrument_edit(request: HttpRequest, strategy: Strategy, instrument_id: int) -> HttpResponse:
    """Edit a registered instrument."""
    ins = get_object_or_404(Instrument, pk=instrument_id, strategy=strategy)
    form = InstrumentForm(
        request.POST or None, instance=ins, strategy=strategy, initial={"version": ins.version}
    )
    if request.method == "POST" and form.is_valid():
        done = _save(request, strategy, form)
        if done is not None:
            return done
    title = _("Edit instrument %(name)s") % {"name": ins.name}
    return render(
        request, "workspace/form.html", page_context(request, strategy, form=form, title=title)
    )


@page("instrument_import")
def instrument_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Import an instrument register from a file: upload and preview, then confirm."""
    key = f"ris3_policy_import_{strategy.pk}"
    if request.method == "POST" and request.POST.get("confirm") == "1":
        stored = request.session.pop(key, None)
        if stored is None:
            msg = _("Nothing to import: upload the file again.")
            return render(
                request,
                "workspace/message.html",
                page_context(request, strategy, message=msg),
                status=400,
            )
        created, rejected = services.import_register(
            request.user, strategy, table_from_json(stored)
        )
        msg = _("Created %(n)d instruments; %(r)d rows rejected.") % {
            "n": len(created),
            "r": len(rejected),
        }
        return render(
            request, "workspace/message.html", page_context(request, strategy, message=msg)
        )
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            sheet = read_table(form.cleaned_data["file"], dtype=object)
            accepted, rejected = services.preview_register(strategy, sheet)
        except (Ris3Error, ValueError) as exc:
            form.add_error("file", str(exc))
        else:
            request.session[key] = table_to_json(sheet)
            preview = {"accepted": accepted, "rejected": rows(rejected)}
    return render(
        request,
        "policy/instrument_import.html",
        page_context(request, strategy, form=form, preview=preview),
    )


@page("instrument_export")
def instrument_export(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Download the instrument register as CSV (default) or Excel (``?format=xlsx``)."""
    from ris3.strategy import join_register

    ins, bud, fund = tables.register(strategy)
    sheet = ins.copy()
    sheet["priorities"] = sheet["priorities"].map(";".join)
    sheet = join_register(sheet, bud, fund)
    stem = f"instruments-{strategy.region_code}-{strategy.pk}"
    if request.GET.get("format") == "xlsx":
        buf = io.BytesIO()
        sheet.to_excel(buf, index=False)
        resp = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return resp
    resp = HttpResponse(sheet.to_csv(index=False), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return resp


@page("policy_analysis")
def policy_analysis(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the policy mix (matrix, gaps, duplications, co-funding) and the cross-border view."""
    result = analysis.policy_analysis(strategy)
    border = analysis.cross_border(strategy)
    ctx = {
        "n_instruments": result["n_instruments"],
        "matrix": rows(result["matrix"]),
        "matrix_tool_group": rows(result["matrix_tool_group"]),
        "gaps": result["gaps"].to_dict("records"),
        "duplications": result["duplications"].to_dict("records"),
        "targeted": rows(result["targeted"]),
        "cofunding": rows(result["cofunding"]),
        "charts": result["charts"],
        "priorities": result["priorities"].to_dict("records"),
        "partners": rows(border["partners"]),
        "open": rows(border["open"]),
        "border_notes": border["notes"],
        "any_illustrative": Instrument.objects.filter(
            strategy=strategy, illustrative=True
        ).exists(),
    }
    return render(request, "policy/analysis.html", page_context(request, strategy, **ctx))


@page("policy_advisor")
def policy_advisor(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the report's recommendations per priority and the register's contradictions."""
    result = analysis.advisor(strategy)
    ctx = {
        "priorities": result["priorities"].to_dict("records"),
        "advice": result["advice"].to_dict("records"),
        "flags": result["flags"].to_dict("records"),
        "region": result["region"],
        "large_budget_eur": result["large_budget_eur"],
        "gdp_not_bundled": analysis.GDP_NOT_BUNDLED,
    }
    return render(request, "policy/advisor.html", page_context(request, strategy, **ctx))


@page("region_context_edit")
def region_context_edit(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Edit the region's context (GDP values, stage override, size, structure)."""
    ctx = RegionContext.objects.filter(strategy=strategy).first()
    form = RegionContextForm(
        request.POST or None,
        instance=ctx,
        initial={"version": ctx.version if ctx else None},
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.save_region_context(
                request.user, strategy, form.cleaned_data.get("version"), changes
            )
        except EditConflict as exc:
            return conflict_page(request, strategy, exc)
        return redirect("policy_advisor", pk=strategy.pk)
    return render(
        request,
        "policy/region_context.html",
        page_context(
            request,
            strategy,
            form=form,
            title=_("The region's context"),
            gdp_not_bundled=analysis.GDP_NOT_BUNDLED,
        ),
    )
