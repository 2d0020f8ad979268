"""Accessible markup on every survey page (the checks of ``test_workspace_markup.py``),
on a survey with responses, and illustrative surveys labelled."""

from __future__ import annotations

from typing import Any

from django.test import Client
from survey_support import make_survey, matrix_answers
from test_workspace_markup import problems

from ris3.workspace.surveys import services


def test_every_survey_page_has_accessible_markup(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"], illustrative=True)
    [(inv, token)] = services.issue_links(world["users"]["owner"], s, ["A"], count=1)[:1]
    for k in range(6):
        services.submit(
            s,
            helix="business",
            sector="private",
            answers=matrix_answers(s, {world["domain"].pk: 1 + k % 5}),
        )
    public = services.set_public_link(world["users"]["owner"], s, True)
    c = Client()
    c.force_login(world["users"]["owner"])
    base = f"/strategies/{world['strategy'].pk}/surveys"
    pages = [f"{base}/", f"{base}/new/", f"{base}/{s.pk}/", f"{base}/{s.pk}/edit/",
             f"{base}/{s.pk}/questions/new/", f"{base}/{s.pk}/links/", f"{base}/{s.pk}/import/",
             f"{base}/{s.pk}/analysis/", f"/survey/answer/{token}/", f"/survey/open/{public}/"]  # fmt: skip
    found = {}
    for path in pages:
        resp = c.get(path)
        assert resp.status_code == 200, path
        bad = problems(resp.content.decode())
        if bad:
            found[path] = bad
    # a refused second answer and the form with its errors
    anon = Client()
    anon.post(f"/survey/answer/{token}/", {"helix": "media", "sector": "public"})
    for path, resp in (("answered", anon.get(f"/survey/answer/{token}/")),
                       ("errors", anon.post(f"/survey/open/{public}/", {"helix": "nonsense"}))):  # fmt: skip
        bad = problems(resp.content.decode())
        if bad:
            found[path] = bad
    assert found == {}
    # illustrative surveys are labelled wherever they show
    for path in (f"{base}/", f"{base}/{s.pk}/", f"{base}/{s.pk}/analysis/"):
        html = c.get(path).content.decode()
        assert 'class="badge"' in html and "illustrative" in html.lower(), path
    assert "Illustrative" in anon.get(f"/survey/open/{public}/").content.decode()
