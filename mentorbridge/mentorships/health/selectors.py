"""Health of one mentorship (its participants see it with the next step, computed live: cheap
for one) and of a whole program (the admins' list, worst first, with reasons and the date of
the last meeting, read from the stored rows: ``store.py``)."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentorbridge.mentorships.health.facts import CHUNK, facts_for, thresholds_of
from mentorbridge.mentorships.health.models import MentorshipHealth
from mentorbridge.mentorships.health.rules import Health, Level, evaluate
from mentorbridge.mentorships.health.settings import care_for
from mentorbridge.mentorships.health.store import health_of_row, health_refresh, stale_ids
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.mentorships.workspace.sections import Section
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program


def health_of(mentorship: Mentorship, today: datetime.date | None = None) -> Health | None:
    """The mentorship's health, or ``None`` when it is paused or ended (no rule applies)."""
    if mentorship.status != MentorshipStatus.ACTIVE:
        return None
    facts = facts_for([mentorship], today)[mentorship.pk]
    return evaluate(facts, thresholds_of(care_for(mentorship.program)))


#: Rows on one page of the admins' list (and the API's default page).
PER_PAGE = 25


@dataclasses.dataclass(frozen=True)
class HealthRow:
    mentorship: Mentorship
    health: Health
    last_meeting_on: datetime.date | None
    computed_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class ProgramHealth:
    page: Page[MentorshipHealth]  # needs attention or at risk, worst first
    rows: list[HealthRow]  # the page's rows
    counts: dict[str, int]  # on_track, needs_attention, at_risk, paused
    total: int  # active mentorships
    stale: int  # active mentorships still to compute for today (only after a big change)


def stored_health_of(mentorship: Mentorship, today: datetime.date | None = None) -> Health | None:
    """The stored health (computed now if missing or from an earlier day); ``None`` when the
    mentorship is paused or ended."""
    if mentorship.status != MentorshipStatus.ACTIVE:
        return None
    today = today or timezone.localdate()
    row = MentorshipHealth.objects.filter(mentorship=mentorship, computed_on=today).first()
    if row is None:
        health_refresh([mentorship.pk], today)
        row = MentorshipHealth.objects.get(mentorship=mentorship)
    return health_of_row(row)


def program_health(
    program: Program,
    today: datetime.date | None = None,
    *,
    level: Level | None = None,
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
) -> ProgramHealth:
    """The program's stored health: those not on track, worst first (then the longest without
    a meeting), a page at a time, and how many are in each state. Rows missing or from an
    earlier day are computed first, at most 1,000 per call, so the cost does not grow with
    the program: the daily sweep keeps them all from today."""
    today = today or timezone.localdate()
    mentorships = Mentorship.objects.filter(program=program).aggregate(
        active=Count("pk", filter=Q(status=MentorshipStatus.ACTIVE)),
        paused=Count("pk", filter=Q(status=MentorshipStatus.PAUSED)),
    )
    rows_here = MentorshipHealth.objects.filter(program=program)
    counted = _counts(rows_here, today)
    left = 0
    if sum(counted[1].values()) < mentorships["active"]:  # missing or earlier rows: compute
        stale = stale_ids(program.pk, today, CHUNK)
        health_refresh(stale, today)
        counted = _counts(rows_here, today)
        left = max(0, mentorships["active"] - sum(counted[1].values()))
    counts = {lvl.slug: counted[0].get(int(lvl), 0) for lvl in Level}
    listed = (
        rows_here.filter(level=level) if level is not None
        else rows_here.exclude(level=Level.ON_TRACK)
    )  # fmt: skip
    paginator: Paginator[MentorshipHealth] = Paginator(
        listed.select_related("mentorship__mentee", "mentorship__mentor", "mentorship__focus_area")
        .order_by("-level", "since_on", "mentorship_id"),
        per_page,
    )  # fmt: skip
    # The count is known from the counts above: no second count query.
    listed_count = counts[level.slug] if level is not None else sum(
        n for slug, n in counts.items() if slug != Level.ON_TRACK.slug
    )  # fmt: skip
    paginator.__dict__["count"] = listed_count
    found = paginator.get_page(page)
    rows = [
        HealthRow(r.mentorship, health_of_row(r), r.last_meeting_on, r.computed_at)
        for r in found.object_list
    ]
    counts["paused"] = mentorships["paused"]
    return ProgramHealth(found, rows, counts, mentorships["active"], left)


def _counts(
    rows: QuerySet[MentorshipHealth], today: datetime.date
) -> tuple[dict[int, int], dict[int, int]]:
    """Stored rows by level: all of them, and those computed today (one query). Rows exist
    only for active mentorships (``store.health_refresh`` removes the others)."""
    found = rows.values("level").annotate(
        n=Count("pk"), fresh=Count("pk", filter=Q(computed_on=today))
    )
    return (
        {r["level"]: r["n"] for r in found},
        {r["level"]: r["fresh"] for r in found},
    )


def health_section(mentorship: Mentorship, viewer: Person) -> Section:
    return Section(
        "health",
        "How it's going",
        "mentorships/health/_section.html",
        {
            "health": health_of(mentorship),
            "mentorship_status": mentorship.status,
            "paused_by_you": mentorship.paused_by_id == viewer.pk,
        },
    )
