"""Forms of priority setting (validation only; saving is done by services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3.workspace.forms import VersionedForm
from ris3.workspace.models import Domain, DomainEvidence, Evidence, Strategy
from ris3.workspace.priorities.models import ACTION_CHOICES, METHOD_CHOICES, ScoringRun

#: the weights a new scoring starts from (evidence only: every demo domain has these values)
DEFAULT_WEIGHTS = {
    "lq_europe": 3.0,
    "stars": 2.0,
    "growth": 2.0,
    "relatedness_density": 1.0,
    "complexity": 1.0,
}


class ScoringForm(forms.Form):
    """Method, a weight per criterion (0 leaves it out) and the sensitivity settings."""

    method = forms.ChoiceField(label=_("method"), choices=METHOD_CHOICES)
    seed = forms.IntegerField(label=_("seed of the weight sensitivity"), initial=0, min_value=0)
    draws = forms.IntegerField(
        label=_("weightings drawn"), initial=2000, min_value=100, max_value=20000
    )
    concentration = forms.FloatField(
        label=_("concentration of the weights (higher: closer to the chosen ones)"),
        initial=100.0,
        min_value=1.0,
    )
    top_k = forms.IntegerField(label=_("domains counted as selected"), initial=3, min_value=1)

    def __init__(self, *args: Any, criteria: list[tuple[str, str, str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for key, label, direction, _fn in criteria:
            more = _("more is better") if direction == "benefit" else _("less is better")
            self.fields[f"w_{key}"] = forms.FloatField(
                label=f"{label} ({more})",
                min_value=0.0,
                initial=DEFAULT_WEIGHTS.get(key, 0.0),
                required=False,
                help_text=_("weight; 0 or empty leaves the criterion out"),
            )

    def weights(self) -> dict[str, float]:
        """Return the weight of every criterion (0 for an empty field)."""
        return {key: float(self.cleaned_data.get(f"w_{key}") or 0.0) for key, *_ in self.criteria}


class DecisionForm(forms.Form):
    """A decision on one domain, its rationale and the evidence it cites."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("decision"), choices=ACTION_CHOICES)
    rationale = forms.CharField(label=_("rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    scoring_run = forms.ModelChoiceField(
        label=_("scoring run cited"), queryset=ScoringRun.objects.none(), required=False
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("evidence cited"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    domain_evidence = forms.ModelMultipleChoiceField(
        label=_("metrics of this domain cited"),
        queryset=DomainEvidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_date = forms.DateField(
        label=_("review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    exit_criteria = forms.CharField(
        label=_("exit criteria"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, strategy: Strategy, domain: Domain, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scoring_run"].queryset = ScoringRun.objects.filter(strategy=strategy)
        self.fields["evidence"].queryset = Evidence.objects.filter(strategy=strategy)
        self.fields["domain_evidence"].queryset = DomainEvidence.objects.filter(domain=domain)
        self.fields["domain_evidence"].label_from_instance = (
            lambda de: (  # type: ignore[attr-defined]
                f"{de.evidence.function} ({de.evidence.data_version}): "
                + ", ".join(f"{k} {v}" for k, v in list(de.metrics.items())[:6])
            )
        )


class PriorityEditForm(VersionedForm):
    """Title, codes, review date and exit criteria of a priority (the status changes by decisions)."""

    class Meta:
        model = Domain
        fields = ["title", "codes", "review_date", "exit_criteria"]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"})}


class TableUploadForm(forms.Form):
    """The upload of a table (CSV or Excel)."""

    table = forms.FileField(label=_("CSV or Excel file"))
