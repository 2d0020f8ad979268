"""The monitoring pages (identifiers of single records travel as ``?id=``)."""

from __future__ import annotations

from django.urls import path

from ris3.workspace.monitoring import views

urlpatterns = [
    path("strategies/<int:pk>/monitoring/", views.overview, name="monitoring_overview"),
    path("strategies/<int:pk>/monitoring/indicator/", views.indicator, name="monitoring_indicator"),
    path(
        "strategies/<int:pk>/monitoring/indicators/new/",
        views.indicator_add,
        name="monitoring_indicator_add",
    ),
    path(
        "strategies/<int:pk>/monitoring/objectives/new/",
        views.objective_add,
        name="monitoring_objective_add",
    ),
    path(
        "strategies/<int:pk>/monitoring/observations/import/",
        views.observation_import,
        name="monitoring_import",
    ),
    path("strategies/<int:pk>/monitoring/compute/", views.compute, name="monitoring_compute"),
    path("strategies/<int:pk>/monitoring/scorecard/", views.scorecard, name="monitoring_scorecard"),
    path(
        "strategies/<int:pk>/monitoring/scorecard/export/",
        views.scorecard_export,
        name="monitoring_scorecard_export",
    ),
    path(
        "strategies/<int:pk>/monitoring/evaluations/new/",
        views.evaluation_add,
        name="monitoring_evaluation_add",
    ),
]
