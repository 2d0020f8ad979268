"""Accessible markup on every page: language, landmarks, labelled controls, table captions,
illustrative records labelled. (The browser check with axe-core comes on top of this.)"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import reverse

from ris3.workspace.permissions import PAGES


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "label" and a.get("for"):
            self.label_for.add(str(a["for"]))


def problems(html: str) -> list[str]:
    m = Markup()
    m.feed(html)
    out = []
    html_tags = [a for t, a in m.tags if t == "html"]
    if not html_tags or not html_tags[0].get("lang"):
        out.append("no lang attribute")
    for landmark in ("header", "main", "footer"):
        if sum(1 for t, _ in m.tags if t == landmark) != 1:
            out.append(f"not exactly one <{landmark}>")
    if not any(t == "h1" for t, _ in m.tags):
        out.append("no <h1>")
    for t, a in m.tags:
        if t in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            if a.get("id") not in m.label_for and not a.get("aria-label"):
                out.append(f"unlabelled <{t} name={a.get('name')}>")
        if t == "img" and a.get("alt") is None:
            out.append("image without alt")
    n_tables = sum(1 for t, _ in m.tags if t == "table")
    n_captions = sum(1 for t, _ in m.tags if t == "caption")
    if n_tables != n_captions:
        out.append(f"{n_tables} tables but {n_captions} captions")
    return out


def test_every_page_has_accessible_markup(world: dict[str, Any], db: None) -> None:
    client = Client()
    client.force_login(world["users"]["owner"])
    values = {
        "pk": world["strategy"].pk,
        "evidence_id": world["evidence"].pk,
        "stakeholder_id": world["stakeholder"].pk,
    }
    found = {}
    checked = 0
    for name, methods in PAGES.items():
        if "GET" not in methods or name in ("stakeholder_export", "openapi_json"):
            continue
        from django.urls import get_resolver

        pattern = get_resolver().reverse_dict.getlist(name)[0][0][0][1]
        if set(pattern) - set(values):
            continue  # a part's page on its own records: the part's tests check its markup
        resp = client.get(reverse(name, kwargs={k: values[k] for k in pattern}))
        assert resp.status_code == 200, name
        checked += 1
        bad = problems(resp.content.decode())
        if bad:
            found[name] = bad
    assert checked >= 15
    assert found == {}


def test_illustrative_records_are_labelled(world: dict[str, Any], db: None) -> None:
    person = world["stakeholder"]
    person.illustrative = True
    person.save()
    client = Client()
    client.force_login(world["users"]["owner"])
    html = client.get(f"/strategies/{world['strategy'].pk}/stakeholders/").content.decode()
    row = html.split("Person A", 1)[1].split("</td>", 1)[0]
    assert 'class="badge"' in row and "illustrative" in row
