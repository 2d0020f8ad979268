"""Who may do what: the one permission table of the workspace.

:data:`PERMISSIONS` maps each action to the roles that may take it;
:data:`PAGES` and :data:`API` map every URL name and HTTP method to an
action. Pages, the JSON API and the tests all read these tables, so a page
without an entry cannot be served and the permission test fails on it.

The pseudo-action ``"public"`` is open to everyone (the login page);
``"signed_in"`` needs a user but no role; ``"published"`` actions are open to
anonymous visitors once the owner publishes the strategy (only views that
hold no personal data).
"""

from __future__ import annotations

from typing import Any

ALL_ROLES = frozenset({"owner", "facilitator", "evaluator", "stakeholder", "observer", "applicant"})
#: what anonymous visitors may do on a published strategy (no personal data)
PUBLISHED: frozenset[str] = frozenset({"view_strategy", "view_domains", "view_participation"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "view_strategy": ALL_ROLES,
    "view_domains": ALL_ROLES,
    "view_participation": ALL_ROLES,
    "view_engagements": frozenset({"owner", "facilitator", "evaluator", "observer"}),
    # names, e-mail addresses and contact logs are personal data
    "view_stakeholders": frozenset({"owner", "facilitator", "evaluator"}),
    "export_stakeholders": frozenset({"owner", "facilitator"}),
    "edit_stakeholders": frozenset({"owner", "facilitator"}),
    "edit_engagements": frozenset({"owner", "facilitator"}),
    "import_evidence": frozenset({"owner", "facilitator"}),
    "view_evidence": frozenset({"owner", "facilitator", "evaluator", "observer"}),
    "view_audit": frozenset({"owner", "evaluator"}),
    "edit_strategy": frozenset({"owner"}),
    "publish_strategy": frozenset({"owner"}),
    "manage_members": frozenset({"owner"}),
}

#: URL name -> {method: action} for every page
PAGES: dict[str, dict[str, str]] = {
    "login": {"GET": "public", "POST": "public"},
    "logout": {"POST": "public"},
    # the schema is open: it describes the API and holds no data
    "openapi_json": {"GET": "public"},
    "set_language": {"POST": "public"},
    "strategy_list": {"GET": "public"},
    "strategy_create": {"GET": "signed_in", "POST": "signed_in"},
    "strategy_detail": {"GET": "view_strategy"},
    "strategy_edit": {"GET": "edit_strategy", "POST": "edit_strategy"},
    "strategy_publish": {"POST": "publish_strategy"},
    "evidence_import": {"POST": "import_evidence"},
    "evidence_detail": {"GET": "view_evidence"},
    "domain_list": {"GET": "view_domains"},
    "stakeholder_list": {"GET": "view_stakeholders"},
    "organisation_add": {"GET": "edit_stakeholders", "POST": "edit_stakeholders"},
    "stakeholder_add": {"GET": "edit_stakeholders", "POST": "edit_stakeholders"},
    "stakeholder_edit": {"GET": "edit_stakeholders", "POST": "edit_stakeholders"},
    "stakeholder_import": {"GET": "edit_stakeholders", "POST": "edit_stakeholders"},
    "stakeholder_export": {"GET": "export_stakeholders"},
    "engagement_list": {"GET": "view_engagements"},
    "engagement_add": {"GET": "edit_engagements", "POST": "edit_engagements"},
    "participation": {"GET": "view_participation"},
    "audit_log": {"GET": "view_audit"},
    "member_list": {"GET": "manage_members", "POST": "manage_members"},
    "contact_add": {"GET": "edit_stakeholders", "POST": "edit_stakeholders"},
    "interest_add": {"GET": "edit_stakeholders", "POST": "edit_stakeholders"},
}

#: API operation name -> {method: action}; every other API call needs a token
API: dict[str, dict[str, str]] = {
    "api_strategies": {"GET": "signed_in"},
    "api_strategy": {"GET": "view_strategy"},
    "api_stakeholders": {"GET": "view_stakeholders", "POST": "edit_stakeholders"},
    "api_engagements": {"GET": "view_engagements"},
    "api_domains": {"GET": "view_domains"},
    "api_evidence": {"GET": "view_evidence"},
    "api_participation": {"GET": "view_participation"},
}


def _merge_parts() -> None:
    """Add the permission tables of the workspace's parts (:mod:`ris3.workspace.parts`)."""
    global PUBLISHED
    from ris3.workspace.parts import part_modules

    for module in part_modules("permissions"):
        for mine, theirs in (
            (PERMISSIONS, getattr(module, "PERMISSIONS", {})),
            (PAGES, getattr(module, "PAGES", {})),
            (API, getattr(module, "API", {})),
        ):
            clash = sorted(set(mine) & set(theirs))
            if clash:
                raise RuntimeError(f"{module.__name__} declares {clash} twice")
            mine.update(theirs)
        PUBLISHED = PUBLISHED | frozenset(getattr(module, "PUBLISHED", ()))


_merge_parts()


def allowed(
    action: str,
    role: str | None,
    *,
    superuser: bool = False,
    signed_in: bool = False,
    published: bool = False,
) -> bool:
    """Whether a visitor with ``role`` in a strategy may take ``action``.

    Examples
    --------
    >>> allowed("edit_stakeholders", "facilitator")
    True
    >>> allowed("view_stakeholders", "stakeholder")
    False
    >>> allowed("view_participation", None, published=True)
    True
    >>> allowed("view_stakeholders", None, published=True)
    False
    """
    if action == "public":
        return True
    if action == "signed_in":
        return signed_in or superuser
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}")
    if superuser:
        return True
    if role is not None and role in PERMISSIONS[action]:
        return True
    return published and action in PUBLISHED


def role_of(user: Any, strategy: Any) -> str | None:
    """Return the user's role in the strategy, or None."""
    if user is None or not user.is_authenticated or strategy is None:
        return None
    from ris3.workspace.models import Membership

    m = Membership.objects.filter(user=user, strategy=strategy).only("role").first()
    return m.role if m else None


def user_may(user: Any, action: str, strategy: Any = None) -> bool:
    """Whether ``user`` (possibly anonymous) may take ``action`` on ``strategy``."""
    signed_in = bool(user is not None and user.is_authenticated)
    return allowed(
        action,
        role_of(user, strategy),
        superuser=bool(signed_in and user.is_superuser),
        signed_in=signed_in,
        published=bool(strategy is not None and strategy.published),
    )
