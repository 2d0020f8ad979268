"""Concurrent submissions through one personal link: threads against the database.

The rows must be committed for the threads' own connections to see them, so
this module does not use the rolled-back ``world``; it removes what it made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from survey_support import make_survey, matrix_answers

from ris3.workspace import identity
from ris3.workspace import services as core
from ris3.workspace.models import AuditLog, Domain
from ris3.workspace.surveys import services
from ris3.workspace.surveys.models import Answer, Invitation, Response, Survey

THREADS = 8


@pytest.fixture
def committed(django_test_database: None) -> Iterator[dict[str, Any]]:
    user = identity.create_user("concurrency@test.example", "Kq7-walnut-Harbor")
    strategy = core.create_strategy(
        user, region_code="AT34", name="Concurrency", period_start=2021, period_end=2027
    )
    domain = Domain.objects.create(strategy=strategy, title="Tourism", codes="I55", origin="test")
    survey = make_survey(user, strategy)
    yield {"user": user, "strategy": strategy, "domain": domain, "survey": survey}
    AuditLog.objects.filter(strategy=strategy).delete()
    strategy.delete()
    AuditLog.objects.filter(object_type="User", object_id=str(user.pk)).delete()
    user.delete()


def _race(target: Any) -> list[str]:
    """Run ``target`` in THREADS threads released at the same moment; their outcomes."""
    gate = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        try:
            gate.wait()
            target(k)
            result = "stored"
        except services.AlreadyAnswered:
            result = "refused"
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            result = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_concurrent_double_submit_is_refused(committed: dict[str, Any]) -> None:
    s: Survey = committed["survey"]
    [(inv, _token)] = services.issue_links(committed["user"], s, count=1)

    def submit(k: int) -> None:
        survey = Survey.objects.get(pk=s.pk)
        services.submit(
            survey, helix="business", sector="private",
            answers=matrix_answers(survey, {committed["domain"].pk: 1 + k % 5}),
            invitation=Invitation.objects.get(pk=inv.pk),
        )  # fmt: skip

    outcomes = _race(submit)
    assert sorted(outcomes) == ["refused"] * (THREADS - 1) + ["stored"]
    r = Response.objects.get(survey=s)
    assert r.invitation_id == inv.pk
    # the stored response has its own answer only (none of the refused ones leaked in)
    assert Answer.objects.filter(response__survey=s).count() == 1


def test_concurrent_public_submissions_are_all_stored(committed: dict[str, Any]) -> None:
    s: Survey = committed["survey"]

    def submit(k: int) -> None:
        survey = Survey.objects.get(pk=s.pk)
        services.submit(
            survey, helix="research", sector="public",
            answers=matrix_answers(survey, {committed["domain"].pk: 1 + k % 5}),
        )  # fmt: skip

    assert _race(submit) == ["stored"] * THREADS
    assert Response.objects.filter(survey=s, via="public").count() == THREADS
    assert sorted(
        Answer.objects.filter(response__survey=s).values_list("value", flat=True)
    ) == sorted(str(1 + k % 5) for k in range(THREADS))
