"""The policy part's strategy tabs: (URL name, label, action)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TABS = (
    ("instrument_list", _("Instruments"), "view_policy"),
    ("policy_analysis", _("Policy mix"), "view_policy"),
    ("policy_advisor", _("Advisor"), "view_policy"),
    ("assessment_list", _("Self-assessments"), "view_assessments"),
)
