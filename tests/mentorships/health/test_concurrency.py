"""Two first saves of a program's care settings at once (a double click), with PostgreSQL
row locks."""

from __future__ import annotations

import time

import pytest

from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.health.services import care_update
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_two_first_saves_of_the_care_settings_at_once_keep_one_row_without_an_error(
    program: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    CareSettings.objects.filter(program=program).delete()
    real_clean = CareSettings.full_clean

    def slow_clean(self: CareSettings, *args: object, **kwargs: object) -> None:
        time.sleep(0.3)  # widen the race: look for the settings, then dawdle
        real_clean(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CareSettings, "full_clean", slow_clean)

    def save(days: int) -> str:
        care_update(program=program, by=program_admin, no_meeting_days=days)
        return "saved"

    assert at_once([lambda: save(40), lambda: save(50)]) == ["saved", "saved"]
    assert CareSettings.objects.get(program=program).no_meeting_days in {40, 50}
