"""Pages of priority setting: thin views over the part's services and analysis bridge.

A domain, run or version is chosen by a query parameter (``?domain=ID``,
``?run=ID``); without one a page lists what can be chosen.
"""

from __future__ import annotations

import hashlib
import io
import math
from typing import Any

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ris3.errors import Ris3Error
from ris3.workspace import parts
from ris3.workspace.models import Domain, Strategy
from ris3.workspace.priorities import analysis, services
from ris3.workspace.priorities.forms import (
    DecisionForm,
    PriorityEditForm,
    ScoringForm,
    TableUploadForm,
)
from ris3.workspace.priorities.models import ScoringRun
from ris3.workspace.services import EditConflict
from ris3.workspace.views import conflict_page, page, page_context, read_table


def _text(v: Any) -> tuple[str, bool]:
    """Return a cell as (text, missing)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return "", True
    if isinstance(v, bool):
        return (_("yes") if v else _("no")), False
    if isinstance(v, float):
        return f"{v:.4g}", False
    return str(v), False


def display(stored: dict[str, Any] | pd.DataFrame | None) -> dict[str, Any] | None:
    """Return a stored table (or a DataFrame) as columns and rows of (text, missing) cells."""
    if stored is None:
        return None
    if isinstance(stored, pd.DataFrame):
        columns = [str(c) for c in stored.columns]
        data = stored.astype(object).where(stored.notna(), None).values.tolist()
    else:
        if not stored:
            return None
        columns, data = stored["columns"], stored["data"]
    return {"columns": columns, "rows": [[_text(v) for v in row] for row in data]}


def _domain(request: HttpRequest, strategy: Strategy) -> Domain | None:
    raw = request.GET.get("domain")
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404("no such domain")
    return get_object_or_404(Domain, pk=int(raw), strategy=strategy)


def _wide_values(run: ScoringRun) -> dict[str, Any] | None:
    if not run.values:
        return None
    values = pd.DataFrame(run.values["data"], columns=run.values["columns"])
    order = [c["criterion"] for c in run.criteria]
    wide = values.pivot_table(
        index=["domain", "title"], columns="criterion", values="value", dropna=False
    )
    wide = wide.reindex(columns=order).reset_index()
    return display(wide)


@page("priorities_scoring")
def scoring(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Score the candidate domains with the chosen weights and method; store the run."""
    catalogue = analysis.criteria_catalogue()
    form = ScoringForm(request.POST or None, criteria=catalogue)
    error = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run_obj = services.run_scoring(
                request.user,
                strategy,
                weights=form.weights(),
                method=d["method"],
                seed=d["seed"],
                draws=d["draws"],
                concentration=d["concentration"],
                top_k=d["top_k"],
            )
        except Ris3Error as exc:
            error = str(exc)
        else:
            return redirect(reverse("priorities_run", args=[strategy.pk]) + f"?run={run_obj.pk}")
    latest = strategy.scoring_runs.first()
    return render(
        request,
        "priorities/scoring.html",
        page_context(
            request,
            strategy,
            form=form,
            error=error,
            latest=latest,
            missing_rule=services.MISSING_RULE,
            domains=strategy.domains.order_by("title"),
        ),
        status=400 if error else 200,
    )


@page("priorities_run")
def run(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show a scoring run (``?run=``, default the latest): values, ranking, sensitivity."""
    raw = request.GET.get("run")
    runs = strategy.scoring_runs.all()
    if raw is not None:
        if not raw.isdigit():
            raise Http404("no such run")
        run_obj = get_object_or_404(ScoringRun, pk=int(raw), strategy=strategy)
    else:
        run_obj = runs.first()
    context: dict[str, Any] = {"run": run_obj, "runs": runs[:20]}
    if run_obj is not None:
        context.update(
            values=_wide_values(run_obj),
            ranking=display(run_obj.ranking),
            sensitivity=display(run_obj.sensitivity),
        )
    return render(request, "priorities/run.html", page_context(request, strategy, **context))


@page("priorities_decide")
def decide(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Record a decision on a domain (``?domain=``; without it, choose the domain)."""
    domain = _domain(request, strategy)
    if domain is None:
        return _choose(request, strategy, "priorities_decide", _("Record a decision"))
    form = DecisionForm(
        request.POST or None,
        strategy=strategy,
        domain=domain,
        initial={
            "version": domain.version,
            "review_date": domain.review_date,
            "exit_criteria": domain.exit_criteria,
            "scoring_run": strategy.scoring_runs.first(),
        },
    )
    error = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_decision(
                request.user,
                domain,
                action=d["action"],
                rationale=d["rationale"],
                expected_version=d["version"],
                evidence=list(d["evidence"]),
                domain_evidence=list(d["domain_evidence"]),
                scoring_run=d["scoring_run"],
                review_date=d["review_date"],
                exit_criteria=d["exit_criteria"] if d["exit_criteria"] else None,
            )
        except EditConflict as exc:
            return conflict_page(request, strategy, exc)
        except Ris3Error as exc:
            error = str(exc)
        else:
            return redirect(
                reverse("priorities_lifecycle", args=[strategy.pk]) + f"?domain={domain.pk}"
            )
    return render(
        request,
        "priorities/decide.html",
        page_context(request, strategy, form=form, domain=domain, error=error),
        status=400 if error else 200,
    )


def _choose(request: HttpRequest, strategy: Strategy, url_name: str, title: str) -> HttpResponse:
    return render(
        request,
        "priorities/choose.html",
        page_context(
            request,
            strategy,
            title=title,
            url=reverse(url_name, args=[strategy.pk]),
            domains=strategy.domains.order_by("title"),
        ),
    )


@page("priorities_lifecycle")
def lifecycle(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show a domain's decisions and versions (``?domain=``; without it, list the domains)."""
    domain = _domain(request, strategy)
    if domain is None:
        return render(
            request,
            "priorities/lifecycle_list.html",
            page_context(
                request,
                strategy,
                domains=strategy.domains.order_by("title").prefetch_related("decisions"),
            ),
        )
    decisions = domain.decisions.select_related("scoring_run", "decided_by").prefetch_related(
        "evidence", "domain_evidence__evidence"
    )
    return render(
        request,
        "priorities/lifecycle.html",
        page_context(
            request,
            strategy,
            domain=domain,
            versions=domain.priority_versions.select_related("decision"),
            decisions=decisions,
        ),
    )


@page("priorities_edit")
def edit(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Edit a priority (``?domain=``; without it, choose the domain)."""
    domain = _domain(request, strategy)
    if domain is None:
        return _choose(request, strategy, "priorities_edit", _("Edit a priority"))
    form = PriorityEditForm(
        request.POST or None, instance=domain, initial={"version": domain.version}
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.edit_priority(request.user, domain, form.cleaned_data["version"], changes)
        except EditConflict as exc:
            return conflict_page(request, strategy, exc)
        return redirect(
            reverse("priorities_lifecycle", args=[strategy.pk]) + f"?domain={domain.pk}"
        )
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Edit the priority %s") % domain.title),
    )


def selection_year(domain: Domain) -> int | None:
    """Return the year of the domain's latest decision to select it (None if never selected)."""
    d = domain.decisions.filter(action="select").order_by("-decided_at", "-id").first()
    return d.decided_at.year if d is not None else None


@page("priorities_review")
def review(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Review a priority since its selection: its evidence series and monitoring indicators."""
    domain = _domain(request, strategy)
    if domain is None:
        return _choose(request, strategy, "priorities_review", _("Review a priority"))
    since = selection_year(domain)
    series = before = None
    last_year = None
    note = ""
    if since is not None:
        try:
            table = analysis.review_series(domain, since)
            last_year = table.attrs.get("last_year")
            series = display(table)
            if table.empty and last_year is not None:
                base = analysis.review_series(domain, int(last_year) - 2)
                before = display(base)
        except Ris3Error as exc:
            note = str(exc)
    monitoring = [
        row for module in parts.part_modules("review") for row in module.indicator_rows(domain)
    ]
    return render(
        request,
        "priorities/review.html",
        page_context(
            request,
            strategy,
            domain=domain,
            since=since,
            series=series,
            before=before,
            last_year=last_year,
            note=note,
            monitoring=display(pd.DataFrame(monitoring)) if monitoring else None,
        ),
    )


@page("priorities_distinctiveness")
def distinctiveness(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the distinctiveness of the strategy's domains and other regions' declared priorities."""
    table, note = analysis.distinctiveness(strategy)
    declared = strategy.declared_priorities.all()
    return render(
        request,
        "priorities/distinctiveness.html",
        page_context(
            request,
            strategy,
            table=display(table),
            note=note,
            declared=declared,
            any_illustrative=declared.filter(illustrative=True).exists(),
        ),
    )


@page("priorities_declared_import")
def declared_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Import other regions' declared priorities: upload and preview, then confirm."""
    from ris3.strategy.priority_setting import check_declared

    form = TableUploadForm(request.POST or None, request.FILES or None)
    preview = None
    message = None
    status = 200
    if request.method == "POST" and request.POST.get("confirm") == "1":
        text = request.POST.get("table_text", "")
        source = request.POST.get("source", "uploaded table")[:300]
        try:
            accepted, _rejected = check_declared(pd.read_csv(io.StringIO(text), dtype=str))
            services.import_declared(request.user, strategy, accepted, source=source)
        except (Ris3Error, ValueError) as exc:
            message, status = str(exc), 400
        else:
            return redirect("priorities_distinctiveness", pk=strategy.pk)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["table"]
        try:
            digest = hashlib.sha256(upload.read()).hexdigest()
            upload.seek(0)
            table = read_table(upload, dtype=str)
            accepted, rejected = check_declared(table)
        except (Ris3Error, ValueError) as exc:
            message, status = str(exc), 400
        else:
            preview = {
                "accepted": display(accepted),
                "n_accepted": len(accepted),
                "rejected": display(rejected),
                "n_rejected": len(rejected),
                "text": table.to_csv(index=False),
                "source": f"{upload.name} (sha256 {digest[:16]})",
            }
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "priorities/declared_import.html",
        page_context(request, strategy, form=form, preview=preview, message=message),
        status=status,
    )


@page("priorities_tech_match")
def tech_match(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the technology-economy match of the country and, uploaded, of the region."""
    from ris3.measures.technology import CITATION

    country = strategy.region_code[:2]
    form = TableUploadForm(request.POST or None, request.FILES or None)
    own = None
    message = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                table = read_table(form.cleaned_data["table"])
                own_table = analysis.region_match(table, strategy.region_code)
                own = {
                    "table": display(own_table),
                    "counts": _counts(own_table),
                    "chart": analysis.match_chart_svg(own_table),
                }
            except (Ris3Error, ValueError) as exc:
                message, status = str(exc), 400
        else:
            status = 400
    national = analysis.country_match(country)
    return render(
        request,
        "priorities/tech_match.html",
        page_context(
            request,
            strategy,
            country=country,
            national=display(national) if national is not None else None,
            counts=_counts(national) if national is not None else None,
            chart=analysis.match_chart_svg(national) if national is not None else None,
            own=own,
            form=form,
            message=message,
            citation=CITATION,
            years=analysis.PATENT_YEARS,
        ),
        status=status,
    )


def _counts(table: pd.DataFrame) -> list[tuple[str, int]]:
    from ris3.measures.technology import MATCH_CLASSES

    counts = table["match"].value_counts()
    return [(c, int(counts.get(c, 0))) for c in MATCH_CLASSES] + [
        (_("undefined (a missing value)"), int(table["match"].isna().sum()))
    ]
