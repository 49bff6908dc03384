"""Starting mentorships, with the mentor's capacity enforced inside the transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorbridge.core.limits import NOTE_MAX_CHARS, check_length
from mentorbridge.mentorships.lifecycle.services import pay_it_forward_invite
from mentorbridge.mentorships.models import (
    HOLDS_CAPACITY,
    Mentorship,
    MentorshipMember,
    MentorshipStatus,
)
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role
from mentorbridge.programs.signals import announce_mentor_places_opened

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
    """How many of the mentor's places live mentorships hold in the program: one per
    mentorship and one per mentee who joined it as a group member."""
    return places_used(program.pk, [mentor.pk]).get(mentor.pk, 0)


def places_used(program_id: int, mentor_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Places held per mentor in the program (mentor id → count, mentors without any left
    out): each live mentorship holds one, each of its group members one more. Two queries;
    every capacity check (starting, suggestions, rounds, the waitlist) counts with this."""
    live = Mentorship.objects.filter(program_id=program_id, status__in=HOLDS_CAPACITY)
    if mentor_ids is not None:
        live = live.filter(mentor_id__in=list(mentor_ids))
    used: Counter[int] = Counter(live.values_list("mentor_id", flat=True))
    used.update(
        MentorshipMember.objects.filter(mentorship__in=live).values_list(
            "mentorship__mentor_id", flat=True
        )
    )
    return dict(used)


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


NOT_YOURS = "Only the mentee and the mentor can end their mentorship."
ALREADY_ENDED = "This mentorship has already ended."
REASON_NEEDED = "Say in a few words why it ends: it helps the program team."


@transaction.atomic
def mentorship_end(
    *, mentorship: Mentorship, by: Person, reason: str, early: bool = False, team_note: str = ""
) -> Mentorship:
    """The mentee or the mentor ends the mentorship. ``early`` (it isn't working) means the two
    are never matched again; either way the mentor's place frees up for the waitlist.
    ``team_note`` is an optional private note only the program team reads. A mentorship that
    ends well invites the mentee to mentor others."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if by.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise PermissionDenied(NOT_YOURS)
    if mentorship.status == MentorshipStatus.ENDED:
        raise ValidationError(ALREADY_ENDED)
    if not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    check_length("reason", "The reason", reason, NOTE_MAX_CHARS)
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_at = timezone.now()
    mentorship.end_reason = reason.strip()
    mentorship.ended_early = early
    mentorship.team_note = team_note.strip()[:2000]
    mentorship.save(update_fields=["status", "ended_at", "end_reason", "ended_early", "team_note"])
    if not early:
        pay_it_forward_invite(mentorship)
    program = mentorship.program
    if program.waitlist_auto_match:
        announce_mentor_places_opened(program.pk)
    return mentorship
