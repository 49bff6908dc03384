"""The person's calendar feed token: made on first use, replaced on request."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.calendar.models import CalendarFeed
from mentorbridge.people.models import Person


def _token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_for(*, person: Person) -> CalendarFeed:
    """The person's feed, made with a fresh secret token the first time."""
    feed, _ = CalendarFeed.objects.get_or_create(person=person, defaults={"token": _token()})
    return feed


@transaction.atomic
def calendar_feed_rotate(*, person: Person) -> CalendarFeed:
    """A new secret token: the old feed URL stops working at once."""
    # Made first if missing (get_or_create copes with a first request at the same time), then
    # locked: two first rotations at once both inserted a feed (a unique error, a 500, on PG).
    calendar_feed_for(person=person)
    feed = CalendarFeed.objects.select_for_update().get(person=person)
    feed.token, feed.created_at = _token(), timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
