"""The open-calls part of the workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Registers calls, proposals, panels and scores."""

    name = "ris3.workspace.calls"
    label = "calls"
    verbose_name = "ris3 open calls"
    default_auto_field = "django.db.models.BigAutoField"
