"""The JSON API: bearer tokens, what each user sees, the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ris3.workspace import identity, services
from ris3.workspace.models import ApiToken, Stakeholder


def _get(path: str, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return Client().get(path, headers=headers)


def test_no_token_wrong_token_and_revoked_token_give_401(world: dict[str, Any], db: None) -> None:
    assert _get("/api/strategies").status_code == 401
    assert _get("/api/strategies", "not-a-token").status_code == 401
    # a session is not a token
    client = Client()
    client.force_login(world["users"]["owner"])
    assert client.get("/api/strategies").status_code == 401
    token = identity.issue_token(world["users"]["owner"])
    assert _get("/api/strategies", token).status_code == 200
    identity.revoke_token(world["users"]["owner"], token)
    assert _get("/api/strategies", token).status_code == 401


def test_tokens_are_stored_hashed(world: dict[str, Any], db: None) -> None:
    token = identity.issue_token(world["users"]["evaluator"])
    stored = ApiToken.objects.get(prefix=token[:8])
    assert stored.token_hash != token and token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_strategies_lists_what_each_user_may_see(world: dict[str, Any], db: None) -> None:
    tokens = world["tokens"]
    names = {v: {s["name"] for s in _get("/api/strategies", tokens[v]).json()} for v in tokens}
    assert names["superuser"] == {"Test strategy", "Other strategy"}
    assert names["observer"] == {"Test strategy"}
    assert names["outsider"] == set()
    world["strategy"].published = True
    world["strategy"].save()
    assert {s["name"] for s in _get("/api/strategies", tokens["outsider"]).json()} == {
        "Test strategy"
    }


def test_stakeholders_read_and_add(world: dict[str, Any], db: None) -> None:
    pk = world["strategy"].pk
    rows = _get(f"/api/strategies/{pk}/stakeholders", world["tokens"]["evaluator"]).json()
    assert [(r["name"], r["organisation"], r["helix"]) for r in rows] == [
        ("Person A", "Org A", "business")
    ]
    client = Client()
    headers = {"Authorization": f"Bearer {world['tokens']['facilitator']}"}
    resp = client.post(
        f"/api/strategies/{pk}/stakeholders",
        {"name": "B", "organisation": "Org A"},
        content_type="application/json",
        headers=headers,
    )
    assert resp.status_code == 201 and resp.json()["version"] == 1
    assert Stakeholder.objects.filter(strategy_id=pk, name="B").exists()
    resp = client.post(
        f"/api/strategies/{pk}/stakeholders",
        {"name": "C", "organisation": "Nope"},
        content_type="application/json",
        headers=headers,
    )
    assert resp.status_code == 422 and "no organisation 'Nope'" in resp.json()["detail"]


def test_participation_matches_the_matrix(world: dict[str, Any], db: None) -> None:
    out = _get(
        f"/api/strategies/{world['strategy'].pk}/participation", world["tokens"]["observer"]
    ).json()
    m = out["matrix"]
    rows = [dict(zip(m["columns"], r)) for r in m["data"]]
    assert len(rows) == 6 * 7  # steps x helices, zero counts included
    cell = next(r for r in rows if r["step_number"] == 1 and r["helix"] == "business")
    assert (cell["participants"], cell["share"], cell["gap"]) == (1, 1.0, False)
    # steps nobody attended have no share (undefined, not zero) and no gaps
    empty = next(r for r in rows if r["step_number"] == 2 and r["helix"] == "business")
    assert empty["share"] is None and empty["gap"] is False
    assert "no civil society in step 1 (context analysis)" in out["gaps"]


def test_openapi_schema_lists_every_endpoint(world: dict[str, Any], db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert schema["info"]["title"] == "ris3 workspace API"
    core = {
        "/api/strategies",
        "/api/strategies/{strategy_id}",
        "/api/strategies/{strategy_id}/stakeholders",
        "/api/strategies/{strategy_id}/engagements",
        "/api/strategies/{strategy_id}/domains",
        "/api/strategies/{strategy_id}/evidence",
        "/api/strategies/{strategy_id}/participation",
    }
    # the rest are the routes of the workspace's parts, each under its own prefix
    from ris3.workspace.parts import part_modules

    prefixes = tuple(f"/api{m.PREFIX.rstrip('/')}/" for m in part_modules("api"))
    paths = set(schema["paths"])
    assert core <= paths and all(p.startswith(prefixes) for p in paths - core)
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_capture_indicators_by_hand(world: dict[str, Any], db: None) -> None:
    """Two organisations, an incumbent (I55, LQ 7) and a newcomer (C28, LQ 0.8)."""
    from datetime import date

    from ris3.workspace.models import Evidence

    s, owner = world["strategy"], world["users"]["owner"]
    Evidence.objects.create(
        strategy=s,
        function="ris3.profile",
        data_version="hand",
        tables={
            "specialisation": {
                "columns": ["activity", "lq_europe"],
                "data": [["I55", 7.0], ["C28", 0.8], ["C16", None]],
            }
        },
    )
    hotel = services.add_organisation(owner, s, name="Hotel", helix="business", nace="I55")
    maker = services.add_organisation(owner, s, name="Maker", helix="business", nace="C28")
    h1 = services.add_stakeholder(owner, s, name="H1", organisation=hotel)
    h2 = services.add_stakeholder(owner, s, name="H2", organisation=hotel)
    m1 = services.add_stakeholder(owner, s, name="M1", organisation=maker)
    step = s.steps.get(number=3)
    services.record_engagement(
        owner,
        s,
        kind="workshop",
        title="W2",
        when=date(2025, 2, 1),
        steps=[step],
        domains=[],
        attendees=[h1, h2, m1],
        contributors=[m1],
    )
    out = _get(f"/api/strategies/{s.pk}/participation", world["tokens"]["observer"]).json()
    cap = out["capture"]
    rows = {(r[0], r[1]): dict(zip(cap["columns"], r)) for r in cap["data"]}
    # attendances: Org A 1 (world), Hotel 2, Maker 1 -> shares 1/4, 1/2, 1/4
    hhi = rows[("herfindahl", "participation by organisation")]
    assert hhi["value"] == pytest.approx(0.25**2 + 0.5**2 + 0.25**2)
    # incumbents known for Hotel (I55, LQ 7) and Maker (C28, LQ 0.8); Org A has no NACE
    assert rows[("incumbent_share", "participation")]["value"] == pytest.approx(2 / 3)
    # the only written input came from the newcomer
    assert rows[("herfindahl", "inputs by organisation")]["value"] == pytest.approx(1.0)


def test_long_lists_come_in_windows(world: dict[str, Any], db: None) -> None:
    from ris3.workspace.models import Organisation

    strategy, token = world["strategy"], world["tokens"]["facilitator"]
    org = Organisation.objects.get(strategy=strategy, name="Org A")
    for i in range(4):
        services.add_stakeholder(None, strategy, name=f"W{i}", organisation=org)
    url = f"/api/strategies/{strategy.pk}/stakeholders"
    whole = _get(url, token)
    names = [r["name"] for r in whole.json()]
    # "Person A" plus the four, sorted by name
    assert names == ["Person A", "W0", "W1", "W2", "W3"] and whole["X-Total-Count"] == "5"
    part = _get(url + "?offset=1&limit=2", token)
    assert [r["name"] for r in part.json()] == ["W0", "W1"] and part["X-Total-Count"] == "5"
    assert _get(url + "?offset=5", token).json() == []
    for bad in ("?limit=0", "?limit=5001", "?offset=-1"):
        resp = _get(url + bad, token)
        assert resp.status_code == 422, bad
    one = _get(f"/api/strategies/{strategy.pk}/engagements?limit=1", token)
    assert one.status_code == 200 and len(one.json()) == 1
    assert int(one["X-Total-Count"]) == len(
        _get(f"/api/strategies/{strategy.pk}/engagements", token).json()
    )
