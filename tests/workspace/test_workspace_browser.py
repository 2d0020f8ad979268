"""A whole workspace scenario in Chromium against a real server, with axe-core on every page.

A facilitator logs in, creates the AT33 strategy, imports the profile
evidence from the bundled data, imports 20 stakeholders from a CSV
(illustrative people, invented for this test), records an EDP focus group
with attendance and sees the participation gap; an evaluator cannot open the
owner's pages. No page may raise a JavaScript error, log a console error,
request anything from a host other than the server, or have a serious or
critical axe-core violation.
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

#: illustrative stakeholders (invented names and addresses, example.org domains):
#: 8 business, 5 research, 4 government, 3 civil society
ILLUSTRATIVE_CSV = """name,email,organisation,helix,role,public_private,consent,nuts,nace
Anna Hofer,anna.hofer@mechatronik.example.org,Alpen Mechatronik GmbH,business,CTO,private,yes,AT332,C28
Lukas Berger,lukas.berger@mechatronik.example.org,Alpen Mechatronik GmbH,business,Head of R&D,private,yes,AT332,C28
Sophie Wimmer,s.wimmer@holzbau.example.org,Tiroler Holzbau AG,business,Managing director,private,yes,AT335,C16
Jakob Egger,j.egger@medtech.example.org,Inntal Medizintechnik GmbH,business,Regulatory lead,private,yes,AT332,C32
Lena Gruber,lena@seilbahn.example.org,Seilbahntechnik Tirol GmbH,business,Engineer,private,no,AT335,C28
Felix Huber,felix@kaese.example.org,Zillertaler Käserei eG,business,Chair,private,yes,AT335,C10
Marie Pichler,marie@software.example.org,Innsbruck Software OG,business,Founder,private,yes,AT332,J62
Paul Steiner,paul@cluster.example.org,Cluster Mechatronik Tirol,business,Cluster manager,private,yes,AT332,M70
Eva Moser,eva.moser@uni.example.org,Universität Innsbruck,Forschung,Professor,public,ja,AT332,P85
Tobias Mayr,t.mayr@uni.example.org,Universität Innsbruck,research,Postdoc,public,yes,AT332,P85
Julia Lechner,j.lechner@mci.example.org,MCI Management Center Innsbruck,research,Lecturer,public,yes,AT332,P85
Simon Kofler,s.kofler@medical.example.org,Medizinische Universität Innsbruck,research,Professor,public,yes,AT332,P85
Laura Fischer,l.fischer@fh.example.org,FH Kufstein Tirol,research,Head of department,public,yes,AT335,P85
Martin Haas,martin.haas@land.example.org,Amt der Tiroler Landesregierung,government,Head of unit,public,yes,AT33,O84
Katharina Wolf,k.wolf@land.example.org,Amt der Tiroler Landesregierung,government,Economist,public,yes,AT33,O84
Andreas Brunner,a.brunner@standort.example.org,Standortagentur Tirol,Verwaltung,Innovation manager,public,yes,AT332,N82
Clara Auer,c.auer@ams.example.org,Regional employment office,government,Adviser,public,yes,AT33,N78
Georg Lang,g.lang@umwelt.example.org,Umweltverein Inntal,civil society,Spokesperson,private,yes,AT332,S94
Theresa Koch,t.koch@jugend.example.org,Jugendrat Tirol,civil society,Member,private,yes,AT33,S94
Stefan Weiss,s.weiss@verbraucher.example.org,Consumer advice centre Tyrol,civil society,Adviser,private,yes,AT33,S94
"""

#: who attends the focus group: business, research and government only
ATTENDEES = ("Anna Hofer", "Paul Steiner", "Eva Moser", "Julia Lechner", "Martin Haas")


def test_facilitator_scenario_evaluator_refused_accessible_and_offline(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "ws"
    env = {"RIS3_ADMIN_PASSWORD": PASSWORD, "RIS3_USER_PASSWORD": PASSWORD}
    ris3("workspace", "init", "--db", str(db), "--admin", "admin@example.org", env=env)
    for who in ("facilitator", "evaluator"):
        ris3("workspace", "user", "--db", str(db), "--email", f"{who}@example.org", env=env)
    csv_file = tmp_path / "illustrative-stakeholders.csv"
    csv_file.write_text(ILLUSTRATIVE_CSV, encoding="utf-8")

    with serve(db) as base, sync_playwright() as pw:
        browser = launch(pw)
        watch = Watcher(base)
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)

        page.goto(base + "/accounts/login/")
        watch.axe(page)
        log_in(page, base, "facilitator@example.org", PASSWORD)
        assert urlpath(page) == "/"
        watch.axe(page)

        # the strategy
        page.goto(base + "/strategies/new/")
        watch.axe(page)
        page.get_by_label("region (NUTS code)").fill("AT33")
        page.get_by_label("name").fill("Smart Specialisation Strategy Tirol")
        page.get_by_label("first year").fill("2021")
        page.get_by_label("last year").fill("2027")
        page.get_by_role("button", name="Save").click()
        assert re.fullmatch(r"/strategies/\d+/", urlpath(page)), page.url
        sid = int(urlpath(page).split("/")[2])
        expect(page.get_by_role("heading", level=1)).to_contain_text("AT33")
        watch.axe(page)

        # the profile of the bundled data as evidence, and the proposed domains
        page.get_by_role("button", name="Import the region's profile as evidence").click()
        page.wait_for_url(re.compile(rf"/strategies/{sid}/evidence/\d+/"), timeout=120_000)
        expect(page.get_by_role("main")).to_contain_text("AT33")
        watch.axe(page)
        page.goto(f"{base}/strategies/{sid}/domains/")
        watch.axe(page)
        n_domains = page.locator("main h2, main li.domain, main tbody tr").count()
        assert n_domains > 0

        # 20 stakeholders from the CSV: preview, then create
        page.goto(f"{base}/strategies/{sid}/stakeholders/import/")
        watch.axe(page)
        page.get_by_label("CSV or Excel file").set_input_files(csv_file)
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_role("heading", name="20 rows will be created")).to_be_visible()
        expect(page.get_by_role("heading", name="0 rows are rejected")).to_be_visible()
        watch.axe(page)
        page.get_by_role("button", name="Create the accepted rows").click()
        expect(page.get_by_role("main")).to_contain_text(
            "Created 17 organisations and 20 stakeholders; 0 rows rejected."
        )
        watch.axe(page)
        page.goto(f"{base}/strategies/{sid}/stakeholders/")
        watch.axe(page)
        for name in ("Anna Hofer", "Georg Lang", "Stefan Weiss"):
            expect(page.get_by_role("main")).to_contain_text(name)

        # an EDP focus group in step 3 without civil society
        page.goto(f"{base}/strategies/{sid}/engagements/new/")
        watch.axe(page)
        page.get_by_label("kind").select_option(label="EDP focus group")
        page.get_by_label("title").fill("Focus group: mechatronics and medical devices")
        page.get_by_label("date").fill("2025-03-12")
        page.locator("input[name=steps]").nth(2).check()
        for name in ATTENDEES:
            page.locator("#id_attendees").get_by_label(name, exact=True).check()
        page.locator("#id_contributors").get_by_label("Eva Moser", exact=True).check()
        page.get_by_label("outputs").fill("Two candidate domains discussed.")
        page.get_by_role("button", name="Save").click()
        assert urlpath(page) == f"/strategies/{sid}/engagements/", page.content()[:2000]
        expect(page.get_by_role("main")).to_contain_text("mechatronics and medical devices")
        watch.axe(page)

        # the participation page names the gap
        page.goto(f"{base}/strategies/{sid}/participation/")
        watch.axe(page)
        gaps = page.locator("li.gap").all_inner_texts()
        assert any(g.startswith("no civil society in step 3") for g in gaps), gaps
        cells = page.locator("tbody tr").nth(2).locator("td").all_inner_texts()
        assert cells[:3] == ["2 (0.40)", "2 (0.40)", "1 (0.20)"], cells

        for tail in ("audit/", "members/", "edit/"):
            page.goto(f"{base}/strategies/{sid}/{tail}")
            assert page.title() != "" and watch.axe(page) == []
        ctx.close()

        # the evaluator sees the strategy's records but none of the owner's pages
        ris3("workspace", "user", "--db", str(db), "--email", "evaluator@example.org",
             "--strategy", str(sid), "--role", "evaluator")  # fmt: skip
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "evaluator@example.org", PASSWORD)
        for tail in ("", "domains/", "stakeholders/", "engagements/", "participation/", "audit/"):
            resp = page.goto(f"{base}/strategies/{sid}/{tail}")
            assert resp is not None and resp.status == 200, tail
            watch.axe(page)
        refused_urls = []
        for tail in ("edit/", "members/", "stakeholders/import/", "engagements/new/"):
            refused_urls.append(f"{base}/strategies/{sid}/{tail}")
            resp = page.goto(refused_urls[-1])
            assert resp is not None and resp.status == 403, tail
            expect(page.get_by_role("main")).to_contain_text("You may not open this page.")
            watch.axe(page)
        ctx.close()
        browser.close()

    # the browser logs the refused pages' status; nothing else may be logged
    refused = [
        f"Failed to load resource: the server responded with a status of 403 (Forbidden) at {u}"
        for u in refused_urls
    ]
    assert watch.page_errors == [] and sorted(watch.console_errors) == sorted(refused)
    assert watch.foreign_requests == [] and watch.requests > 20
    blocking = {path: v for path, v in watch.violations.items() if v}
    assert blocking == {}
    assert len(watch.checked) == 26 and min(watch.checked.values()) > 10


def urlpath(page: object) -> str:
    from urllib.parse import urlsplit

    return urlsplit(page.url).path  # type: ignore[attr-defined]
