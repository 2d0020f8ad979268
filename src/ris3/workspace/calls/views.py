"""The calls pages: thin views over :mod:`.services`, :mod:`.selectors` and ris3.strategy.

A record a visitor may not read answers 404 (its existence is not
revealed); results and letters before the panel closes answer 409.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ris3.errors import OptionalDependencyError, Ris3Error
from ris3.workspace.calls import selectors, services
from ris3.workspace.calls.forms import (
    AssignForm,
    CallEditForm,
    CallForm,
    ConflictForm,
    CriterionForm,
    PanelForm,
    ProposalForm,
    ScoreForm,
)
from ris3.workspace.calls.models import Assignment, Attachment, Call, Proposal
from ris3.workspace.models import Strategy
from ris3.workspace.services import EditConflict
from ris3.workspace.views import conflict_page, page, page_context, versioned_edit


def _call(request: HttpRequest, strategy: Strategy, call_id: int) -> Call:
    call = get_object_or_404(Call, pk=call_id, strategy=strategy)
    if not selectors.visible_calls(request.user, strategy).filter(pk=call.pk).exists():
        raise Http404
    return call


def _message(
    request: HttpRequest, strategy: Strategy, message: str, status: int, call: Call | None = None
) -> HttpResponse:
    return render(
        request,
        "workspace/message.html",
        page_context(request, strategy, message=message, call=call, title=_("Open calls")),
        status=status,
    )


def _form(
    request: HttpRequest, strategy: Strategy, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=title, **extra),
        status=400 if request.method == "POST" else 200,
    )


@page("call_list")
def call_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the calls of the strategy the user may see, with their criteria."""
    calls = selectors.visible_calls(request.user, strategy).prefetch_related("criteria")
    return render(request, "calls/call_list.html", page_context(request, strategy, calls=calls))


@page("call_create")
def call_create(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Create a call from the form, then show it."""
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(request.user, strategy, **form.cleaned_data)
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("call_detail", pk=strategy.pk, call_id=call.pk)
    return _form(request, strategy, form, _("New call"))


@page("call_detail")
def call_detail(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Show a call: its criteria, the user's own proposals and assignments."""
    call = _call(request, strategy, call_id)
    manager = selectors.is_manager(request.user, strategy, getattr(request, "ris3_role", None))
    context = page_context(
        request,
        strategy,
        call=call,
        criteria=call.criteria.all(),
        manager=manager,
        n_proposals=call.proposals.count() if manager else None,
        own_proposals=selectors.visible_proposals(request.user, call),
        assignments=selectors.own_assignments(request.user, call),
    )
    return render(request, "calls/call_detail.html", context)


@page("call_edit")
def call_edit(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Edit a call while it is a draft."""
    call = _call(request, strategy, call_id)
    if call.status != "draft":
        return _message(request, strategy, _("Only a draft call can be edited."), 409, call)
    form = CallEditForm(request.POST or None, instance=call, initial={"version": call.version})
    return versioned_edit(request, strategy, call, form, "call_list", _("Edit call"))


@page("criterion_add")
def criterion_add(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Add a criterion to a call."""
    call = _call(request, strategy, call_id)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_criterion(request.user, call, **form.cleaned_data)
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("call_detail", pk=strategy.pk, call_id=call.pk)
    return _form(request, strategy, form, _("Add a criterion to %(call)s") % {"call": call.title})


@page("call_status")
def call_status(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Change a call's status (the form's version guards against stale edits)."""
    call = _call(request, strategy, call_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return _message(request, strategy, _("The form lacks the record's version."), 400, call)
    try:
        services.set_status(request.user, call, request.POST.get("status", ""), version)
    except EditConflict as exc:
        return conflict_page(request, strategy, exc)
    except Ris3Error as exc:
        return _message(request, strategy, str(exc), 400, call)
    return redirect("call_detail", pk=strategy.pk, call_id=call.pk)


@page("call_panel")
def call_panel(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Show a call's panel: add evaluators, assign proposals by hand or all at once."""
    call = _call(request, strategy, call_id)
    users = get_user_model().objects
    evaluators = users.filter(memberships__strategy=strategy, memberships__role="evaluator")
    panel_users = users.filter(call_panels__call=call)
    panel_form = PanelForm(evaluators=evaluators, prefix="panel")
    assign_form = AssignForm(
        evaluators=panel_users, proposals=call.proposals.all(), prefix="assign"
    )
    error = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "panel":
                panel_form = PanelForm(request.POST, evaluators=evaluators, prefix="panel")
                if panel_form.is_valid():
                    services.add_panel_member(
                        request.user, call, panel_form.cleaned_data["evaluator"]
                    )
                    return redirect("call_panel", pk=strategy.pk, call_id=call.pk)
            elif action == "auto":
                services.auto_assign(request.user, call)
                return redirect("call_panel", pk=strategy.pk, call_id=call.pk)
            elif action == "assign":
                assign_form = AssignForm(
                    request.POST,
                    evaluators=panel_users,
                    proposals=call.proposals.all(),
                    prefix="assign",
                )
                if assign_form.is_valid():
                    d = assign_form.cleaned_data
                    services.assign(request.user, call, d["evaluator"], d["proposal"])
                    return redirect("call_panel", pk=strategy.pk, call_id=call.pk)
            else:
                error = _("Choose what to do: add an evaluator, assign, or assign all.")
        except Ris3Error as exc:
            error = str(exc)
        status = 400
    assignments = (
        Assignment.objects.filter(proposal__call=call)
        .select_related("proposal", "evaluator")
        .order_by("proposal_id", "evaluator__username")
    )
    loads: dict[str, int] = {}
    for a in assignments:
        loads[a.evaluator.username] = loads.get(a.evaluator.username, 0) + 1
    context = page_context(
        request,
        strategy,
        call=call,
        panel=call.panel.select_related("evaluator"),
        conflicts=call.conflicts.select_related("evaluator"),
        assignments=assignments,
        loads=sorted(loads.items()),
        panel_form=panel_form,
        assign_form=assign_form,
        error=error,
    )
    return render(request, "calls/call_panel.html", context, status=status)


@page("proposal_submit")
def proposal_submit(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Submit a proposal to an open call."""
    call = _call(request, strategy, call_id)
    form = ProposalForm(request.POST or None, request.FILES or None, strategy=strategy)
    if call.status != "open":
        return _message(request, strategy, _("This call takes no proposals now."), 409, call)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            p = services.submit_proposal(
                request.user,
                call,
                title=d["title"],
                summary=d["summary"],
                lead_organisation=d["lead_organisation"],
                partners=d["partners"],
                domains=list(d["domains"]),
                budget_eur=d["budget_eur"],
                attachments=d["attachments"],
            )
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("proposal_detail", pk=strategy.pk, call_id=call.pk, proposal_id=p.pk)
    return _form(request, strategy, form, _("Submit a proposal to %(call)s") % {"call": call.title})


@page("proposal_list")
def proposal_list(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """List the proposals of a call the user may read."""
    call = _call(request, strategy, call_id)
    proposals = selectors.visible_proposals(request.user, call).prefetch_related("domains")
    return render(
        request,
        "calls/proposal_list.html",
        page_context(request, strategy, call=call, proposals=proposals),
    )


def _proposal(request: HttpRequest, call: Call, proposal_id: int) -> Proposal:
    p = selectors.visible_proposals(request.user, call).filter(pk=proposal_id).first()
    if p is None:
        raise Http404
    return p


@page("proposal_detail")
def proposal_detail(
    request: HttpRequest, strategy: Strategy, call_id: int, proposal_id: int
) -> HttpResponse:
    """Show a proposal the user may read, with the user's assignment to it."""
    call = _call(request, strategy, call_id)
    p = _proposal(request, call, proposal_id)
    return render(
        request,
        "calls/proposal_detail.html",
        page_context(
            request,
            strategy,
            call=call,
            proposal=p,
            assignment=selectors.own_assignments(request.user, call).filter(proposal=p).first(),
        ),
    )


@page("attachment_download")
def attachment_download(
    request: HttpRequest, strategy: Strategy, call_id: int, attachment_id: int
) -> HttpResponse:
    """Download an attachment of a proposal the user may read."""
    call = _call(request, strategy, call_id)
    att = get_object_or_404(Attachment, pk=attachment_id, proposal__call=call)
    _proposal(request, call, att.proposal_id)
    path = services.attachment_root() / att.stored_as
    if not path.is_file():
        raise Http404
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=att.name,
        content_type=att.content_type,
    )


@page("conflict_declare")
def conflict_declare(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Declare a conflict of interest; the page lists the organisations named, not the proposals."""
    call = _call(request, strategy, call_id)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(
                request.user, call, form.cleaned_data["organisation"], form.cleaned_data["reason"]
            )
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("conflict_declare", pk=strategy.pk, call_id=call.pk)
    # names only: evaluators declare conflicts before they see any proposal
    organisations = sorted(
        {o for p in call.proposals.all() for o in p.organisations()}, key=str.casefold
    )
    declared = call.conflicts.filter(evaluator=request.user)
    return render(
        request,
        "calls/conflicts.html",
        page_context(
            request,
            strategy,
            call=call,
            form=form,
            organisations=organisations,
            declared=declared,
        ),
        status=400 if request.method == "POST" else 200,
    )


@page("assignment_score")
def assignment_score(
    request: HttpRequest, strategy: Strategy, call_id: int, assignment_id: int
) -> HttpResponse:
    """Score an assigned proposal; submitted scores are locked."""
    call = _call(request, strategy, call_id)
    a = selectors.own_assignments(request.user, call).filter(pk=assignment_id).first()
    if a is None:
        raise Http404
    criteria = list(call.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and a.submitted_at is None and form.is_valid():
        try:
            services.submit_scores(request.user, a, form.scores())
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("assignment_score", pk=strategy.pk, call_id=call.pk, assignment_id=a.pk)
    status = 200
    if request.method == "POST":
        status = 409 if a.submitted_at is not None else 400
    return render(
        request,
        "calls/assignment_score.html",
        page_context(
            request,
            strategy,
            call=call,
            assignment=a,
            form=form,
            scores=selectors.readable_scores(request.user, a),
        ),
        status=status,
    )


@page("call_results")
def call_results(request: HttpRequest, strategy: Strategy, call_id: int) -> HttpResponse:
    """Show a call's results (ranking, robustness, agreement) once its panel closes."""
    call = _call(request, strategy, call_id)
    if call.status != "panel_closed":
        return _message(request, strategy, _("Results open when the panel closes."), 409, call)
    try:
        res = selectors.results(call)
    except Ris3Error as exc:
        return _message(request, strategy, str(exc), 409, call)
    return render(
        request,
        "calls/call_results.html",
        page_context(
            request,
            strategy,
            call=call,
            ranking=res["ranking"].to_dict("records"),
            agreement=res["agreement"].to_dict("records"),
            res=res,
        ),
    )


def _letter(request: HttpRequest, strategy: Strategy, call_id: int, proposal_id: int) -> Any:
    call = _call(request, strategy, call_id)
    p = _proposal(request, call, proposal_id)
    if call.status != "panel_closed":
        return call, None
    return call, selectors.letter(p)


@page("feedback_letter")
def feedback_letter(
    request: HttpRequest, strategy: Strategy, call_id: int, proposal_id: int
) -> HttpResponse:
    """Show a proposal's feedback letter once the call's panel closes."""
    call, letter = _letter(request, strategy, call_id, proposal_id)
    if letter is None:
        return _message(request, strategy, _("Letters open when the panel closes."), 409, call)
    return render(request, "calls/letter_page.html", page_context(request, strategy, **letter))


@page("feedback_letter_pdf")
def feedback_letter_pdf(
    request: HttpRequest, strategy: Strategy, call_id: int, proposal_id: int
) -> HttpResponse:
    """Download a proposal's feedback letter as PDF once the call's panel closes."""
    from ris3.report.browser import open_report

    call, letter = _letter(request, strategy, call_id, proposal_id)
    if letter is None:
        return _message(request, strategy, _("Letters open when the panel closes."), 409, call)
    html = render_to_string("calls/letter_print.html", {**letter, "strategy": strategy}, request)
    with tempfile.TemporaryDirectory(prefix="ris3-letter-") as tmp:
        src, pdf = Path(tmp) / "letter.html", Path(tmp) / "letter.pdf"
        src.write_text(html, encoding="utf-8")
        try:
            open_report(src, pdf=pdf, timeout_s=60)
        except OptionalDependencyError as exc:
            return _message(
                request,
                strategy,
                _("The PDF cannot be made on this server: %(why)s. The HTML letter works.")
                % {"why": exc},
                503,
                call,
            )
        data = pdf.read_bytes()
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = (
        f'attachment; filename="feedback-{call.pk}-{letter["proposal"].pk}.pdf"'
    )
    return resp
