"""Forms of the workspace pages (validation only; saving is done by services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import (
    ROLE_CHOICES,
    ContactLog,
    Engagement,
    InterestDeclaration,
    Organisation,
    Stakeholder,
    Strategy,
)


class VersionedForm(forms.ModelForm):
    """A model form carrying the version the editor saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class StrategyForm(forms.ModelForm):
    """The form for a new strategy."""

    class Meta:
        model = Strategy
        fields = ["region_code", "name", "period_start", "period_end", "status", "description"]


class StrategyEditForm(VersionedForm):
    """The edit form of a strategy (its region code stays fixed)."""

    class Meta:
        model = Strategy
        fields = ["name", "period_start", "period_end", "status", "description"]


class OrganisationForm(forms.ModelForm):
    """The form for a new organisation."""

    class Meta:
        model = Organisation
        fields = ["name", "helix", "nace", "nuts", "size", "is_cluster_organisation"]


class StakeholderForm(VersionedForm):
    """The form for a stakeholder of the strategy, new or edited."""

    class Meta:
        model = Stakeholder
        fields = ["name", "email", "organisation", "role", "public", "consent_contact"]

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(strategy=strategy)
        if not self.instance.pk:
            self.fields["version"].required = False


class EngagementForm(forms.ModelForm):
    """The form recording an engagement: its steps, domains, attendance and written input."""

    attendees = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label=_("attendance"),
        widget=forms.CheckboxSelectMultiple,
    )

    contributors = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label=_("made written input"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Engagement
        fields = ["kind", "title", "date", "steps", "domains", "outputs"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "steps": forms.CheckboxSelectMultiple,
            "domains": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps"].queryset = strategy.steps.all()
        self.fields["domains"].queryset = strategy.domains.all()
        self.fields["attendees"].queryset = Stakeholder.objects.filter(strategy=strategy)
        self.fields["contributors"].queryset = Stakeholder.objects.filter(strategy=strategy)

    def clean(self) -> dict[str, Any]:
        """Refuse written input recorded for someone who did not attend."""
        data = super().clean()
        absent = set(data.get("contributors") or []) - set(data.get("attendees") or [])
        if absent:
            raise forms.ValidationError(
                _("Written input is recorded for attendees only: %(names)s did not attend.")
                % {"names": ", ".join(sorted(p.name for p in absent))}
            )
        return data


class UploadForm(forms.Form):
    """The upload of a stakeholder table (CSV or Excel)."""

    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: name, email, organisation, helix; optionally role, public_private, consent, nuts, nace"
        ),
    )


class MemberForm(forms.Form):
    """The form adding a user to the strategy with a role."""

    email = forms.EmailField(label=_("user's e-mail"))
    role = forms.ChoiceField(label=_("role"), choices=ROLE_CHOICES)


class ContactForm(forms.ModelForm):
    """The form logging a contact with a stakeholder."""

    class Meta:
        model = ContactLog
        fields = ["date", "channel", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class InterestForm(forms.ModelForm):
    """The form declaring a stakeholder's interest in a domain."""

    class Meta:
        model = InterestDeclaration
        fields = ["domain", "description", "declared_on"]
        widgets = {"declared_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = strategy.domains.all()
