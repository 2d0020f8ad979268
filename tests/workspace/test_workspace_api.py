"""The JSON API: bearer tokens, what each user sees, the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ris3.workspace import services
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
    token = services.issue_token(world["users"]["owner"])
    assert _get("/api/strategies", token).status_code == 200
    services.revoke_token(world["users"]["owner"], token)
    assert _get("/api/strategies", token).status_code == 401


def test_tokens_are_stored_hashed(world: dict[str, Any], db: None) -> None:
    token = services.issue_token(world["users"]["evaluator"])
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
    assert set(schema["paths"]) == {
        "/api/strategies",
        "/api/strategies/{strategy_id}",
        "/api/strategies/{strategy_id}/stakeholders",
        "/api/strategies/{strategy_id}/engagements",
        "/api/strategies/{strategy_id}/domains",
        "/api/strategies/{strategy_id}/evidence",
        "/api/strategies/{strategy_id}/participation",
    }
    assert "BearerToken" in schema["components"]["securitySchemes"]
