"""The workspace's parts in the load test (``bench_workspace_load.py --parts``).

:func:`seed` fills the parts in bulk (``bulk_create`` in one transaction,
one audit record per bulk as the parts' import services write one per
import): 20 domains, 400 instruments of the policy mix with budgets for
2021-2027 and two funding sources each, 20 objectives and 400 indicators
with two targets and 20 observations each (8,000 observations), one open
call with 5 criteria, 300 proposals, 3 evaluators per proposal (900
assignments, two thirds submitted with their scores), one open survey with
2,000 responses (a domain rating matrix, a Likert and a single-choice
question, about 40,000 answers), 200 decisions on the domains and one
scoring run stored through :func:`ris3.workspace.priorities.services.run_scoring`.

:data:`PAGES`, :data:`READS` and :func:`write` are the clients' part of the
workload; :func:`check` reads the database afterwards: every write the
server acknowledged must be stored with its audit record.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

N_DOMAINS = 20
N_INSTRUMENTS = 400
N_INDICATORS = 400
N_OBSERVATIONS = 20  # per indicator
N_PROPOSALS = 300
N_RESPONSES = 2_000
N_DECISIONS = 200
YEARS = range(2021, 2028)
TOOL_GROUPS = ("cluster_organisations", "collaborative_actions", "business_environment", "generic")
ACTIONS = ("select", "activate", "review", "keep")


def _instrument_fields(i: int) -> dict[str, str]:
    return {
        "owner_body": f"Agency {i % 12:02d}",
        "level": ("regional", "national", "EU", "local")[i % 4],
        "tool_group": TOOL_GROUPS[i % 4],
        "orientation": ("vertical", "horizontal")[i % 2],
        "territory": "AT33",
        "eligible_beyond": "",
        "target_groups": "SME;research",
        "decision": "keep",
        "exit_benchmark": "",
    }


def seed(user: Any, strategy: Any, rng: random.Random) -> dict[str, Any]:
    """Fill the parts of ``strategy``; the ids the clients need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from ris3.workspace import services as core
    from ris3.workspace.calls import services as calls
    from ris3.workspace.calls.models import Assignment, Call, PanelMember, Proposal, Score
    from ris3.workspace.models import AuditLog, Domain, Membership
    from ris3.workspace.monitoring.models import Indicator, Objective, Observation, Target
    from ris3.workspace.policy.models import Instrument, InstrumentBudget, InstrumentFunding
    from ris3.workspace.priorities import services as priorities
    from ris3.workspace.priorities.models import ACTION_STATUS, Decision
    from ris3.workspace.surveys import services as surveys
    from ris3.workspace.surveys.models import Answer, Response, Survey

    def bulk_audit(kind: str, n: int) -> None:
        AuditLog.objects.create(
            user=user,
            strategy=strategy,
            action="import",
            object_type="Strategy",
            object_id=str(strategy.pk),
            after={"bulk": kind, "created": n},
        )

    statuses = ["active"] * 8 + ["selected"] * 4 + ["candidate"] * 8
    with transaction.atomic():
        Domain.objects.bulk_create(
            Domain(
                strategy=strategy,
                title=f"Domain {i:02d}",
                codes=f"C{10 + i}",
                origin="load test",
                status=statuses[i],
            )
            for i in range(N_DOMAINS)
        )
        domains = list(Domain.objects.filter(strategy=strategy).order_by("pk"))
        bulk_audit("Domain", len(domains))

        Instrument.objects.bulk_create(
            Instrument(strategy=strategy, name=f"Instrument {i:04d}", **_instrument_fields(i))
            for i in range(N_INSTRUMENTS)
        )
        instruments = list(Instrument.objects.filter(strategy=strategy).order_by("name"))
        InstrumentBudget.objects.bulk_create(
            InstrumentBudget(instrument=ins, year=y, budget_eur=100_000 * (1 + i % 20))
            for i, ins in enumerate(instruments)
            for y in YEARS
        )
        InstrumentFunding.objects.bulk_create(
            InstrumentFunding(instrument=ins, source=s, share=v)
            for ins in instruments
            for s, v in (("ERDF", "0.4"), ("regional", "0.6"))
        )
        link = Instrument.priorities.through
        link.objects.bulk_create(
            link(instrument_id=ins.pk, domain_id=domains[(i + k) % N_DOMAINS].pk)
            for i, ins in enumerate(instruments)
            for k in (0, 7)
        )
        bulk_audit("Instrument", len(instruments))

        Objective.objects.bulk_create(
            Objective(strategy=strategy, domain=d, text=f"Grow {d.title}") for d in domains
        )
        objectives = list(Objective.objects.filter(strategy=strategy).order_by("pk"))
        Indicator.objects.bulk_create(
            Indicator(
                strategy=strategy,
                domain=domains[i % N_DOMAINS],
                objective=objectives[i % N_DOMAINS],
                instrument=instruments[i],
                name=f"Indicator {i:04d}",
                kind=("output", "result", "context")[i % 3],
                definition="Load test indicator",
                unit="count",
                source="load test",
                baseline_year=2020,
                baseline_value=100.0,
            )
            for i in range(N_INDICATORS)
        )
        indicators = list(Indicator.objects.filter(strategy=strategy).order_by("pk"))
        Target.objects.bulk_create(
            Target(indicator=ind, year=y, value=v)
            for ind in indicators
            for y, v in ((2024, 120.0), (2027, 150.0))
        )
        start = date(2021, 1, 1)
        Observation.objects.bulk_create(
            Observation(
                indicator=ind,
                date=start + timedelta(days=91 * k),
                value=100.0 + k * rng.uniform(0.5, 3.0),
                provenance="imported",
                recorded_by=user,
            )
            for ind in indicators
            for k in range(N_OBSERVATIONS)
        )
        bulk_audit("Indicator", len(indicators))

    # the survey: through the services up to its questions, the responses in bulk
    survey = surveys.create_survey(user, strategy, step=strategy.steps.get(number=4), title="Load")
    matrix = surveys.add_question(user, survey, kind="matrix", code="strength", text="Strength")
    likert = surveys.add_question(user, survey, kind="likert", code="involved", text="Involved")
    single = surveys.add_question(
        user, survey, kind="single", code="size", text="Size", choices=["small", "large"]
    )
    survey = core.update(user, Survey.objects.get(pk=survey.pk), survey.version, {"status": "open"})
    helices = ("business", "research", "government", "civil_society")
    with transaction.atomic():
        Response.objects.bulk_create(
            Response(survey=survey, via="public", helix=helices[i % 4], sector=("public", "private")[i % 2])
            for i in range(N_RESPONSES)
        )  # fmt: skip
        responses = list(Response.objects.filter(survey=survey).order_by("pk"))
        Answer.objects.bulk_create(
            a
            for r in responses
            for a in (
                [
                    Answer(response=r, question=matrix, item=str(d.pk), value=str(rng.randint(1, 5)))
                    for d in domains
                    if rng.random() < 0.9  # "don't know" is no answer, not a zero
                ]
                + [
                    Answer(response=r, question=likert, value=str(rng.randint(1, 5))),
                    Answer(response=r, question=single, value=rng.choice(["small", "large"])),
                ]
            )
        )  # fmt: skip
        bulk_audit("Response", len(responses))

    # the call: created, opened and closed through the services; proposals and panel in bulk
    users = get_user_model()
    password = make_password("Bench-applicant-42-Larch")
    now = datetime.now(UTC)
    call = calls.create_call(
        user,
        strategy,
        title="Load test call",
        eligibility="SMEs of the region",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
        budget_eur=5_000_000,
        evaluators_per_proposal=3,
        criteria=[
            {"name": f"Criterion {k}", "weight": 1.0 + k, "scale_min": 0, "scale_max": 10}
            for k in range(5)
        ],
    )
    call = calls.set_status(user, call, "open", call.version)
    with transaction.atomic():
        users.objects.bulk_create(
            users(username=f"{role}{i:02d}@example.org", email=f"{role}{i:02d}@example.org",
                  password=password)
            for role, n in (("applicant", 30), ("evaluator", 12))
            for i in range(n)
        )  # fmt: skip
        applicants = list(users.objects.filter(username__startswith="applicant").order_by("pk"))
        evaluators = list(users.objects.filter(username__startswith="evaluator").order_by("pk"))
        Membership.objects.bulk_create(
            [Membership(user=u, strategy=strategy, role="applicant") for u in applicants]
            + [Membership(user=u, strategy=strategy, role="evaluator") for u in evaluators]
        )
        Proposal.objects.bulk_create(
            Proposal(
                call=call,
                applicant=applicants[i % len(applicants)],
                title=f"Proposal {i:03d}",
                summary="A collaborative project",
                lead_organisation=f"Org {i % 200:03d}",
                partners=f"Org {(i + 1) % 200:03d}",
                budget_eur=50_000 + 1_000 * (i % 100),
                submitted_at=now - timedelta(days=30, minutes=i),
            )
            for i in range(N_PROPOSALS)
        )
        proposals = list(Proposal.objects.filter(call=call).order_by("pk"))
        plink = Proposal.domains.through
        plink.objects.bulk_create(
            plink(proposal_id=p.pk, domain_id=domains[i % N_DOMAINS].pk)
            for i, p in enumerate(proposals)
        )
        bulk_audit("Proposal", len(proposals))
    call = calls.set_status(user, Call.objects.get(pk=call.pk), "closed", call.version)
    with transaction.atomic():
        PanelMember.objects.bulk_create(PanelMember(call=call, evaluator=e) for e in evaluators)
        Assignment.objects.bulk_create(
            Assignment(
                proposal=p,
                evaluator=evaluators[(i + k) % len(evaluators)],
                submitted_at=now if (i + k) % 3 else None,
            )
            for i, p in enumerate(proposals)
            for k in range(3)
        )
        criteria = list(call.criteria.order_by("number"))
        Score.objects.bulk_create(
            Score(assignment=a, criterion=c, value=float(rng.randint(0, 10)), comment="ok")
            for a in Assignment.objects.filter(proposal__call=call, submitted_at__isnull=False)
            for c in criteria
        )
        bulk_audit("Assignment", 3 * len(proposals))

    run = priorities.run_scoring(
        user,
        strategy,
        weights={"proposals_received": 2.0, "edp_support": 1.0},
        draws=500,
    )
    with transaction.atomic():
        decided = []
        for i in range(N_DECISIONS):
            d = domains[i % N_DOMAINS]
            action = ACTIONS[i % len(ACTIONS)]
            decided.append(
                Decision(
                    strategy=strategy,
                    domain=d,
                    action=action,
                    rationale=f"Decision {i:03d} on {d.title}",
                    status_before=d.status,
                    status_after=ACTION_STATUS[action],
                    scoring_run=run,
                    decided_by=user,
                )
            )
        Decision.objects.bulk_create(decided)
        bulk_audit("Decision", len(decided))
    return {
        "domains": [d.pk for d in domains],
        "instruments": [ins.pk for ins in instruments],
        "instrument_priorities": {
            ins.pk: [domains[i % N_DOMAINS].pk, domains[(i + 7) % N_DOMAINS].pk]
            for i, ins in enumerate(instruments)
        },
        "instrument_fields": {ins.pk: _instrument_fields(i) for i, ins in enumerate(instruments)},
        "instrument_names": {ins.pk: ins.name for ins in instruments},
        "indicators": [ind.pk for ind in indicators],
        "call": call.pk,
        "survey": survey.pk,
        "run": run.pk,
    }


def pages(sid: int, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, path) of the parts' main pages."""
    return [
        ("instruments/", f"/strategies/{sid}/instruments/"),
        ("policy-mix/", f"/strategies/{sid}/policy-mix/"),
        ("monitoring/scorecard/", f"/strategies/{sid}/monitoring/scorecard/"),
        ("priorities/run/", f"/strategies/{sid}/priorities/run/"),
        ("calls/", f"/strategies/{sid}/calls/"),
        ("survey analysis/", f"/strategies/{sid}/surveys/{ids['survey']}/analysis/"),
    ]


def reads(sid: int, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, path) of the parts' main API reads."""
    return [
        ("api policy instruments", f"/api/policy/strategies/{sid}/instruments"),
        ("api policy analysis", f"/api/policy/strategies/{sid}/analysis"),
        ("api monitoring scorecard", f"/api/monitoring/strategies/{sid}/scorecard"),
        ("api priority decisions", f"/api/priorities/strategies/{sid}/decisions"),
        ("api calls", f"/api/calls/{sid}"),
        ("api survey results", f"/api/strategies/{sid}/surveys/{ids['survey']}/results"),
    ]


def _version(html: str) -> str:
    m = re.search(r'name="version" value="(\d+)"', html)
    if m is None:
        raise RuntimeError("no version in the form")
    return m.group(1)


def write(
    client: Any, sid: int, ids: dict[str, Any], rng: random.Random, marker: str, bearer: dict
) -> tuple[str, str, int, bool]:
    """One write through a part's audited service: (label, kind, status, acknowledged).

    ``kind`` names the ledger the acknowledged ``marker`` goes to for :func:`check`.
    """
    from bench_workspace_load import csrf

    roll = rng.random()
    if roll < 0.35:
        body = {
            "indicator": rng.choice(ids["indicators"]),
            "date": "2026-06-30",
            "value": round(rng.uniform(90, 160), 2),
            "note": marker,
        }
        status = client.timed_request(
            "api add observation", "POST", f"/api/monitoring/strategies/{sid}/observations",
            json.dumps(body).encode(), {**bearer, "Content-Type": "application/json"},
        )  # fmt: skip
        return "api add observation", "observation", status, status == 201
    if roll < 0.55:
        i = rng.randrange(N_INSTRUMENTS)
        body = {
            "name": marker,
            **_instrument_fields(i),
            "priorities": [ids["domains"][i % N_DOMAINS]],
            "rationale": "added under load",
            "budgets": {str(y): 250_000.0 for y in YEARS},
            "funding": {"ERDF": 0.5, "regional": 0.5},
        }
        status = client.timed_request(
            "api add instrument", "POST", f"/api/policy/strategies/{sid}/instruments",
            json.dumps(body).encode(), {**bearer, "Content-Type": "application/json"},
        )  # fmt: skip
        return "api add instrument", "instrument", status, status == 201
    if roll < 0.80:
        pk = rng.choice(ids["instruments"])
        path = f"/strategies/{sid}/instruments/{pk}/edit/"
        _, html = client.request("GET", path)
        fields = {
            "name": ids["instrument_names"][pk],
            **ids["instrument_fields"][pk],
            "rationale": marker,
            "budgets": "\n".join(f"{y}: 300000" for y in YEARS),
            "funding": "ERDF: 0.4\nregional: 0.6",
            "version": _version(html),
        }
        body = list(fields.items()) + [
            ("priorities", str(p)) for p in ids["instrument_priorities"][pk]
        ]
        status = client.timed_form("form edit instrument", path, body, csrf(html))
        return "form edit instrument", "instrument_edit", status, status == 302
    d = rng.choice(ids["domains"])
    path = f"/strategies/{sid}/priorities/decide/?domain={d}"
    _, html = client.request("GET", path)
    fields = {
        "action": rng.choice(ACTIONS),
        "rationale": marker,
        "scoring_run": str(ids["run"]),
        "version": _version(html),
    }
    status = client.timed_form("form record decision", path, list(fields.items()), csrf(html))
    return "form record decision", "decision", status, status == 302


def check(acked: dict[str, set[str]], since_audit: int) -> dict[str, dict[str, int]]:
    """Acknowledged writes missing from the database or without their audit record."""
    from django.db import connections

    from ris3.workspace.models import AuditLog
    from ris3.workspace.monitoring.models import Observation
    from ris3.workspace.policy.models import Instrument
    from ris3.workspace.priorities.models import Decision

    connections.close_all()
    audits: dict[str, set[str]] = {k: set() for k in acked}
    for a in AuditLog.objects.filter(pk__gt=since_audit).values("action", "object_type", "after"):
        after = a["after"] or {}
        key = (a["action"], a["object_type"])
        if key == ("create", "Observation"):
            audits["observation"].add(after.get("note", ""))
        elif key == ("create", "Instrument"):
            audits["instrument"].add(after.get("name", ""))
        elif key == ("update", "Instrument"):
            audits["instrument_edit"].add(after.get("rationale", ""))
        elif key == ("decide", "Domain"):
            audits["decision"].add((after.get("decision") or {}).get("rationale", ""))
    stored = {
        "observation": set(
            Observation.objects.filter(note__startswith="load ").values_list("note", flat=True)
        ),
        "instrument": set(
            Instrument.objects.filter(name__startswith="load ").values_list("name", flat=True)
        ),
        # an edit is overwritten by the next one: its audit record is what stays
        "instrument_edit": audits["instrument_edit"],
        "decision": set(
            Decision.objects.filter(rationale__startswith="load ").values_list(
                "rationale", flat=True
            )
        ),
    }
    return {
        k: {
            "acknowledged": len(acked[k]),
            "missing": len(acked[k] - stored[k]),
            "without_audit": len(acked[k] - audits[k]),
        }
        for k in acked
    }
