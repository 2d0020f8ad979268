"""Forms of the policy pages (validation only; saving is done by the part's services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3.workspace.forms import VersionedForm
from ris3.workspace.models import Strategy
from ris3.workspace.policy import tables
from ris3.workspace.policy.models import Instrument, RegionContext

_LINE = re.compile(r"^\s*([^:=]+?)\s*[:=]\s*(\S+)\s*$")


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m is None:
            raise forms.ValidationError(
                _("line %(n)d of the %(what)s is not 'key: value': %(line)s")
                % {"n": n, "what": what, "line": line.strip()}
            )
        out.append((m.group(1), m.group(2)))
    return out


def _number(text: str, what: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise forms.ValidationError(
            _("%(what)s %(text)s is not a number") % {"what": what, "text": text}
        ) from None


class InstrumentForm(VersionedForm):
    """An instrument with its budgets by year and its funding shares."""

    budgets = forms.CharField(
        label=_("budget by year (EUR)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One year a line, e.g. “2024: 1500000”. A year without a line has no budget."),
    )
    funding = forms.CharField(
        label=_("funding shares"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "One source a line, e.g. “ERDF: 0.4”; sources ERDF, ESF+, Horizon Europe, "
            "national, regional, private. The shares must sum to 1."
        ),
    )

    class Meta:
        model = Instrument
        fields = [
            "name",
            "owner_body",
            "level",
            "tool_group",
            "orientation",
            "territory",
            "eligible_beyond",
            "target_groups",
            "priorities",
            "decision",
            "rationale",
            "exit_benchmark",
        ]
        widgets = {
            "priorities": forms.CheckboxSelectMultiple,
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "exit_benchmark": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "territory": _("NUTS codes separated by “;”, e.g. AT33 or AT"),
            "eligible_beyond": _("NUTS codes beyond the region where it is open, e.g. ITH1;ITH2"),
            "target_groups": _("Separated by “;”, e.g. SME;research; “all” for everyone"),
        }

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault(
                "budgets",
                "\n".join(f"{b.year}: {b.budget_eur:f}" for b in instance.budgets.all()),
            )
            initial.setdefault(
                "funding",
                "\n".join(f"{f.source}: {f.share.normalize():f}" for f in instance.funding.all()),
            )
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        ds = tables.domains(strategy)
        self.fields["priorities"].queryset = strategy.domains.filter(pk__in=[d.pk for d in ds])
        self.fields["priorities"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{tables.domain_label(d)} · {d.get_status_display()}"
        )
        if not self.instance.pk:
            self.fields["version"].required = False

    def clean_budgets(self) -> list[tuple[int, float]]:
        """Parse the budgets, one ``year: amount`` per line."""
        out = []
        for year, value in _pairs(self.cleaned_data.get("budgets") or "", _("budgets")):
            if not re.fullmatch(r"\d{4}", year):
                raise forms.ValidationError(_("%(y)s is not a year") % {"y": year})
            out.append((int(year), _number(value, _("budget"))))
        return out

    def clean_funding(self) -> list[tuple[str, float]]:
        """Parse the funding shares, one ``source: share`` per line."""
        return [
            (source, _number(value, _("share")))
            for source, value in _pairs(self.cleaned_data.get("funding") or "", _("funding"))
        ]

    def clean(self) -> dict[str, Any]:
        """Add what the register's checks find wrong with the instrument as form errors."""
        from ris3.workspace.policy.services import problems

        data = super().clean()
        if self.errors:
            return data
        for reason in problems(data, data.get("budgets", []), data.get("funding", [])):
            self.add_error(None, reason)
        return data


class UploadForm(forms.Form):
    """The upload of an instrument register (CSV or Excel, the export's layout)."""

    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One row per instrument: instrument, owner, level, tool_group, orientation, "
            "territory, target_groups, priorities, decision, rationale; optionally "
            "eligible_beyond, exit_benchmark, budget_<year> and share_<source> columns "
            "(the export's layout)."
        ),
    )


class RegionContextForm(VersionedForm):
    """The edit form of the region's context: GDP, stage override, size, structure."""

    class Meta:
        model = RegionContext
        fields = [
            "gdp_pps",
            "eu_average_pps",
            "gdp_year",
            "gdp_source",
            "stage_override",
            "size",
            "state_structure",
            "large_budget_eur",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["version"].required = False

    def clean(self) -> dict[str, Any]:
        """Require both GDP values together, and with them their year and source."""
        data = super().clean()
        given = [data.get("gdp_pps") is not None, data.get("eu_average_pps") is not None]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Enter both GDP values, the region's and the EU average.")
            )
        if all(given) and (not data.get("gdp_year") or not data.get("gdp_source")):
            raise forms.ValidationError(_("Give the year and the source of the GDP values."))
        return data
