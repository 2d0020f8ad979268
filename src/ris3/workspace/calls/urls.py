"""The calls pages, under ``/strategies/<pk>/calls/``."""

from __future__ import annotations

from django.urls import path

from ris3.workspace.calls import views

C = "strategies/<int:pk>/calls/<int:call_id>/"

urlpatterns = [
    path("strategies/<int:pk>/calls/", views.call_list, name="call_list"),
    path("strategies/<int:pk>/calls/new/", views.call_create, name="call_create"),
    path(C, views.call_detail, name="call_detail"),
    path(C + "edit/", views.call_edit, name="call_edit"),
    path(C + "criteria/new/", views.criterion_add, name="criterion_add"),
    path(C + "status/", views.call_status, name="call_status"),
    path(C + "panel/", views.call_panel, name="call_panel"),
    path(C + "propose/", views.proposal_submit, name="proposal_submit"),
    path(C + "proposals/", views.proposal_list, name="proposal_list"),
    path(C + "proposals/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path(
        C + "attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(C + "conflicts/", views.conflict_declare, name="conflict_declare"),
    path(C + "assignments/<int:assignment_id>/", views.assignment_score, name="assignment_score"),
    path(C + "results/", views.call_results, name="call_results"),
    path(C + "proposals/<int:proposal_id>/letter/", views.feedback_letter, name="feedback_letter"),
    path(
        C + "proposals/<int:proposal_id>/letter.pdf",
        views.feedback_letter_pdf,
        name="feedback_letter_pdf",
    ),
]
