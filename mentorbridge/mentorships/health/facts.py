"""The facts the health rules read, for many mentorships at once: a fixed number of queries
however many mentorships (chunked by 1,000 ids), so the admin's list and the daily sweep stay
fast on big programs."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, Max
from django.utils import timezone

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.agreements.models import AgreementConfirmation
from mentorbridge.mentorships.checkins.models import CheckIn
from mentorbridge.mentorships.goals.models import Goal
from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.health.rules import Facts, Thresholds
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship

CHUNK = 1000
#: Check-ins older than this no longer count toward health (a newer one is due by then).
CHECKIN_WINDOW = datetime.timedelta(days=120)


def thresholds_of(care: CareSettings) -> Thresholds:
    return Thresholds(
        no_meeting_days=care.no_meeting_days, missed_in_a_row=care.missed_in_a_row,
        low_satisfaction=care.low_satisfaction, no_goals_days=care.no_goals_days,
        overdue_action_items=care.overdue_action_items, agreement_days=care.agreement_days,
    )  # fmt: skip


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def facts_for(
    mentorships: Sequence[Mentorship], today: datetime.date | None = None
) -> dict[int, Facts]:
    """Facts for each mentorship, by id: six queries per 1,000 mentorships."""
    today = today or timezone.localdate()
    ids = [m.pk for m in mentorships]
    last_held: dict[int, datetime.datetime] = {}
    missed: dict[int, list[datetime.datetime]] = defaultdict(list)
    working: dict[int, dict[int, tuple[datetime.datetime, str, int]]] = defaultdict(dict)
    goals: dict[int, int] = {}
    overdue: dict[int, int] = {}
    confirmed: set[int] = set()
    since = timezone.now() - CHECKIN_WINDOW
    for chunk in _chunks(ids):
        last_held.update(
            Meeting.objects.filter(mentorship_id__in=chunk, status=MeetingStatus.HELD)
            .values("mentorship_id")
            .annotate(last=Max("starts_at"))
            .values_list("mentorship_id", "last")
        )
        for mentorship_id, starts_at in Meeting.objects.filter(
            mentorship_id__in=chunk, status=MeetingStatus.MISSED
        ).values_list("mentorship_id", "starts_at"):
            missed[mentorship_id].append(starts_at)
        for mentorship_id, person_id, at, answer, satisfaction in CheckIn.objects.filter(
            mentorship_id__in=chunk, submitted_at__gte=since
        ).values_list("mentorship_id", "person_id", "submitted_at", "working", "satisfaction"):
            seen = working[mentorship_id].get(person_id)
            if seen is None or seen[0] < at:
                working[mentorship_id][person_id] = (at, answer, satisfaction)
        goals.update(
            Goal.objects.filter(mentorship_id__in=chunk)
            .values("mentorship_id")
            .annotate(n=Count("pk"))
            .values_list("mentorship_id", "n")
        )
        overdue.update(
            ActionItem.objects.filter(
                mentorship_id__in=chunk, done_at__isnull=True, due_on__lt=today
            )
            .values("mentorship_id")
            .annotate(n=Count("pk"))
            .values_list("mentorship_id", "n")
        )
        confirmed.update(
            AgreementConfirmation.objects.filter(version__mentorship_id__in=chunk)
            .values("version_id", "version__mentorship_id")
            .annotate(n=Count("person_id", distinct=True))
            .filter(n__gte=2)
            .values_list("version__mentorship_id", flat=True)
        )
    found = {}
    for m in mentorships:
        held = last_held.get(m.pk)
        answers = working.get(m.pk, {}).values()
        found[m.pk] = Facts(
            today=today,
            started_on=timezone.localdate(m.started_at),
            last_meeting_on=timezone.localdate(held) if held else None,
            missed_in_a_row=sum(1 for at in missed.get(m.pk, []) if held is None or at > held),
            latest_working=tuple(a[1] for a in answers),
            latest_satisfaction=tuple(a[2] for a in answers),
            goals=goals.get(m.pk, 0),
            overdue_action_items=overdue.get(m.pk, 0),
            agreement_confirmed=m.pk in confirmed,
        )
    return found
