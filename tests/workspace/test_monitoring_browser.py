"""Monitoring in Chromium against a real server, with axe-core on every page.

On the AT33 demo a facilitator adds a result indicator with its baseline and
target, loads observations from a CSV (one row rejected), sees the
scorecard, and exports the strategy document as Excel, PDF and HTML; an
observer sees the scorecard but cannot add an indicator. No page may raise a
JavaScript error, log a console error, request anything from another host,
or have a serious or critical axe-core violation.
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
NAME = "Guests in certified hotels"
#: baseline 100 in 2021, target 160 in 2027: the plan on 2024-01-01 is 130
OBSERVATIONS = f"""indicator,date,value,note
{NAME},2023-01-01,112,survey wave 1
{NAME},2024-01-01,130,survey wave 2
{NAME},2024-06-30,,not yet counted
"""


def test_indicator_observations_scorecard_document(tmp_path: Path) -> None:
    import openpyxl
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "ws"
    ris3("workspace", "demo", "--db", str(db), env={"RIS3_DEMO_PASSWORD": PASSWORD})
    csv_file = tmp_path / "observations.csv"
    csv_file.write_text(OBSERVATIONS, encoding="utf-8")

    with serve(db) as base, sync_playwright() as pw:
        browser = launch(pw)
        watch = Watcher(base)
        ctx = browser.new_context(accept_downloads=True)
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "facilitator@example.org", PASSWORD)
        sid = 1

        page.goto(f"{base}/strategies/{sid}/")
        page.get_by_role("navigation", name="Strategy").get_by_role(
            "link", name="Monitoring"
        ).click()
        assert urlpath(page) == f"/strategies/{sid}/monitoring/"
        expect(page.get_by_role("main")).to_contain_text("Accommodation")
        watch.axe(page)

        # a result indicator with baseline and target
        page.get_by_role("link", name="New indicator").click()
        watch.axe(page)
        page.locator("#id_domain").select_option(label="Accommodation")
        page.locator("#id_name").fill(NAME)
        page.locator("#id_kind").select_option("result")
        page.locator("#id_definition").fill("Guests in hotels with an environmental certificate.")
        page.locator("#id_unit").fill("thousand guests")
        page.locator("#id_source").fill("Regional tourism statistics")
        page.locator("#id_baseline_year").fill("2021")
        page.locator("#id_baseline_value").fill("100")
        page.locator("#id_target_year").fill("2027")
        page.locator("#id_target_value").fill("160")
        page.get_by_role("button", name="Save").click()
        assert urlpath(page) == f"/strategies/{sid}/monitoring/indicator/", page.url
        expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
        expect(page.get_by_role("main")).to_contain_text("2027: 160.0")
        watch.axe(page)

        # observations from a file: preview, then store
        page.goto(f"{base}/strategies/{sid}/monitoring/observations/import/")
        watch.axe(page)
        page.get_by_label("CSV or Excel file").set_input_files(csv_file)
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_role("heading", name="2 rows will be stored")).to_be_visible()
        expect(page.get_by_role("heading", name="1 row is rejected")).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text("value is empty")
        watch.axe(page)
        page.get_by_role("button", name="Store the accepted rows").click()
        expect(page.get_by_role("main")).to_contain_text("Stored 2 observations; 1 rows rejected.")
        watch.axe(page)

        # the scorecard: 130 observed where 130 is planned: on track, progress 1.00
        page.get_by_role("link", name="See the scorecard").click()
        row = page.locator("#scorecard tbody tr", has_text=NAME)
        expect(row).to_contain_text("on track")
        cells = row.locator("td").all_inner_texts()
        assert cells[6] == "130.00" and cells[8] == "1.00", cells
        demo_row = page.locator("#scorecard tbody tr", has_text="Tourism firms in joint")
        expect(demo_row).to_contain_text("at risk")
        expect(demo_row).to_contain_text("illustrative")
        expect(page.get_by_role("img", name=re.compile("Bar chart"))).to_be_visible()
        watch.axe(page)

        # the strategy document
        page.get_by_role("navigation", name="Strategy").get_by_role(
            "link", name="Strategy document"
        ).click()
        watch.axe(page)
        n_sheets = page.locator("main table tbody tr").count()
        with page.expect_download() as info:
            page.get_by_role("link", name="Download Excel").click()
        xlsx = tmp_path / "document.xlsx"
        info.value.save_as(xlsx)
        wb = openpyxl.load_workbook(xlsx)
        assert len(wb.sheetnames) == n_sheets + 1 and n_sheets >= 14
        obs = [r for r in wb["monitoring observations"].iter_rows(values_only=True)]
        assert (NAME, 130) in {(r[0], r[2]) for r in obs}
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("link", name="Download PDF").click()
        pdf = tmp_path / "document.pdf"
        info.value.save_as(pdf)
        data = pdf.read_bytes()
        assert data[:5] == b"%PDF-" and len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) >= 2
        with page.expect_download() as info:
            page.get_by_role("link", name="Download HTML").click()
        html = tmp_path / "document.html"
        info.value.save_as(html)
        text = html.read_text(encoding="utf-8")
        # the document counts people and names none of the demo's (invented) stakeholders
        assert NAME in text and "Anna Beispiel" not in text and "anna@example.org" not in text
        ctx.close()

        # an observer (a demo user) sees the scorecard but may not add indicators
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "observer@example.org", PASSWORD)
        resp = page.goto(f"{base}/strategies/{sid}/monitoring/scorecard/")
        assert resp is not None and resp.status == 200
        expect(page.locator("#scorecard")).to_contain_text(NAME)
        refused = f"{base}/strategies/{sid}/monitoring/indicators/new/"
        resp = page.goto(refused)
        assert resp is not None and resp.status == 403
        watch.axe(page)
        ctx.close()
        browser.close()

    assert watch.page_errors == []
    assert watch.console_errors == [
        f"Failed to load resource: the server responded with a status of 403 (Forbidden) at {refused}"
    ]
    assert watch.foreign_requests == []
    blocking = {path: v for path, v in watch.violations.items() if v}
    assert blocking == {}
    assert len(watch.checked) == 9 and min(watch.checked.values()) > 10


def urlpath(page: object) -> str:
    from urllib.parse import urlsplit

    return urlsplit(page.url).path  # type: ignore[attr-defined]
