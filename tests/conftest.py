"""Personas for permission tests, after healthchecks' Alice/Bob/Charlie:

- ``mentee`` (Mia) and ``mentor`` (Max) are enrolled in ``program``;
- ``outsider`` (Olga) is an employee with nothing to do with it;
- ``program_admin`` (Ada, in HR) runs ``program``;
- ``site_admin`` (Sid) is a superuser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from mentorbridge.core.setup import hr_group
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import (
    EnrollmentFactory,
    FocusAreaFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)
from tests.kept_rows import KeptBuilds

# Generated tests stay bounded: no test runs more examples than it asks for, and those that
# ask for nothing run 50, not hypothesis' 100.
hypothesis_settings.register_profile("mentorbridge", max_examples=50, deadline=None)
hypothesis_settings.load_profile("mentorbridge")

# ``MB_TESTS=database`` (the PostgreSQL step of ``.ci/run``) keeps only the tests that touch
# the database: the matching engine, templates and other pure code already ran under SQLite
# in ``make test``, and the database cannot change their outcome. Tests marked ``slow`` or
# ``fuzz`` ran there too (once is enough: the cleaning layer, not the database, refuses what
# they generate).
DATABASE_FIXTURES = {
    "db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
    "live_server",
}  # fmt: skip


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``MB_TESTS=database`` the fuzz modules (``test_*_fuzz.py``, every test in them
    marked ``fuzz``) are not even imported: building schemathesis' tests of every API operation
    costs each worker seconds of CPU at collection, for tests the step deselects anyway."""
    if os.environ.get("MB_TESTS") == "database" and is_fuzz_module(collection_path):
        return True
    return None


def is_fuzz_module(path: Path) -> bool:
    return path.name.startswith("test_") and path.name.endswith("_fuzz.py")


def uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(names & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("MB_TESTS") != "database":
        return
    keep, drop = [], []
    for item in items:
        once = item.get_closest_marker("slow") or item.get_closest_marker("fuzz")
        (keep if uses_database(item) and not once else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def kept_builds() -> KeptBuilds:
    """Worlds built once in this test process, written again for each test that asks."""
    return KeptBuilds()


@pytest.fixture(autouse=True)
def no_kept_engine_sessions() -> Iterator[None]:
    """Each test starts with no matching-round session kept in the process (as a restart)."""
    from mentorbridge.matching import sessions

    sessions.forget_all()
    yield
    sessions.forget_all()


@pytest.fixture(autouse=True)
def own_var_dir(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """What the app keeps in ``VAR_DIR`` while tests run (the suggesters' kept text analysis,
    checked import files) goes to this run's own folder, one per xdist worker: never the
    checkout's ``var/``, where an erasure test would delete a developer's kept analysis and
    another run, or the other worker, would read or replace the files mid-test."""
    settings.VAR_DIR = tmp_path_factory.getbasetemp() / "var"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings: pytest.FixtureRequest) -> None:
    """Each test counts failed API tokens from zero, in memory."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    from django.core.cache import caches

    caches["throttle"].clear()


@pytest.fixture
def program(db: None) -> Program:
    return ProgramFactory(name="Engineering Growth", slug="engineering-growth")


@pytest.fixture
def mentee(program: Program) -> Person:
    person = PersonFactory(first_name="Mia", last_name="Mentee", user__email="mia@example.com")
    enrollment = EnrollmentFactory(program=program, person=person, role="mentee")
    FocusAreaFactory(enrollment=enrollment)
    return person


@pytest.fixture
def mentor(program: Program) -> Person:
    person = PersonFactory(
        first_name="Max", last_name="Mentor", user__email="max@example.com", level=6
    )
    EnrollmentFactory(program=program, person=person, role="mentor", mentor_capacity=2)
    return person


@pytest.fixture
def outsider(db: None) -> Person:
    return PersonFactory(first_name="Olga", last_name="Outsider", user__email="olga@example.com")


@pytest.fixture
def program_admin(program: Program) -> Person:
    person = PersonFactory(
        first_name="Ada", last_name="Admin", user__email="ada@example.com", department__name="HR"
    )
    person.user.groups.add(hr_group())
    program.admins.add(person)
    return person


@pytest.fixture
def site_admin(db: None) -> Person:
    user = UserFactory(email="sid@example.com", is_staff=True, is_superuser=True)
    return PersonFactory(user=user, first_name="Sid", last_name="Superuser")


@pytest.fixture
def client_for() -> Callable[[Person | None], Client]:
    """A test client signed in as the person (anonymous for ``None``)."""

    def make(person: Person | None) -> Client:
        client = Client()
        if person is not None:
            client.force_login(person.user)
        return client

    return make
