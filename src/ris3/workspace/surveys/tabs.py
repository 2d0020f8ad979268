"""The surveys tab of a strategy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TABS = (("survey_list", _("Surveys"), "view_surveys"),)
