"""Open a report in headless Chromium: check the charts, take a screenshot, print a PDF.

Uses Playwright's Python package to drive the system's Chromium
(``/usr/bin/chromium``, Debian's ``chromium`` package; ``make setup`` installs
it). Nothing is downloaded: requests other than ``file:`` URLs are blocked and
reported, which also proves the report needs no CDN.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ris3.errors import OptionalDependencyError

__all__ = ["CHROMIUM_ARGS", "PageCheck", "chromium_path", "open_report"]

CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """Path of the system Chromium, or None when it is not installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@dataclass
class PageCheck:
    """What the browser saw when it opened a report.

    Attributes
    ----------
    expected : int
        Charts the page declares.
    rendered : list of str
        Names of the charts vega-embed drew without error.
    chart_errors, page_errors, console_errors : list of str
        Errors reported by vega-embed, uncaught JavaScript errors, and
        console messages of level "error".
    blocked_requests : list of str
        Non-file URLs the page tried to load (an offline report has none).
    svg_counts : dict
        Number of ``<svg>`` (or ``<canvas>``) elements in each chart's container.
    titles : dict
        Title texts drawn in each chart.
    """

    expected: int = 0
    rendered: list[str] = field(default_factory=list)
    chart_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    svg_counts: dict[str, int] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every chart drew and nothing went wrong."""
        return (
            len(self.rendered) == self.expected
            and not (self.chart_errors or self.page_errors or self.console_errors)
            and not self.blocked_requests
            and all(n > 0 for n in self.svg_counts.values())
        )


_COLLECT = """
() => {
  const out = {svg: {}, titles: {}};
  document.querySelectorAll('[data-chart]').forEach(el => {
    const name = el.getAttribute('data-chart');
    out.svg[name] = el.querySelectorAll('svg, canvas').length;
    out.titles[name] = Array.from(el.querySelectorAll('.role-title-text text'))
      .map(t => t.textContent).filter(t => t);
  });
  return out;
}
"""


def open_report(
    html_path: str | Path,
    *,
    screenshot: str | Path | None = None,
    pdf: str | Path | None = None,
    timeout_s: float = 90.0,
    viewport: tuple[int, int] = (1280, 900),
) -> PageCheck:
    """Open ``html_path`` in headless Chromium and wait until every chart has drawn.

    Parameters
    ----------
    html_path : str or Path
        The report's HTML file.
    screenshot : path, optional
        Write a PNG of the top of the page (the viewport) here.
    pdf : path, optional
        Print the whole page to this PDF file (A4).
    timeout_s : float
        Seconds to wait for the charts.

    Returns
    -------
    PageCheck

    Raises
    ------
    OptionalDependencyError
        Playwright or the system Chromium is missing.
    """
    exe = chromium_path()
    if exe is None:
        raise OptionalDependencyError(
            "opening the report in a browser needs Debian's chromium at /usr/bin/chromium "
            "(run `bash scripts/setup-system.sh` as root, or `make setup`)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise OptionalDependencyError(
            "opening the report in a browser needs playwright: pip install 'ris3[browser]'"
        ) from exc

    check = PageCheck()
    url = Path(html_path).resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})

            def _route(route: Any) -> None:
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    check.blocked_requests.append(route.request.url)
                    route.abort()

            page.route("**/*", _route)
            page.on("pageerror", lambda exc: check.page_errors.append(str(exc)))
            page.on(
                "console",
                lambda msg: check.console_errors.append(msg.text) if msg.type == "error" else None,
            )
            page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            page.wait_for_function(
                "window.ris3Charts && window.ris3Charts.done", timeout=timeout_s * 1000
            )
            state = page.evaluate("window.ris3Charts")
            check.expected = int(state["expected"])
            check.rendered = list(state["rendered"])
            check.chart_errors = list(state["errors"])
            seen = page.evaluate(_COLLECT)
            check.svg_counts = {k: int(v) for k, v in seen["svg"].items()}
            check.titles = {k: list(v) for k, v in seen["titles"].items()}
            if screenshot is not None:
                Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=False)
            if pdf is not None:
                Path(pdf).parent.mkdir(parents=True, exist_ok=True)
                page.emulate_media(media="print")
                page.pdf(path=str(pdf), format="A4", print_background=True)
        finally:
            browser.close()
    return check
