"""End dates, the closure step, the history of a person's mentorships, and alumni who became
mentors."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.utils import timezone

from mentorbridge.mentorships.agreements.models import AgreementVersion
from mentorbridge.mentorships.goals.models import GoalStatus
from mentorbridge.mentorships.lifecycle.models import ClosureSurvey, GoalsReached, Recommend
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
    answered_by: frozenset[int] = frozenset()  # people (pks) who answered the survey


def closure_step(mentorship: Mentorship, viewer: Person) -> ClosureStep:
    ends_on = end_date_of(mentorship)
    today = timezone.localdate()
    surveys = list(ClosureSurvey.objects.filter(mentorship=mentorship))
    is_open = mentorship.status == MentorshipStatus.ENDED or (
        ends_on is not None and today >= ends_on - REMINDER_BEFORE
    )
    mine = next((s for s in surveys if s.person_id == viewer.pk), None)
    return ClosureStep(
        ends_on, is_open, mine, len(surveys), frozenset(s.person_id for s in surveys)
    )


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


#: Aggregates show once this many people answered, so no one answer can be read from them.
MIN_FOR_FIGURES = 3
SURVEY_PER_PAGE = 25
_SHOWN_TO_TEAM = ("other", "team")


@dataclasses.dataclass(frozen=True)
class SurveyAnswer:
    label: str
    value: str | None  # None: kept for the statistics alone


@dataclasses.dataclass(frozen=True)
class SurveyLine:
    survey: ClosureSurvey
    role: str
    answers: list[SurveyAnswer]


def _answers(survey: ClosureSurvey, shown: tuple[str, ...]) -> list[SurveyAnswer]:
    """The survey's answers, each only if its author chose one of ``shown``."""
    found = [
        ("Goals reached", "goals_reached", survey.get_goals_reached_display()),
        ("What helped", "what_helped", survey.what_helped or "—"),
        ("Would recommend", "would_recommend", survey.get_would_recommend_display()),
        ("Overall", "overall", f"{survey.overall} of 5"),
    ]
    return [
        SurveyAnswer(label, value if getattr(survey, f"{field}_visibility") in shown else None)
        for label, field, value in found
    ]


def shared_with(mentorship: Mentorship, viewer: Person) -> list[tuple[str, str]]:
    """The other people's closure answers they chose to share with the viewer."""
    return [
        (f"{s.person.first_name}: {a.label.lower()}", a.value)
        for s in ClosureSurvey.objects.filter(mentorship=mentorship)
        .exclude(person=viewer)
        .select_related("person")
        for a in _answers(s, ("other",))
        if a.value is not None
    ]


@dataclasses.dataclass(frozen=True)
class ClosureResults:
    answered: int
    figures: dict[str, Any] | None  # None below MIN_FOR_FIGURES
    page: Any  # a Page of SurveyLine


def closure_results(program: Program, page: int | str | None = 1) -> ClosureResults:
    """The program's closure surveys for its team: figures from every answer (once enough
    people answered), and each survey with only the answers its author shared with the team
    (the statistics-only ones say so). Three queries however many surveys."""
    surveys = ClosureSurvey.objects.filter(mentorship__program=program)
    stats = surveys.aggregate(
        n=Count("pk"),
        overall_avg=Avg("overall"),
        stay=Count("pk", filter=Q(stay_in_touch=True)),
        **{f"goals_{c}": Count("pk", filter=Q(goals_reached=c)) for c in GoalsReached.values},
        **{f"rec_{c}": Count("pk", filter=Q(would_recommend=c)) for c in Recommend.values},
        **{f"overall_{n}": Count("pk", filter=Q(overall=n)) for n in range(1, 6)},
    )
    figures = None
    if stats["n"] >= MIN_FOR_FIGURES:
        figures = {
            "overall": round(stats["overall_avg"], 1),
            "overall_counts": [(n, stats[f"overall_{n}"]) for n in range(5, 0, -1)],
            "goals": [(label, stats[f"goals_{c}"]) for c, label in GoalsReached.choices],
            "recommend": [(label, stats[f"rec_{c}"]) for c, label in Recommend.choices],
            "stay_in_touch": stats["stay"],
        }
    paginator = Paginator(
        surveys.select_related("person", "mentorship__mentee", "mentorship__mentor")
        .order_by("-submitted_at", "-pk"),
        SURVEY_PER_PAGE,
    )  # fmt: skip
    paginator.__dict__["count"] = stats["n"]
    found: Any = paginator.get_page(page)
    found.object_list = [
        SurveyLine(
            s,
            "mentor" if s.person_id == s.mentorship.mentor_id else "mentee",
            _answers(s, _SHOWN_TO_TEAM),
        )
        for s in found.object_list
    ]
    return ClosureResults(stats["n"], figures, found)
