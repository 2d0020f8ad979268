"""The survey pages: builder, links, import with preview, analysis, export, and the answer form.

The respondent's pages (personal and public links) need no account: the
token in the address is the key, checked against its stored hash.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ris3.errors import Ris3Error
from ris3.strategy.survey_import import (
    SurveyImport,
    plan_import,
    read_limesurvey,
    read_survey_table,
    read_xlsform,
)
from ris3.workspace import services as core
from ris3.workspace.analysis import table_from_json, table_to_json
from ris3.workspace.models import Strategy
from ris3.workspace.permissions import user_may
from ris3.workspace.surveys import analysis, services
from ris3.workspace.surveys.forms import (
    ImportForm,
    LinksForm,
    QuestionForm,
    ResponseForm,
    SurveyForm,
    render_response_form,
)
from ris3.workspace.surveys.models import Invitation, Survey
from ris3.workspace.views import conflict_page, page, page_context


def _survey(strategy: Strategy, survey_id: int) -> Survey:
    return get_object_or_404(Survey, pk=survey_id, strategy=strategy)


def _message(
    request: HttpRequest, strategy: Strategy | None, msg: str, status: int, title: str = ""
) -> HttpResponse:
    return render(
        request,
        "workspace/message.html",
        page_context(request, strategy, message=msg, title=title),
        status=status,
    )


@page("survey_list")
def survey_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the strategy's surveys, newest first."""
    surveys = strategy.surveys.select_related("step").order_by("-created_at")  # type: ignore[attr-defined]
    return render(
        request, "surveys/survey_list.html", page_context(request, strategy, surveys=surveys)
    )


@page("survey_create")
def survey_create(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Create a survey, then show it."""
    form = SurveyForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = services.create_survey(
                request.user, strategy, step=d["step"], title=d["title"], intro=d["intro"],
                min_respondents=d["min_respondents"], target_mix=d["target_mix_text"],
            )  # fmt: skip
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("survey_detail", pk=strategy.pk, survey_id=s.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("New survey")),
    )


@page("survey_detail")
def survey_detail(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Show a survey: its questions and the numbers of links, responses and domains."""
    s = _survey(strategy, survey_id)
    return render(
        request,
        "surveys/survey_detail.html",
        page_context(
            request, strategy, survey=s, questions=s.questions.all(),
            n_links=s.invitations.count(), n_responses=s.responses.count(),
            n_domains=strategy.domains.count(),
        ),
    )  # fmt: skip


@page("survey_edit")
def survey_edit(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Edit a survey's step, title, introduction, status, threshold and target mix."""
    s = _survey(strategy, survey_id)
    form = SurveyForm(
        request.POST or None, instance=s, strategy=strategy, initial={"version": s.version}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {k: d[k] for k in ("step", "title", "intro", "status", "min_respondents")}
        changes["target_mix"] = d["target_mix_text"]
        try:
            core.update(request.user, Survey.objects.get(pk=s.pk), d.get("version") or 0, changes)
        except core.EditConflict as exc:
            return conflict_page(request, strategy, exc)
        return redirect("survey_detail", pk=strategy.pk, survey_id=s.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(request, strategy, form=form, title=_("Edit survey")),
    )


@page("question_add")
def question_add(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Add a question to a survey."""
    s = _survey(strategy, survey_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(request.user, s, **form.cleaned_data)
        except Ris3Error as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            return redirect("survey_detail", pk=strategy.pk, survey_id=s.pk)
    return render(
        request,
        "workspace/form.html",
        page_context(
            request, strategy, form=form, title=_("Add a question to %(s)s") % {"s": s.title}
        ),
    )


@page("survey_links")
def survey_links(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Manage a survey's links: issue personal links, revoke one, switch the public link."""
    s = _survey(strategy, survey_id)
    form = LinksForm(request.POST or None)
    new_links: list[tuple[Invitation, str]] = []
    public_token = None
    if request.method == "POST":
        action = request.POST.get("action", "issue")
        if action == "revoke":
            inv = get_object_or_404(Invitation, pk=request.POST.get("invitation") or 0, survey=s)
            services.revoke_link(request.user, inv)
        elif action in ("public_on", "public_off"):
            public_token = services.set_public_link(request.user, s, action == "public_on")
            s.refresh_from_db()
        elif form.is_valid():
            new_links = services.issue_links(
                request.user, s, form.cleaned_data["labels"].splitlines(),
                count=form.cleaned_data["count"] or 0,
            )  # fmt: skip
            form = LinksForm()
    base = request.build_absolute_uri("/")[:-1]
    return render(
        request,
        "surveys/survey_links.html",
        page_context(
            request, strategy, survey=s, form=form,
            new_links=[(inv, base + _answer_path(tok)) for inv, tok in new_links],
            public_url=base + _public_path(public_token) if public_token else None,
            invitations=s.invitations.select_related("response").order_by("created_at", "id"),
        ),
    )  # fmt: skip


def _answer_path(token: str) -> str:
    from django.urls import reverse

    return reverse("survey_answer", kwargs={"token": token})


def _public_path(token: str) -> str:
    from django.urls import reverse

    return reverse("survey_public", kwargs={"token": token})


# ------------------------------------------------------------------ import


def _read_upload(upload: Any) -> pd.DataFrame:
    raw = upload.read()
    if upload.name.lower().endswith((".xlsx", ".xlsm")):
        return pd.read_excel(io.BytesIO(raw), dtype=str)
    return pd.read_csv(
        io.BytesIO(raw), dtype=str, keep_default_na=False, na_values=[""], sep=None, engine="python"
    )


def _read_import(d: dict[str, Any]) -> SurveyImport:
    data = _read_upload(d["file"])
    if d["source"] == "table":
        item = "item" if "item" in data.columns else None
        return read_survey_table(data, item=item)
    if d["source"] == "limesurvey":
        return read_limesurvey(data)
    if d["form_file"] is None:
        raise Ris3Error(
            "a KoboToolbox/XLSForm export needs its form (the XLSX with the survey sheet)"
        )
    sheets = pd.read_excel(io.BytesIO(d["form_file"].read()), sheet_name=None, dtype=str)
    return read_xlsform(sheets, data)


def _questions_frame(s: Survey) -> pd.DataFrame:
    return pd.DataFrame(
        list(s.questions.values("code", "kind", "choices", "scale_min", "scale_max")),
        columns=["code", "kind", "choices", "scale_min", "scale_max"],
    )


def _domain_keys(strategy: Strategy) -> dict[str, str]:
    """Source items a matrix may use for a domain: its id, its codes and its title."""
    keys: dict[str, str] = {}
    for pk, codes, title in strategy.domains.values_list("pk", "codes", "title"):
        keys[str(pk)] = keys[codes] = keys[title] = str(pk)
    return keys


@page("survey_import")
def survey_import(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Import responses from a file: upload and preview, then confirm."""
    s = _survey(strategy, survey_id)
    key = f"ris3_survey_import_{s.pk}"
    if request.method == "POST" and request.POST.get("confirm") == "1":
        stored = request.session.pop(key, None)
        if stored is None:
            return _message(request, strategy, _("Nothing to import: upload the file again."), 400)
        from ris3.strategy.survey_import import ImportPlan

        plan = ImportPlan(
            respondents=table_from_json(stored["respondents"]),
            answers=table_from_json(stored["answers"]),
            mapping=pd.DataFrame(),
            rejected=table_from_json(stored["rejected"]),
        )
        try:
            n = services.import_responses(request.user, s, plan, stored["source"])
        except IntegrityError:
            return _message(
                request, strategy,
                _("Some of these respondents were imported meanwhile; nothing was written. Preview again."),
                409,
            )  # fmt: skip
        return _message(
            request, strategy,
            _("Imported %(n)d responses; %(r)d answers or respondents rejected.") % {"n": n, "r": len(plan.rejected)},
            200, _("Import done"),
        )  # fmt: skip
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            imported = _read_import(d)
            prefix = f"{d['source']}:"
            existing = [
                ref[len(prefix) :]
                for ref in s.responses.filter(source_ref__startswith=prefix).values_list(
                    "source_ref", flat=True
                )
            ]
            plan = plan_import(
                imported, _questions_frame(s), domains=_domain_keys(strategy),
                helix_question=d["helix_question"], sector_question=d["sector_question"],
                existing=existing,
            )  # fmt: skip
        except (Ris3Error, ValueError) as exc:
            form.add_error("file", str(exc))
        else:
            request.session[key] = {
                "source": d["source"],
                "respondents": table_to_json(plan.respondents),
                "answers": table_to_json(plan.answers),
                "rejected": table_to_json(plan.rejected),
            }
            preview = {
                "summary": imported.summary(),
                "n_respondents": len(plan.respondents),
                "n_answers": len(plan.answers),
                "columns": table_to_json(imported.mapping),
                "mapping": table_to_json(plan.mapping),
                "rejected": table_to_json(plan.rejected),
            }
    return render(
        request,
        "surveys/survey_import.html",
        page_context(request, strategy, survey=s, form=form, preview=preview),
    )


# ------------------------------------------------------------------ analysis and export


@page("survey_analysis")
def survey_analysis(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Show a survey's analysis; free-text answers only to its editors, with enough respondents."""
    s = _survey(strategy, survey_id)
    tables, result = analysis.report_tables(s)
    shown = [
        (name, LABELS.get(name, name), table_to_json(t.round(3)))
        for name, t in tables.items()
        if name != "hidden"
    ]
    # free text may name people: builders only, only when the survey has enough
    # respondents, sorted so that no text can be matched to a response; never exported
    texts: list[tuple[str, list[str]]] = []
    may_edit = user_may(request.user, "edit_surveys", strategy)
    if may_edit and result["respondents"] >= s.min_respondents:
        for q in s.questions.filter(kind="text"):
            texts.append((q.text, sorted(q.answers.values_list("value", flat=True))))
    return render(
        request,
        "surveys/survey_analysis.html",
        page_context(
            request, strategy, survey=s, result=result, tables=shown,
            hidden=table_to_json(tables["hidden"]) if "hidden" in tables else None,
            texts=texts, texts_withheld=may_edit and result["respondents"] < s.min_respondents,
        ),
    )  # fmt: skip


LABELS = {
    "overall": gettext_lazy("Perceived strength by domain (mean rating, 95% bootstrap interval)"),
    "by_helix": gettext_lazy("Perceived strength by helix"),
    "by_sector": gettext_lazy("Perceived strength, public and private sector"),
    "gap": gettext_lazy("Public minus private perceived strength"),
    "weights": gettext_lazy("Post-stratification weights (sample helix mix to the target mix)"),
    "reweighted": gettext_lazy("Perceived strength reweighted to the target helix mix"),
    "perception": gettext_lazy("Perceived against measured strength (LQ, stars, growth)"),
    "choices": gettext_lazy("Choice questions: share of respondents picking each choice"),
    "scales": gettext_lazy(
        "Likert questions: mean rating; ranking questions: mean rank (1 = first)"
    ),
}


@page("survey_export")
def survey_export(request: HttpRequest, strategy: Strategy, survey_id: int) -> HttpResponse:
    """Download a survey's results as CSV (default) or Excel; small groups are left out."""
    s = _survey(strategy, survey_id)
    tables, _result = analysis.report_tables(s)
    fmt = request.GET.get("format", "csv")
    name = f"survey-{s.pk}-results"
    note = pd.DataFrame(
        {"note": [
            f"Survey {s.title!r}: breakdowns with fewer than {s.min_respondents} respondents are not exported.",
            *(["Illustrative responses (invented), not real people."] if s.illustrative else []),
        ]}
    )  # fmt: skip
    if fmt == "xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            note.to_excel(xl, sheet_name="about", index=False)
            for t_name, t in tables.items():
                t.to_excel(xl, sheet_name=t_name[:31], index=False)
        resp = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return resp
    if fmt != "csv":
        return _message(request, strategy, _("format must be csv or xlsx"), 400)
    frames = [t.assign(table=t_name) for t_name, t in tables.items()]
    out = pd.concat([note.assign(table="about"), *frames], ignore_index=True)
    cols = ["table"] + [c for c in out.columns if c != "table"]
    resp = HttpResponse(out[cols].to_csv(index=False), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return resp


# ------------------------------------------------------------------ respondents


def _answer_page(
    request: HttpRequest, survey: Survey | None, invitation: Invitation | None, public: bool
) -> HttpResponse:
    if survey is None or (not public and invitation is None):
        return _message(request, None, _("This survey link is not valid."), 404, _("Survey"))
    if invitation is not None and invitation.revoked_at is not None:
        return _message(request, None, _("This survey link was withdrawn."), 410, _("Survey"))
    if invitation is not None and hasattr(invitation, "response"):
        return _already(request)
    if survey.status != "open":
        return _message(
            request, None, _("This survey does not take answers now."), 409, _("Survey")
        )
    form = ResponseForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(
                survey, helix=form.cleaned_data["helix"], sector=form.cleaned_data["sector"],
                answers=form.answers(), invitation=invitation,
            )  # fmt: skip
        except services.AlreadyAnswered:
            return _already(request)
        except services.SurveyClosed as exc:
            return _message(request, None, str(exc), 409, _("Survey"))
        return render(request, "surveys/thanks.html", page_context(request, None, survey=survey))
    return render(
        request,
        "surveys/answer.html",
        page_context(
            request,
            None,
            survey=survey,
            form=form,
            public=public,
            fields=render_response_form(form),
        ),  # fmt: skip
    )


def _already(request: HttpRequest) -> HttpResponse:
    return _message(
        request, None,
        _("This link has been used to answer already: each personal link takes one response. Your first answers are kept."),
        409, _("Already answered"),
    )  # fmt: skip


@page("survey_answer")
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Answer a survey through a personal link."""
    inv = services.invitation_for(token)
    return _answer_page(request, inv.survey if inv else None, inv, public=False)


@page("survey_public")
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """Answer a survey through its public link."""
    return _answer_page(request, services.survey_for_public(token), None, public=True)
