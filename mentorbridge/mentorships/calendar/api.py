"""Your calendar feed in the JSON API: its secret URL, and a new one on request."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.calendar import services
from mentorbridge.mentorships.calendar.models import CalendarFeed

router = Router()


class FeedOut(Schema):
    url: str
    created_at: datetime.datetime


def feed_out(feed: CalendarFeed) -> dict[str, object]:
    return {
        "url": settings.SITE_URL + reverse("calendar-feed", args=[feed.token]),
        "created_at": feed.created_at,
    }


@router.get("", response=FeedOut, summary="Your private calendar feed's URL")
def get_feed(request: HttpRequest) -> dict[str, object]:
    return feed_out(services.calendar_feed_for(person=current_person(request)))


@router.post(
    "/new-address", response=FeedOut, summary="Replace the feed's URL (the old one stops working)"
)
def rotate_feed(request: HttpRequest) -> dict[str, object]:
    return feed_out(services.calendar_feed_rotate(person=current_person(request)))
