"""The calls tab of a strategy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TABS = (("call_list", _("Calls"), "view_calls"),)
