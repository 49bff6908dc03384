"""``short_date``: a due date without its year only in the current year."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mentorbridge.mentorships.templatetags.mentorships import short_date


def test_a_day_of_this_year_is_shown_without_the_year_and_any_other_with_it() -> None:
    this_year = timezone.localdate().year
    assert short_date(datetime.date(this_year, 1, 1)) == "1 Jan"
    assert short_date(datetime.date(1999, 1, 1)) == "1 Jan 1999"
    assert short_date(datetime.date(this_year + 1, 3, 9)) == f"9 Mar {this_year + 1}"
    assert short_date(None) == ""
