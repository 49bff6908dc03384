"""``{{ mentorship|headline:person }}``: “Mentoring Ana and Ben”, “Mentored by Maria, with
Ben” — the one way a mentorship is named for one of its people (see ``access.headline``);
``{{ item.due_on|short_date }}``: “1 Jan”, with the year when it is not this one."""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from mentorbridge.mentorships.access import headline as headline_of
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

register = template.Library()


@register.filter
def headline(mentorship: Mentorship, person: Person | int) -> str:
    return headline_of(mentorship, person)


@register.filter
def short_date(day: datetime.date | None) -> str:
    """“1 Jan” for a day of this year, “1 Jan 1999” for any other; empty for no day."""
    if day is None:
        return ""
    return str(date_filter(day, "j M" if day.year == timezone.localdate().year else "j M Y"))
