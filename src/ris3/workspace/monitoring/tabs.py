"""The monitoring tabs of a strategy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TABS = (
    ("monitoring_overview", _("Monitoring"), "view_monitoring"),
    ("monitoring_scorecard", _("Scorecard"), "view_monitoring"),
)
