"""Survey services: one response per personal link, public links, tokens, imports with preview.

The concurrent double submission is in ``test_surveys_concurrency.py`` (it
needs committed rows that threads can see).
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pandas as pd
import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from survey_support import make_survey, matrix_answers

from ris3.strategy.survey_import import plan_import, read_limesurvey, read_survey_table
from ris3.workspace.models import AuditLog
from ris3.workspace.surveys import services
from ris3.workspace.surveys.models import Answer, Invitation, Response


def test_one_response_per_personal_link(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    [(inv, token)] = services.issue_links(world["users"]["owner"], s, ["first"])
    dom = world["domain"].pk
    r = services.submit(
        s, helix="business", sector="private", answers=matrix_answers(s, {dom: 4}), invitation=inv
    )
    assert r.via == "token" and r.answers.get().value == "4"
    with pytest.raises(services.AlreadyAnswered):
        services.submit(
            s,
            helix="research",
            sector="public",
            answers=matrix_answers(s, {dom: 1}),
            invitation=inv,
        )
    # the first answers are kept, nothing of the second is stored
    assert Response.objects.filter(survey=s).count() == 1
    assert list(Answer.objects.filter(response__survey=s).values_list("value", flat=True)) == ["4"]
    # the database itself refuses a second response to the link
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=s, invitation=inv, via="token", helix="media", sector="public"
        )


def test_tokens_are_stored_hashed_and_revocable(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    made = services.issue_links(world["users"]["owner"], s, count=3)
    for inv, token in made:
        assert inv.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert inv.prefix == token[:8] and len(token) >= 40
        stored = list(Invitation.objects.filter(pk=inv.pk).values()[0].values())
        assert token not in [str(v) for v in stored]
        # the audit record names prefixes only
        assert token not in str(list(AuditLog.objects.values_list("after", flat=True)))
    inv, token = made[0]
    services.revoke_link(world["users"]["owner"], inv)
    with pytest.raises(services.SurveyClosed):
        services.submit(s, helix="business", sector="private", answers=[],
                        invitation=Invitation.objects.get(pk=inv.pk))  # fmt: skip
    c = Client()
    assert c.get(f"/survey/answer/{token}/").status_code == 410
    assert c.get(f"/survey/answer/{made[1][1]}/").status_code == 200
    assert c.get(f"/survey/answer/{made[1][1][:-1]}x/").status_code == 404


def test_draft_survey_takes_no_response(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"], status="draft")
    [(inv, token)] = services.issue_links(world["users"]["owner"], s, count=1)
    with pytest.raises(services.SurveyClosed):
        services.submit(s, helix="business", sector="private", answers=[], invitation=inv)
    assert Client().get(f"/survey/answer/{token}/").status_code == 409


def test_public_link_one_response_per_submission(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    token = services.set_public_link(world["users"]["owner"], s, True)
    assert token is not None
    c = Client()
    form = {
        "helix": "business",
        "sector": "private",
        f"q{s.questions.get(code='strength').pk}_d{world['domain'].pk}": "5",
    }
    for _ in range(2):
        resp = c.post(f"/survey/open/{token}/", form)
        assert resp.status_code == 200 and "have been stored" in resp.content.decode()
    rs = Response.objects.filter(survey=s)
    assert rs.count() == 2 and set(rs.values_list("via", flat=True)) == {"public"}
    assert all(r.invitation_id is None for r in rs)
    # a new public link replaces the old one; closing it stops it
    token2 = services.set_public_link(world["users"]["owner"], s, True)
    assert c.get(f"/survey/open/{token}/").status_code == 404
    services.set_public_link(world["users"]["owner"], s, False)
    assert c.get(f"/survey/open/{token2}/").status_code == 404


def test_answer_page_second_submission_refused(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    [(inv, token)] = services.issue_links(world["users"]["owner"], s, count=1)
    qs = {q.code: q for q in s.questions.all()}
    form = {
        "helix": "research", "sector": "public",
        f"q{qs['strength'].pk}_d{world['domain'].pk}": "3",
        f"q{qs['size'].pk}": "small", f"q{qs['needs'].pk}": ["skills", "money"],
        f"q{qs['involved'].pk}": "4", f"q{qs['goals'].pk}_0": "2", f"q{qs['goals'].pk}_1": "1",
        f"q{qs['goals'].pk}_2": "3", f"q{qs['remarks'].pk}": "More skills.",
    }  # fmt: skip
    c = Client()
    assert c.post(f"/survey/answer/{token}/", form).status_code == 200
    got = sorted(
        Answer.objects.filter(response__invitation=inv).values_list(
            "question__code", "item", "value"
        )
    )
    assert got == sorted([
        ("strength", str(world["domain"].pk), "3"), ("size", "", "small"), ("needs", "skills", "1"),
        ("needs", "money", "1"), ("involved", "", "4"), ("goals", "jobs", "2"), ("goals", "green", "1"),
        ("goals", "r&d", "3"), ("remarks", "", "More skills."),
    ])  # fmt: skip
    again = c.post(f"/survey/answer/{token}/", {**form, "helix": "business"})
    assert again.status_code == 409 and "used to answer already" in again.content.decode()
    assert Response.objects.filter(survey=s).count() == 1
    # a repeated rank is refused by the form, nothing stored
    [(inv2, token2)] = services.issue_links(world["users"]["owner"], s, count=1)
    bad = c.post(f"/survey/answer/{token2}/", {**form, f"q{qs['goals'].pk}_1": "2"})
    assert bad.status_code == 200 and "give each rank once" in bad.content.decode()
    assert not Response.objects.filter(invitation=inv2).exists()


QUESTIONS = pd.DataFrame(
    {
        "code": ["strength", "size", "goals", "involved"],
        "kind": ["matrix", "single", "ranking", "likert"],
        "choices": [[], ["small", "large"], ["jobs", "green", "rd"], []],
        "scale_min": [1, 1, 1, 1],
        "scale_max": [5, 5, 5, 5],
    }
)


def test_plan_import_rejects_with_reasons() -> None:
    t = pd.DataFrame(
        [
            ("a", "helix", "", "Wirtschaft"), ("a", "sector", "", "private"),
            ("a", "strength", "I55", "4"), ("a", "strength", "C16", "7"),
            ("a", "strength", "X99", "3"), ("a", "strength", "C23", "N/A"),
            ("a", "size", "", "huge"), ("a", "goals", "jobs", "1"), ("a", "goals", "green", "1"),
            ("a", "involved", "", "5"), ("a", "colour", "", "blue"),
            ("b", "helix", "", "farmers"), ("b", "sector", "", "public"), ("b", "strength", "I55", "5"),
            ("c", "helix", "", "research"), ("c", "sector", "", "public"), ("c", "strength", "I55", "2"),
        ],
        columns=["respondent", "question", "item", "value"],
    )  # fmt: skip
    plan = plan_import(
        read_survey_table(t, item="item"), QUESTIONS,
        domains={"I55": "1", "C16": "2", "C23": "3"}, existing=["c"],
    )  # fmt: skip
    assert plan.respondents.values.tolist() == [["a", "business", "private"]]
    assert sorted(plan.answers.values.tolist()) == [
        ["a", "involved", "", "5"],
        ["a", "strength", "1", "4"],
    ]
    reasons = {
        (r["respondent"], r["question"], r["item"]): r["reason"]
        for r in plan.rejected.to_dict("records")
    }
    assert reasons == {
        ("a", "strength", "C16"): "'7' is not a rating between 1 and 5",
        ("a", "strength", "X99"): "'X99' is not one of the survey's domains",
        ("a", "strength", "C23"): "no-answer code: left missing, not a rating",
        ("a", "size", ""): "'huge' is not a choice ('small', 'large')",
        ("a", "goals", "jobs"): "ranks must be whole numbers 1-3, each used once",
        ("a", "goals", "green"): "ranks must be whole numbers 1-3, each used once",
        ("b", "", ""): "helix 'farmers' is not one the workspace knows",
        ("c", "", ""): "already imported",
    }
    unmapped = plan.mapping.loc[plan.mapping["question"] == "", ["source_question", "note"]]
    assert unmapped.values.tolist() == [
        ["strength", ""], ["colour", "no question with this code in the survey"],
    ]  # fmt: skip


def test_limesurvey_ranking_form_and_incomplete_rows() -> None:
    ls = pd.DataFrame(
        {
            "id": ["1", "2"], "submitdate": ["2025-01-01", None], "token": ["t1", "t2"],
            "helix": ["government", "business"], "sector": ["public", "private"],
            "goals[1]": ["rd", "jobs"], "goals[2]": ["jobs", "rd"], "goals[3]": ["green", "green"],
        }
    )  # fmt: skip
    plan = plan_import(read_limesurvey(ls), QUESTIONS)
    assert sorted(plan.answers.values.tolist()) == [
        ["t1", "goals", "green", "3"], ["t1", "goals", "jobs", "2"], ["t1", "goals", "rd", "1"]
    ]  # fmt: skip
    assert plan.rejected["reason"].str.startswith("incomplete response").tolist() == [True]


def _upload(name: str, text: str) -> io.BytesIO:
    f = io.BytesIO(text.encode())
    f.name = name
    return f


def test_import_preview_writes_nothing_until_confirmed(world: dict[str, Any], db: None) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    code = world["domain"].codes
    csv = (
        f"id,submitdate,token,helix,sector,strength[{code}],size\n"
        "1,2025-02-01,tk1,business,private,4,small\n"
        "2,2025-02-01,tk2,research,public,9,large\n"
        "3,,tk3,research,public,3,large\n"
        "4,2025-02-02,tk4,nobody,public,3,large\n"
    )
    c = Client()
    c.force_login(world["users"]["facilitator"])
    url = f"/strategies/{world['strategy'].pk}/surveys/{s.pk}/import/"
    resp = c.post(url, {"source": "limesurvey", "file": _upload("ls.csv", csv),
                        "helix_question": "helix", "sector_question": "sector"})  # fmt: skip
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "2 respondents will be imported" in html
    assert "&#x27;9&#x27; is not a rating between 1 and 5" in html
    assert "incomplete response (no submitdate)" in html
    assert "helix &#x27;nobody&#x27; is not one the workspace knows" in html
    assert Response.objects.filter(survey=s).count() == 0  # nothing written by the preview
    done = c.post(url, {"confirm": "1"})
    assert done.status_code == 200 and "Imported 2 responses" in done.content.decode()
    rs = Response.objects.filter(survey=s).order_by("source_ref")
    assert [(r.source_ref, r.via, r.helix) for r in rs] == [
        ("limesurvey:tk1", "import", "business"), ("limesurvey:tk2", "import", "research")
    ]  # fmt: skip
    assert list(
        Answer.objects.filter(response__in=rs, question__code="strength").values_list(
            "value", flat=True
        )
    ) == ["4"]
    # the same file again: every respondent is "already imported"
    again = c.post(url, {"source": "limesurvey", "file": _upload("ls.csv", csv),
                         "helix_question": "helix", "sector_question": "sector"})  # fmt: skip
    assert "0 respondents will be imported" in again.content.decode()
    assert again.content.decode().count("already imported") == 2


def test_xlsform_import_through_the_page(world: dict[str, Any], db: None, tmp_path: Any) -> None:
    s = make_survey(world["users"]["owner"], world["strategy"])
    form = tmp_path / "form.xlsx"
    with pd.ExcelWriter(form) as xl:
        pd.DataFrame({"type": ["select_one helix", "select_one sector", "select_one size"],
                      "name": ["helix", "sector", "size"], "label": ["H", "S", "Size"]}).to_excel(xl, sheet_name="survey", index=False)  # fmt: skip
        pd.DataFrame({"list_name": ["helix", "helix", "sector", "sector", "size", "size"],
                      "name": ["business", "research", "public", "private", "small", "large"]}).to_excel(xl, sheet_name="choices", index=False)  # fmt: skip
    data = "_uuid,helix,sector,size\nu1,business,private,small\nu2,research,public,medium\n"
    c = Client()
    c.force_login(world["users"]["owner"])
    url = f"/strategies/{world['strategy'].pk}/surveys/{s.pk}/import/"
    with open(form, "rb") as fh:
        resp = c.post(url, {"source": "xlsform", "file": _upload("data.csv", data), "form_file": fh,
                            "helix_question": "helix", "sector_question": "sector"})  # fmt: skip
    html = resp.content.decode()
    assert "2 respondents will be imported" in html
    assert "&#x27;medium&#x27; is not a choice of list &#x27;size&#x27;" in html
    assert Response.objects.filter(survey=s).count() == 0
