"""Forms of the surveys part: the builder's forms and the respondent's form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import HELIX_CHOICES, Domain, Strategy
from ris3.workspace.surveys.models import QUESTION_KINDS, SECTOR_CHOICES, Question, Survey

DONT_KNOW = ""


def parse_mix(text: str) -> dict[str, float]:
    """``business=0.4; research=0.3`` -> {"business": 0.4, "research": 0.3} (empty: none)."""
    keys = {k for k, _ in HELIX_CHOICES}
    out: dict[str, float] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise forms.ValidationError(_("Write each share as helix=share, e.g. business=0.4."))
        k, v = (x.strip() for x in part.split("=", 1))
        if k not in keys:
            raise forms.ValidationError(
                _("Unknown helix %(k)s; use one of %(keys)s.")
                % {"k": k, "keys": ", ".join(sorted(keys))}
            )
        try:
            share = float(v)
        except ValueError:
            raise forms.ValidationError(
                _("The share of %(k)s is not a number.") % {"k": k}
            ) from None
        if share < 0:
            raise forms.ValidationError(_("Shares must be 0 or more."))
        out[k] = share
    if out and sum(out.values()) <= 0:
        raise forms.ValidationError(_("The shares must not all be 0."))
    return out


class SurveyForm(forms.ModelForm):
    """Create or edit a survey."""

    target_mix_text = forms.CharField(
        label=_("target helix mix"),
        required=False,
        help_text=_("Optional, for reweighting: e.g. business=0.4; research=0.3; government=0.3"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Survey
        fields = ["step", "title", "intro", "status", "min_respondents"]

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = strategy.steps.all()  # type: ignore[attr-defined]
        if self.instance.pk is not None and self.instance.target_mix:
            self.initial["target_mix_text"] = "; ".join(
                f"{k}={v:g}" for k, v in self.instance.target_mix.items()
            )

    def clean_target_mix_text(self) -> dict[str, float]:
        """Parse the target mix, ``helix=share`` separated by ``;``."""
        return parse_mix(self.cleaned_data.get("target_mix_text") or "")


class QuestionForm(forms.Form):
    """Add a question."""

    kind = forms.ChoiceField(label=_("kind"), choices=QUESTION_KINDS)
    text = forms.CharField(label=_("question"), max_length=500)
    code = forms.SlugField(
        label=_("code"),
        required=False,
        help_text=_("Matches the column or question code of imported files; default q<number>."),
    )
    choices = forms.CharField(
        label=_("choices"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Single, multiple choice and ranking: one choice per line."),
    )
    scale_min = forms.IntegerField(label=_("lowest rating"), initial=1)
    scale_max = forms.IntegerField(label=_("highest rating"), initial=5)
    required = forms.BooleanField(label=_("required"), required=False)

    def clean(self) -> dict[str, Any]:
        """Require the highest rating above the lowest; split the choices, one per line."""
        d = super().clean() or {}
        if d.get("scale_min") is not None and d.get("scale_max") is not None:
            if d["scale_max"] <= d["scale_min"]:
                self.add_error("scale_max", _("The highest rating must exceed the lowest."))
        d["choices"] = [c.strip() for c in (d.get("choices") or "").splitlines() if c.strip()]
        return d


class LinksForm(forms.Form):
    """Make personal links."""

    labels = forms.CharField(
        label=_("labels, one per link"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Optional: a note per link (e.g. who received it); never shown with answers."),
    )
    count = forms.IntegerField(
        label=_("unlabelled links"), min_value=0, max_value=1000, initial=0, required=False
    )


IMPORT_FORMATS = [
    ("table", _("Table (CSV or XLSX: respondent, question, item, value)")),
    ("limesurvey", _("LimeSurvey response export (CSV, question codes)")),
    ("xlsform", _("KoboToolbox / XLSForm data export (with its form)")),
]


class ImportForm(forms.Form):
    """Upload responses to import (previewed before anything is written)."""

    source = forms.ChoiceField(label=_("format"), choices=IMPORT_FORMATS)
    file = forms.FileField(label=_("responses file (CSV or XLSX)"))
    form_file = forms.FileField(label=_("XLSForm (XLSX), for KoboToolbox exports"), required=False)
    helix_question = forms.CharField(label=_("helix question code"), initial="helix")
    sector_question = forms.CharField(label=_("sector question code"), initial="sector")


def _scale(q: Question, dont_know: bool) -> list[tuple[str, str]]:
    out = [(str(v), str(v)) for v in range(q.scale_min, q.scale_max + 1)]
    return out + ([(DONT_KNOW, _("Don't know"))] if dont_know else [])


class ResponseForm(forms.Form):
    """The respondent's form, built from the survey's questions and the strategy's domains."""

    helix = forms.ChoiceField(
        label=_("You answer for"), choices=HELIX_CHOICES, widget=forms.RadioSelect
    )
    sector = forms.ChoiceField(
        label=_("Your organisation is in the"), choices=SECTOR_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        self.domains = list(Domain.objects.filter(strategy_id=survey.strategy_id).order_by("title"))
        for q in self.questions:
            name = f"q{q.pk}"
            label = f"{q.number}. {q.text}"
            if q.kind == "single":
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=[(c, c) for c in q.choices], widget=forms.RadioSelect,
                    required=q.required,
                )  # fmt: skip
            elif q.kind == "multiple":
                self.fields[name] = forms.MultipleChoiceField(
                    label=label, choices=[(c, c) for c in q.choices],
                    widget=forms.CheckboxSelectMultiple, required=q.required,
                )  # fmt: skip
            elif q.kind == "likert":
                self.fields[name] = forms.ChoiceField(
                    label=_("%(q)s (%(lo)d = lowest, %(hi)d = highest)")
                    % {"q": label, "lo": q.scale_min, "hi": q.scale_max},
                    choices=_scale(q, not q.required), widget=forms.RadioSelect,
                    required=q.required,
                )  # fmt: skip
            elif q.kind == "text":
                self.fields[name] = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 3}), required=q.required,
                    max_length=5000,
                )  # fmt: skip
            elif q.kind == "ranking":
                ranks = [("", "-")] + [(str(i), str(i)) for i in range(1, len(q.choices) + 1)]
                for i, c in enumerate(q.choices):
                    self.fields[f"{name}_{i}"] = forms.ChoiceField(
                        label=_("%(q)s: %(choice)s (rank)") % {"q": label, "choice": c},
                        choices=ranks,
                        required=q.required,
                    )
            elif q.kind == "matrix":
                for d in self.domains:
                    self.fields[f"{name}_d{d.pk}"] = forms.ChoiceField(
                        label=f"{label}: {d.title}", choices=_scale(q, True),
                        widget=forms.RadioSelect, required=False,
                    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        """Refuse a ranking question that gives the same rank twice."""
        d = super().clean() or {}
        for q in self.questions:
            if q.kind != "ranking":
                continue
            given = [d.get(f"q{q.pk}_{i}") for i in range(len(q.choices))]
            ranks = [g for g in given if g]
            if len(set(ranks)) != len(ranks):
                self.add_error(None, _("Question %(n)d: give each rank once.") % {"n": q.number})
        return d

    def answers(self) -> list[tuple[Question, str, str]]:
        """(question, item, value) of every answer given (an empty answer is no row)."""
        d = self.cleaned_data
        out: list[tuple[Question, str, str]] = []
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind in ("single", "likert", "text"):
                if d.get(name):
                    out.append((q, "", str(d[name])))
            elif q.kind == "multiple":
                out.extend((q, c, "1") for c in d.get(name) or [])
            elif q.kind == "ranking":
                for i, c in enumerate(q.choices):
                    if d.get(f"{name}_{i}"):
                        out.append((q, c, str(d[f"{name}_{i}"])))
            elif q.kind == "matrix":
                for dom in self.domains:
                    v = d.get(f"{name}_d{dom.pk}")
                    if v:
                        out.append((q, str(dom.pk), str(v)))
        return out


def _errors(field: Any) -> str:
    if not field.errors:
        return ""
    return format_html(
        '<p class="error" id="{}-err">{}</p>', field.auto_id, " ".join(map(str, field.errors))
    )


def render_response_form(form: ResponseForm) -> SafeString:
    """Return the respondent's form as HTML, written directly.

    Django's per-option widget templates made the page about ten times slower
    to render under load.

    Radio and checkbox groups are fieldsets with a legend; every input has a label.
    """
    out: list[str] = []
    for bf in form:
        f = bf.field
        widget = f.widget
        err = _errors(bf)
        desc = format_html(' aria-describedby="{}-err"', bf.auto_id) if bf.errors else ""
        req = " required" if f.required else ""
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            kind = "radio" if isinstance(widget, forms.RadioSelect) else "checkbox"
            value = bf.value()
            picked = {str(v) for v in value} if isinstance(value, list) else {str(value or "")}
            opts = []
            for i, (v, label) in enumerate(f.choices):
                oid = f"{bf.auto_id}_{i}"
                checked = " checked" if str(v) in picked and (v != "" or value == "") else ""
                opts.append(
                    format_html(
                        '<label for="{}"><input type="{}" name="{}" value="{}" id="{}"{}{}> {}</label>',
                        oid,
                        kind,
                        bf.html_name,
                        v,
                        oid,
                        mark_safe(checked),
                        mark_safe(req if kind == "radio" else ""),
                        label,
                    )  # fmt: skip
                )
            out.append(
                format_html(
                    '<fieldset class="question"{}><legend>{}</legend>{}<div class="options">{}</div></fieldset>',
                    mark_safe(desc),
                    bf.label,
                    mark_safe(err),
                    mark_safe(" ".join(opts)),
                )  # fmt: skip
            )
        elif isinstance(widget, forms.Textarea):
            out.append(
                format_html(
                    '<div class="question"><label for="{}">{}</label>{}<textarea name="{}" id="{}" rows="3"{}{}>{}</textarea></div>',
                    bf.auto_id,
                    bf.label,
                    mark_safe(err),
                    bf.html_name,
                    bf.auto_id,
                    mark_safe(req),
                    mark_safe(desc),
                    bf.value() or "",
                )  # fmt: skip
            )
        else:
            current = str(bf.value() or "")
            options = "".join(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    v,
                    mark_safe(" selected" if str(v) == current else ""),
                    label,
                )
                for v, label in f.choices
            )
            out.append(
                format_html(
                    '<div class="question"><label for="{}">{}</label>{}<select name="{}" id="{}"{}{}>{}</select></div>',
                    bf.auto_id,
                    bf.label,
                    mark_safe(err),
                    bf.html_name,
                    bf.auto_id,
                    mark_safe(req),
                    mark_safe(desc),
                    mark_safe(options),
                )  # fmt: skip
            )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped by format_html
