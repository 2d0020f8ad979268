"""Services: audit records, optimistic locking and the conflict page, CSRF, login
throttling, evidence import on the real profile, stakeholder import, participation."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
import pytest
from django.test import Client

import ris3
from ris3.workspace import services
from ris3.workspace.models import (
    AuditLog,
    Domain,
    DomainEvidence,
    LoginFailure,
    Organisation,
    Stakeholder,
    Strategy,
)


def test_update_writes_one_audit_record_with_before_and_after(
    world: dict[str, Any], db: None
) -> None:
    person = world["stakeholder"]
    owner = world["users"]["owner"]
    n_before = AuditLog.objects.count()
    updated = services.update(owner, person, person.version, {"role": "chair"})
    assert updated.version == person.version + 1
    assert AuditLog.objects.count() == n_before + 1
    record = AuditLog.objects.first()
    assert (record.action, record.object_type, record.object_id) == (
        "update",
        "Stakeholder",
        str(person.pk),
    )
    assert record.user == owner and record.strategy == world["strategy"]
    assert record.before["role"] == "" and record.after["role"] == "chair"
    assert record.before["version"] == person.version
    assert record.after["version"] == person.version + 1


def test_stale_version_raises_conflict_and_writes_nothing(world: dict[str, Any], db: None) -> None:
    person = Stakeholder.objects.get(pk=world["stakeholder"].pk)
    seen = person.version
    services.update(world["users"]["owner"], person, seen, {"role": "first editor"})
    n_audit = AuditLog.objects.count()
    with pytest.raises(services.EditConflict, match=r"was changed by someone else \(now version"):
        services.update(world["users"]["facilitator"], person, seen, {"role": "second editor"})
    assert Stakeholder.objects.get(pk=person.pk).role == "first editor"
    assert AuditLog.objects.count() == n_audit


def test_conflict_page_shows_both_versions(world: dict[str, Any], db: None) -> None:
    person = world["stakeholder"]
    url = f"/strategies/{world['strategy'].pk}/stakeholders/{person.pk}/edit/"
    form = {
        "name": person.name,
        "email": person.email,
        "organisation": person.organisation_id,
        "role": "",
        "version": person.version,
    }
    a, b = Client(), Client()
    a.force_login(world["users"]["owner"])
    b.force_login(world["users"]["facilitator"])
    assert a.post(url, {**form, "role": "role by A"}).status_code == 302
    resp = b.post(url, {**form, "role": "role by B"})  # B still has the old version
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "role by A" in html and "role by B" in html
    assert Stakeholder.objects.get(pk=person.pk).role == "role by A"


def test_create_strategy_makes_six_ordered_steps_and_an_owner(
    world: dict[str, Any], db: None
) -> None:
    user = world["users"]["outsider"]
    s = services.create_strategy(
        user, region_code="at34", name="V", period_start=2021, period_end=2027
    )
    assert s.region_code == "AT34"
    assert list(s.steps.values_list("number", "key")) == [
        (1, "context_analysis"),
        (2, "governance"),
        (3, "shared_vision"),
        (4, "priorities"),
        (5, "policy_mix"),
        (6, "monitoring_evaluation"),
    ]
    assert s.memberships.get().role == "owner"
    assert AuditLog.objects.filter(strategy=s, action="create", object_type="Strategy").count() == 1


def test_csrf_is_enforced_on_forms(world: dict[str, Any], db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["owner"])
    data = {
        "region_code": "AT33",
        "name": "X",
        "period_start": 2021,
        "period_end": 2027,
        "status": "draft",
        "description": "",
    }
    assert client.post("/strategies/new/", data).status_code == 403
    client.get("/strategies/new/")
    token = client.cookies["csrftoken"].value
    assert (
        client.post("/strategies/new/", {**data, "csrfmiddlewaretoken": token}).status_code == 302
    )


def test_login_is_locked_after_five_failures(world: dict[str, Any], db: None) -> None:
    client = Client()
    for _ in range(5):
        resp = client.post(
            "/accounts/login/", {"username": "owner@test.example", "password": "wrong"}
        )
        assert resp.status_code == 200 and "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="owner@test.example").count() == 5
    # the right password no longer opens the account
    resp = client.post(
        "/accounts/login/", {"username": "owner@test.example", "password": "Kq7-walnut-Harbor"}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed logins" in resp.content.decode()
    # another account is not affected
    client.post(
        "/accounts/login/", {"username": "observer@test.example", "password": "Kq7-walnut-Harbor"}
    )
    assert "_auth_user_id" in client.session


def test_record_engagement_refuses_records_of_another_strategy(
    world: dict[str, Any], db: None
) -> None:
    other_step = world["other"].steps.first()
    with pytest.raises(ris3.errors.InputError, match="belongs to another strategy"):
        services.record_engagement(
            world["users"]["owner"],
            world["strategy"],
            kind="workshop",
            title="x",
            when=date(2025, 1, 1),
            steps=[other_step],
            domains=[],
            attendees=[],
        )


def test_stakeholder_import_preview_then_create(world: dict[str, Any], db: None) -> None:
    csv = (
        "name,email,organisation,helix,consent,public_private\n"
        "Eva Moser,eva@uni.example,Universität Innsbruck,Forschung,ja,öffentlich\n"
        "Jon Doe,jon@,Bank,finance,yes,private\n"
        "Again,a@org.example,Org A,business,no,\n"
    )
    client = Client()
    client.force_login(world["users"]["facilitator"])
    url = f"/strategies/{world['strategy'].pk}/stakeholders/import/"
    upload = io.BytesIO(csv.encode())
    upload.name = "people.csv"
    resp = client.post(url, {"file": upload})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "1 row will be created" in html and "2 rows are rejected" in html
    assert "invalid email" in html and "already registered" in html
    n_people = Stakeholder.objects.filter(strategy=world["strategy"]).count()
    assert (
        Stakeholder.objects.filter(strategy=world["strategy"]).count() == n_people
    )  # preview only
    resp = client.post(url, {"confirm": "1"})
    assert "Created 1 organisations and 1 stakeholders; 2 rows rejected." in resp.content.decode()
    eva = Stakeholder.objects.get(strategy=world["strategy"], email="eva@uni.example")
    assert eva.organisation.helix == "research" and eva.consent_contact is True
    assert eva.public is True
    record = AuditLog.objects.filter(strategy=world["strategy"], action="import").get()
    assert record.after == {"organisations": 1, "stakeholders": [eva.pk], "rejected": 2}


def test_export_csv_reimports_as_duplicates_only(world: dict[str, Any], db: None) -> None:
    client = Client()
    client.force_login(world["users"]["owner"])
    resp = client.get(f"/strategies/{world['strategy'].pk}/stakeholders/export/")
    table = pd.read_csv(io.BytesIO(resp.content), dtype=str, keep_default_na=False)
    assert table.loc[0, "email"] == "a@org.example" and table.loc[0, "helix"] == "business"
    n_org, n_people, rejected = services.import_stakeholders(
        world["users"]["owner"], world["strategy"], table
    )
    assert (n_org, n_people) == (0, 0)
    assert "already registered" in rejected.loc[0, "reason"]


def test_participation_flags_the_missing_helices(world: dict[str, Any], db: None) -> None:
    client = Client()
    client.force_login(world["users"]["observer"])
    html = client.get(f"/strategies/{world['strategy'].pk}/participation/").content.decode()
    # the world's only engagement (step 1) had one business participant
    assert "no research in step 1 (context analysis)" in html
    assert "no civil society in step 1 (context analysis)" in html
    assert "no business in step 1" not in html


def test_import_profile_evidence_stores_the_real_profile(world: dict[str, Any], db: None) -> None:
    ev = services.import_profile_evidence(world["users"]["owner"], world["strategy"])
    prof = ris3.profile("AT33")
    spec = ev.tables["specialisation"]
    stored = pd.DataFrame(spec["data"], columns=spec["columns"]).set_index("activity")
    i55 = prof.specialisation.set_index("activity").loc["I55"]
    assert stored.loc["I55", "lq_europe"] == pytest.approx(i55["lq_europe"], rel=1e-12)
    # missing cells are stored as null, never as 0
    n_missing = int(prof.specialisation["employment"].isna().sum())
    assert int(stored["employment"].isna().sum()) == n_missing
    assert ev.parameters == {
        "region": "AT33",
        "year": prof.year,
        "compare_year": prof.compare_year,
        "dataset": "eu-sbs",
    }
    codes = set(Domain.objects.filter(strategy=world["strategy"]).values_list("codes", flat=True))
    expected = ris3.strategy.candidate_domains(prof)
    assert set(expected["code"]) <= codes
    link = DomainEvidence.objects.get(evidence=ev, domain__codes="I55")
    assert link.metrics["lq_europe"] == pytest.approx(i55["lq_europe"], rel=1e-12)
    assert AuditLog.objects.filter(object_type="Evidence", object_id=str(ev.pk)).count() == 1


def test_organisation_names_are_unique_within_a_strategy(world: dict[str, Any], db: None) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.add_organisation(
            world["users"]["owner"], world["strategy"], name="Org A", helix="research"
        )
    assert Organisation.objects.filter(name="Org A").count() == 1
    assert Strategy.objects.filter(pk=world["strategy"].pk).exists()


def test_pages_speak_german_when_asked(world: dict[str, Any], db: None) -> None:
    client = Client()
    english = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in english and "Log in" in english
    german = client.get("/accounts/login/", headers={"Accept-Language": "de"}).content.decode()
    assert '<html lang="de">' in german and "Anmelden" in german and "Log in" not in german


def test_every_german_message_is_translated(tmp_path: Any) -> None:
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    import ris3.workspace

    po = Path(ris3.workspace.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    # the header is the only entry with an empty translation
    assert text.count('msgstr ""\n"') == 1
    assert 'msgstr ""\n\n' not in text and 'msgstr[0] ""' not in text and "#, fuzzy" not in text
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) not installed: cannot check the compiled catalogue")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    with open(po.with_suffix(".mo"), "rb") as committed, open(fresh, "rb") as compiled:
        # the committed .mo holds the same messages as the .po
        assert (
            gettext.GNUTranslations(committed)._catalog
            == gettext.GNUTranslations(compiled)._catalog
        )  # type: ignore[attr-defined]


def test_owner_gives_a_role_and_contacts_count_towards_fatigue(
    world: dict[str, Any], db: None
) -> None:
    s = world["strategy"]
    owner = Client()
    owner.force_login(world["users"]["owner"])
    resp = owner.post(
        f"/strategies/{s.pk}/members/", {"email": "outsider@test.example", "role": "observer"}
    )
    assert resp.status_code == 302
    assert s.memberships.get(user=world["users"]["outsider"]).role == "observer"
    assert AuditLog.objects.filter(strategy=s, object_type="Membership").exists()
    person = world["stakeholder"]
    url = f"/strategies/{s.pk}/stakeholders/{person.pk}/contacts/new/"
    for day in ("2025-02-01", "2025-03-01", "2025-03-30"):
        assert owner.post(url, {"date": day, "channel": "e-mail"}).status_code == 302
    html = owner.get(f"/strategies/{s.pk}/participation/").content.decode()
    # three logged contacts plus the workshop of 2025-01-10: 4 > 3 in 2025Q1
    row = html.split("<td>2025Q1</td>")[1].split("</tr>")[0]
    assert row == "<td>4</td><td>1</td><td>1</td>"


def test_profile_evidence_from_an_uploaded_table(world: dict[str, Any], db: None) -> None:
    data = ris3.datasets.load("eu-sbs")
    data = data[data["geo"].str.startswith(("AT", "DE", "IT"))][
        ["geo", "nace_r2", "year", "persons_employed"]
    ]
    totals = data.groupby(["nace_r2", "year"])["persons_employed"].sum()
    # activities with a zero total in some year make the LQ undefined: leave them out
    data = data[~data["nace_r2"].isin(set(totals[~(totals > 0)].index.get_level_values(0)))]
    upload = io.BytesIO(data.to_csv(index=False).encode())
    upload.name = "at-de-it.csv"
    client = Client()
    client.force_login(world["users"]["facilitator"])
    resp = client.post(f"/strategies/{world['strategy'].pk}/evidence/import/", {"table": upload})
    assert resp.status_code == 302
    ev = world["strategy"].evidence.order_by("-id").first()
    assert ev.data_version.startswith("uploaded table at-de-it.csv (sha256 ")
    assert ev.parameters["rows"] == len(data) and "dataset" not in ev.parameters
    spec = ev.tables["specialisation"]
    stored = dict(
        zip(
            (r[0] for r in spec["data"]),
            (r[spec["columns"].index("lq_europe")] for r in spec["data"]),
        )
    )
    expected = ris3.profile("AT33", data=data).specialisation.set_index("activity")["lq_europe"]
    # the reference is the three countries' regions here, not Europe
    assert stored["I55"] == pytest.approx(expected["I55"], rel=1e-12)
    assert stored["I55"] != pytest.approx(
        ris3.profile("AT33").specialisation.set_index("activity").loc["I55", "lq_europe"]
    )


def test_an_unusable_uploaded_table_gives_a_one_line_message(
    world: dict[str, Any], db: None
) -> None:
    upload = io.BytesIO(b"geo,nace_r2,year\nAT33,I55,2014\n")
    upload.name = "bad.csv"
    client = Client()
    client.force_login(world["users"]["owner"])
    resp = client.post(f"/strategies/{world['strategy'].pk}/evidence/import/", {"table": upload})
    assert resp.status_code == 400
    assert "persons_employed" in resp.content.decode()


def test_focus_group_with_written_input_and_a_declared_interest(
    world: dict[str, Any], db: None
) -> None:
    s, person = world["strategy"], world["stakeholder"]
    client = Client()
    client.force_login(world["users"]["facilitator"])
    step = s.steps.get(number=4)
    form = {
        "kind": "edp_focus_group",
        "title": "FG tourism",
        "date": "2025-04-02",
        "steps": [step.pk],
        "domains": [world["domain"].pk],
        "outputs": "notes",
        "attendees": [person.pk],
        "contributors": [person.pk],
    }
    assert client.post(f"/strategies/{s.pk}/engagements/new/", form).status_code == 302
    fg = s.engagements.get(title="FG tourism")
    assert fg.attendance.get().contributed is True
    assert list(fg.steps.all()) == [step] and list(fg.domains.all()) == [world["domain"]]
    # written input from someone who did not attend is refused, not silently recorded
    other = services.add_stakeholder(
        world["users"]["owner"], s, name="Absent", organisation=world["organisation"]
    )
    bad = {**form, "title": "FG 2", "contributors": [other.pk]}
    resp = client.post(f"/strategies/{s.pk}/engagements/new/", bad)
    assert resp.status_code == 200 and "Absent did not attend" in resp.content.decode()
    url = f"/strategies/{s.pk}/stakeholders/{person.pk}/interests/new/"
    resp = client.post(
        url,
        {"domain": world["domain"].pk, "description": "owns a hotel", "declared_on": "2025-03-01"},
    )
    assert resp.status_code == 302
    d = person.interests.get()
    assert (d.domain, d.description) == (world["domain"], "owns a hotel")
    assert AuditLog.objects.filter(object_type="InterestDeclaration", object_id=str(d.pk)).exists()


def test_participation_follows_every_change_it_depends_on(world: dict[str, Any], db: None) -> None:
    from ris3.workspace import analysis

    strategy, person = world["strategy"], world["stakeholder"]
    who = world["users"]["facilitator"]
    first = analysis.participation(strategy)
    assert analysis.participation(strategy)["matrix"] is first["matrix"]  # reused
    contacts_before = sum(q["contacts"] for q in first["fatigue"])
    # a new stakeholder changes nothing here; a logged contact changes the fatigue only
    org = world["organisation"]
    services.add_stakeholder(who, strategy, name="Newcomer", organisation=org)
    services.log_contact(who, person, when=date(2025, 2, 3), channel="phone")
    second = analysis.participation(strategy)
    assert second["matrix"] is first["matrix"]
    assert sum(q["contacts"] for q in second["fatigue"]) == contacts_before + 1
    # a civil-society attendee in step 1 closes that gap
    ngo = services.add_organisation(who, strategy, name="NGO", helix="civil_society")
    member = services.add_stakeholder(who, strategy, name="Civil", organisation=ngo)
    assert any(g.startswith("no civil society in step 1") for g in second["gaps"])
    services.record_engagement(
        who,
        strategy,
        kind="workshop",
        title="W2",
        when=date(2025, 3, 1),
        steps=[strategy.steps.get(number=1)],
        domains=[],
        attendees=[member],
    )
    third = analysis.participation(strategy)
    assert third["matrix"] is not first["matrix"]
    assert not any(g.startswith("no civil society in step 1") for g in third["gaps"])
