"""The strategy tabs of priority setting: (URL name, label, action)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TABS = (
    ("priorities_scoring", _("Priorities"), "view_priorities"),
    ("priorities_distinctiveness", _("Distinctiveness"), "view_priorities"),
    ("priorities_tech_match", _("Technology match"), "view_priorities"),
)
