"""A workspace server in a subprocess and Chromium pages that check themselves.

Used by the browser test and by ``scripts/workspace_screenshots.py``:
:func:`serve` starts ``ris3 workspace serve`` on a free loopback port;
:class:`Watcher` records uncaught JavaScript errors, console errors and every
request to a host other than the server, and runs axe-core (installed by
``make setup`` from the npm package into ``.axe/``, never from a CDN) on a page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SRC = str(ROOT / "src")
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
#: axe impacts that fail the test
BLOCKING = ("serious", "critical")


def ris3(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``ris3`` command with this checkout's source; fail loudly."""
    full_env = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    full_env.pop("RIS3_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-m", "ris3.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )
    if out.returncode != 0:
        raise RuntimeError(f"ris3 {' '.join(args)} failed: {out.stderr.strip()[-500:]}")
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """``ris3 workspace serve`` on 127.0.0.1 and a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": SRC, **(extra_env or {})}
    env.pop("RIS3_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "ris3.cli", "workspace", "serve", "--db", str(db)]
    # the server's log goes to a file: a pipe nobody reads would fill up and stop the server
    log_path = db.parent / f"server-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-500:]
                raise RuntimeError(f"the server stopped: {tail}")
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not answer within 30 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


@dataclass
class Watcher:
    """What the pages of one browser context did wrong."""

    base: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: int = 0
    #: page path (with a count when seen again) -> axe violations of blocking impact (id, impact, first target)
    violations: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    #: page path -> number of axe rules checked
    checked: dict[str, int] = field(default_factory=dict)

    def attach(self, page: Any) -> None:
        host = urlsplit(self.base).netloc

        def on_request(req: Any) -> None:
            self.requests += 1
            if urlsplit(req.url).netloc != host:
                self.foreign_requests.append(req.url)

        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: (
                self.console_errors.append(f"{msg.text} at {msg.location.get('url', '')}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("request", on_request)

    def axe(self, page: Any) -> list[tuple[str, str, str]]:
        """Run axe-core on the page as it is now; record and return blocking violations."""
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => { const r = await axe.run(document);"
            " return {n: r.passes.length + r.violations.length + r.incomplete.length,"
            " v: r.violations.map(v => [v.id, v.impact, v.nodes[0].target.join(' ')])}; }"
        )
        path = urlsplit(page.url).path
        # a page seen twice (a form and its result) keeps both checks
        n = sum(1 for k in self.checked if k.split(" ")[0] == path)
        path = f"{path} ({n + 1})" if n else path
        bad = [tuple(v) for v in result["v"] if v[1] in BLOCKING]
        self.violations[path] = bad  # type: ignore[assignment]
        self.checked[path] = int(result["n"])
        return bad  # type: ignore[return-value]


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing downloaded by Playwright."""
    from ris3.report.browser import CHROMIUM_ARGS, chromium_path

    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS)
    )


def log_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
