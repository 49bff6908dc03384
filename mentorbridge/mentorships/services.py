"""Starting mentorships, with the mentor's capacity enforced inside the transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role

MENTOR_FULL = "{mentor} has no mentee places left in {program}."
NOT_A_MENTOR = "{mentor} is not an enrolled mentor in {program}."
FOCUS_AREA_TAKEN = "“{focus_area}” already has a mentor."
SAME_MENTOR_TWICE = "{mentor} already mentors {mentee} on another focus area."
MENTEE_GONE = "{mentee} is no longer enrolled in {program} with this focus area."


def mentor_enrollment(program: Program, mentor: Person, *, lock: bool = False) -> Enrollment:
    """The mentor's active enrollment in the program; locked (``FOR UPDATE``) if asked."""
    enrollments = Enrollment.objects.filter(
        program=program,
        person=mentor,
        person__is_active=True,
        status=EnrollmentStatus.ACTIVE,
        role__in=[Role.MENTOR, Role.BOTH],
    )
    if lock:
        enrollments = enrollments.select_for_update()
    enrollment = enrollments.first()
    if enrollment is None:
        raise ValidationError(NOT_A_MENTOR.format(mentor=mentor, program=program))
    return enrollment


def places_taken(program: Program, mentor: Person) -> int:
    """How many of the mentor's places live mentorships hold in the program."""
    return Mentorship.objects.filter(
        program=program, mentor=mentor, status__in=HOLDS_CAPACITY
    ).count()


@transaction.atomic
def mentorship_start(
    *, program: Program, mentee: Person, mentor: Person, focus_area: FocusArea, source: str
) -> Mentorship:
    """Start a mentorship. The mentor's enrollment row is locked first, so two acceptances at
    the same moment cannot both take the last place (SQLite serialises writers anyway)."""
    enrollment = mentor_enrollment(program, mentor, lock=True)
    if places_taken(program, mentor) >= enrollment.mentor_capacity:
        raise ValidationError(MENTOR_FULL.format(mentor=mentor, program=program))
    if not (
        focus_area.is_active
        and focus_area.enrollment.status == EnrollmentStatus.ACTIVE
        and focus_area.enrollment.person_id == mentee.pk
        and mentee.is_active
    ):
        raise ValidationError(MENTEE_GONE.format(mentee=mentee, program=program))
    live = Mentorship.objects.filter(program=program, mentee=mentee, status__in=HOLDS_CAPACITY)
    if live.filter(focus_area=focus_area).exists():
        raise ValidationError(FOCUS_AREA_TAKEN.format(focus_area=focus_area))
    if live.filter(mentor=mentor).exists():
        raise ValidationError(SAME_MENTOR_TWICE.format(mentor=mentor, mentee=mentee))
    try:
        with transaction.atomic():
            return Mentorship.objects.create(
                program=program, mentee=mentee, mentor=mentor, focus_area=focus_area, source=source
            )
    except IntegrityError:  # the partial unique constraints: a race lost to another start
        raise ValidationError(FOCUS_AREA_TAKEN.format(focus_area=focus_area)) from None
