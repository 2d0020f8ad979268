"""Screenshots of the workspace's main pages for the README, from the demo strategy.

Makes the demo workspace (``ris3 workspace demo``: the real AT33 profile as
evidence, illustrative stakeholders and events) in a temporary folder, serves
it on 127.0.0.1, logs in as the demo facilitator in Debian's Chromium and
saves PNGs of the strategy overview, a stakeholder import preview (a small
illustrative CSV with one row rejected) and the participation matrix to
``docs/``. Run from the repository root:

    PYTHONPATH=src python scripts/workspace_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "workspace"))

from browser_support import Watcher, launch, log_in, ris3, serve  # noqa: E402

PASSWORD = "Demo-screens-7-Larch"
#: illustrative rows (invented people and addresses); the last lacks a valid e-mail
CSV = """name,email,organisation,helix,role,public_private,consent,nuts,nace
Hanna Riedl,h.riedl@holz.example.org,Holzcluster Tirol,Wirtschaft,Cluster manager,private,ja,AT335,C16
Moritz Falk,m.falk@uni.example.org,Universität Innsbruck,research,Professor,public,yes,AT332,P85
Ida Sommer,ida@klima.example.org,Klimabündnis Tirol,civil society,Coordinator,private,yes,AT33,S94
Otto Brandl,otto@,Brandl Elektronik GmbH,business,Owner,private,yes,AT332,C26
"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs"
    with tempfile.TemporaryDirectory(prefix="ris3-shots-") as tmp:
        db = Path(tmp) / "ws"
        ris3("workspace", "demo", "--db", str(db), env={"RIS3_DEMO_PASSWORD": PASSWORD})
        csv_file = Path(tmp) / "illustrative-stakeholders.csv"
        csv_file.write_text(CSV, encoding="utf-8")
        with serve(db) as base, sync_playwright() as pw:
            browser = launch(pw)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            watch = Watcher(base)
            watch.attach(page)
            log_in(page, base, "facilitator@example.org", PASSWORD)
            page.goto(base + "/strategies/1/")
            page.screenshot(path=out / "workspace-overview.png", full_page=True)
            page.goto(base + "/strategies/1/stakeholders/import/")
            page.get_by_label("CSV or Excel file").set_input_files(csv_file)
            page.get_by_role("button", name="Preview").click()
            page.wait_for_load_state()
            page.screenshot(path=out / "workspace-import-preview.png", full_page=True)
            page.goto(base + "/strategies/1/participation/")
            # the gaps and the matrix; the capture table below runs on
            page.screenshot(path=out / "workspace-participation.png")
            browser.close()
        problems = watch.page_errors + watch.console_errors + watch.foreign_requests
        if problems:
            raise SystemExit(f"the pages had problems: {problems}")
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
