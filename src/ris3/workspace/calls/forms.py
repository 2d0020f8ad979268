"""Forms of the calls pages (validation only; saving is done by :mod:`.services`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3.workspace.calls.models import Call, Criterion, Proposal
from ris3.workspace.calls.services import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from ris3.workspace.models import Domain, Strategy

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.ModelForm):
    """The form for a new call: dates, budget, panel size and robustness settings."""

    class Meta:
        model = Call
        fields = [
            "title",
            "description",
            "eligibility",
            "opens_at",
            "closes_at",
            "budget_eur",
            "evaluators_per_proposal",
            "robustness_seed",
            "robustness_concentration",
        ]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}


class CallEditForm(CallForm):
    """The edit form of a call, carrying the version the editor saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class CriterionForm(forms.ModelForm):
    """The form adding an evaluation criterion to a call."""

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_min", "scale_max", "direction"]


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files and cleans each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        """Clean each uploaded file; return them as a list (empty without files)."""
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProposalForm(forms.ModelForm):
    """The form submitting a proposal, with its domains and attachments."""

    domains = forms.ModelMultipleChoiceField(
        queryset=Domain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("domains"),
    )
    attachments = MultipleFileField(
        required=False,
        label=_("attachments"),
        help_text=_("At most %(n)d files of %(mb)d MB each; types: %(types)s.")
        % {
            "n": MAX_ATTACHMENTS,
            "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            "types": ", ".join(sorted(ATTACHMENT_TYPES)),
        },
    )

    class Meta:
        model = Proposal
        fields = ["title", "summary", "lead_organisation", "partners", "domains", "budget_eur"]

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = Domain.objects.filter(strategy=strategy)


class PanelForm(forms.Form):
    """The form adding an evaluator to a call's panel."""

    evaluator = forms.ModelChoiceField(queryset=None, label=_("evaluator"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, evaluators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    """The form assigning a proposal to an evaluator of the panel."""

    evaluator = forms.ModelChoiceField(queryset=None, label=_("evaluator"))  # type: ignore[arg-type]
    proposal = forms.ModelChoiceField(queryset=None, label=_("proposal"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, evaluators: Any, proposals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators  # type: ignore[attr-defined]
        self.fields["proposal"].queryset = proposals  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    """The form declaring a conflict of interest with an organisation."""

    organisation = forms.CharField(label=_("organisation"), max_length=200)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea, required=False)


class ScoreForm(forms.Form):
    """One score and one comment field per criterion of the call."""

    confirm = forms.BooleanField(
        label=_("I understand that submitted scores are locked and cannot be changed"),
        required=True,
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.FloatField(
                label=_("%(name)s: score (%(lo)d to %(hi)d)")
                % {"name": c.name, "lo": c.scale_min, "hi": c.scale_max},
                min_value=c.scale_min,
                max_value=c.scale_max,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("%(name)s: comment") % {"name": c.name}, widget=forms.Textarea
            )
        self.order_fields([*(f for f in self.fields if f != "confirm"), "confirm"])

    def scores(self) -> dict[int, tuple[float, str]]:
        """Return the submitted score and comment of each criterion, by criterion id."""
        d = self.cleaned_data
        return {c.pk: (d[f"score_{c.pk}"], d[f"comment_{c.pk}"]) for c in self.criteria}
