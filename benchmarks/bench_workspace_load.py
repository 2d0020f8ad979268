"""Load test of the strategy workspace: 50 concurrent clients for 60 s on loopback.

Builds a workspace with 10,000 stakeholders (in 200 organisations) and 1,000
engagements (10 attendees each, linked to one step), serves it with
``ris3 workspace serve`` (waitress) on 127.0.0.1, and runs concurrent clients
of mixed reads and writes, each a signed-in facilitator with a session cookie
(pages and forms, CSRF token included) and an API token:

* page reads: strategy overview, stakeholder list, engagement list,
  participation, domains;
* API reads: the strategy, its stakeholders, engagements, participation;
* writes: a stakeholder added through the API, a contact logged through the
  page's form (GET the form, POST it with its CSRF token).

Each client waits a random think time between requests, as a person does
(uniform between 0.5 and 1.5 times ``--think``, default 1 s); the run is bounded by time and by a request count per client.
Afterwards the rows are counted in the database: every write the server
answered with success must be there (zero lost writes), and no answer may be
a 5xx. Traffic goes to 127.0.0.1 only.

The database is filled with Django's ``bulk_create`` inside one transaction,
with one audit record per bulk as :func:`ris3.workspace.services.import_stakeholders`
writes one per import (``action="import"``, the created ids in ``after``);
going through the services one record at a time would take minutes.

With ``--parts`` the workspace's parts are filled too (instruments with
budgets and funding, indicators with targets and observations, a call with
proposals and assignments, a survey with responses, decisions and a scoring
run; see ``workspace_load_parts.py``) and half of each client's requests go
to them: their main pages and API reads, and writes through their audited
services (an observation and an instrument added through the API, an
instrument edited and a decision recorded through the pages' forms with the
version the form carries). Afterwards every acknowledged write of the parts
must be in the database with its audit record; a 409 (someone saved first)
is counted as a conflict, not as a write.

Usage::

    PYTHONPATH=src python benchmarks/bench_workspace_load.py            # SQLite
    PYTHONPATH=src python benchmarks/bench_workspace_load.py --postgres # temporary PostgreSQL
    PYTHONPATH=src python benchmarks/bench_workspace_load.py --parts    # with the parts
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-ledger-42-Spruce"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on 127.0.0.1 (as scripts/test-workspace-postgres.sh)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        raise SystemExit("PostgreSQL not found (install Debian's postgresql)")
    pg = bins[-1]
    folder = Path(tempfile.mkdtemp(prefix="ris3-bench-pg-"))
    run_as: list[str] = []
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = folder / "data"
    try:
        subprocess.run(
            [*run_as, str(pg / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--no-locale"],
            check=True,
            capture_output=True,
        )
        opts = f"-p {port} -k {folder} -c listen_addresses={HOST} -c max_connections=200"
        subprocess.run(
            [*run_as, str(pg / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w"]
            + ["-o", opts, "start"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*run_as, str(pg / "psql"), "-h", str(folder), "-p", str(port), "-U", "postgres"]
            + ["-q", "-c", "CREATE DATABASE ris3"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql://postgres@{HOST}:{port}/ris3"
    finally:
        subprocess.run(
            [*run_as, str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ the database


def build(
    folder: Path, url: str | None, n_people: int, n_engagements: int, parts: bool = False
) -> dict[str, Any]:
    """Create the workspace and fill it in bulk; the ids the clients need."""
    from ris3.workspace import runtime

    runtime.make_secret_key(folder)
    runtime.setup(folder, url)
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", interactive=False, verbosity=0)
    from ris3.workspace import identity, services
    from ris3.workspace.models import (
        Attendance,
        AuditLog,
        Engagement,
        Organisation,
        Stakeholder,
    )

    user = identity.create_user("facilitator@example.org", PASSWORD)
    strategy = services.create_strategy(
        user, region_code="AT33", name="Load test strategy", period_start=2021, period_end=2027
    )
    helices = ["business", "research", "government", "civil_society"]
    rng = random.Random(7)
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            Organisation(strategy=strategy, name=f"Org {i:03d}", helix=helices[i % 4])
            for i in range(200)
        )
        people = Stakeholder.objects.bulk_create(
            Stakeholder(
                strategy=strategy,
                name=f"Person {i:05d}",
                email=f"p{i:05d}@example.org",
                organisation=orgs[i % len(orgs)],
                consent_contact=True,
            )
            for i in range(n_people)
        )
        person_ids = [p.pk for p in Stakeholder.objects.filter(strategy=strategy)]
        steps = list(strategy.steps.all())
        start = date(2022, 1, 3)
        engagements = Engagement.objects.bulk_create(
            Engagement(
                strategy=strategy,
                kind="edp_focus_group",
                title=f"Focus group {i:04d}",
                date=start + timedelta(days=i % 900),
            )
            for i in range(n_engagements)
        )
        engagements = list(Engagement.objects.filter(strategy=strategy))
        link = Engagement.steps.through
        link.objects.bulk_create(
            link(engagement_id=e.pk, step_id=steps[i % len(steps)].pk)
            for i, e in enumerate(engagements)
        )
        Attendance.objects.bulk_create(
            Attendance(engagement=e, stakeholder_id=pid)
            for e in engagements
            for pid in rng.sample(person_ids, 10)
        )
        for kind, ids in (("Stakeholder", person_ids), ("Engagement", [e.pk for e in engagements])):
            AuditLog.objects.create(
                user=user,
                strategy=strategy,
                action="import",
                object_type="Strategy",
                object_id=str(strategy.pk),
                after={"bulk": kind, "created": len(ids)},
            )
    del people
    ids: dict[str, Any] = {
        "strategy": strategy.pk,
        "org": orgs[0].name,
        "people": person_ids,
        "token": identity.issue_token(user),
    }
    if parts:
        import workspace_load_parts

        ids["parts"] = workspace_load_parts.seed(user, strategy, rng)
    ids["audit_since"] = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    return ids


def count_writes(strategy_id: int) -> dict[str, int]:
    from django.db import connections

    from ris3.workspace.models import ContactLog, Stakeholder

    connections.close_all()
    return {
        "stakeholder": Stakeholder.objects.filter(
            strategy_id=strategy_id, name__startswith="Load "
        ).count(),
        "contact": ContactLog.objects.filter(note__startswith="load ").count(),
    }


# ------------------------------------------------------------------ the clients


class Client:
    """One person at a browser and a script with a token, on a keep-alive connection."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt:
                    raise
        for header in resp.headers.get_all("Set-Cookie") or []:
            for k, morsel in SimpleCookie(header).items():
                self.cookies[k] = morsel.value
        return resp.status, text

    def form(self, path: str, fields: dict[str, str] | list[tuple[str, str]], token: str) -> int:
        from urllib.parse import urlencode

        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        body = urlencode([*pairs, ("csrfmiddlewaretoken", token)]).encode()
        status, _ = self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        return status

    def log_in(self) -> None:
        status, html = self.request("GET", "/accounts/login/")
        status = self.form(
            "/accounts/login/",
            {"username": "facilitator@example.org", "password": PASSWORD},
            csrf(html),
        )
        if status != 302:
            raise RuntimeError(f"login answered {status}")


def csrf(html: str) -> str:
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if m is None:
        raise RuntimeError("no CSRF token in the form")
    return m.group(1)


def run_clients(
    port: int,
    ids: dict[str, Any],
    n_clients: int,
    seconds: float,
    max_requests: int,
    think: float = 1.0,
) -> dict[str, Any]:
    sid = ids["strategy"]
    pages = [
        f"/strategies/{sid}/",
        f"/strategies/{sid}/stakeholders/",
        f"/strategies/{sid}/engagements/",
        f"/strategies/{sid}/participation/",
        f"/strategies/{sid}/domains/",
    ]
    reads = [
        f"/api/strategies/{sid}",
        f"/api/strategies/{sid}/stakeholders",
        f"/api/strategies/{sid}/engagements",
        f"/api/strategies/{sid}/participation",
    ]
    parts = ids.get("parts")
    if parts is not None:
        import workspace_load_parts as wp

        part_pages, part_reads = wp.pages(sid, parts), wp.reads(sid, parts)
    lock = threading.Lock()
    latency: dict[str, list[float]] = {"page": [], "api": [], "write": []}
    if parts is not None:
        latency.update({"part page": [], "part api": [], "part write": []})
    # the markers of the parts' writes the server acknowledged, by kind
    acked: dict[str, set[str]] = {
        k: set() for k in ("observation", "instrument", "instrument_edit", "decision")
    }
    conflicts: dict[str, int] = {}
    by_path: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    ok_writes = {"stakeholder": 0, "contact": 0}
    errors: list[str] = []
    clients = [Client(port, ids["token"]) for _ in range(n_clients)]
    for c in clients:
        c.log_in()
    start_at = time.monotonic()
    deadline = start_at + seconds

    def timed(kind: str, label: str, call: Any, *args: Any, **kwargs: Any) -> int:
        t0 = time.perf_counter()
        status = call(*args, **kwargs)
        status = status[0] if isinstance(status, tuple) else status
        dt = time.perf_counter() - t0
        with lock:
            latency[kind].append(dt)
            by_path.setdefault(label, []).append(dt)
            statuses[status] = statuses.get(status, 0) + 1
        return int(status)

    class PartClient:
        """The client as the parts' workload sees it: its writes timed as "part write"."""

        def __init__(self, c: Client) -> None:
            self.request = c.request
            self.c = c

        def timed_request(self, label: str, *args: Any) -> int:
            return timed("part write", label, self.c.request, *args)

        def timed_form(self, label: str, path: str, fields: Any, token: str) -> int:
            return timed("part write", label, self.c.form, path, fields, token)

    def part_request(rng: random.Random, k: int, i: int, roll: float, bearer: dict) -> None:
        if roll < 0.20:
            label, p = rng.choice(part_pages)
            timed("part page", label, c_of[k].request, "GET", p)
        elif roll < 0.38:
            label, p = rng.choice(part_reads)
            timed("part api", label, c_of[k].request, "GET", p, headers=bearer)
        else:
            label, kind, status, ok = wp.write(
                PartClient(c_of[k]), sid, parts, rng, f"load {k}-{i}", bearer
            )
            with lock:
                if ok:
                    acked[kind].add(f"load {k}-{i}")
                elif status == 409:
                    conflicts[label] = conflicts.get(label, 0) + 1

    c_of = clients

    def worker(k: int) -> None:
        c = clients[k]
        rng = random.Random(k)
        bearer = {"Authorization": f"Bearer {ids['token']}"}
        for i in range(max_requests):
            if time.monotonic() >= deadline:
                return
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            roll = rng.random()
            try:
                if parts is not None:
                    # half the traffic on the parts (20 % pages, 18 % API, 12 % writes) ...
                    if roll < 0.5:
                        part_request(rng, k, i, roll, bearer)
                        continue
                    # ... and half on the core, in the core's proportions
                    roll = (roll - 0.5) / 0.5
                if roll < 0.45:
                    p = rng.choice(pages)
                    timed("page", p.split("/", 3)[-1] or "overview", c.request, "GET", p)
                elif roll < 0.80:
                    p = rng.choice(reads)
                    label = "api " + (p.split("/", 4)[4:] or ["strategy"])[0]
                    timed("api", label, c.request, "GET", p, headers=bearer)
                elif roll < 0.90:
                    body = json.dumps({"name": f"Load {k}-{i}", "organisation": ids["org"]})
                    status = timed(
                        "write",
                        "api add stakeholder",
                        c.request,
                        "POST",
                        f"/api/strategies/{sid}/stakeholders",
                        body.encode(),
                        {**bearer, "Content-Type": "application/json"},
                    )
                    if status == 201:
                        with lock:
                            ok_writes["stakeholder"] += 1
                else:
                    pid = rng.choice(ids["people"])
                    path = f"/strategies/{sid}/stakeholders/{pid}/contacts/new/"
                    _, html = c.request("GET", path)
                    fields = {"date": "2025-05-05", "channel": "phone", "note": f"load {k}-{i}"}
                    status = timed("write", "form log contact", c.form, path, fields, csrf(html))
                    if status == 302:
                        with lock:
                            ok_writes["contact"] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.monotonic() - start_at

    def pct(xs: list[float], q: float) -> float | None:
        if not xs:
            return None
        if len(xs) == 1:
            return round(1000 * xs[0], 1)
        return round(1000 * statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1], 1)

    return {
        "elapsed_s": round(elapsed, 1),
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "errors": errors[:10],
        "n_errors": len(errors),
        "ok_writes": ok_writes,
        **({"part_writes_acked": acked, "part_conflicts": conflicts} if parts is not None else {}),
        "latency_ms": {
            k: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95)} for k, v in latency.items()
        },
        "by_path_ms": {
            k: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95)}
            for k, v in sorted(by_path.items())
        },
    }


@contextmanager
def server(folder: Path, url: str | None, threads: int) -> Iterator[int]:
    port = free_port()
    # the server runs the same ris3 as this script (PYTHONPATH, else this checkout)
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src")}
    env.pop("RIS3_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "ris3.cli", "workspace", "serve", "--db", str(folder)]
    cmd += ["--host", HOST, "--port", str(port), "--threads", str(threads)]
    if url:
        cmd += ["--database-url", url]
    # the server's log goes to a file: a pipe nobody reads fills up and stops the server
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(300):
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("the server stopped") from None
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postgres", action="store_true", help="run on a temporary PostgreSQL")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--max-requests", type=int, default=200, help="per client")
    ap.add_argument("--stakeholders", type=int, default=10_000)
    ap.add_argument("--engagements", type=int, default=1_000)
    ap.add_argument("--threads", type=int, default=8, help="server worker threads")
    ap.add_argument("--think", type=float, default=1.0, help="mean think time per client (s)")
    ap.add_argument(
        "--parts",
        action="store_true",
        help="seed the workspace's parts too and send half the traffic to their pages, "
        "API and audited writes (benchmarks/workspace_load_parts.py)",
    )
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ris3-bench-ws-"))
    try:
        with temporary_postgres() if args.postgres else _nothing() as url:
            t0 = time.perf_counter()
            ids = build(folder, url, args.stakeholders, args.engagements, args.parts)
            built = time.perf_counter() - t0
            with server(folder, url, args.threads) as port:
                result = run_clients(
                    port, ids, args.clients, args.seconds, args.max_requests, args.think
                )
            counted = count_writes(ids["strategy"])
            if args.parts:
                import workspace_load_parts

                acked = result.pop("part_writes_acked")
                part_check = workspace_load_parts.check(acked, ids["audit_since"])
            if any(s >= 500 for s in result["statuses"]):
                # keep the server's log (its tracebacks) for the 5xx answers
                kept = Path(tempfile.mkdtemp(prefix="ris3-bench-log-")) / "server.log"
                shutil.copy(folder / "server.log", kept)
                result["server_log"] = str(kept)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "build_s": round(built, 1),
        "clients": args.clients,
        "think_s": args.think,
        **result,
        "counted_writes": counted,
        "lost_writes": {k: result["ok_writes"][k] - counted[k] for k in counted},
        "server_5xx": sum(n for s, n in result["statuses"].items() if s >= 500),
    }
    if args.parts:
        result["part_writes"] = part_check
        result["part_lost_writes"] = sum(
            v["missing"] + v["without_audit"] for v in part_check.values()
        )
    print(json.dumps(result, indent=1))


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()
