"""End dates, the closure step, the history of a person's mentorships, and alumni who became
mentors."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from mentorbridge.mentorships.agreements.models import AgreementVersion
from mentorbridge.mentorships.goals.models import GoalStatus
from mentorbridge.mentorships.lifecycle.models import ClosureSurvey
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, Program, Role

#: The reminder goes this long before the end date; the closure step opens then too.
REMINDER_BEFORE = datetime.timedelta(days=14)


def with_end_dates(mentorships: Sequence[int]) -> dict[int, datetime.date]:
    """The end date each mentorship's latest agreement version names (none without one)."""
    latest = AgreementVersion.objects.filter(mentorship_id=OuterRef("pk")).order_by("-number")
    found: dict[int, datetime.date] = {}
    ids = list(mentorships)
    for start in range(0, len(ids), 1000):
        found.update(
            (pk, ends_on)
            for pk, ends_on in Mentorship.objects.filter(pk__in=ids[start : start + 1000])
            .annotate(ends_on=Subquery(latest.values("ends_on")[:1]))
            .values_list("pk", "ends_on")
            if ends_on is not None
        )
    return found


def end_date_of(mentorship: Mentorship) -> datetime.date | None:
    return with_end_dates([mentorship.pk]).get(mentorship.pk)


@dataclasses.dataclass(frozen=True)
class ClosureStep:
    """Where the mentorship stands toward its end: the date, whether the closure step is
    open, and who has answered the survey."""

    ends_on: datetime.date | None
    open: bool
    mine: ClosureSurvey | None
    answered: int


def closure_step(mentorship: Mentorship, viewer: Person) -> ClosureStep:
    ends_on = end_date_of(mentorship)
    today = timezone.localdate()
    surveys = list(ClosureSurvey.objects.filter(mentorship=mentorship))
    is_open = mentorship.status == MentorshipStatus.ENDED or (
        ends_on is not None and today >= ends_on - REMINDER_BEFORE
    )
    mine = next((s for s in surveys if s.person_id == viewer.pk), None)
    return ClosureStep(ends_on, is_open, mine, len(surveys))


@dataclasses.dataclass(frozen=True)
class HistoryLine:
    mentorship: Mentorship
    role: str  # mentee or mentor
    other: Person
    goals_set: int
    goals_reached: int


def history_of(person: Person) -> list[HistoryLine]:
    """Every mentorship of the person, as mentee and as mentor, newest first, with the goals
    reached (two queries)."""
    mentorships = (
        Mentorship.objects.filter(Q(mentee=person) | Q(mentor=person))
        .select_related("program", "focus_area", "mentee", "mentor")
        .annotate(
            goals_set=Count("goals", distinct=True),
            goals_reached=Count(
                "goals", filter=Q(goals__status=GoalStatus.ACHIEVED), distinct=True
            ),
        )
        .order_by("-started_at")
    )
    return [
        HistoryLine(
            m,
            "mentee" if m.mentee_id == person.pk else "mentor",
            m.mentor if m.mentee_id == person.pk else m.mentee,
            m.goals_set,
            m.goals_reached,
        )
        for m in mentorships
    ]


def alumni_who_mentor(program: Program) -> dict[str, int]:
    """Mentees whose mentorship in this program completed, and how many of them are now
    enrolled as mentors (in any program)."""
    alumni = set(
        Mentorship.objects.filter(
            program=program, status=MentorshipStatus.ENDED, ended_early=False
        ).values_list("mentee_id", flat=True)
    )
    mentors = Enrollment.objects.filter(
        person_id__in=alumni, role__in=[Role.MENTOR, Role.BOTH],
        status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.PENDING],
    ).values("person_id").distinct().count()  # fmt: skip
    return {"alumni": len(alumni), "mentoring": mentors}
