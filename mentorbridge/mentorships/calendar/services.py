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
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        return CalendarFeed.objects.create(person=person, token=_token())
    feed.token, feed.created_at = _token(), timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
