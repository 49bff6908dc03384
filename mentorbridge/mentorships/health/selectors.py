"""Health of one mentorship (its participants see it with the next step) and of a whole
program (the admins' list, worst first, with reasons and the date of the last meeting)."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from mentorbridge.mentorships.health.facts import facts_for, thresholds_of
from mentorbridge.mentorships.health.rules import Facts, Health, Level, evaluate
from mentorbridge.mentorships.health.settings import care_for
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


@dataclasses.dataclass(frozen=True)
class HealthRow:
    mentorship: Mentorship
    health: Health
    facts: Facts


@dataclasses.dataclass(frozen=True)
class ProgramHealth:
    rows: list[HealthRow]  # needs attention or at risk, worst first
    counts: dict[str, int]  # on_track, needs_attention, at_risk, paused
    total: int


def program_health(
    program: Program, today: datetime.date | None = None, *, level: Level | None = None
) -> ProgramHealth:
    """Every active mentorship of the program evaluated: those not on track, worst first
    (then the longest without a meeting), and how many are in each state."""
    today = today or timezone.localdate()
    live = list(
        Mentorship.objects.filter(program=program, status=MentorshipStatus.ACTIVE)
        .select_related("mentee", "mentor", "focus_area")
        .order_by("pk")
    )
    thresholds = thresholds_of(care_for(program))
    facts = facts_for(live, today)
    counts = {lvl.slug: 0 for lvl in Level}
    rows = []
    for m in live:
        health = evaluate(facts[m.pk], thresholds)
        counts[health.level.slug] += 1
        if health.level is not Level.ON_TRACK and (level is None or health.level is level):
            rows.append(HealthRow(m, health, facts[m.pk]))
    counts["paused"] = Mentorship.objects.filter(
        program=program, status=MentorshipStatus.PAUSED
    ).count()
    rows.sort(
        key=lambda r: (
            -r.health.level,
            r.facts.last_meeting_on or r.facts.started_on,
            r.mentorship.pk,
        )
    )
    return ProgramHealth(rows, counts, len(live))


def health_section(mentorship: Mentorship, viewer: Person) -> Section:
    return Section(
        "health", "How it's going", "mentorships/health/_section.html",
        {"health": health_of(mentorship), "mentorship_status": mentorship.status},
    )  # fmt: skip
