"""Every survey page and API route, per role, on a real survey; respondents with and without a token.

The generated table test (``test_workspace_permissions.py``) checks every
route against the permission table with ids this world lacks; here the ids
are real, so the allowed visitors get the page itself, and object-level
rules are checked: a survey is reached only through its own strategy, the
answer pages only with a valid token.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from survey_support import make_survey

from ris3.workspace.permissions import allowed
from ris3.workspace.surveys import services

VISITORS = ("anonymous", "owner", "facilitator", "evaluator", "stakeholder", "observer",
            "outsider", "superuser")  # fmt: skip
ROLES = ("owner", "facilitator", "evaluator", "stakeholder", "observer")

#: (page, path tail, action) for GET on the survey pages
PAGES = [
    ("survey_list", "", "view_surveys"),
    ("survey_create", "new/", "edit_surveys"),
    ("survey_detail", "{s}/", "view_surveys"),
    ("survey_edit", "{s}/edit/", "edit_surveys"),
    ("question_add", "{s}/questions/new/", "edit_surveys"),
    ("survey_links", "{s}/links/", "edit_surveys"),
    ("survey_import", "{s}/import/", "edit_surveys"),
    ("survey_analysis", "{s}/analysis/", "view_surveys"),
    ("survey_export", "{s}/export/?format=csv", "export_surveys"),
]
API = [
    ("GET", "", "view_surveys"),
    ("GET", "/{s}", "view_surveys"),
    ("GET", "/{s}/links", "edit_surveys"),
    ("GET", "/{s}/results", "view_surveys"),
    ("POST", "/{s}/links", "edit_surveys"),
    ("POST", "/{s}/questions", "edit_surveys"),
]


def _client(world: dict[str, Any], visitor: str) -> Client:
    c = Client()
    if visitor != "anonymous":
        c.force_login(world["users"][visitor])
    return c


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("visitor", VISITORS)
def test_pages_per_role(world: dict[str, Any], db: None, visitor: str, published: bool) -> None:
    strategy = world["strategy"]
    strategy.published = published
    strategy.save()
    s = make_survey(world["users"]["owner"], strategy)
    role = visitor if visitor in ROLES else None
    c = _client(world, visitor)
    for name, tail, action in PAGES:
        resp = c.get(f"/strategies/{strategy.pk}/surveys/" + tail.format(s=s.pk))
        ok = allowed(action, role, superuser=visitor == "superuser",
                     signed_in=visitor != "anonymous", published=published)  # fmt: skip
        if ok:
            assert resp.status_code == 200, (name, visitor)
        elif visitor == "anonymous":
            assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/"), name
        else:
            assert resp.status_code == 403, (name, visitor)
    # POST on the builder's pages
    resp = c.post(f"/strategies/{strategy.pk}/surveys/{s.pk}/links/", {"labels": "", "count": "1"})
    may_edit = allowed(
        "edit_surveys", role, superuser=visitor == "superuser", signed_in=visitor != "anonymous"
    )
    assert resp.status_code == (200 if may_edit else 302 if visitor == "anonymous" else 403)
    assert s.invitations.count() == (1 if may_edit else 0)


@pytest.mark.parametrize("visitor", [v for v in VISITORS if v != "anonymous"])
def test_api_per_role(world: dict[str, Any], db: None, visitor: str) -> None:
    strategy = world["strategy"]
    s = make_survey(world["users"]["owner"], strategy)
    role = visitor if visitor in ROLES else None
    c = Client()
    auth = {"Authorization": f"Bearer {world['tokens'][visitor]}"}
    for method, tail, action in API:
        path = f"/api/strategies/{strategy.pk}/surveys" + tail.format(s=s.pk)
        body = {"count": 1} if tail.endswith("links") else {"kind": "text", "text": "More?"}
        resp = (
            c.get(path, headers=auth) if method == "GET"
            else c.post(path, body, content_type="application/json", headers=auth)
        )  # fmt: skip
        ok = allowed(action, role, superuser=visitor == "superuser", signed_in=True)
        assert resp.status_code == ((201 if method == "POST" else 200) if ok else 403), (
            method,
            path,
            visitor,
        )
    # anonymous: 401 everywhere
    for method, tail, _ in API:
        path = f"/api/strategies/{strategy.pk}/surveys" + tail.format(s=s.pk)
        assert c.generic(method, path).status_code == 401


def test_api_issues_tokens_once_and_results_hide_small_groups(
    world: dict[str, Any], db: None
) -> None:
    strategy = world["strategy"]
    auth = {"Authorization": f"Bearer {world['tokens']['facilitator']}"}
    c = Client()
    made = c.post(f"/api/strategies/{strategy.pk}/surveys", {"title": "API survey", "step": 4},
                  content_type="application/json", headers=auth).json()  # fmt: skip
    sid = made["id"]
    q = c.post(f"/api/strategies/{strategy.pk}/surveys/{sid}/questions",
               {"kind": "matrix", "text": "Strength", "code": "strength"},
               content_type="application/json", headers=auth)  # fmt: skip
    assert q.status_code == 201 and q.json()["code"] == "strength"
    links = c.post(f"/api/strategies/{strategy.pk}/surveys/{sid}/links", {"labels": ["A"], "count": 1},
                   content_type="application/json", headers=auth).json()  # fmt: skip
    assert [x["label"] for x in links] == ["A", ""] and all(len(x["token"]) >= 40 for x in links)
    listed = c.get(f"/api/strategies/{strategy.pk}/surveys/{sid}/links", headers=auth).json()
    assert all("token" not in x for x in listed) and [x["prefix"] for x in listed] == [
        x["token"][:8] for x in links
    ]
    bad = c.post(f"/api/strategies/{strategy.pk}/surveys", {"title": "x", "step": 9},
                 content_type="application/json", headers=auth)  # fmt: skip
    assert bad.status_code == 422 and "no step 9" in bad.json()["detail"]
    res = c.get(f"/api/strategies/{strategy.pk}/surveys/{sid}/results", headers=auth).json()
    assert res["respondents"] == 0 and res["min_respondents"] == 5


def test_survey_only_through_its_own_strategy(world: dict[str, Any], db: None) -> None:
    other = world["other"]
    s = make_survey(world["users"]["superuser"], other)
    c = _client(world, "owner")  # owner of the first strategy, nothing in the other
    assert c.get(f"/strategies/{world['strategy'].pk}/surveys/{s.pk}/analysis/").status_code == 404
    assert c.get(f"/strategies/{other.pk}/surveys/{s.pk}/analysis/").status_code == 403
    auth = {"Authorization": f"Bearer {world['tokens']['owner']}"}
    assert (
        c.get(f"/api/strategies/{world['strategy'].pk}/surveys/{s.pk}", headers=auth).status_code
        == 404
    )
    assert c.get(f"/api/strategies/{other.pk}/surveys/{s.pk}", headers=auth).status_code == 403


def test_respondents_with_and_without_a_token(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    [(inv, token)] = services.issue_links(world["users"]["owner"], s, count=1)
    anon = Client()
    assert anon.get(f"/survey/answer/{token}/").status_code == 200
    assert anon.get("/survey/answer/not-a-token/").status_code == 404
    assert anon.post("/survey/answer/not-a-token/", {"helix": "business"}).status_code == 404
    assert anon.get("/survey/open/not-a-token/").status_code == 404
    # a token opens the answer form only: not the survey's pages
    assert anon.get(f"/strategies/{world['strategy'].pk}/surveys/{s.pk}/").status_code == 302
    # signed-in users answer through the token like anyone else (it is the key, not the account)
    assert _client(world, "stakeholder").get(f"/survey/answer/{token}/").status_code == 200
    # the answer page shows nothing of the strategy's tabs or other respondents
    html = anon.get(f"/survey/answer/{token}/").content.decode()
    assert "Stakeholders" not in html and "Audit log" not in html
