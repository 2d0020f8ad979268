"""The pages of the policy part."""

from __future__ import annotations

from django.urls import path

from ris3.workspace.policy import views, views_assessment

S = "strategies/<int:pk>/"
urlpatterns = [
    path(S + "instruments/", views.instrument_list, name="instrument_list"),
    path(S + "instruments/new/", views.instrument_add, name="instrument_add"),
    path(
        S + "instruments/<int:instrument_id>/edit/", views.instrument_edit, name="instrument_edit"
    ),
    path(S + "instruments/import/", views.instrument_import, name="instrument_import"),
    path(S + "instruments/export/", views.instrument_export, name="instrument_export"),
    path(S + "policy-mix/", views.policy_analysis, name="policy_analysis"),
    path(S + "advisor/", views.policy_advisor, name="policy_advisor"),
    path(S + "advisor/region/", views.region_context_edit, name="region_context_edit"),
    path(S + "assessments/", views_assessment.assessment_list, name="assessment_list"),
    path(
        S + "assessments/strategy/",
        views_assessment.assessment_strategy,
        name="assessment_strategy",
    ),
    path(
        S + "assessments/programme/<int:instrument_id>/",
        views_assessment.assessment_programme,
        name="assessment_programme",
    ),
]
