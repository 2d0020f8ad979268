"""The workspace pages: thin views over services, selectors and ris3.strategy.

Each view is wrapped by :func:`page`, which reads the permission table
(:data:`ris3.workspace.permissions.PAGES`): a method not declared for the
page gets 405, a visitor without the right gets 403 (anonymous visitors are
sent to the login page).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from typing import Any

import pandas as pd
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ris3.errors import Ris3Error
from ris3.workspace import analysis, selectors, services
from ris3.workspace.forms import (
    ContactForm,
    EngagementForm,
    MemberForm,
    OrganisationForm,
    StakeholderForm,
    StrategyEditForm,
    StrategyForm,
    UploadForm,
)
from ris3.workspace.models import Evidence, Stakeholder, Strategy
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
                return HttpResponseForbidden(_("You may not open this page."))
            request.ris3_role = role_of(request.user, strategy)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        guarded.ris3_page = name  # type: ignore[attr-defined]
        return guarded

    return wrap


def _ctx(request: HttpRequest, strategy: Strategy | None, **extra: Any) -> dict[str, Any]:
    may = {}
    if strategy is not None:
        from ris3.workspace.permissions import PERMISSIONS

        may = {a: user_may(request.user, a, strategy) for a in PERMISSIONS}
    return {"strategy": strategy, "may": may, "role": getattr(request, "ris3_role", None), **extra}


def _conflict(request: HttpRequest, strategy: Strategy, exc: services.EditConflict) -> HttpResponse:
    fields = sorted(set(exc.current) | set(exc.attempted))
    rows = [
        (f, exc.current.get(f), exc.attempted.get(f, exc.current.get(f)))
        for f in fields
        if f in exc.attempted
    ]
    return render(
        request,
        "workspace/conflict.html",
        _ctx(request, strategy, rows=rows, current=exc.current),
        status=409,
    )


@page("strategy_list")
def strategy_list(request: HttpRequest) -> HttpResponse:
    strategies = selectors.visible_strategies(request.user)
    return render(
        request, "workspace/strategy_list.html", _ctx(request, None, strategies=strategies)
    )


@page("strategy_create")
def strategy_create(request: HttpRequest) -> HttpResponse:
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        s = services.create_strategy(request.user, **form.cleaned_data)
        return redirect("strategy_detail", pk=s.pk)
    return render(
        request, "workspace/form.html", _ctx(request, None, form=form, title=_("New strategy"))
    )


@page("strategy_detail")
def strategy_detail(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    return render(
        request,
        "workspace/strategy_detail.html",
        _ctx(
            request,
            strategy,
            steps=strategy.steps.all(),
            evidence=strategy.evidence.only("id", "function", "data_version", "created_at"),
            n_domains=strategy.domains.count(),
        ),
    )


@page("strategy_edit")
def strategy_edit(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    form = StrategyEditForm(
        request.POST or None, instance=strategy, initial={"version": strategy.version}
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update(request.user, strategy, form.cleaned_data["version"], changes)
        except services.EditConflict as exc:
            return _conflict(request, strategy, exc)
        return redirect("strategy_detail", pk=strategy.pk)
    return render(
        request, "workspace/form.html", _ctx(request, strategy, form=form, title=_("Edit strategy"))
    )


@page("strategy_publish")
def strategy_publish(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse(_("The form lacks the record's version."), status=400)
    try:
        services.set_published(
            request.user, strategy, request.POST.get("published") == "1", version
        )
    except services.EditConflict as exc:
        return _conflict(request, strategy, exc)
    return redirect("strategy_detail", pk=strategy.pk)


@page("evidence_import")
def evidence_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    try:
        ev = services.import_profile_evidence(request.user, strategy)
    except Ris3Error as exc:
        return render(
            request, "workspace/message.html", _ctx(request, strategy, message=str(exc)), status=400
        )
    return redirect("evidence_detail", pk=strategy.pk, evidence_id=ev.pk)


@page("evidence_detail")
def evidence_detail(request: HttpRequest, strategy: Strategy, evidence_id: int) -> HttpResponse:
    ev = get_object_or_404(Evidence, pk=evidence_id, strategy=strategy)
    tables = []
    for name in ("specialisation", "opportunities", "portfolio", "coverage"):
        if name in ev.tables:
            t = ev.tables[name]
            tables.append((name, t["columns"], t["data"][:25], len(t["data"])))
    return render(
        request,
        "workspace/evidence_detail.html",
        _ctx(request, strategy, evidence=ev, tables=tables),
    )


@page("domain_list")
def domain_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    domains = strategy.domains.prefetch_related("evidence_links__evidence")
    return render(request, "workspace/domain_list.html", _ctx(request, strategy, domains=domains))


@page("stakeholder_list")
def stakeholder_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    return render(
        request,
        "workspace/stakeholder_list.html",
        _ctx(
            request,
            strategy,
            organisations=selectors.organisations(strategy),
            stakeholders=selectors.stakeholders(strategy),
        ),
    )


@page("organisation_add")
def organisation_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
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
        _ctx(request, strategy, form=form, title=_("Add organisation")),
    )


@page("stakeholder_add")
def stakeholder_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    form = StakeholderForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.add_stakeholder(request.user, strategy, **fields)
        return redirect("stakeholder_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        _ctx(request, strategy, form=form, title=_("Add stakeholder")),
    )


@page("stakeholder_edit")
def stakeholder_edit(request: HttpRequest, strategy: Strategy, stakeholder_id: int) -> HttpResponse:
    person = get_object_or_404(Stakeholder, pk=stakeholder_id, strategy=strategy)
    form = StakeholderForm(
        request.POST or None,
        instance=person,
        strategy=strategy,
        initial={"version": person.version},
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update(request.user, person, form.cleaned_data["version"], changes)
        except services.EditConflict as exc:
            return _conflict(request, strategy, exc)
        return redirect("stakeholder_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        _ctx(request, strategy, form=form, title=_("Edit stakeholder")),
    )


def read_upload(upload: Any) -> pd.DataFrame:
    """A stakeholder table from an uploaded CSV or Excel file (all cells as text)."""
    name = upload.name.lower()
    raw = upload.read()
    if name.endswith((".xlsx", ".xlsm")):
        return pd.read_excel(io.BytesIO(raw), dtype=str, keep_default_na=False)
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)


@page("stakeholder_import")
def stakeholder_import(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    session_key = f"ris3_import_{strategy.pk}"
    if request.method == "POST" and request.POST.get("confirm") == "1":
        stored = request.session.pop(session_key, None)
        if stored is None:
            return render(
                request,
                "workspace/message.html",
                _ctx(request, strategy, message=_("Nothing to import: upload the file again.")),
                status=400,
            )
        n_org, n_people, rejected = services.import_stakeholders(
            request.user, strategy, analysis.table_from_json(stored)
        )
        return render(
            request,
            "workspace/message.html",
            _ctx(
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
        _ctx(request, strategy, form=form, preview=preview),
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


@page("engagement_list")
def engagement_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    return render(
        request,
        "workspace/engagement_list.html",
        _ctx(request, strategy, engagements=selectors.engagements(strategy)),
    )


@page("engagement_add")
def engagement_add(request: HttpRequest, strategy: Strategy) -> HttpResponse:
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
            outputs=d["outputs"],
        )
        return redirect("engagement_list", pk=strategy.pk)
    return render(
        request,
        "workspace/form.html",
        _ctx(request, strategy, form=form, title=_("Record an engagement")),
    )


@page("participation")
def participation(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    result = analysis.participation(strategy)
    return render(request, "workspace/participation.html", _ctx(request, strategy, **result))


@page("audit_log")
def audit_log(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    return render(
        request,
        "workspace/audit_log.html",
        _ctx(request, strategy, records=selectors.audit_log(strategy)),
    )


@page("member_list")
def member_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
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
        request, "workspace/member_list.html", _ctx(request, strategy, form=form, members=members)
    )


@page("contact_add")
def contact_add(request: HttpRequest, strategy: Strategy, stakeholder_id: int) -> HttpResponse:
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
        _ctx(
            request,
            strategy,
            form=form,
            title=_("Log a contact with %(name)s") % {"name": person.name},
        ),
    )
