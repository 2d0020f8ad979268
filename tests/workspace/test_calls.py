"""Open calls in the workspace: locking, conflicts of interest, assignment, who reads what, results.

A panel of three evaluators scores three proposals of two applicants on two
criteria (one where less is better); every number on the results page is
checked against the pure functions and a hand computation.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ris3.errors import InputError
from ris3.workspace import identity
from ris3.workspace import services as core
from ris3.workspace.calls import criteria as call_criteria
from ris3.workspace.calls import document, selectors, services
from ris3.workspace.calls.models import Assignment, Call, Score
from ris3.workspace.models import AuditLog

T0 = datetime(2025, 5, 1, tzinfo=UTC)
#: invented scores: proposal -> evaluator -> (quality 0-10, risk 0-5 where less is better)
SCORES = {
    "P1": {"e1": (8, 1), "e2": (6, 2)},
    "P2": {"e2": (7, 4), "e3": (9, 3)},
    "P3": {"e1": (5, 2), "e3": (6, 1)},
}


def _user(strategy: Any, owner: Any, email: str, role: str) -> Any:
    u = identity.create_user(email, "Kq7-walnut-Harbor")
    core.add_member(owner, strategy, u, role)
    return u


@pytest.fixture
def panel(world: dict[str, Any], db: None) -> dict[str, Any]:
    """A call closed for submissions: 3 proposals, 3 evaluators on the panel, nobody assigned."""
    s, users = world["strategy"], world["users"]
    owner = users["owner"]
    people = {
        "a1": users["applicant"],
        "a2": _user(s, owner, "applicant2@test.example", "applicant"),
        "e1": users["evaluator"],
        "e2": _user(s, owner, "evaluator2@test.example", "evaluator"),
        "e3": _user(s, owner, "evaluator3@test.example", "evaluator"),
    }
    call = services.create_call(
        owner,
        s,
        title="Panel call",
        eligibility="Anyone in the region.",
        opens_at=datetime(2025, 4, 1, tzinfo=UTC),
        closes_at=datetime(2025, 6, 1, tzinfo=UTC),
        budget_eur=100_000,
        evaluators_per_proposal=2,
        criteria=[
            {"name": "Quality", "weight": 3.0},
            {"name": "Risk", "weight": 1.0, "scale_max": 5, "direction": "cost"},
        ],
    )
    call = services.set_status(owner, call, "open", call.version)
    props = {}
    for key, who, lead, partners, budget in (
        ("P1", "a1", "Alpha GmbH", "Beta Institute", 60_000),
        ("P2", "a2", "Gamma AG", "", 50_000),
        ("P3", "a2", "Delta OG", "alpha  GMBH", 40_000),
    ):
        props[key] = services.submit_proposal(
            people[who],
            call,
            title=f"Proposal {key}",
            summary=f"Secret plan {key}",
            lead_organisation=lead,
            partners=partners,
            domains=[world["domain"]],
            budget_eur=budget,
            when=T0,
        )
    call = services.set_status(owner, call, "closed", call.version)
    for e in ("e1", "e2", "e3"):
        services.add_panel_member(owner, call, people[e])
    return {"call": call, "people": people, "proposals": props, "owner": owner, "world": world}


def _assign_as_planned(panel: dict[str, Any]) -> dict[tuple[str, str], Assignment]:
    out = {}
    for p, evs in SCORES.items():
        for e in evs:
            out[(p, e)] = services.assign(
                panel["owner"], panel["call"], panel["people"][e], panel["proposals"][p]
            )
    return out


def _score(panel: dict[str, Any], a: Assignment, p: str, e: str) -> None:
    crit = list(panel["call"].criteria.order_by("number"))
    q, r = SCORES[p][e]
    services.submit_scores(
        panel["people"][e],
        a,
        {crit[0].pk: (q, f"{e} on {p} quality"), crit[1].pk: (r, f"{e} on {p} risk")},
    )


def _close(panel: dict[str, Any]) -> Call:
    call = Call.objects.get(pk=panel["call"].pk)
    return services.set_status(panel["owner"], call, "panel_closed", call.version)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _base(panel: dict[str, Any]) -> str:
    return f"/strategies/{panel['world']['strategy'].pk}/calls/{panel['call'].pk}/"


# ------------------------------------------------------------------ locking


def test_scores_locked_in_services_and_database(panel: dict[str, Any]) -> None:
    a = _assign_as_planned(panel)
    _score(panel, a[("P1", "e1")], "P1", "e1")
    with pytest.raises(services.ScoresLocked, match="cannot change"):
        _score(panel, a[("P1", "e1")], "P1", "e1")
    # the database refuses an update of a score and un-submitting, whatever the code
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        Score.objects.filter(assignment=a[("P1", "e1")]).update(value=0)
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        Assignment.objects.filter(pk=a[("P1", "e1")].pk).update(submitted_at=None)
    # one score per criterion: no second row either
    crit = panel["call"].criteria.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(assignment=a[("P1", "e1")], criterion=crit, value=1, comment="x")
    assert sorted(
        Score.objects.filter(assignment=a[("P1", "e1")]).values_list("value", flat=True)
    ) == [1.0, 8.0]
    # the page refuses a second submission too (409) and shows the stored scores
    url = _base(panel) + f"assignments/{a[('P1', 'e1')].pk}/"
    resp = _client(panel["people"]["e1"]).post(url, {"confirm": "on"})
    assert resp.status_code == 409 and "locked" in resp.content.decode()


def test_score_validation_every_criterion_in_scale_with_comment(panel: dict[str, Any]) -> None:
    a = _assign_as_planned(panel)[("P1", "e1")]
    crit = list(panel["call"].criteria.order_by("number"))
    e1 = panel["people"]["e1"]
    with pytest.raises(InputError, match="missing: \\['Risk'\\]"):
        services.submit_scores(e1, a, {crit[0].pk: (5, "ok")})
    with pytest.raises(InputError, match="score 6 on 'Risk' is outside its scale 0-5"):
        services.submit_scores(e1, a, {crit[0].pk: (5, "ok"), crit[1].pk: (6, "ok")})
    with pytest.raises(InputError, match="a comment on 'Quality' is needed"):
        services.submit_scores(e1, a, {crit[0].pk: (5, " "), crit[1].pk: (1, "ok")})
    with pytest.raises(InputError, match="only the assigned evaluator"):
        services.submit_scores(
            panel["people"]["e2"], a, {crit[0].pk: (5, "a"), crit[1].pk: (1, "b")}
        )
    assert not Score.objects.filter(assignment=a).exists()


# ------------------------------------------------------------------ conflicts


def test_declared_conflict_blocks_assignment_refused_and_audited(panel: dict[str, Any]) -> None:
    call, people, props = panel["call"], panel["people"], panel["proposals"]
    services.declare_conflict(people["e1"], call, "  ALPHA gmbh ")
    # Alpha GmbH leads P1 and is a partner of P3 (written differently): both blocked
    assert services.conflict_pairs(call) == {
        (props["P1"].pk, people["e1"].pk),
        (props["P3"].pk, people["e1"].pk),
    }
    with pytest.raises(services.ConflictOfInterest, match="the assignment is refused"):
        services.assign(panel["owner"], call, people["e1"], props["P3"])
    refused = AuditLog.objects.filter(action="assign_refused", object_id=str(props["P3"].pk))
    assert refused.count() == 1 and refused.get().after["evaluator"] == people["e1"].pk
    assert not Assignment.objects.filter(evaluator=people["e1"], proposal__call=call).exists()
    # the page shows the refusal (400) and the audit log keeps a second record
    resp = _client(panel["owner"]).post(
        _base(panel) + "panel/",
        {
            "action": "assign",
            "assign-evaluator": people["e1"].pk,
            "assign-proposal": props["P1"].pk,
        },
    )
    assert resp.status_code == 400 and "the assignment is refused" in resp.content.decode()
    assert AuditLog.objects.filter(action="assign_refused").count() == 2
    # automatic assignment: 2 per proposal, e1 only on P2, loads as even as the conflicts allow
    made = services.auto_assign(panel["owner"], call)
    pairs = {(a.proposal_id, a.evaluator_id) for a in made}
    assert len(pairs) == 6 and not pairs & services.conflict_pairs(call)
    assert {p for p, e in pairs if e == people["e1"].pk} == {props["P2"].pk}
    loads = sorted(sum(1 for _, e in pairs if e == people[k].pk) for k in ("e1", "e2", "e3"))
    # P1 and P3 must go to e2 and e3 (2 each); P2 then goes to e1 and one of them: the most
    # even loads the conflicts allow (not e2 and e3 with 3 each and e1 idle)
    assert loads == [1, 2, 3]


def test_conflict_declared_later_withdraws_open_assignment(panel: dict[str, Any]) -> None:
    a = _assign_as_planned(panel)
    e1 = panel["people"]["e1"]
    _score(panel, a[("P3", "e1")], "P3", "e1")
    services.declare_conflict(e1, panel["call"], "Beta Institute")
    # P1's unsubmitted assignment is withdrawn (audited); P3's submitted one stays
    assert not Assignment.objects.filter(pk=a[("P1", "e1")].pk).exists()
    assert AuditLog.objects.filter(action="withdraw_assignment").count() == 1
    assert Assignment.objects.filter(pk=a[("P3", "e1")].pk).exists()


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    k=st.integers(1, 2),
    conflicted=st.sets(st.sampled_from(["Alpha GmbH", "Gamma AG", "Delta OG"]), max_size=2),
)
def test_auto_assign_properties(panel: dict[str, Any], k: int, conflicted: set[str]) -> None:
    sid = transaction.savepoint()
    try:
        call = Call.objects.get(pk=panel["call"].pk)
        call.evaluators_per_proposal = k
        call.save(update_fields=["evaluators_per_proposal"])
        for org in conflicted:
            services.declare_conflict(panel["people"]["e1"], call, org)
        blocked = services.conflict_pairs(call)
        try:
            made = services.auto_assign(panel["owner"], call)
        except InputError as exc:
            # only when some proposal has fewer than k evaluators left
            assert "fewer than k=" in str(exc)
            free = {p.pk: 3 - sum(1 for q, _ in blocked if q == p.pk) for p in call.proposals.all()}
            assert min(free.values()) < k
            return
        pairs = [(a.proposal_id, a.evaluator_id) for a in made]
        assert len(pairs) == len(set(pairs)) == 3 * k
        assert not set(pairs) & blocked
        loads = [sum(1 for _, e in pairs if e == panel["people"][x].pk) for x in ("e1", "e2", "e3")]
        if not blocked:
            assert max(loads) - min(loads) <= 1
        assert max(loads) >= -(-3 * k // 3)
        # running it again adds nothing: every proposal has its k
        assert services.auto_assign(panel["owner"], call) == []
    finally:
        transaction.savepoint_rollback(sid)


# ------------------------------------------------------------------ who reads what


def test_evaluator_cannot_read_another_evaluators_scores_before_the_panel_closes(
    panel: dict[str, Any],
) -> None:
    a = _assign_as_planned(panel)
    _score(panel, a[("P1", "e1")], "P1", "e1")
    world, base = panel["world"], _base(panel)
    e2 = panel["people"]["e2"]
    e2_client = _client(e2)
    # pages: e1's assignment is not e2's (404), results closed to evaluators (403)
    assert e2_client.get(base + f"assignments/{a[('P1', 'e1')].pk}/").status_code == 404
    own = e2_client.get(base + f"assignments/{a[('P1', 'e2')].pk}/")
    assert own.status_code == 200 and "e1 on P1" not in own.content.decode()
    assert e2_client.get(base + "results/").status_code == 403
    for url in (base, base + "proposals/", base + f"proposals/{panel['proposals']['P1'].pk}/"):
        assert "e1 on P1" not in e2_client.get(url).content.decode()
    # the audit log is open to evaluators: it holds no score, comment or proposal text
    audit = e2_client.get(f"/strategies/{world['strategy'].pk}/audit/").content.decode()
    assert "e1 on P1" not in audit and "Secret plan" not in audit
    # API: the same
    token = identity.issue_token(e2)
    api = f"/api/calls/{world['strategy'].pk}/{panel['call'].pk}"
    h = {"Authorization": f"Bearer {token}"}
    assert (
        Client().get(f"{api}/assignments/{a[('P1', 'e1')].pk}/scores", headers=h).status_code == 404
    )
    assert Client().get(f"{api}/results", headers=h).status_code == 403
    mine = Client().get(f"{api}/assignments", headers=h).json()
    assert {r["id"] for r in mine} == {a[("P1", "e2")].pk, a[("P2", "e2")].pk}
    # the owner cannot read them before the panel closes either
    oh = {"Authorization": f"Bearer {identity.issue_token(panel['owner'])}"}
    assert (
        Client().get(f"{api}/assignments/{a[('P1', 'e1')].pk}/scores", headers=oh).status_code
        == 409
    )
    assert Client().get(f"{api}/results", headers=oh).status_code == 409
    assert _client(panel["owner"]).get(base + "results/").status_code == 409
    # e1 reads their own
    h1 = {"Authorization": f"Bearer {identity.issue_token(panel['people']['e1'])}"}
    rows = Client().get(f"{api}/assignments/{a[('P1', 'e1')].pk}/scores", headers=h1).json()
    assert [(r["name"], r["score"]) for r in rows] == [("Quality", 8.0), ("Risk", 1.0)]


def test_applicant_sees_only_their_own_proposals(panel: dict[str, Any]) -> None:
    world, base, props = panel["world"], _base(panel), panel["proposals"]
    a1 = _client(panel["people"]["a1"])
    listing = a1.get(base + "proposals/").content.decode()
    assert (
        "Proposal P1" in listing and "Proposal P2" not in listing and "Proposal P3" not in listing
    )
    assert a1.get(base + f"proposals/{props['P1'].pk}/").status_code == 200
    assert a1.get(base + f"proposals/{props['P2'].pk}/").status_code == 404
    assert a1.get(base + f"proposals/{props['P2'].pk}/letter/").status_code == 404
    # an evaluator sees only what is assigned to them
    e3 = _client(panel["people"]["e3"])
    assert "Proposal P1" not in e3.get(base + "proposals/").content.decode()
    services.assign(panel["owner"], panel["call"], panel["people"]["e3"], props["P2"])
    assert "Proposal P2" in e3.get(base + "proposals/").content.decode()
    assert e3.get(base + f"proposals/{props['P1'].pk}/").status_code == 404
    # API: the second applicant's list holds their two only
    h = {"Authorization": f"Bearer {identity.issue_token(panel['people']['a2'])}"}
    rows = (
        Client()
        .get(f"/api/calls/{world['strategy'].pk}/{panel['call'].pk}/proposals", headers=h)
        .json()
    )
    assert sorted(r["title"] for r in rows) == ["Proposal P2", "Proposal P3"]


def test_attachments_limits_storage_and_who_downloads(world: dict[str, Any], db: None) -> None:
    ids = world["ids"]
    base = f"/strategies/{world['strategy'].pk}/calls/{ids['call_id']}/attachments/{ids['attachment_id']}/"
    from part_records import PDF

    resp = _client(world["users"]["applicant"]).get(base)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == PDF
    # stored under the workspace folder, not under a served path
    from django.conf import settings as dj

    from ris3.workspace.calls.models import Attachment

    stored = services.attachment_root() / Attachment.objects.get(pk=ids["attachment_id"]).stored_as
    assert stored.read_bytes() == PDF and str(stored).startswith(str(dj.WORKSPACE_DIR))
    # another applicant: 404
    other = _user(
        world["strategy"], world["users"]["owner"], "applicant9@test.example", "applicant"
    )
    assert _client(other).get(base).status_code == 404
    # type, content and size checks
    call = services.create_call(
        world["users"]["owner"],
        world["strategy"],
        title="Attachment call",
        eligibility="-",
        opens_at=datetime(2025, 1, 1, tzinfo=UTC),
        closes_at=datetime(2025, 2, 1, tzinfo=UTC),
        budget_eur=10,
        criteria=[{"name": "Q", "weight": 1}],
    )
    call = services.set_status(world["users"]["owner"], call, "open", call.version)

    def submit(files: list[Any], when: datetime = datetime(2025, 1, 5, tzinfo=UTC)) -> Any:
        return services.submit_proposal(
            other, call, title="t", summary="s", lead_organisation="o", budget_eur=1,
            attachments=files, when=when,
        )  # fmt: skip

    with pytest.raises(InputError, match="type not accepted; allowed: .csv, .docx"):
        submit([SimpleUploadedFile("x.exe", b"MZ")])
    with pytest.raises(InputError, match="is not a .pdf file"):
        submit([SimpleUploadedFile("x.pdf", b"<html>")])
    big = SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * services.MAX_ATTACHMENT_BYTES)
    with pytest.raises(InputError, match="the most allowed is 10.5 MB"):
        submit([big])
    with pytest.raises(InputError, match="6 attachments; the most allowed is 5"):
        submit([SimpleUploadedFile(f"{i}.txt", b"x") for i in range(6)])
    with pytest.raises(
        InputError, match="the call takes proposals from 2025-01-01 00:00 to 2025-02-01"
    ):
        submit([], when=datetime(2025, 3, 1, tzinfo=UTC))


# ------------------------------------------------------------------ results


def _full_panel(panel: dict[str, Any]) -> dict[tuple[str, str], Assignment]:
    a = _assign_as_planned(panel)
    for (p, e), asg in a.items():
        _score(panel, asg, p, e)
    _close(panel)
    return a


def test_results_page_matches_hand_computation(panel: dict[str, Any]) -> None:
    _full_panel(panel)
    call = Call.objects.get(pk=panel["call"].pk)
    res = selectors.results(call)
    r = res["ranking"].set_index("title")
    # risk mirrored on 0-5; weights 0.75 / 0.25
    # P1: quality (8+6)/2 = 7, risk (4+3)/2 = 3.5 -> 6.125
    # P2: quality 8, risk (1+2)/2 = 1.5 -> 6.375; P3: quality 5.5, risk (3+4)/2 = 3.5 -> 5.0
    assert r["weighted_score"].to_dict() == pytest.approx(
        {"Proposal P2": 6.375, "Proposal P1": 6.125, "Proposal P3": 5.0}
    )
    # money 100,000: P2 (50,000) then P1 (60,000) would make 110,000: only P2 is funded
    assert r["funded"].to_dict() == {
        "Proposal P2": True,
        "Proposal P1": False,
        "Proposal P3": False,
    }
    html = _client(panel["owner"]).get(_base(panel) + "results/").content.decode()
    assert "6.375" in html and "6.125" in html and "5.000" in html
    assert "ICC(1,1)" in html and "Krippendorff" in html and "Dirichlet" in html
    for title, row in r.iterrows():
        assert f"{100 * row['p_funded']:.1f} %" in html, title
    # the API gives the same numbers; NaN travels as null
    h = {"Authorization": f"Bearer {identity.issue_token(panel['owner'])}"}
    body = (
        Client()
        .get(f"/api/calls/{panel['world']['strategy'].pk}/{call.pk}/results", headers=h)
        .json()
    )
    assert [x["weighted_score"] for x in body["ranking"]] == pytest.approx([6.375, 6.125, 5.0])
    assert body["seed"] == 0 and body["draws"] == selectors.DRAWS


def test_feedback_letters_html_and_pdf(
    panel: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_panel(panel)
    base, p1 = _base(panel), panel["proposals"]["P1"]
    a1 = _client(panel["people"]["a1"])
    html = a1.get(base + f"proposals/{p1.pk}/letter/").content.decode()
    assert "e1 on P1 quality" in html and "e2 on P1 risk" in html
    # evaluators are numbered, not named
    assert "evaluator2@test.example" not in html and "evaluator@test.example" not in html
    assert "Weighted score 6.12, rank 2 of 3." in html
    # a clear message without Chromium, not a crash
    import ris3.report.browser as browser

    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    resp = a1.get(base + f"proposals/{p1.pk}/letter.pdf")
    assert resp.status_code == 503 and "needs Debian&#x27;s chromium" in resp.content.decode()


@pytest.mark.slow
def test_feedback_letter_pdf_prints(panel: dict[str, Any]) -> None:
    from ris3.report.browser import chromium_path

    if chromium_path() is None:
        pytest.skip("needs Debian's chromium")
    _full_panel(panel)
    resp = _client(panel["people"]["a1"]).get(
        _base(panel) + f"proposals/{panel['proposals']['P1'].pk}/letter.pdf"
    )
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF-")


def test_priority_criteria_and_document_sections(panel: dict[str, Any]) -> None:
    world = panel["world"]
    domain = world["domain"]
    # only the test world's call has closed submissions with one proposal on the domain, plus
    # this panel's three: 4 proposals received; no panel closed yet: no score
    assert call_criteria.proposals_received(world["strategy"])[domain.pk] == 4.0
    assert call_criteria.proposal_score(world["strategy"])[domain.pk] is None
    _full_panel(panel)
    # mean of 6.125, 6.375 and 5.0
    assert call_criteria.proposal_score(world["strategy"])[domain.pk] == pytest.approx(17.5 / 3)
    keys = [c[0] for c in call_criteria.CRITERIA]
    assert keys == ["proposals_received", "proposal_score"]
    sections = document.sections(world["strategy"])
    assert [s.title for s in sections] == ["Open call results: Panel call"]
    text = json.dumps({k: t.to_dict() for k, t in sections[0].tables.items()}, default=str)
    for person in ("applicant", "@test.example", "Secret plan", "e1 on", "Alpha GmbH"):
        assert person not in text
    assert "Proposal P2" in text


def test_openapi_lists_the_call_routes(world: dict[str, Any], db: None) -> None:
    paths = {
        p for p in Client().get("/api/openapi.json").json()["paths"] if p.startswith("/api/calls/")
    }
    c = "/api/calls/{strategy_id}/{call_id}"
    assert paths == {
        "/api/calls/{strategy_id}",
        c,
        c + "/proposals",
        c + "/assignments",
        c + "/assignments/{assignment_id}/scores",
        c + "/results",
    }


def test_every_call_page_has_accessible_markup(panel: dict[str, Any]) -> None:
    """Each page of the part, in the state and role it is meant for, passes the markup checks."""
    from test_workspace_markup import problems

    from ris3.workspace.calls.permissions import PAGES

    world, base, props = panel["world"], _base(panel), panel["proposals"]
    sid = world["strategy"].pk
    draft = services.create_call(
        panel["owner"],
        world["strategy"],
        title="Draft call",
        eligibility="-",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2027, 1, 1, tzinfo=UTC),
        budget_eur=10,
    )
    open_call = services.create_call(
        panel["owner"],
        world["strategy"],
        title="Open call",
        eligibility="-",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2099, 1, 1, tzinfo=UTC),
        budget_eur=10,
        criteria=[{"name": "Q", "weight": 1}],
    )
    services.set_status(panel["owner"], open_call, "open", open_call.version)
    services.declare_conflict(panel["people"]["e1"], panel["call"], "Gamma AG")
    a = _assign_as_planned(panel)
    open_assignment = services.auto_assign(panel["owner"], panel["call"]) or [a[("P1", "e1")]]
    before = {
        "call_edit": (panel["owner"], f"/strategies/{sid}/calls/{draft.pk}/edit/"),
        "criterion_add": (panel["owner"], f"/strategies/{sid}/calls/{draft.pk}/criteria/new/"),
        "proposal_submit": (
            panel["people"]["a1"],
            f"/strategies/{sid}/calls/{open_call.pk}/propose/",
        ),
        "call_panel": (panel["owner"], base + "panel/"),
        "conflict_declare": (panel["people"]["e1"], base + "conflicts/"),
        "assignment_score": (panel["people"]["e1"], base + f"assignments/{open_assignment[0].pk}/"),
    }
    for (p, e), asg in a.items():
        _score(panel, asg, p, e)
    pages = {}
    for name, (user, url) in before.items():
        pages[name] = _client(user).get(url)
    _close(panel)
    after = {
        "call_list": (panel["people"]["a1"], f"/strategies/{sid}/calls/"),
        "call_create": (panel["owner"], f"/strategies/{sid}/calls/new/"),
        "call_detail": (panel["owner"], base),
        "proposal_list": (panel["owner"], base + "proposals/"),
        "proposal_detail": (panel["people"]["a1"], base + f"proposals/{props['P1'].pk}/"),
        "call_results": (panel["owner"], base + "results/"),
        "feedback_letter": (panel["people"]["a1"], base + f"proposals/{props['P1'].pk}/letter/"),
    }
    for name, (user, url) in after.items():
        pages[name] = _client(user).get(url)
    # the part's GET pages other than file downloads are all here
    assert set(pages) == {
        n
        for n, m in PAGES.items()
        if "GET" in m and n not in ("attachment_download", "feedback_letter_pdf")
    }
    found = {}
    for name, resp in pages.items():
        assert resp.status_code == 200, name
        bad = problems(resp.content.decode())
        if bad:
            found[name] = bad
    assert found == {}


def test_api_submit_proposal_and_scores_locked(panel: dict[str, Any]) -> None:
    world = panel["world"]
    api = f"/api/calls/{world['strategy'].pk}/{panel['call'].pk}"
    # the call is closed for submissions: a proposal is refused with the reason
    ha = {"Authorization": f"Bearer {identity.issue_token(panel['people']['a1'])}"}
    body = {"title": "Late", "summary": "s", "lead_organisation": "o", "budget_eur": 10}
    resp = Client().post(
        f"{api}/proposals", json.dumps(body), content_type="application/json", headers=ha
    )
    assert resp.status_code == 422 and "needs the call to be open" in resp.json()["detail"]
    a = services.assign(
        panel["owner"], panel["call"], panel["people"]["e1"], panel["proposals"]["P1"]
    )
    crit = list(panel["call"].criteria.order_by("number"))
    he = {"Authorization": f"Bearer {identity.issue_token(panel['people']['e1'])}"}
    scores = [
        {"criterion": crit[0].pk, "score": 7, "comment": "good"},
        {"criterion": crit[1].pk, "score": 2, "comment": "some risk"},
    ]
    url = f"{api}/assignments/{a.pk}/scores"
    first = Client().post(url, json.dumps(scores), content_type="application/json", headers=he)
    assert first.status_code == 201
    again = Client().post(url, json.dumps(scores), content_type="application/json", headers=he)
    assert again.status_code == 409 and "cannot change" in again.json()["detail"]
    # another evaluator cannot post on it either (404: not theirs)
    h2 = {"Authorization": f"Bearer {identity.issue_token(panel['people']['e2'])}"}
    other = Client().post(url, json.dumps(scores), content_type="application/json", headers=h2)
    assert other.status_code == 404
    assert [s.value for s in Score.objects.filter(assignment=a).order_by("criterion__number")] == [
        7.0,
        2.0,
    ]


def test_german_catalogue_complete_and_used(panel: dict[str, Any], tmp_path: Any) -> None:
    import shutil
    import subprocess
    from pathlib import Path

    import ris3.workspace.calls

    po = Path(ris3.workspace.calls.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) not installed")
    out = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in out.stderr and "fuzzy" not in out.stderr, out.stderr
    assert (tmp_path / "x.mo").read_bytes() == po.with_suffix(".mo").read_bytes()
    client = _client(panel["owner"])
    client.cookies["django_language"] = "de"
    html = client.get(_base(panel)).content.decode()
    assert "Bewertungskriterien" in html and "Evaluation criteria" not in html


def test_demo_call_is_illustrative_and_respects_its_conflict(
    world: dict[str, Any], db: None
) -> None:
    from ris3.workspace.calls import demo

    users = world["users"]
    call = demo.populate(users["owner"], world["strategy"], users)
    assert call.status == "panel_closed" and call.illustrative
    assert all(p.illustrative for p in call.proposals.all())
    # the demo evaluator declared a conflict with a partner of the ropeway proposal
    ropeway = call.proposals.get(title="Ropeway predictive maintenance")
    assert not ropeway.assignments.filter(evaluator=users["evaluator"]).exists()
    # 10 assignments over 3 evaluators: loads 4, 3, 3
    loads = sorted(
        Assignment.objects.filter(proposal__call=call).values_list("evaluator", flat=True)
    )
    assert sorted(loads.count(e) for e in set(loads)) == [3, 3, 4]
    r = selectors.results(call)["ranking"].set_index("title")
    # Timber: excellence (8+8)/2 = 8, impact (7+7)/2 = 7, risk mirrored (10-3, 10-4) -> 6.5
    # 0.4 * 8 + 0.4 * 7 + 0.2 * 6.5 = 7.3
    assert r.loc["Timber hybrid construction pilot", "weighted_score"] == pytest.approx(7.3)
    # money 1,000,000: 380,000 + 300,000 + 260,000 fit, the ropeway's 420,000 does not
    assert r["funded"].sum() == 3 and not r.loc["Ropeway predictive maintenance", "funded"]
    html = (
        _client(users["owner"])
        .get(f"/strategies/{world['strategy'].pk}/calls/{call.pk}/results/")
        .content.decode()
    )
    assert "Illustrative: the proposals and scores of this call are invented" in html
    sections = document.sections(world["strategy"])
    assert [s.illustrative for s in sections] == [True]


def test_invalid_criterion_is_a_form_error_not_a_crash(world: dict[str, Any], db: None) -> None:
    owner = world["users"]["owner"]
    call = services.create_call(
        owner,
        world["strategy"],
        title="Draft",
        eligibility="-",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2027, 1, 1, tzinfo=UTC),
        budget_eur=10,
        criteria=[{"name": "Quality", "weight": 1}],
    )
    with pytest.raises(InputError, match="criterion not saved: .*already exists"):
        services.add_criterion(owner, call, name="Quality", weight=1)
    url = f"/strategies/{world['strategy'].pk}/calls/{call.pk}/criteria/new/"
    resp = _client(owner).post(
        url,
        {
            "name": "Quality",
            "weight": "1",
            "scale_min": "0",
            "scale_max": "10",
            "direction": "benefit",
        },
    )
    assert resp.status_code == 400 and "already exists" in resp.content.decode()
    # the scale must go upwards; a call must close after it opens
    bad = _client(owner).post(
        url,
        {"name": "Risk", "weight": "1", "scale_min": "5", "scale_max": "5", "direction": "cost"},
    )
    assert bad.status_code == 400
    with pytest.raises(InputError, match="call not saved"):
        services.create_call(
            owner,
            world["strategy"],
            title="Backwards",
            eligibility="-",
            opens_at=datetime(2027, 1, 1, tzinfo=UTC),
            closes_at=datetime(2026, 1, 1, tzinfo=UTC),
            budget_eur=10,
        )
    # opening needs criteria with weight; the next status only
    empty = services.create_call(
        owner,
        world["strategy"],
        title="Empty",
        eligibility="-",
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2027, 1, 1, tzinfo=UTC),
        budget_eur=10,
    )
    with pytest.raises(InputError, match="weights sum to more than 0"):
        services.set_status(owner, empty, "open", empty.version)
    with pytest.raises(InputError, match="a draft call can only move to the next status"):
        services.set_status(owner, call, "panel_closed", call.version)
