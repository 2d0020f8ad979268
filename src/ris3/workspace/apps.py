"""The workspace Django application."""

from __future__ import annotations

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Registers the S3 data model."""

    name = "ris3.workspace"
    label = "workspace"
    verbose_name = "ris3 strategy workspace"
    default_auto_field = "django.db.models.BigAutoField"
