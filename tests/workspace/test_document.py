"""The strategy document: every table in the workbook, an offline HTML page, a PDF that
opens, no personal data, no file left behind by a failed export, the pages and the CLI."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from ris3.errors import InputError, OptionalDependencyError
from ris3.report.browser import chromium_path
from ris3.workspace.document import export
from ris3.workspace.document.sections import document_sections, export_strategy
from ris3.workspace.models import Domain
from ris3.workspace.monitoring import services

#: what no export may contain: the world's stakeholder (name and e-mail address)
PERSONAL = ("Person A", "a@org.example")
#: a stand-in for the Vega bundle where the test needs no charts drawn
NO_BUNDLE = "/* vega bundle left out */"


@pytest.fixture
def strategy(world: dict[str, Any], db: None) -> Any:
    """The world's strategy with a priority, two indicators (one illustrative) and data."""
    s = world["strategy"]
    owner = world["users"]["owner"]
    d = Domain.objects.create(
        strategy=s, title="Accommodation", codes="I55", origin="t", status="active"
    )
    ind = services.add_indicator(
        owner,
        s,
        domain=d,
        name="Firms in projects",
        kind="output",
        definition="d",
        unit="firms",
        source="s",
        baseline_year=2020,
        baseline_value=0.0,
        targets=[(2022, 20.0), (2026, 60.0)],
    )
    services.add_observation(owner, ind, when="2024-01-01", value=30.0)
    services.add_indicator(
        owner,
        s,
        domain=d,
        name="Invented result",
        kind="result",
        definition="d",
        unit="%",
        source="s",
        illustrative=True,
    )
    return s


def test_sections_core_then_parts(strategy: Any) -> None:
    keys = [s.key for s in document_sections(strategy)]
    assert keys[:3] == ["evidence", "stakeholders", "domains"]
    assert {"monitoring", "scorecard"} <= set(keys)
    by_key = {s.key: s for s in document_sections(strategy)}
    assert by_key["monitoring"].illustrative and by_key["scorecard"].illustrative
    assert not by_key["domains"].illustrative
    helix = by_key["stakeholders"].tables["participants by helix"].set_index("helix")
    assert (
        helix.loc["business", "stakeholders"] == 1 and helix.loc["business", "organisations"] == 1
    )


def test_xlsx_has_a_sheet_for_every_table(strategy: Any, tmp_path: Path) -> None:
    sections = document_sections(strategy)
    out = export_strategy(strategy, tmp_path / "doc.xlsx")
    wb = openpyxl.load_workbook(out)
    sheets = export.workbook_sheets(sections)
    n_tables = sum(len(s.tables) for s in sections)
    assert len(sheets) == n_tables >= 12
    assert wb.sheetnames == ["contents", *[name for name, _, _ in sheets]]
    tables = {(s.title, name): df for s in sections for name, df in s.tables.items()}
    for sheet, section, table in sheets:
        rows = list(wb[sheet].iter_rows(values_only=True))
        df = tables[(section, table)]
        assert list(rows[0]) == [str(c) for c in df.columns], sheet
        assert len(rows) - 1 == len(df), sheet
    # values at full precision, missing cells empty (not 0)
    card_sheet = next(n for n, sec, t in sheets if t == "scorecard")
    rows = list(wb[card_sheet].iter_rows(values_only=True))
    head = rows[0]
    firms = dict(zip(head, next(r for r in rows if r[0] == "Firms in projects")))
    assert firms["progress"] == 0.75 and firms["status"] == "at_risk"
    invented = dict(zip(head, next(r for r in rows if r[0] == "Invented result")))
    assert invented["progress"] is None and invented["illustrative"] is True
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    assert not any(p in text for p in PERSONAL)


def test_html_is_offline_labelled_and_names_no_person(strategy: Any, tmp_path: Path) -> None:
    out = export_strategy(strategy, tmp_path / "doc.html")
    html = out.read_text(encoding="utf-8")
    # nothing to fetch: no attribute or CSS import points at another host
    links = re.findall(r"""(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]+)""", html)
    assert [u for u in links if re.match(r"(?:https?:)?//", u)] == []
    assert "<link" not in html and "@import" not in html and "<iframe" not in html
    assert "vegaEmbed" in html  # the chart libraries are inlined
    assert html.count('class="banner illustrative"') == 2  # monitoring and scorecard
    assert "Firms in projects" in html and "at_risk" in html
    assert not any(p in html for p in PERSONAL)


def test_failed_export_leaves_no_file(
    strategy: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, title: str, sections: Any) -> None:
        Path(path).write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "write_xlsx", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        export_strategy(strategy, tmp_path / "doc.xlsx")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match=r"must end in .html, .pdf or .xlsx; got doc.docx"):
        export_strategy(strategy, tmp_path / "doc.docx")
    assert list(tmp_path.iterdir()) == []


def test_pdf_without_chromium_is_a_clear_error(
    strategy: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ris3.report.browser as browser

    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    monkeypatch.setattr(export, "to_html", lambda *a, **k: "<!DOCTYPE html><title>x</title>")
    with pytest.raises(OptionalDependencyError, match="needs Debian's chromium"):
        export_strategy(strategy, tmp_path / "doc.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_pdf_opens_and_html_draws_every_chart(strategy: Any, tmp_path: Path) -> None:
    if chromium_path() is None:
        pytest.skip("/usr/bin/chromium is absent (install with scripts/setup-system.sh)")
    from ris3.report.browser import open_report

    html = export_strategy(strategy, tmp_path / "doc.html")
    check = open_report(html)
    assert check.blocked_requests == [] and check.page_errors == []
    assert check.expected == len(check.rendered) >= 1 and check.ok
    pdf = export_strategy(strategy, tmp_path / "doc.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.html", "doc.pdf"]


def test_download_pages(strategy: Any, world: dict[str, Any]) -> None:
    c = Client()
    c.force_login(world["users"]["stakeholder"])
    url = reverse("document_download", args=[strategy.pk])
    resp = c.get(url + "?format=xlsx")
    assert resp.status_code == 200
    assert resp["Content-Disposition"].endswith(f'strategy-AT33-{strategy.pk}.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames[0] == "contents" and len(wb.sheetnames) > 10
    assert c.get(url + "?format=doc").status_code == 400
    page = c.get(reverse("document_page", args=[strategy.pk])).content.decode()
    assert "Monitoring framework" in page and "Download PDF" in page


def test_cli_exports_the_demo(tmp_path: Path) -> None:
    from browser_support import ris3

    db = tmp_path / "ws"
    env = {"RIS3_DEMO_PASSWORD": "Lw4-granite-Meadow"}
    ris3("workspace", "demo", "--db", str(db), env=env)
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"tirol.{fmt}"
        done = ris3("workspace", "document", "--db", str(db), "--strategy", "1", "-o", str(out))
        assert "strategy document of AT33 written to" in done.stdout
        assert out.stat().st_size > 1000
    wb = openpyxl.load_workbook(tmp_path / "tirol.xlsx")
    contents = list(wb["contents"].iter_rows(values_only=True))[2:]
    illustrative = {r[1] for r in contents if r[4] == "yes"}
    assert {"Monitoring framework", "Scorecard", "Stakeholders and engagement"} <= illustrative
    assert "Priority domains" not in illustrative
    # computed indicators (employment, LQ, stars) of the three demo priorities that the
    # demo's instrument register makes active, from the real data of 2013 and 2014
    obs = list(wb["monitoring observations"].iter_rows(values_only=True))
    head = obs[0]
    computed = [dict(zip(head, r)) for r in obs[1:] if r[head.index("provenance")] == "computed"]
    assert len(computed) == 3 * 3 * 2
    emp = {
        (r["indicator"], r["date"].year): r["value"]
        for r in computed
        if "employment" in r["indicator"]
    }
    assert emp[("Accommodation: employment (computed)", 2014)] == 32624
    with pytest.raises(RuntimeError, match="no such strategy"):
        ris3("workspace", "document", "--db", str(db), "--strategy", "99", "-o", str(out))
    with pytest.raises(RuntimeError, match=r"-o must end in .html, .pdf or .xlsx"):
        ris3("workspace", "document", "--db", str(db), "--strategy", "1", "-o", "x.doc")
