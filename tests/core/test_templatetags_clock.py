"""``viewer_time``: a moment on the signed-in person's clock, with the zone named."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import RequestFactory

from mentorbridge.core.templatetags.clock import viewer_date, viewer_time
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

NOON_UTC = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)


def _request_of(person: Person | None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = person.user if person is not None else AnonymousUser()
    return request


def test_a_moment_is_shown_in_the_viewers_zone_with_its_abbreviation(mentee: Person) -> None:
    mentee.timezone = "Europe/Berlin"
    mentee.save()
    assert viewer_time(NOON_UTC, _request_of(mentee)) == "1 Jul 2026, 14:00 CEST"


def test_without_a_profile_or_a_zone_the_moment_says_utc(mentee: Person) -> None:
    assert viewer_time(NOON_UTC, _request_of(None)) == "1 Jul 2026, 12:00 UTC"
    mentee.timezone = ""
    assert viewer_time(NOON_UTC, _request_of(mentee)) == "1 Jul 2026, 12:00 UTC"
    assert viewer_time(NOON_UTC, None) == "1 Jul 2026, 12:00 UTC"


def test_no_moment_shows_nothing() -> None:
    assert viewer_time(None, None) == ""


def test_the_day_is_the_viewers_day_not_utcs(mentee: Person) -> None:
    late = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=datetime.UTC)
    mentee.timezone = "Europe/Berlin"
    mentee.save()
    assert viewer_date(late, _request_of(mentee)) == "5 Dec 2026"
    mentee.timezone = "America/New_York"
    mentee.save()
    assert viewer_date(late, _request_of(mentee)) == "4 Dec 2026"
    assert viewer_date(late, None) == "4 Dec 2026"
    assert viewer_date(None, None) == ""
