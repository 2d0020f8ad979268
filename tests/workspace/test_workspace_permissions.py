"""Every page and API endpoint, for every role and method, against the permission table.

The routes come from the URLconf, so a page added without an entry in
:mod:`ris3.workspace.permissions` fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ris3.workspace import analysis
from ris3.workspace.permissions import API, PAGES, allowed

VISITORS = (
    "anonymous",
    "owner",
    "facilitator",
    "evaluator",
    "stakeholder",
    "observer",
    "outsider",
    "superuser",
)
METHODS = ("GET", "POST", "DELETE")


def routes() -> list[tuple[str, Any]]:
    """(name with namespace, pattern) of every named URL."""
    out: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace else p.name
                out.append((name, p))

    walk(get_resolver().url_patterns, None)
    return out


def table_entry(name: str) -> tuple[str, dict[str, str]]:
    """('page' or 'api', the declared methods) of a route name."""
    if name.startswith("api:"):
        return "api", API[name.split(":", 1)[1]]
    return "page", PAGES[name]


def test_every_route_is_in_the_table() -> None:
    names = [n for n, _ in routes()]
    missing = [
        n for n in names if n.split(":", 1)[-1] not in PAGES and n.split(":", 1)[-1] not in API
    ]
    assert missing == []
    # and the table names no route that does not exist
    short = {n.split(":", 1)[-1] for n in names}
    assert set(PAGES) - short == set()
    assert set(API) - short == set()


def _path(name: str, pattern: Any, world: dict[str, Any]) -> str:
    values = {
        "pk": world["strategy"].pk,
        "strategy_id": world["strategy"].pk,
        "evidence_id": world["evidence"].pk,
        "stakeholder_id": world["stakeholder"].pk,
    }
    keys = list(pattern.pattern.converters)
    # ids of the parts' records (a survey, a call...) that this world lacks: the
    # permission check comes before the lookup, so an allowed visitor gets 404
    return reverse(name, kwargs={k: values.get(k, 0) for k in keys})


def _expected(
    kind: str, methods: dict[str, str], method: str, visitor: str, published: bool
) -> str:
    if method not in methods:
        return "not_allowed"
    action = methods[method]
    role = (
        visitor
        if visitor in ("owner", "facilitator", "evaluator", "stakeholder", "observer")
        else None
    )
    if kind == "api" and visitor == "anonymous" and action != "public":
        return "unauthenticated"
    ok = allowed(
        action,
        role,
        superuser=visitor == "superuser",
        signed_in=visitor != "anonymous",
        published=published,
    )
    if ok:
        return "ok"
    return "unauthenticated" if visitor == "anonymous" else "forbidden"


def _observed(kind: str, status: int, location: str) -> str:
    if status == 405:
        return "not_allowed"
    if status == 401:
        return "unauthenticated"
    if status == 302 and location.startswith("/accounts/login/") and kind == "page":
        return "unauthenticated"
    if status == 403:
        return "forbidden"
    return "ok"


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("visitor", VISITORS)
def test_permissions(
    world: dict[str, Any], db: None, visitor: str, published: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # importing evidence runs the real profile; here only the permission matters
    monkeypatch.setattr(
        analysis,
        "run_profile",
        lambda region, data=None, data_label=None: analysis.ProfileRun(
            function="stub", parameters={}, data_version="stub", tables={}, notes=[], domains=[]
        ),
    )
    strategy = world["strategy"]
    strategy.published = published
    strategy.save()
    user = world["users"].get(visitor)
    mismatches = []
    n_checked = 0
    for name, pattern in routes():
        kind, methods = table_entry(name)
        path = _path(name, pattern, world)
        for method in METHODS:
            client = Client()
            headers = {}
            if user is not None and kind == "page":
                client.force_login(user)
            if user is not None and kind == "api":
                headers["Authorization"] = f"Bearer {world['tokens'][visitor]}"
            resp = client.generic(method, path, headers=headers)
            got = _observed(kind, resp.status_code, resp.get("Location", ""))
            want = _expected(kind, methods, method, visitor, published)
            n_checked += 1
            if got != want or resp.status_code >= 500:
                mismatches.append((method, path, want, got, resp.status_code))
    assert n_checked == len(routes()) * len(METHODS)
    assert mismatches == [], "\n".join(map(str, mismatches))


def test_outsider_sees_only_published_strategies(world: dict[str, Any], db: None) -> None:
    client = Client()
    client.force_login(world["users"]["outsider"])
    assert world["strategy"].name not in client.get("/").content.decode()
    world["strategy"].published = True
    world["strategy"].save()
    assert world["strategy"].name in client.get("/").content.decode()
    # published pages hold no personal data: the stakeholder list stays closed
    assert client.get(f"/strategies/{world['strategy'].pk}/stakeholders/").status_code == 403
