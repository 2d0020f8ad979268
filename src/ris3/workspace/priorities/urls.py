"""Pages of priority setting (a domain, run or version is chosen by a query parameter)."""

from __future__ import annotations

from django.urls import path

from ris3.workspace.priorities import views

urlpatterns = [
    path("strategies/<int:pk>/priorities/", views.scoring, name="priorities_scoring"),
    path("strategies/<int:pk>/priorities/run/", views.run, name="priorities_run"),
    path("strategies/<int:pk>/priorities/decide/", views.decide, name="priorities_decide"),
    path("strategies/<int:pk>/priorities/lifecycle/", views.lifecycle, name="priorities_lifecycle"),
    path("strategies/<int:pk>/priorities/edit/", views.edit, name="priorities_edit"),
    path("strategies/<int:pk>/priorities/review/", views.review, name="priorities_review"),
    path(
        "strategies/<int:pk>/priorities/distinctiveness/",
        views.distinctiveness,
        name="priorities_distinctiveness",
    ),
    path(
        "strategies/<int:pk>/priorities/declared/import/",
        views.declared_import,
        name="priorities_declared_import",
    ),
    path(
        "strategies/<int:pk>/priorities/technology/",
        views.tech_match,
        name="priorities_tech_match",
    ),
]
