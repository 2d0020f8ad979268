"""Load test of the survey answer pages: 200 concurrent respondents for 60 s on loopback.

Builds a workspace with one open survey (a domain x rating matrix over 10
domains, a single-choice and a Likert question) and one personal link per
respondent, serves it with ``ris3 workspace serve`` (waitress) on
127.0.0.1, and runs ``--clients`` concurrent respondents. Each respondent
has a token of its own: it opens the answer page (GET, which sets the CSRF
cookie), thinks (uniform between 0.5 and 1.5 times ``--think``), and sends
its answers (POST); with probability ``--double`` it sends the same answers
again at once (a double click or a retry), which the server must refuse
(409). A client then takes its next token (a new respondent) until the time
is up. Each request uses a new connection (``Connection: close``), as
respondents on different machines do.

Afterwards the responses are counted in the database: every submission the
server confirmed must be stored (lost = 0), no link may have two responses
and no second submission may be confirmed (duplicated = 0), and every
stored response must have all its answers. Traffic goes to 127.0.0.1 only.

Usage::

    PYTHONPATH=src python benchmarks/bench_survey_load.py            # SQLite
    PYTHONPATH=src python benchmarks/bench_survey_load.py --postgres # temporary PostgreSQL
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_workspace_load import HOST, _nothing, server, temporary_postgres  # noqa: E402

PASSWORD = "Bench-ledger-42-Spruce"
N_DOMAINS = 10


def build(folder: Path, url: str | None, n_tokens: int) -> dict[str, Any]:
    """The workspace, the survey and ``n_tokens`` personal links (tokens kept here only)."""
    from ris3.workspace import runtime

    runtime.make_secret_key(folder)
    runtime.setup(folder, url)
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", interactive=False, verbosity=0)
    from ris3.workspace import identity
    from ris3.workspace import services as core
    from ris3.workspace.models import AuditLog, Domain
    from ris3.workspace.surveys import services
    from ris3.workspace.surveys.models import Invitation, Survey

    user = identity.create_user("facilitator@example.org", PASSWORD)
    strategy = core.create_strategy(
        user, region_code="AT33", name="Survey load test", period_start=2021, period_end=2027
    )
    domains = [
        Domain.objects.create(
            strategy=strategy, title=f"Domain {i:02d}", codes=f"C{10 + i}", origin="bench"
        )
        for i in range(N_DOMAINS)
    ]
    s = services.create_survey(user, strategy, step=strategy.steps.get(number=4), title="Load")
    matrix = services.add_question(user, s, kind="matrix", code="strength", text="Strength")
    single = services.add_question(
        user, s, kind="single", code="size", text="Size", choices=["small", "large"]
    )
    likert = services.add_question(user, s, kind="likert", code="involved", text="Involved")
    s = core.update(user, Survey.objects.get(pk=s.pk), s.version, {"status": "open"})
    tokens = [services.new_token() for _ in range(n_tokens)]
    with transaction.atomic():
        # in bulk, with one audit record, as services.issue_links writes one per batch
        Invitation.objects.bulk_create(
            Invitation(survey=s, token_hash=identity.hash_token(t), prefix=t[:8]) for t in tokens
        )
        AuditLog.objects.create(user=user, strategy=strategy, action="links", object_type="Survey",
                                object_id=str(s.pk), after={"bulk": len(tokens)})  # fmt: skip
    return {
        "survey": s.pk,
        "tokens": tokens,
        "fields": {"matrix": [f"q{matrix.pk}_d{d.pk}" for d in domains],
                   "single": f"q{single.pk}", "likert": f"q{likert.pk}"},
    }  # fmt: skip


def count(survey_id: int) -> dict[str, Any]:
    from django.db import connections
    from django.db.models import Count

    from ris3.workspace.surveys.models import Answer, Response

    connections.close_all()
    rs = Response.objects.filter(survey_id=survey_id)
    per_link = rs.values("invitation_id").annotate(n=Count("id")).filter(n__gt=1).count()
    answers = (
        Answer.objects.filter(response__survey_id=survey_id)
        .values("response_id")
        .annotate(n=Count("id"))
    )
    return {
        "stored": rs.count(),
        "links_with_two_responses": per_link,
        "hashes": set(rs.values_list("invitation__token_hash", flat=True)),
        "answers_per_response": sorted({a["n"] for a in answers}),
    }


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, str, list[str]]:  # fmt: skip
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        resp = conn.getresponse()
        return (
            resp.status,
            resp.read().decode("utf-8", "replace"),
            resp.headers.get_all("Set-Cookie") or [],
        )
    finally:
        conn.close()


def run_clients(port: int, ids: dict[str, Any], n_clients: int, seconds: float, think: float,
                double: float) -> dict[str, Any]:  # fmt: skip
    tokens: list[str] = ids["tokens"]
    per = len(tokens) // n_clients
    lock = threading.Lock()
    latency: dict[str, list[float]] = {"get form": [], "post answers": [], "post again": []}
    statuses: dict[str, dict[int, int]] = {k: {} for k in latency}
    acked: list[str] = []
    confirmed_twice: list[str] = []
    errors: list[str] = []
    sent = {"answers": 0, "again": 0}
    gate = threading.Barrier(n_clients)
    start_at = [0.0]

    def timed(kind: str, *args: Any, **kwargs: Any) -> tuple[int, str, list[str]]:
        t0 = time.perf_counter()
        out = request(port, *args, **kwargs)
        dt = time.perf_counter() - t0
        with lock:
            latency[kind].append(dt)
            statuses[kind][out[0]] = statuses[kind].get(out[0], 0) + 1
        return out

    def worker(k: int) -> None:
        rng = random.Random(k)
        mine = tokens[k * per : (k + 1) * per]
        gate.wait()
        deadline = start_at[0] + seconds
        for token in mine:
            if time.monotonic() >= deadline:
                return
            path = f"/survey/answer/{token}/"
            try:
                status, html, cookies = timed("get form", "GET", path)
                m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
                if status != 200 or m is None:
                    raise RuntimeError(f"form answered {status}")
                cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
                fields = {"csrfmiddlewaretoken": m.group(1), "helix": rng.choice(["business", "research", "government", "civil_society"]),
                          "sector": rng.choice(["public", "private"]), ids["fields"]["single"]: rng.choice(["small", "large"]),
                          ids["fields"]["likert"]: str(rng.randint(1, 5))}  # fmt: skip
                fields.update({f: str(rng.randint(1, 5)) for f in ids["fields"]["matrix"]})
                body = urlencode(fields).encode()
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
                with lock:
                    sent["answers"] += 1
                status, html, _ = timed("post answers", "POST", path, body, headers)
                if status == 200 and "have been stored" in html:
                    with lock:
                        acked.append(token)
                elif status != 409:
                    raise RuntimeError(f"answers answered {status}")
                if rng.random() < double:
                    with lock:
                        sent["again"] += 1
                    status, html, _ = timed("post again", "POST", path, body, headers)
                    if status == 200:
                        with lock:
                            confirmed_twice.append(token)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_clients)]
    start_at[0] = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 300)
    elapsed = time.monotonic() - start_at[0]

    def pct(xs: list[float], q: int) -> float | None:
        if len(xs) < 2:
            return None
        return round(1000 * statistics.quantiles(xs, n=100, method="inclusive")[q - 1], 1)

    return {
        "elapsed_s": round(elapsed, 1),
        "sent": sent,
        "acked_tokens": acked,
        "confirmed_twice": confirmed_twice,
        "statuses": {k: dict(sorted(v.items())) for k, v in statuses.items()},
        "errors": errors[:10],
        "n_errors": len(errors),
        "latency_ms": {
            k: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95)} for k, v in latency.items()
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postgres", action="store_true", help="run on a temporary PostgreSQL")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument(
        "--think", type=float, default=10.0, help="mean time between form and answers (s)"
    )
    ap.add_argument("--double", type=float, default=0.2, help="share of respondents who send twice")
    ap.add_argument("--tokens-per-client", type=int, default=30)
    ap.add_argument("--threads", type=int, default=8, help="server worker threads")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ris3-bench-survey-"))
    try:
        with temporary_postgres() if args.postgres else _nothing() as url:
            ids = build(folder, url, args.clients * args.tokens_per_client)
            with server(folder, url, args.threads) as port:
                result = run_clients(port, ids, args.clients, args.seconds, args.think, args.double)
            counted = count(ids["survey"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    acked = {hashlib.sha256(t.encode()).hexdigest() for t in result.pop("acked_tokens")}
    twice = result.pop("confirmed_twice")
    stored = counted.pop("hashes")
    out = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "clients": args.clients,
        "think_s": args.think,
        **result,
        "confirmed": len(acked),
        "stored": counted["stored"],
        "lost": len(acked - stored),
        "stored_unconfirmed": len(stored - acked),
        "duplicated": counted["links_with_two_responses"] + len(twice),
        "answers_per_response": counted["answers_per_response"],
        "server_5xx": sum(n for v in result["statuses"].values() for s, n in v.items() if s >= 500),
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
