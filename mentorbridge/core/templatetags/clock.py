"""A moment as the viewer reads it: in their own timezone (their profile's), with its
abbreviation, so a time on a page outside the meeting pages says which clock it is on."""

from __future__ import annotations

import datetime
import zoneinfo

from django import template
from django.http import HttpRequest

from mentorbridge.core.clock import DAY, on_clock, zone_of

register = template.Library()


def viewer_zone(request: HttpRequest | None) -> zoneinfo.ZoneInfo:
    """The signed-in person's timezone; UTC for anyone without a profile or a valid zone."""
    return zone_of(getattr(getattr(request, "user", None), "person", None))


@register.filter
def viewer_time(value: datetime.datetime | None, request: HttpRequest | None) -> str:
    """``{{ version.created_at|viewer_time:request }}``: the moment on the viewer's clock,
    naming the zone ("4 Dec 2026, 15:05 CET"); empty for no moment."""
    return "" if value is None else on_clock(value, viewer_zone(request))


@register.filter
def viewer_date(value: datetime.datetime | None, request: HttpRequest | None) -> str:
    """``{{ note.created_at|viewer_date:request }}``: the day of the moment on the viewer's
    clock ("4 Dec 2026"), so late evening in New York is not shown as the next day."""
    return "" if value is None else on_clock(value, viewer_zone(request), DAY)
