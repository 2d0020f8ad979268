"""The policy-mix part of the workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    """Registers the instrument register."""

    name = "ris3.workspace.policy"
    label = "policy"
    verbose_name = "ris3 policy mix"
    default_auto_field = "django.db.models.BigAutoField"
