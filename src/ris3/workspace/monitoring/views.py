"""The monitoring pages: thin views over the part's services and frames."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ris3.errors import Ris3Error
from ris3.workspace.models import Strategy
from ris3.workspace.monitoring import frames, services
from ris3.workspace.monitoring.forms import (
    ComputeForm,
    EvaluationForm,
    IndicatorForm,
    ObjectiveForm,
    ObservationForm,
    TargetForm,
    UploadForm,
)
from ris3.workspace.monitoring.models import Evaluation, Indicator, Objective
from ris3.workspace.policy.models import Instrument
from ris3.workspace.views import page, page_context, read_table


def _error(request: HttpRequest, strategy: Strategy, message: str) -> HttpResponse:
    return render(
        request,
        "workspace/message.html",
        page_context(request, strategy, message=message, title=_("Not possible")),
        status=400,
    )


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    from ris3.report.html import to_records

    return to_records(df)


@page("monitoring_overview")
def overview(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Return the intervention logic of each priority and the checks against the guidance."""
    indicators = frames.indicator_table(strategy)
    priorities = set(frames.active_priorities(strategy))
    shown = []
    for d in strategy.domains.order_by("title", "id"):
        inds = Indicator.objects.filter(domain=d)
        objectives = Objective.objects.filter(domain=d).prefetch_related("instruments")
        if d.status not in services.PRIORITY_STATUSES and not inds.exists():
            continue
        shown.append(
            {
                "domain": d,
                "objectives": objectives,
                "instruments": Instrument.objects.filter(priorities=d).order_by("name"),
                "indicators": {
                    kind: [i for i in inds if i.kind == kind]
                    for kind in ("output", "result", "context")
                },
            }
        )
    problems = _rows(frames.checks(strategy))
    return render(
        request,
        "monitoring/overview.html",
        page_context(
            request,
            strategy,
            priorities=shown,
            n_indicators=len(indicators),
            n_priorities=len(priorities),
            problems=problems,
            compute_form=ComputeForm(),
            evaluations=Evaluation.objects.filter(strategy=strategy).select_related("instrument"),
        ),
    )


def _indicator_of(request: HttpRequest, strategy: Strategy) -> Indicator:
    raw = request.GET.get("id", "")
    return get_object_or_404(Indicator, pk=int(raw) if raw.isdigit() else -1, strategy=strategy)


@page("monitoring_indicator")
def indicator(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show one indicator (``?id=``) and add a target or observation to it.

    The page shows its definition, baseline, targets and observations. Without
    ``?id=`` it lists the strategy's indicators.
    """
    if request.method == "GET" and "id" not in request.GET:
        return render(
            request,
            "monitoring/indicator_index.html",
            page_context(
                request,
                strategy,
                indicators=Indicator.objects.filter(strategy=strategy).select_related("domain"),
            ),
        )
    ind = _indicator_of(request, strategy)
    target_form = TargetForm(prefix="t")
    obs_form = ObservationForm(prefix="o")
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "target":
                target_form = TargetForm(request.POST, prefix="t")
                if target_form.is_valid():
                    services.set_target(request.user, ind, **target_form.cleaned_data)
                    return redirect(f"{request.path}?id={ind.pk}")
            elif which == "observation":
                obs_form = ObservationForm(request.POST, prefix="o")
                if obs_form.is_valid():
                    d = obs_form.cleaned_data
                    services.add_observation(
                        request.user, ind, when=d["date"], value=d["value"], note=d["note"]
                    )
                    return redirect(f"{request.path}?id={ind.pk}")
            else:
                return _error(request, strategy, _("The form says neither target nor observation."))
        except Ris3Error as exc:
            return _error(request, strategy, str(exc))
    card = frames.scorecard(strategy, domain=ind.domain)
    row = card[card["indicator"] == ind.name]
    evaluations = Evaluation.objects.filter(instrument=ind.instrument) if ind.instrument_id else []
    return render(
        request,
        "monitoring/indicator.html",
        page_context(
            request,
            strategy,
            indicator=ind,
            targets=ind.targets.all(),
            observations=ind.observations.select_related("evidence"),
            status=_rows(row)[0] if len(row) else None,
            target_form=target_form,
            obs_form=obs_form,
            evaluations=[{"evaluation": e, "verdict": frames.verdict_text(e)} for e in evaluations],
        ),
    )


@page("monitoring_indicator_add")
def indicator_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Add an indicator (optionally with one target), then show it."""
    form = IndicatorForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        ty, tv = d.pop("target_year"), d.pop("target_value")
        try:
            ind = services.add_indicator(
                request.user, strategy, targets=[(ty, tv)] if ty is not None else [], **d
            )
        except Ris3Error as exc:
            return _error(request, strategy, str(exc))
        return redirect(reverse("monitoring_indicator", args=[strategy.pk]) + f"?id={ind.pk}")
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("New indicator")),
    )


@page("monitoring_objective_add")
def objective_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Add an objective to a priority's intervention logic."""
    form = ObjectiveForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_objective(
                request.user,
                strategy,
                domain=d["domain"],
                text=d["text"],
                instruments=list(d["instruments"]),
            )
        except Ris3Error as exc:
            return _error(request, strategy, str(exc))
        return redirect("monitoring_overview", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("New objective")),
    )


@page("monitoring_import")
def observation_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Upload observations: a preview of accepted and rejected rows, then store them."""
    from ris3.strategy import check_observations

    ctx: dict[str, Any] = {"form": UploadForm()}
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            # the rows as previewed: no date guessing (a year stays a year), no dtype changes
            stored = json.loads(request.POST.get("payload", ""))
            table = pd.DataFrame(stored["data"], columns=stored["columns"])
            n, rejected = services.import_observations(request.user, strategy, table)
        except (Ris3Error, ValueError, KeyError, TypeError) as exc:
            return _error(request, strategy, str(exc))
        ctx["done"] = _("Stored {n} observations; {r} rows rejected.").format(n=n, r=len(rejected))
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        ctx["form"] = form
        if form.is_valid():
            try:
                table = read_table(form.cleaned_data["table"])
                names = list(strategy.indicators.values_list("name", flat=True))
                accepted, rejected = check_observations(table, names)
            except (Ris3Error, ValueError) as exc:
                return _error(request, strategy, str(exc))
            keep = [c for c in ("indicator", "date", "value", "note") if c in table.columns]
            ctx.update(
                accepted=_rows(accepted.drop(columns=["year"])),
                rejected=_rows(rejected),
                payload=table[keep]
                .astype(object)
                .to_json(orient="split", index=False, date_format="iso"),
            )
    return render(request, "monitoring/import.html", page_context(request, strategy, **ctx))


@page("monitoring_compute")
def compute(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Re-run the computed indicators of every priority from the bundled data."""
    form = ComputeForm(request.POST)
    if not form.is_valid():
        return _error(request, strategy, _("Give the data year to compute."))
    try:
        ev = services.run_computed(request.user, strategy, year=form.cleaned_data["year"])
    except Ris3Error as exc:
        return _error(request, strategy, str(exc))
    return redirect("evidence_detail", pk=strategy.pk, evidence_id=ev.pk)


@page("monitoring_scorecard")
def scorecard(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the scorecard, its summaries by priority and instrument, and its chart."""
    card = frames.scorecard(strategy)
    svg = frames.chart_svg(frames.scorecard_chart(card)) if len(card) else ""
    import base64

    return render(
        request,
        "monitoring/scorecard.html",
        page_context(
            request,
            strategy,
            card=_rows(card),
            by_priority=_rows(frames.summary(card, by="priority")),
            by_instrument=_rows(frames.summary(card, by="instrument")),
            chart=base64.b64encode(svg.encode()).decode() if svg else "",
        ),
    )


@page("monitoring_scorecard_export")
def scorecard_export(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Download the scorecard as CSV (``?format=csv``, default) or an Excel workbook (``xlsx``)."""
    fmt = request.GET.get("format", "csv")
    card = frames.scorecard(strategy)
    stem = f"scorecard-{strategy.region_code}-{strategy.pk}"
    if fmt == "csv":
        resp = HttpResponse(card.to_csv(index=False), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return resp
    if fmt == "xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            card.to_excel(xl, sheet_name="scorecard", index=False)
            frames.summary(card, by="priority").to_excel(xl, sheet_name="by priority", index=False)
            frames.summary(card, by="instrument").to_excel(
                xl, sheet_name="by instrument", index=False
            )
        resp = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return resp
    return _error(request, strategy, _("format must be csv or xlsx; got {f}").format(f=fmt))


@page("monitoring_evaluation_add")
def evaluation_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Run :func:`ris3.evaluate_programme` on an uploaded firm panel and attach it."""
    form = EvaluationForm(request.POST or None, request.FILES or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        import hashlib

        d = form.cleaned_data
        upload = d["panel"]
        digest = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        peers = [p.strip() for p in d["peer_regions"].split(";") if p.strip()]
        params: dict[str, Any] = {
            "firm": "firm_id",
            "region": "region",
            "activity": "activity",
            "year": "year",
            "entry_year": "entry_year",
            "value_added": "value_added",
            "employment": "employment",
            "outcomes": [o.strip() for o in d["outcomes"].split(";") if o.strip()],
            "peer_regions": peers or None,
        }
        try:
            panel = read_table(upload)
            services.run_evaluation(
                request.user,
                d["instrument"],
                panel,
                title=d["title"],
                parameters=params,
                data_version=f"uploaded panel {upload.name} (sha256 {digest[:16]})",
            )
        except (Ris3Error, ValueError) as exc:
            return _error(request, strategy, str(exc))
        return redirect("monitoring_overview", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Attach a programme evaluation")),
    )
