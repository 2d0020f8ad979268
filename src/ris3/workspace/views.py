"""The workspace pages: thin views over services, selectors and ris3.strategy.

Each view is wrapped by :func:`page`, which reads the permission table
(:data:`ris3.workspace.permissions.PAGES`): a method not declared for the
page gets 405, a visitor without the right gets 403 (anonymous visitors are
sent to the login page).
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable
from typing import Any

import pandas as pd
from django.contrib.auth.views import redirect_to_login
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ris3.errors import Ris3Error
from ris3.workspace import analysis, selectors, services
from ris3.workspace.forms import (
    EngagementForm,
    MemberForm,
    StrategyEditForm,
    StrategyForm,
)
from ris3.workspace.models import Evidence, Strategy
from ris3.workspace.permissions import PAGES, role_of, user_may

View = Callable[..., HttpResponse]


def page(name: str) -> Callable[[View], View]:
    """Guard a view by its entry in the permission table."""
    methods = PAGES[name]

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return HttpResponseNotAllowed(sorted(methods))
            strategy = None
            if "pk" in kwargs:
                strategy = get_object_or_404(Strategy, pk=kwargs.pop("pk"))
                kwargs["strategy"] = strategy
            if not user_may(request.user, methods[request.method], strategy):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                return render(
                    request,
                    "workspace/message.html",
                    {"message": _("You may not open this page."), "title": _("Not allowed")},
                    status=403,
                )
            request.ris3_role = role_of(request.user, strategy)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        guarded.ris3_page = name  # type: ignore[attr-defined]
        return guarded

    return wrap


def page_context(request: HttpRequest, strategy: Strategy | None, **extra: Any) -> dict[str, Any]:
    """Return the template context of a page: the strategy, what the user may do, part tabs."""
    may = {}
    if strategy is not None:
        from ris3.workspace.permissions import PERMISSIONS, allowed

        # the role is read once (the guard stored it), not once per action
        user = request.user
        signed_in = bool(user.is_authenticated)
        role = getattr(request, "ris3_role", None)
        may = {
            a: allowed(
                a,
                role,
                superuser=bool(signed_in and user.is_superuser),
                signed_in=signed_in,
                published=bool(strategy.published),
            )
            for a in PERMISSIONS
        }
    from ris3.workspace.parts import part_modules

    part_tabs = [
        {"url_name": url_name, "label": label}
        for module in part_modules("tabs")
        for url_name, label, action in module.TABS
        if may.get(action)
    ]
    return {
        "strategy": strategy,
        "may": may,
        "part_tabs": part_tabs,
        "role": getattr(request, "ris3_role", None),
        **extra,
    }


#: rows per page of the long lists (stakeholders, engagements)
PAGE_SIZE = 100


def paginate(request: HttpRequest, rows: Any, per_page: int = PAGE_SIZE) -> Any:
    """Return the page of ``rows`` that ``?page=N`` asks for (the last one when N is too large)."""
    from django.core.paginator import Paginator

    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def conflict_page(
    request: HttpRequest, strategy: Strategy, exc: services.EditConflict
) -> HttpResponse:
    """Show the edit conflict: the stored and the attempted value of each field edited (409)."""
    fields = sorted(set(exc.current) | set(exc.attempted))
    rows = [
        (f, exc.current.get(f), exc.attempted.get(f, exc.current.get(f)))
        for f in fields
        if f in exc.attempted
    ]
    return render(
        request,
        "workspace/conflict.html",
        page_context(request, strategy, rows=rows, current=exc.current),
        status=409,
    )


@page("strategy_list")
def strategy_list(request: HttpRequest) -> HttpResponse:
    """List the strategies the user may see."""
    strategies = selectors.visible_strategies(request.user)
    return render(
        request, "workspace/strategy_list.html", page_context(request, None, strategies=strategies)
    )


@page("strategy_create")
def strategy_create(request: HttpRequest) -> HttpResponse:
    """Create a strategy from the form, then show it."""
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        s = services.create_strategy(request.user, **form.cleaned_data)
        return redirect("strategy_detail", pk=s.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, None, form=form, title=_("New strategy")),
    )


@page("strategy_detail")
def strategy_detail(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show a strategy: its steps, stored evidence and number of domains."""
    return render(
        request,
        "workspace/strategy_detail.html",
        page_context(
            request,
            strategy,
            steps=strategy.steps.all(),
            evidence=strategy.evidence.only("id", "function", "data_version", "created_at"),
            n_domains=strategy.domains.count(),
        ),
    )


@page("strategy_edit")
def strategy_edit(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Edit a strategy's name, period, status and description."""
    form = StrategyEditForm(
        request.POST or None, instance=strategy, initial={"version": strategy.version}
    )
    return versioned_edit(request, strategy, strategy, form, "strategy_detail", _("Edit strategy"))


def versioned_edit(
    request: HttpRequest,
    strategy: Strategy,
    obj: Any,
    form: Any,
    done: str,
    title: str,
) -> HttpResponse:
    """Show the edit form of ``obj`` and save a valid submission.

    It is saved through the audited service with its version (a stale version
    shows the conflict page), then the user is redirected to the page ``done``.
    """
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update(request.user, obj, form.cleaned_data["version"], changes)
        except services.EditConflict as exc:
            return conflict_page(request, strategy, exc)
        return redirect(done, pk=strategy.pk)
    return render(
        request, "workspace/form.html", page_context(request, strategy, form=form, title=title)
    )


@page("strategy_publish")
def strategy_publish(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Publish or unpublish a strategy (the form's version guards against stale edits)."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse(_("The form lacks the record's version."), status=400)
    try:
        services.set_published(
            request.user, strategy, request.POST.get("published") == "1", version
        )
    except services.EditConflict as exc:
        return conflict_page(request, strategy, exc)
    return redirect("strategy_detail", pk=strategy.pk)


def read_table(upload: Any, **kwargs: Any) -> pd.DataFrame:
    """Return a table from an uploaded CSV or Excel file (empty cells stay missing)."""
    name = upload.name.lower()
    raw = upload.read()
    upload.seek(0)
    if name.endswith((".xlsx", ".xlsm")):
        return pd.read_excel(io.BytesIO(raw), **kwargs)
    return pd.read_csv(io.BytesIO(raw), **kwargs)


@page("evidence_import")
def evidence_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Import profile evidence (of an uploaded table, if any) and show it; errors as a message."""
    upload = request.FILES.get("table")
    data = label = None
    try:
        if upload is not None:
            digest = hashlib.sha256(upload.read()).hexdigest()
            upload.seek(0)
            data = read_table(upload)
            label = f"uploaded table {upload.name} (sha256 {digest[:16]})"
        ev = services.import_profile_evidence(request.user, strategy, data=data, data_label=label)
    except (Ris3Error, ValueError) as exc:
        return render(
            request,
            "workspace/message.html",
            page_context(request, strategy, message=str(exc)),
            status=400,
        )
    return redirect("evidence_detail", pk=strategy.pk, evidence_id=ev.pk)


@page("evidence_detail")
def evidence_detail(request: HttpRequest, strategy: Strategy, evidence_id: int) -> HttpResponse:
    """Show stored evidence: the first 25 rows of its main tables."""
    ev = get_object_or_404(Evidence, pk=evidence_id, strategy=strategy)
    tables = []
    for name in ("specialisation", "opportunities", "portfolio", "coverage"):
        if name in ev.tables:
            t = ev.tables[name]
            tables.append((name, t["columns"], t["data"][:25], len(t["data"])))
    return render(
        request,
        "workspace/evidence_detail.html",
        page_context(request, strategy, evidence=ev, tables=tables),
    )


@page("domain_list")
def domain_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the strategy's domains with their evidence."""
    domains = strategy.domains.prefetch_related("evidence_links__evidence")
    return render(
        request, "workspace/domain_list.html", page_context(request, strategy, domains=domains)
    )


@page("engagement_list")
def engagement_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the strategy's engagements, a page at a time."""
    return render(
        request,
        "workspace/engagement_list.html",
        page_context(
            request, strategy, engagements=paginate(request, selectors.engagements(strategy))
        ),
    )


@page("engagement_add")
def engagement_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Record an engagement from the form."""
    form = EngagementForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.record_engagement(
            request.user,
            strategy,
            kind=d["kind"],
            title=d["title"],
            when=d["date"],
            steps=list(d["steps"]),
            domains=list(d["domains"]),
            attendees=list(d["attendees"]),
            contributors=list(d["contributors"]),
            outputs=d["outputs"],
        )
        return redirect("engagement_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Record an engagement")),
    )


@page("participation")
def participation(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the participation matrix, its gaps, the capture indicators and fatigue."""
    result = analysis.participation(strategy)
    return render(
        request, "workspace/participation.html", page_context(request, strategy, **result)
    )


@page("audit_log")
def audit_log(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Show the strategy's latest audit records."""
    return render(
        request,
        "workspace/audit_log.html",
        page_context(request, strategy, records=selectors.audit_log(strategy)),
    )


@page("member_list")
def member_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the strategy's members and add an existing user with a role."""
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("No user with this e-mail: the administrator creates users."))
        else:
            services.add_member(request.user, strategy, user, form.cleaned_data["role"])
            return redirect("member_list", pk=strategy.pk)
    members = strategy.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "workspace/member_list.html",
        page_context(request, strategy, form=form, members=members),
    )
