"""The strategy-document part of the workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class DocumentConfig(AppConfig):
    """Registers the strategy document's pages (no models)."""

    name = "ris3.workspace.document"
    label = "document"
    verbose_name = "ris3 strategy document"
    default_auto_field = "django.db.models.BigAutoField"
