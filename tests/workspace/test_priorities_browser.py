"""Priority setting in Chromium against a real server, with axe-core on every page.

On the demo workspace (real AT33 evidence, illustrative people), the owner
scores the domains with TOPSIS, sees the ranking with its weight
sensitivity, records a selection decision on the non-metallic minerals domain citing the
profile evidence, its metrics and the scoring run, sees the decision and
the versions on the priority's lifecycle page, edits the exit criteria (a
third version), and opens the review, distinctiveness and technology-match
pages; an evaluator sees the lifecycle but may not decide. No page may raise
a JavaScript error, request anything from another host or have a serious or
critical axe-core violation.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import AXE, Watcher, launch, log_in, ris3, serve

from ris3.report.browser import chromium_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium"),
    pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core: run `make setup`"),
]
pytest.importorskip("playwright")

PASSWORD = "Vx8-amber-Orchard"


def test_owner_scores_decides_and_sees_versions(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "ws"
    out = ris3("workspace", "demo", "--db", str(db), env={"RIS3_DEMO_PASSWORD": PASSWORD})
    sid = int(re.search(r"demo strategy (\d+)", out.stdout).group(1))  # type: ignore[union-attr]
    base_path = f"/strategies/{sid}/priorities"

    with serve(db) as base, sync_playwright() as pw:
        browser = launch(pw)
        watch = Watcher(base)
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "owner@example.org", PASSWORD)

        # score: TOPSIS on LQ, stars and EDP support (only two domains were discussed)
        page.goto(base + base_path + "/")
        watch.axe(page)
        page.get_by_label("method").select_option(label="TOPSIS")
        page.get_by_label("Employment growth a year (more is better)").fill("0")
        page.get_by_label("Relatedness density (more is better)").fill("0")
        page.get_by_label("Product complexity of the activity (more is better)").fill("0")
        page.get_by_label("EDP support (people who discussed the domain) (more is better)").fill(
            "1"
        )
        page.get_by_label("seed of the weight sensitivity").fill("7")
        page.get_by_label("domains counted as selected").fill("1")
        page.get_by_role("button", name="Score").click()
        page.wait_for_url(re.compile(rf"{base_path}/run/\?run=\d+"))
        run_id = int(page.url.rsplit("=", 1)[1])
        ranking = page.locator("table.ranking tbody tr")
        assert ranking.count() == 10
        # two domains ranked; eight unranked, their missing EDP support shown as missing
        ranks = [ranking.nth(i).locator("td").nth(3).inner_text() for i in range(10)]
        assert ranks[:2] == ["1", "2"] and ranks[2:] == ["missing"] * 8
        assert ranking.nth(9).locator("td").nth(4).inner_text() == "edp_support"
        expect(page.locator("table.sensitivity")).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text("is not ranked")
        watch.axe(page)

        # a selection decision on the non-metallic minerals domain (a candidate in the demo:
        # the demo's policy mix selected wood and machinery), citing the evidence and the run
        page.goto(base + base_path + "/decide/")
        watch.axe(page)
        page.get_by_role("link", name=re.compile("^Manufacture of other non-metallic")).click()
        watch.axe(page)
        page.get_by_label("decision").select_option(label="Select")
        page.get_by_label("rationale").fill(
            "LQ 3.44 against Europe and a related research base; the focus group supports it."
        )
        page.get_by_label("scoring run cited").select_option(value=str(run_id))
        page.locator("input[name=evidence]").first.check()
        page.locator("input[name=domain_evidence]").first.check()
        page.get_by_label("review date").fill("2027-12-31")
        page.get_by_label("exit criteria").fill("LQ against Europe below 1.5 for two years.")
        page.get_by_role("button", name="Record the decision").click()
        page.wait_for_url(re.compile(rf"{base_path}/lifecycle/\?domain=\d+"))
        main = page.get_by_role("main")
        expect(main.locator("dd.status")).to_have_text("Selected")
        decision = main.locator("article.decision").first
        expect(decision).to_contain_text("Select: Candidate → Selected")
        expect(decision).to_contain_text("the focus group supports it")
        expect(decision).to_contain_text(f"scoring run {run_id}")
        expect(decision).to_contain_text("lq_europe 3.438")
        versions = main.locator("table.versions tbody tr")
        assert versions.count() == 2
        assert versions.nth(0).locator("td").nth(3).inner_text() == "Selected"
        assert versions.nth(1).locator("td").nth(3).inner_text() == "Candidate"
        watch.axe(page)
        lifecycle_url = page.url

        # an edit of the exit criteria is a third version
        main.get_by_role("link", name="Edit", exact=True).click()
        watch.axe(page)
        page.get_by_label("exit criteria").fill("LQ against Europe below 1.5 for three years.")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(lifecycle_url)
        assert page.locator("table.versions tbody tr").count() == 3
        expect(page.locator("table.versions tbody tr").first).to_contain_text("three years")
        watch.axe(page)

        for tail in ("review/?domain=" + lifecycle_url.rsplit("=", 1)[1], "lifecycle/",
                     "distinctiveness/", "technology/", "declared/import/"):  # fmt: skip
            resp = page.goto(f"{base}{base_path}/{tail}")
            assert resp is not None and resp.status == 200, tail
            watch.axe(page)
        expect(page.get_by_role("main")).to_contain_text("Eye@RIS3")
        ctx.close()

        # the evaluator sees the lifecycle, not the decision form
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "evaluator@example.org", PASSWORD)
        resp = page.goto(lifecycle_url)
        assert resp is not None and resp.status == 200
        expect(page.get_by_role("link", name="Record a decision")).to_have_count(0)
        watch.axe(page)
        refused = f"{base}{base_path}/decide/"
        resp = page.goto(refused)
        assert resp is not None and resp.status == 403
        ctx.close()
        browser.close()

    assert watch.page_errors == []
    assert watch.console_errors == [
        f"Failed to load resource: the server responded with a status of 403 (Forbidden) at "
        f"{refused}"
    ]
    assert watch.foreign_requests == []
    assert {p: v for p, v in watch.violations.items() if v} == {}
    assert len(watch.checked) >= 12 and min(watch.checked.values()) > 10
    assert all(urlsplit(u).netloc for u in [base])
