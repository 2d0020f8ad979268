"""The surveys part of the workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Registers the survey builder, its links and responses."""

    name = "ris3.workspace.surveys"
    label = "surveys"
    verbose_name = "ris3 surveys"
    default_auto_field = "django.db.models.BigAutoField"
