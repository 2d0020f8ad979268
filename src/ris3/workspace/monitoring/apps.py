"""The monitoring part of the workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Registers objectives, indicators, targets, observations and evaluations."""

    name = "ris3.workspace.monitoring"
    label = "monitoring"
    verbose_name = "ris3 monitoring"
    default_auto_field = "django.db.models.BigAutoField"
