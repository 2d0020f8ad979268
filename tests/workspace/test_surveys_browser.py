"""A survey in Chromium against a real server, with axe-core on every page.

On the demo workspace (AT33 with its real evidence and candidate domains),
the facilitator builds a survey with a domain x rating matrix and a choice
question, opens it and makes a personal link; a respondent without an
account answers through the link; a second submission with the same link
(from a form opened before the first was sent) and a later visit are
refused; the facilitator sees the link as answered and the analysis saying
what it hides. No page may raise a JavaScript error, request anything from
another host, or have a serious or critical axe-core violation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import AXE, Watcher, launch, log_in, ris3, serve

from ris3.report.browser import chromium_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium"),
    pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core: run `make setup`"),
]
pytest.importorskip("playwright")

PASSWORD = "Lw4-granite-Meadow"


def test_facilitator_builds_survey_token_answered_once(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "ws"
    env = {"RIS3_ADMIN_PASSWORD": PASSWORD, "RIS3_DEMO_PASSWORD": PASSWORD}
    ris3("workspace", "init", "--db", str(db), "--admin", "admin@example.org", env=env)
    ris3("workspace", "demo", "--db", str(db), env=env)

    with serve(db) as base, sync_playwright() as pw:
        browser = launch(pw)
        watch = Watcher(base)
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "facilitator@example.org", PASSWORD)
        page.goto(base + "/")
        page.get_by_role("link", name=re.compile("Tirol")).first.click()
        sid = int(urlpath(page).split("/")[2])
        page.get_by_role("navigation", name="Strategy").get_by_role("link", name="Surveys").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Surveys of perceived strengths")
        expect(page.get_by_role("main")).to_contain_text("illustrative")
        watch.axe(page)

        # the demo's illustrative survey and its analysis
        page.get_by_role("link", name="Perceived strengths of Tirol (illustrative)").click()
        page.get_by_role("link", name="Analysis").click()
        expect(page.get_by_role("main")).to_contain_text("Illustrative responses")
        expect(page.get_by_role("main")).to_contain_text("Public minus private perceived strength")
        watch.axe(page)

        # a new survey in step 4
        page.goto(f"{base}/strategies/{sid}/surveys/new/")
        watch.axe(page)
        page.locator("#id_step").select_option(label="4. priorities")
        page.locator("#id_title").fill("Strengths of Tirol 2026")
        page.get_by_role("button", name="Save").click()
        assert re.fullmatch(rf"/strategies/{sid}/surveys/\d+/", urlpath(page)), page.url
        survey_url = page.url
        watch.axe(page)
        page.get_by_role("link", name="Add a question").click()
        watch.axe(page)
        page.locator("#id_kind").select_option(label="Domain x rating matrix")
        page.locator("#id_text").fill("How strong is Tirol in each domain?")
        page.locator("#id_code").fill("strength")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("link", name="Add a question").click()
        page.locator("#id_kind").select_option(label="Single choice")
        page.locator("#id_text").fill("Size of your organisation")
        page.locator("#id_choices").fill("small\nlarge")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("main")).to_contain_text("How strong is Tirol in each domain?")
        expect(page.get_by_role("main")).to_contain_text("Size of your organisation")
        watch.axe(page)
        page.get_by_role("link", name="Edit survey").click()
        page.locator("#id_status").select_option(label="Open")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("main")).to_contain_text("Open")

        # a personal link, shown once
        page.get_by_role("link", name="Links").click()
        page.locator("#id_labels").fill("Respondent A")
        page.get_by_role("button", name="Make links").click()
        link = page.locator("a.token-link").get_attribute("href")
        assert link is not None and re.search(r"/survey/answer/[\w-]{40,}/$", link), link
        watch.axe(page)

        # the respondent, without an account, in two tabs opened before sending
        anon = browser.new_context()
        tab1, tab2 = anon.new_page(), anon.new_page()
        watch.attach(tab1)
        watch.attach(tab2)
        for tab in (tab1, tab2):
            tab.goto(link)
            expect(tab.get_by_role("heading", level=1)).to_have_text("Strengths of Tirol 2026")
        watch.axe(tab1)
        for tab, rating in ((tab1, "4"), (tab2, "1")):
            tab.get_by_role("radio", name="Business").check()
            tab.get_by_role("radio", name="Private sector").check()
            tab.locator(f"input[type=radio][name^=q][value='{rating}']").first.check()
            tab.get_by_role("radio", name="small").check()
        tab1.get_by_role("button", name="Send my answers").click()
        expect(tab1.get_by_role("heading", level=1)).to_have_text("Thank you")
        watch.axe(tab1)
        tab2.get_by_role("button", name="Send my answers").click()
        expect(tab2.get_by_role("heading", level=1)).to_have_text("Already answered")
        expect(tab2.get_by_role("main")).to_contain_text("used to answer already")
        watch.axe(tab2)
        again = tab1.goto(link)
        assert again is not None and again.status == 409
        expect(tab1.get_by_role("heading", level=1)).to_have_text("Already answered")
        anon.close()

        # the facilitator sees the link answered and the analysis hiding the single response
        page.reload()
        expect(page.locator("tbody")).to_contain_text("answered")
        page.goto(survey_url + "analysis/")
        expect(page.get_by_role("main")).to_contain_text(
            "No breakdown with fewer than 5 respondents is shown or exported"
        )
        expect(page.get_by_role("main")).to_contain_text("fewer than 5 respondents")
        watch.axe(page)
        ctx.close()
        browser.close()

    refused = [c for c in watch.console_errors if "status of 409 (Conflict)" in c]
    assert len(refused) == 2 and len(watch.console_errors) == 2, watch.console_errors
    assert watch.page_errors == [] and watch.foreign_requests == []
    blocking = {path: v for path, v in watch.violations.items() if v}
    assert blocking == {}
    assert len(watch.checked) == 11 and min(watch.checked.values()) > 10


def urlpath(page: object) -> str:
    from urllib.parse import urlsplit

    return urlsplit(page.url).path  # type: ignore[attr-defined]
