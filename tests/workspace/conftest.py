"""Start Django for the workspace tests: SQLite in a temporary folder, or the
PostgreSQL server named by ``RIS3_TEST_DATABASE_URL``.

Every test runs inside a transaction that is rolled back; the module-level
``world`` (a strategy with a member of each role) is rolled back at the end
of the module.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("django")

from ris3.workspace import runtime  # noqa: E402

FOLDER = Path(tempfile.mkdtemp(prefix="ris3-ws-test-"))
runtime.make_secret_key(FOLDER)
runtime.setup(FOLDER, os.environ.get("RIS3_TEST_DATABASE_URL") or None)

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

# hashing passwords slowly is the point in production and a waste here
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ROLES = ("owner", "facilitator", "evaluator", "stakeholder", "observer", "applicant")


@pytest.fixture(scope="session", autouse=True)
def django_test_database() -> Iterator[None]:
    """A fresh test database (SQLite file or PostgreSQL test_ database) for the session."""
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    yield
    teardown_databases(old, verbosity=0)
    teardown_test_environment()
    shutil.rmtree(FOLDER, ignore_errors=True)


@pytest.fixture(scope="module")
def world(django_test_database: None) -> Iterator[dict[str, Any]]:
    """A strategy with one user per role, an outsider, an administrator and one of each record."""
    from datetime import date

    from ris3.workspace import identity, services
    from ris3.workspace.models import Domain, Evidence

    with transaction.atomic():
        admin = identity.create_user("admin@test.example", "Kq7-walnut-Harbor", superuser=True)
        users = {r: identity.create_user(f"{r}@test.example", "Kq7-walnut-Harbor") for r in ROLES}
        users["outsider"] = identity.create_user("outsider@test.example", "Kq7-walnut-Harbor")
        users["superuser"] = admin
        strategy = services.create_strategy(
            users["owner"],
            region_code="AT33",
            name="Test strategy",
            period_start=2021,
            period_end=2027,
        )
        for r in ROLES[1:]:
            services.add_member(users["owner"], strategy, users[r], r)
        other = services.create_strategy(
            admin, region_code="AT32", name="Other strategy", period_start=2021, period_end=2027
        )
        org = services.add_organisation(users["owner"], strategy, name="Org A", helix="business")
        person = services.add_stakeholder(
            users["owner"], strategy, name="Person A", email="a@org.example", organisation=org
        )
        evidence = Evidence.objects.create(
            strategy=strategy,
            function="ris3.profile",
            parameters={"region": "AT33"},
            data_version="test",
            tables={"coverage": {"columns": ["m", "v"], "data": [["x", None]]}},
        )
        domain = Domain.objects.create(
            strategy=strategy, title="Tourism", codes="I55", origin="test"
        )
        step1 = strategy.steps.get(number=1)
        services.record_engagement(
            users["owner"],
            strategy,
            kind="workshop",
            title="W1",
            when=date(2025, 1, 10),
            steps=[step1],
            domains=[domain],
            attendees=[person],
        )
        tokens = {name: identity.issue_token(u) for name, u in users.items()}
        from part_records import part_ids

        yield {
            "users": users,
            "strategy": strategy,
            "other": other,
            "organisation": org,
            "stakeholder": person,
            "evidence": evidence,
            "domain": domain,
            "tokens": tokens,
            # the parts' records, by the URL keyword that names them (call_id, ...)
            "ids": part_ids(users, strategy, domain),
        }
        transaction.set_rollback(True)


@pytest.fixture
def db(django_test_database: None) -> Iterator[None]:
    """Run the test in a transaction (savepoint) that is rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
