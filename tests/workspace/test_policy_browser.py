"""The policy mix in Chromium against a real server, with axe-core on every page.

The AT33 strategy has the real profile of Tirol as evidence and the demo
priorities made active (accommodation I55, mature; wood products C16,
declining; machinery C28, emerging). The owner registers three instruments
at two levels (two collaborative actions for accommodation, regional and
national; a regional cluster platform for machinery), sees the duplication of
the first two and the gap of wood products, and records a keep and a revise
decision. An observer sees the analysis but cannot register. No page may
raise a JavaScript error, request another host, or have a serious or
critical axe-core violation. The instruments are illustrative (invented).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import AXE, SRC, Watcher, launch, log_in, ris3, serve

from ris3.report.browser import chromium_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium"),
    pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core: run `make setup`"),
]
pytest.importorskip("playwright")

PASSWORD = "Lw4-granite-Meadow"

SETUP = """
import sys
from pathlib import Path
from ris3.workspace import runtime
runtime.setup(Path(sys.argv[1]))
from django.contrib.auth import get_user_model
from ris3.workspace import services
from ris3.workspace.policy.demo import activate_priorities
users = {u.username: u for u in get_user_model().objects.all()}
owner = users["owner@example.org"]
s = services.create_strategy(owner, region_code="AT33", name="Tirol S3",
                             period_start=2021, period_end=2027)
services.add_member(owner, s, users["observer@example.org"], "observer")
services.import_profile_evidence(owner, s)
print(s.pk, ",".join(d.codes for d in activate_priorities(owner, s)))
"""

#: (name, level, tool group, territory, target groups, priority label, budgets, funding)
INSTRUMENTS = (
    ("Tourism collaboration call (illustrative)", "Regional", "Collaborative actions",
     "AT33", "SME", "I55", "2024: 1200000\n2025: 1300000", "ERDF: 0.4\nregional: 0.6"),
    ("National tourism programme (illustrative)", "National", "Collaborative actions",
     "AT", "SME;research", "I55", "2024: 3000000", "national: 0.8\nprivate: 0.2"),
    ("Mechatronics cluster platform (illustrative)", "Regional",
     "Support to cluster organisations", "AT33", "all", "C28", "2024: 250000",
     "ERDF: 0.5\nregional: 0.5"),
)  # fmt: skip


def test_register_three_instruments_see_duplication_and_gap_decide(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "ws"
    env = {"RIS3_ADMIN_PASSWORD": PASSWORD, "RIS3_USER_PASSWORD": PASSWORD}
    ris3("workspace", "init", "--db", str(db), "--admin", "admin@example.org", env=env)
    for who in ("owner", "observer"):
        ris3("workspace", "user", "--db", str(db), "--email", f"{who}@example.org", env=env)
    out = subprocess.run(
        [sys.executable, "-c", SETUP, str(db)],
        capture_output=True,
        text=True,
        # the same SQLite workspace as `ris3 workspace init` above, also in a PostgreSQL run
        env={k: v for k, v in os.environ.items() if k != "RIS3_DATABASE_URL"} | {"PYTHONPATH": SRC},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    sid_text, codes = out.stdout.split()
    sid = int(sid_text)
    assert codes == "I55,C16,C28"

    with serve(db) as base, sync_playwright() as pw:
        browser = launch(pw)
        watch = Watcher(base)
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "owner@example.org", PASSWORD)

        page.goto(f"{base}/strategies/{sid}/instruments/")
        expect(page.get_by_role("main")).to_contain_text("No instrument registered yet.")
        watch.axe(page)
        for name, level, tool, terr, targets, code, budgets, funding in INSTRUMENTS:
            page.get_by_role("link", name="Register an instrument").click()
            page.locator("#id_name").fill(name)
            page.get_by_label("owner body").fill("Example agency (illustrative)")
            page.get_by_label("governance level").select_option(label=level)
            page.get_by_label("tool group").select_option(label=tool)
            page.get_by_label("orientation").select_option(label="Vertical")
            page.get_by_label("territory (NUTS codes)").fill(terr)
            page.get_by_label("target groups").fill(targets)
            page.locator("#id_priorities").get_by_text(f"({code})").click()
            page.get_by_label("budget by year (EUR)").fill(budgets)
            page.get_by_label("funding shares").fill(funding)
            watch.axe(page)
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Instrument register")
        expect(page.locator("tr.instrument")).to_have_count(3)
        watch.axe(page)

        # the analysis: one duplication (the two tourism calls), one gap (wood products)
        page.goto(f"{base}/strategies/{sid}/policy-mix/")
        dups = page.locator("li.duplication").all_inner_texts()
        assert len(dups) == 1, dups
        assert dups[0].startswith(
            "Accommodation (I55): National tourism programme (illustrative) (national) and "
            "Tourism collaboration call (illustrative) (regional)"
        ), dups
        gaps = page.locator("li.gap").all_inner_texts()
        assert len(gaps) == 1 and gaps[0].startswith("Manufacture of wood"), gaps
        assert "(C16): no instrument" in gaps[0]
        expect(page.locator("figure.chart svg")).to_have_count(2)
        watch.axe(page)

        # keep the regional call, revise the national one
        for name, decision, why in (
            ("Tourism collaboration call (illustrative)", "Keep", ""),
            ("National tourism programme (illustrative)", "Revise",
             "Overlaps the regional call in Tirol: split the target groups."),
        ):  # fmt: skip
            page.goto(f"{base}/strategies/{sid}/instruments/")
            page.get_by_role("link", name=name).click()
            page.get_by_label("decision").select_option(label=decision)
            page.get_by_label("rationale").fill(why)
            watch.axe(page)
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Instrument register")
        decisions = page.locator("td.decision").all_inner_texts()
        assert decisions[0] == "not decided", decisions
        assert decisions[1].startswith("Revise: Overlaps the regional call"), decisions
        assert decisions[2] == "Keep", decisions

        for tail in ("advisor/", "advisor/region/", "assessments/", "assessments/strategy/",
                     "instruments/import/"):  # fmt: skip
            resp = page.goto(f"{base}/strategies/{sid}/{tail}")
            assert resp is not None and resp.status == 200, tail
            watch.axe(page)
        expect(page.get_by_role("main")).to_contain_text("CSV or Excel file")
        page.goto(f"{base}/strategies/{sid}/advisor/")
        expect(page.get_by_role("main")).to_contain_text("nama_10r_2gdp")
        assert page.locator("li.advice").count() > 0
        ctx.close()

        # the observer sees the analysis, not the register's forms
        ctx = browser.new_context()
        page = ctx.new_page()
        watch.attach(page)
        log_in(page, base, "observer@example.org", PASSWORD)
        resp = page.goto(f"{base}/strategies/{sid}/policy-mix/")
        assert resp is not None and resp.status == 200
        expect(page.locator("li.duplication")).to_have_count(1)
        refused = f"{base}/strategies/{sid}/instruments/new/"
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
    assert len(watch.checked) == 14 and min(watch.checked.values()) > 10
