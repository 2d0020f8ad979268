"""Pages of the surveys part."""

from __future__ import annotations

from django.urls import path

from ris3.workspace.surveys import views

S = "strategies/<int:pk>/surveys/<int:survey_id>"

urlpatterns = [
    path("strategies/<int:pk>/surveys/", views.survey_list, name="survey_list"),
    path("strategies/<int:pk>/surveys/new/", views.survey_create, name="survey_create"),
    path(f"{S}/", views.survey_detail, name="survey_detail"),
    path(f"{S}/edit/", views.survey_edit, name="survey_edit"),
    path(f"{S}/questions/new/", views.question_add, name="question_add"),
    path(f"{S}/links/", views.survey_links, name="survey_links"),
    path(f"{S}/import/", views.survey_import, name="survey_import"),
    path(f"{S}/analysis/", views.survey_analysis, name="survey_analysis"),
    path(f"{S}/export/", views.survey_export, name="survey_export"),
    # respondents: no account, the token is the key
    path("survey/answer/<str:token>/", views.survey_answer, name="survey_answer"),
    path("survey/open/<str:token>/", views.survey_public, name="survey_public"),
]
