"""Forms of the monitoring pages (validation only; saving is done by services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3.workspace.models import Strategy
from ris3.workspace.monitoring.models import Indicator, Objective, Observation
from ris3.workspace.policy.models import Instrument


class ObjectiveForm(forms.ModelForm):
    """The form adding an objective to a priority, with the instruments that serve it."""

    class Meta:
        model = Objective
        fields = ["domain", "text", "instruments"]
        widgets = {"instruments": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = strategy.domains.all()
        self.fields["instruments"].queryset = Instrument.objects.filter(strategy=strategy)


class IndicatorForm(forms.ModelForm):
    """The form for a new indicator, with its baseline and optionally one target."""

    target_year = forms.IntegerField(label=_("target year"), required=False, min_value=1900)
    target_value = forms.FloatField(label=_("target value"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "domain",
            "objective",
            "instrument",
            "name",
            "kind",
            "definition",
            "unit",
            "source",
            "direction",
            "baseline_year",
            "baseline_value",
        ]

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["domain"].queryset = strategy.domains.all()
        self.fields["objective"].queryset = Objective.objects.filter(strategy=strategy)
        self.fields["instrument"].queryset = Instrument.objects.filter(strategy=strategy)
        self.fields["definition"].widget.attrs["rows"] = 3

    def clean(self) -> dict[str, Any]:
        """Require a target's year and value together, and a baseline value's year."""
        data = super().clean() or {}
        if (data.get("target_year") is None) != (data.get("target_value") is None):
            raise forms.ValidationError(_("A target needs both a year and a value."))
        if data.get("baseline_value") is not None and data.get("baseline_year") is None:
            self.add_error("baseline_year", _("A baseline value needs its year."))
        return data


class TargetForm(forms.Form):
    """The form adding a target (year and value) to an indicator."""

    year = forms.IntegerField(label=_("target year"), min_value=1900)
    value = forms.FloatField(label=_("target value"))


class ObservationForm(forms.ModelForm):
    """The form adding an observation to an indicator (a value is required)."""

    class Meta:
        model = Observation
        fields = ["date", "value", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].required = True
        self.fields["note"].widget.attrs["rows"] = 2


class UploadForm(forms.Form):
    """The upload of observations (CSV or Excel): indicator, date, value, note."""

    table = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Columns indicator, date (a date or a year), value and optionally note."),
    )


class ComputeForm(forms.Form):
    """The form choosing the data year of the computed indicators."""

    year = forms.IntegerField(label=_("data year"), min_value=1900)


class EvaluationForm(forms.Form):
    """The form for an evaluation of an instrument from a firm panel."""

    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none(), label=_("instrument"))
    title = forms.CharField(label=_("title"), max_length=200)
    panel = forms.FileField(
        label=_("firm panel (CSV or Excel)"),
        help_text=_(
            "One row per firm and year with the columns firm_id, region, activity, year, "
            "entry_year (empty for firms that never joined), value_added and employment."
        ),
    )
    peer_regions = forms.CharField(
        label=_("peer regions"),
        help_text=_("Regions without the programme, separated by ';' (empty: structural peers)."),
        required=False,
    )
    outcomes = forms.CharField(
        label=_("outcomes"),
        initial="value_added;employment",
        help_text=_("Outcomes of ris3.evaluate_programme, separated by ';'."),
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(strategy=strategy)
