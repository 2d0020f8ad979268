"""Pages of the self-assessments: good practice per cluster programme, governance per strategy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ris3.errors import InputError
from ris3.workspace.models import Strategy
from ris3.workspace.policy import analysis, services
from ris3.workspace.policy.models import Assessment, Instrument
from ris3.workspace.services import EditConflict
from ris3.workspace.views import conflict_page, page, page_context


@page("assessment_list")
def assessment_list(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """List the assessments: the strategy's enabling condition and the cluster programmes."""
    result = analysis.assessments(strategy)
    gp_crit, gp_sum = result["good_practice"]
    ec_crit, ec_sum = result["enabling_condition"]
    ctx = {
        "programmes": result["programmes"],
        "gp_summary": gp_sum.to_dict("records"),
        "ec_summary": ec_sum.to_dict("records"),
        "ec_criteria": ec_crit.to_dict("records"),
        "gp_criteria": gp_crit.to_dict("records"),
    }
    return render(request, "policy/assessment_list.html", page_context(request, strategy, **ctx))


def _edit(
    request: HttpRequest,
    strategy: Strategy,
    checklist: str,
    instrument: Instrument | None,
    title: str,
) -> HttpResponse:
    from ris3.strategy.assessment import CHECKLISTS

    stored = {
        a.criterion: a
        for a in Assessment.objects.filter(
            strategy=strategy, checklist=checklist, instrument=instrument
        )
    }
    errors: list[str] = []
    if request.method == "POST":
        rows = []
        for key, _label, _source in CHECKLISTS[checklist]:
            raw = request.POST.get(f"score-{key}", "").strip()
            if raw and not (raw.isdigit() and 0 <= int(raw) <= 5):
                errors.append(_("%(k)s: the score must be from 0 to 5") % {"k": key})
                continue
            rows.append(
                {
                    "criterion": key,
                    "score": int(raw) if raw else None,
                    "evidence": request.POST.get(f"evidence-{key}", "").strip(),
                    "comment": request.POST.get(f"comment-{key}", "").strip(),
                    "version": request.POST.get(f"version-{key}") or None,
                }
            )
        if not errors:
            try:
                services.save_assessment(
                    request.user,
                    strategy,
                    checklist=checklist,
                    instrument=instrument,
                    rows=rows,
                )
            except EditConflict as exc:
                return conflict_page(request, strategy, exc)
            except InputError as exc:
                errors.append(str(exc))
            else:
                return redirect("assessment_list", pk=strategy.pk)
    items: list[dict[str, Any]] = []
    for key, label, source in CHECKLISTS[checklist]:
        a = stored.get(key)
        items.append(
            {
                "key": key,
                "label": label,
                "source": source,
                "score": request.POST.get(f"score-{key}") if errors else (a.score if a else None),
                # after a refused form, what the user typed is shown again
                "evidence": request.POST.get(f"evidence-{key}", "")
                if errors
                else (a.evidence if a else ""),
                "comment": request.POST.get(f"comment-{key}", "")
                if errors
                else (a.comment if a else ""),
                "version": a.version if a else "",
            }
        )
    return render(
        request,
        "policy/assessment_edit.html",
        page_context(
            request,
            strategy,
            title=title,
            items=items,
            errors=errors,
            scores=range(6),
            instrument=instrument,
        ),
    )


@page("assessment_strategy")
def assessment_strategy(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """Assess the enabling condition of good governance of the strategy."""
    title = _("Enabling condition: good governance of the smart specialisation strategy")
    return _edit(request, strategy, "enabling_condition", None, title)


@page("assessment_programme")
def assessment_programme(
    request: HttpRequest, strategy: Strategy, instrument_id: int
) -> HttpResponse:
    """Assess the good practice of a cluster programme of the register."""
    from ris3.strategy.instruments import CLUSTER_TOOL_GROUPS

    ins = get_object_or_404(
        Instrument, pk=instrument_id, strategy=strategy, tool_group__in=CLUSTER_TOOL_GROUPS
    )
    title = _("Good practice of the cluster programme %(name)s") % {"name": ins.name}
    return _edit(request, strategy, "good_practice", ins, title)
