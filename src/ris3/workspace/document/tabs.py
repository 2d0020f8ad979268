"""The strategy-document tab."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TABS = (("document_page", _("Strategy document"), "export_document"),)
