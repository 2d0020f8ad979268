"""The strategy document's pages."""

from __future__ import annotations

from django.urls import path

from ris3.workspace.document import views

urlpatterns = [
    path("strategies/<int:pk>/document/", views.document_page, name="document_page"),
    path(
        "strategies/<int:pk>/document/download/",
        views.document_download,
        name="document_download",
    ),
]
