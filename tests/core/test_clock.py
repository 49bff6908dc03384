from __future__ import annotations

import datetime
from types import SimpleNamespace

from mentorbridge.core.clock import DAY, on_clock, zone_of

LATE_EVENING_NEW_YORK = datetime.datetime(2026, 12, 5, 3, 30, tzinfo=datetime.UTC)


def test_a_moment_is_written_on_the_persons_clock_with_the_zone_named() -> None:
    person = SimpleNamespace(timezone="America/New_York")
    assert on_clock(LATE_EVENING_NEW_YORK, zone_of(person)) == "4 Dec 2026, 22:30 EST"
    assert on_clock(LATE_EVENING_NEW_YORK, zone_of(person), DAY) == "4 Dec 2026"


def test_no_person_no_zone_or_an_unknown_zone_reads_as_utc() -> None:
    for person in (None, SimpleNamespace(timezone=""), SimpleNamespace(timezone="Mars/Base")):
        assert str(zone_of(person)) == "UTC"
    naive = LATE_EVENING_NEW_YORK.replace(tzinfo=None)
    assert on_clock(naive, zone_of(None)) == "5 Dec 2026, 03:30 UTC"
