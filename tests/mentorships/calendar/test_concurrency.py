"""Two first *Make a new address* at once (a double click), with PostgreSQL row locks."""

from __future__ import annotations

import time

import pytest

from mentorbridge.mentorships.calendar import services
from mentorbridge.mentorships.calendar.models import CalendarFeed
from mentorbridge.people.models import Person
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_two_first_new_addresses_at_once_leave_one_feed_without_an_error(
    mentee: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_token = services._token

    def slow_token() -> str:  # widen the race: look for the feed, then dawdle
        time.sleep(0.3)
        return real_token()

    monkeypatch.setattr(services, "_token", slow_token)

    def rotate() -> str:
        services.calendar_feed_rotate(person=mentee)
        return "rotated"

    assert at_once([rotate, rotate]) == ["rotated", "rotated"]
    assert CalendarFeed.objects.filter(person=mentee).count() == 1
