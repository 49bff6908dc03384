"""Reading action items: the open ones, the overdue ones, and those a meeting carries over."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship


def first_due_date(mentorship: Mentorship) -> datetime.date:
    """The earliest day an action item of ``mentorship`` may be due: the day it started."""
    return timezone.localdate(mentorship.started_at)


def action_items_of(mentorship: Mentorship) -> QuerySet[ActionItem]:
    """Every action item with its owner: open ones first, earliest due first."""
    return (
        ActionItem.objects.filter(mentorship=mentorship)
        .select_related("owner")
        .order_by("-done_at", "due_on", "pk")
    )


def open_action_items(mentorship: Mentorship) -> QuerySet[ActionItem]:
    """Action items not done yet, earliest due first (no date last)."""
    return (
        ActionItem.objects.filter(mentorship=mentorship, done_at__isnull=True)
        .select_related("owner")
        .order_by("due_on", "pk")
    )


def overdue_action_items(
    mentorship: Mentorship, *, today: datetime.date | None = None
) -> QuerySet[ActionItem]:
    """Open action items whose due date is before today."""
    today = today or timezone.localdate()
    return open_action_items(mentorship).filter(due_on__lt=today)


def overdue_ids(items: Iterable[ActionItem], *, today: datetime.date | None = None) -> set[int]:
    """The ids of the open ``items`` whose due date is before today, for the Overdue badge
    (templates/mentorships/actions/_open_item.html)."""
    today = today or timezone.localdate()
    return {a.pk for a in items if a.is_open and a.due_on is not None and a.due_on < today}


def carried_over_items(meeting: Meeting) -> QuerySet[ActionItem]:
    """Open action items agreed before this meeting: they are on its agenda until done."""
    return open_action_items(meeting.mentorship).filter(
        Q(meeting__starts_at__lt=meeting.starts_at)
        | Q(meeting__isnull=True, created_at__lt=meeting.starts_at)
    )
