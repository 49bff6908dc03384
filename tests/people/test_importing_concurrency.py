"""Two HRIS imports of the same new people at once, with real PostgreSQL transactions."""

from __future__ import annotations

import time

import pytest

from mentorbridge.people import importing
from mentorbridge.people.models import Person
from tests.concurrency import at_once, on_postgresql
from tests.people.test_importing import GOOD

pytestmark = on_postgresql("concurrent imports are tested on PostgreSQL")


def test_two_imports_of_the_same_new_people_at_once_create_them_once_without_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_existing = importing._existing_people

    def slow_existing() -> dict[str, tuple[int, str | None]]:
        found = real_existing()
        time.sleep(0.3)  # widen the race: read who exists, then dawdle before writing
        return found

    monkeypatch.setattr(importing, "_existing_people", slow_existing)

    def run() -> str:
        report = importing.import_people(GOOD)
        return f"created {report.created}, errors {report.errors}"

    outcomes = sorted(at_once([run, run]))
    expected = Person.objects.count()
    assert outcomes == ["created 0, errors []", f"created {expected}, errors []"], outcomes
