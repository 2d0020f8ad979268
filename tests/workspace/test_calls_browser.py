"""An open call in Chromium against a real server, with axe-core on every page.

The owner publishes a call with two criteria; an applicant submits two
proposals (one with a PDF attachment); an evaluator declares a conflict of
interest with the first proposal's lead organisation, so the automatic
assignment never gives it to them and the owner's attempt to assign it by
hand is refused; two evaluators score; the panel closes; the owner sees the
ranking with the probability of funding under varying weights, and the
applicant reads the feedback letter. No page may raise a JavaScript error,
request anything from another host, or have a serious or critical axe-core
violation. The organisations and proposals are invented for this test.
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
CONFLICTED = "Alpen Mechatronik GmbH (illustrative)"


def urlpath(page: object) -> str:
    from urllib.parse import urlsplit

    return urlsplit(page.url).path  # type: ignore[attr-defined]


def test_call_scenario_conflict_blocks_assignment_results_with_robustness(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "ws"
    env = {"RIS3_ADMIN_PASSWORD": PASSWORD, "RIS3_USER_PASSWORD": PASSWORD}
    ris3("workspace", "init", "--db", str(db), "--admin", "admin@example.org", env=env)
    for who in ("owner", "applicant", "evaluator1", "evaluator2"):
        ris3("workspace", "user", "--db", str(db), "--email", f"{who}@example.org", env=env)
    pdf = tmp_path / "work-plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% an invented work plan\n")
    refused_urls: list[str] = []

    with serve(db) as base, sync_playwright() as pw:
        browser = launch(pw)
        watch = Watcher(base)

        def session(email: str):  # type: ignore[no-untyped-def]
            ctx = browser.new_context()
            page = ctx.new_page()
            watch.attach(page)
            log_in(page, base, email, PASSWORD)
            return ctx, page

        # the owner: a strategy, then the members, then a call with two criteria
        ctx, page = session("owner@example.org")
        page.goto(base + "/strategies/new/")
        page.get_by_label("region (NUTS code)").fill("AT33")
        page.get_by_label("name").fill("Tirol strategy with an open call")
        page.get_by_label("first year").fill("2021")
        page.get_by_label("last year").fill("2027")
        page.get_by_role("button", name="Save").click()
        sid = int(urlpath(page).split("/")[2])
        for who, role in (
            ("applicant", "applicant"),
            ("evaluator1", "evaluator"),
            ("evaluator2", "evaluator"),
        ):
            ris3("workspace", "user", "--db", str(db), "--email", f"{who}@example.org",
                 "--strategy", str(sid), "--role", role, env=env)  # fmt: skip
        page.goto(f"{base}/strategies/{sid}/calls/")
        watch.axe(page)
        page.get_by_role("link", name="New call").click()
        watch.axe(page)
        page.get_by_label("title").fill("Collaborative projects (illustrative)")
        page.get_by_label("eligibility rules").fill("Firms and research bodies in Tirol.")
        page.get_by_label("opens").fill("2026-01-01T00:00")
        page.get_by_label("closes").fill("2035-01-01T00:00")
        page.get_by_label("money available (EUR)").fill("70000")
        page.get_by_label("evaluators per proposal").fill("1")
        page.get_by_role("button", name="Save").click()
        assert re.fullmatch(rf"/strategies/{sid}/calls/\d+/", urlpath(page)), page.url
        call_url = base + urlpath(page)
        watch.axe(page)
        for name, weight in (("Quality", "2"), ("Impact", "1")):
            page.get_by_role("link", name="Add a criterion").click()
            page.get_by_label("name").fill(name)
            page.get_by_label("weight").fill(weight)
            page.get_by_role("button", name="Save").click()
        watch.axe(page)
        expect(page.locator("main table")).to_contain_text("Impact")
        page.get_by_role("button", name="Open the call").click()
        expect(page.get_by_role("main")).to_contain_text("Status: Open")
        watch.axe(page)
        ctx.close()

        # the applicant submits two proposals, one with an attachment
        ctx, page = session("applicant@example.org")
        for title, lead, budget, files in (
            ("Robotic timber joints", CONFLICTED, "50000", [pdf]),
            ("Sawmill data platform", "Tiroler Holzbau AG (illustrative)", "40000", []),
        ):
            page.goto(call_url)
            page.get_by_role("link", name="Submit a proposal").click()
            page.get_by_label("title").fill(title)
            page.get_by_label("summary").fill("An invented proposal.")
            page.get_by_label("lead organisation").fill(lead)
            page.get_by_label("requested budget (EUR)").fill(budget)
            if files:
                page.get_by_label("attachments").set_input_files(files)
                watch.axe(page)
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(title)
            watch.axe(page)
        expect(page.get_by_role("main")).to_contain_text("Sawmill data platform")
        page.goto(call_url + "proposals/")
        assert page.locator("main tbody tr").count() == 2
        watch.axe(page)
        ctx.close()

        # the owner closes submissions and sets up the panel
        ctx, page = session("owner@example.org")
        page.goto(call_url)
        page.get_by_role("button", name="Close submissions").click()
        expect(page.get_by_role("main")).to_contain_text("Closed for submissions")
        ctx.close()

        # evaluator 1 declares a conflict with the first proposal's lead organisation
        ctx, page = session("evaluator1@example.org")
        page.goto(call_url + "conflicts/")
        watch.axe(page)
        expect(page.get_by_role("main")).to_contain_text(CONFLICTED)
        page.locator("#id_organisation").fill(CONFLICTED)
        page.locator("#id_reason").fill("Former employer.")
        page.get_by_role("button", name="Declare the conflict").click()
        expect(page.locator("main")).to_contain_text("Former employer.")
        watch.axe(page)
        ctx.close()

        ctx, page = session("owner@example.org")
        page.goto(call_url + "panel/")
        watch.axe(page)
        for who in ("evaluator1", "evaluator2"):
            page.locator("#id_panel-evaluator").select_option(label=f"{who}@example.org")
            page.get_by_role("button", name="Add to the panel").click()
        page.get_by_role("button", name=re.compile("Assign 1 evaluators")).click()
        rows = page.locator("main table").first.locator("tbody tr").all_inner_texts()
        assert sorted(r.split("\t")[:2] for r in rows) == [
            ["Robotic timber joints", "evaluator2@example.org"],
            ["Sawmill data platform", "evaluator1@example.org"],
        ], rows
        watch.axe(page)
        # by hand: evaluator 1 on the conflicted proposal is refused
        page.locator("#id_assign-evaluator").select_option(label="evaluator1@example.org")
        page.locator("#id_assign-proposal").select_option(label="Robotic timber joints")
        refused_urls.append(call_url + "panel/")
        page.get_by_role("button", name="Assign", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("the assignment is refused")
        watch.axe(page)
        page.goto(f"{base}/strategies/{sid}/audit/")
        expect(page.get_by_role("main")).to_contain_text("assign_refused")
        ctx.close()

        # both evaluators score their assignment
        for who, (quality, impact) in (("evaluator1", ("6", "7")), ("evaluator2", ("8", "5"))):
            ctx, page = session(f"{who}@example.org")
            page.goto(call_url)
            watch.axe(page)
            links = page.locator("main section", has_text="Your assignments").get_by_role("link")
            assert links.count() == 1
            links.first.click()
            watch.axe(page)
            page.get_by_label("Quality: score (0 to 10)").fill(quality)
            page.get_by_label("Quality: comment").fill(f"{who}: quality comment")
            page.get_by_label("Impact: score (0 to 10)").fill(impact)
            page.get_by_label("Impact: comment").fill(f"{who}: impact comment")
            page.get_by_label("I understand that submitted scores are locked").check()
            page.get_by_role("button", name="Submit the scores").click()
            expect(page.get_by_role("status")).to_contain_text("these scores are locked")
            watch.axe(page)
            ctx.close()

        # the panel closes; the owner sees the ranking and its robustness
        ctx, page = session("owner@example.org")
        page.goto(call_url)
        page.get_by_role("button", name="Close the panel and open the results").click()
        page.goto(call_url + "results/")
        watch.axe(page)
        ranking = page.locator("#ranking tbody tr").all_inner_texts()
        # weights 2:1 -> Robotic (8, 5): 7.000; Sawmill (6, 7): 6.333; money 70,000 funds one
        assert ranking[0].split("\t")[:2] == ["1", "Robotic timber joints"], ranking
        assert "7.000" in ranking[0] and "6.333" in ranking[1]
        assert "\tyes\t" in ranking[0] and "\tno\t" in ranking[1]
        # Robotic is ahead iff 8w + 5(1-w) > 6w + 7(1-w), i.e. w_quality > 1/2; w ~ Beta(66.7, 33.3)
        expect(page.locator("#ranking")).to_contain_text("Funded in")
        share = float(ranking[0].split("\t")[8].rstrip(" %"))
        assert 99.0 < share <= 100.0, ranking
        expect(page.get_by_role("main")).to_contain_text("Krippendorff")
        ctx.close()

        # the applicant reads the letter of their proposal
        ctx, page = session("applicant@example.org")
        page.goto(call_url)
        page.get_by_role("link", name="feedback letter").first.click()
        expect(page.get_by_role("main")).to_contain_text("evaluator2: quality comment")
        watch.axe(page)
        ctx.close()
        browser.close()

    # the refused assignment answers 400, which the browser logs; nothing else may be logged
    assert watch.page_errors == []
    assert all("status of 400" in e for e in watch.console_errors), watch.console_errors
    assert len(watch.console_errors) == len(refused_urls)
    assert watch.foreign_requests == []
    blocking = {path: v for path, v in watch.violations.items() if v}
    assert blocking == {}
    assert len(watch.checked) >= 20 and min(watch.checked.values()) > 10
