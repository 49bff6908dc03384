"""A moment on a person's own clock: their profile's timezone (UTC when they have none or it is
not a known zone), written with the zone's abbreviation so the reader knows which clock it is."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.utils import dateformat, timezone

#: "4 Dec 2026, 15:05 CET"
MOMENT = "j M Y, H:i T"
#: "4 Dec 2026"
DAY = "j M Y"


def zone_of(person: Any) -> zoneinfo.ZoneInfo:
    """The timezone of ``person`` (anything with a ``timezone`` name, or None): UTC when it
    has none or an unknown one."""
    try:
        return zoneinfo.ZoneInfo(getattr(person, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def on_clock(value: datetime.datetime, zone: zoneinfo.ZoneInfo, layout: str = MOMENT) -> str:
    """``value`` written on ``zone``'s clock ("4 Dec 2026, 15:05 CET"); a naive value is UTC."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return dateformat.format(timezone.localtime(value, zone), layout)
