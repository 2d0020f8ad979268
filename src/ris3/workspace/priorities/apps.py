"""The priority-setting part of the workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    """Registers scoring runs, decisions, priority versions and declared priorities."""

    name = "ris3.workspace.priorities"
    label = "priorities"
    verbose_name = "ris3 priority setting"
    default_auto_field = "django.db.models.BigAutoField"
