"""URLs of the workspace: pages under ``/``, the login under ``/accounts/``, the API under ``/api/``."""

from __future__ import annotations

from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ris3.workspace import accounts, views, views_people
from ris3.workspace.api import api, openapi_json
from ris3.workspace.parts import part_modules

# the API's root page (a 404 without the interactive docs, which load files from the
# internet) is left out, so every route is one the permission table declares
_api_patterns, _api_app, _api_namespace = api.urls
_api_patterns = [p for p in _api_patterns if getattr(p, "name", None) != "api-root"]

urlpatterns = [
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("api/openapi.json", openapi_json, name="openapi_json"),
    path("api/", include((_api_patterns, _api_app), namespace=_api_namespace)),
    path("", views.strategy_list, name="strategy_list"),
    path("strategies/new/", views.strategy_create, name="strategy_create"),
    path("strategies/<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("strategies/<int:pk>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategies/<int:pk>/publish/", views.strategy_publish, name="strategy_publish"),
    path("strategies/<int:pk>/evidence/import/", views.evidence_import, name="evidence_import"),
    path(
        "strategies/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_detail,
        name="evidence_detail",
    ),
    path("strategies/<int:pk>/domains/", views.domain_list, name="domain_list"),
    path(
        "strategies/<int:pk>/stakeholders/", views_people.stakeholder_list, name="stakeholder_list"
    ),
    path(
        "strategies/<int:pk>/organisations/new/",
        views_people.organisation_add,
        name="organisation_add",
    ),
    path(
        "strategies/<int:pk>/stakeholders/new/",
        views_people.stakeholder_add,
        name="stakeholder_add",
    ),
    path(
        "strategies/<int:pk>/stakeholders/<int:stakeholder_id>/edit/",
        views_people.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        "strategies/<int:pk>/stakeholders/import/",
        views_people.stakeholder_import,
        name="stakeholder_import",
    ),
    path(
        "strategies/<int:pk>/stakeholders/export/",
        views_people.stakeholder_export,
        name="stakeholder_export",
    ),
    path("strategies/<int:pk>/engagements/", views.engagement_list, name="engagement_list"),
    path("strategies/<int:pk>/engagements/new/", views.engagement_add, name="engagement_add"),
    path("strategies/<int:pk>/participation/", views.participation, name="participation"),
    path("strategies/<int:pk>/audit/", views.audit_log, name="audit_log"),
    path("strategies/<int:pk>/members/", views.member_list, name="member_list"),
    path(
        "strategies/<int:pk>/stakeholders/<int:stakeholder_id>/contacts/new/",
        views_people.contact_add,
        name="contact_add",
    ),
    path(
        "strategies/<int:pk>/stakeholders/<int:stakeholder_id>/interests/new/",
        views_people.interest_add,
        name="interest_add",
    ),
]
# the pages of the workspace's parts (surveys, calls, ...)
urlpatterns += [path("", include(module.urlpatterns)) for module in part_modules("urls")]
