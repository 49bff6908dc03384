"""Pause and resume, the end date (reminder, closure survey, closing), and inviting a mentee
whose mentorship completed to mentor others."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import check_can_change
from mentorbridge.mentorships.lifecycle.models import ClosureSurvey, GoalsReached, Recommend
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.notifications.services import notify
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, Program, ProgramStatus, Role
from mentorbridge.programs.signals import announce_mentor_places_opened

NOT_ACTIVE = "Only an active mentorship can be paused."
NOT_PAUSED = "This mentorship is not paused."
PAUSE_REASON_NEEDED = "Say in a few words why you pause: the other person reads it."
RESUME_DATE = "Pick a resume date after today and within six months."
MAX_PAUSE = datetime.timedelta(days=183)
ALREADY_SURVEYED = "You already answered the closure survey."
OVERALL = "Overall must be a whole number from 1 to 5."
BAD_CHOICE = "Pick one of the choices."
CLOSED_AT_END = "Reached its end date ({ends_on:%d %b %Y})."


def _other(mentorship: Mentorship, by: Person) -> Person:
    return mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee


@transaction.atomic
def mentorship_pause(
    *, mentorship: Mentorship, by: Person, reason: str, resume_on: datetime.date
) -> Mentorship:
    """Either person pauses with a reason and a resume date; the other is told. The mentor's
    place stays held while it is paused."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    check_can_change(mentorship, by)
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise ValidationError(NOT_ACTIVE)
    today = timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = PAUSE_REASON_NEEDED
    if not today < resume_on <= today + MAX_PAUSE:
        errors["resume_on"] = RESUME_DATE
    if errors:
        raise ValidationError(errors)
    mentorship.status = MentorshipStatus.PAUSED
    mentorship.paused_at = timezone.now()
    mentorship.paused_by = by
    mentorship.pause_reason = reason.strip()[:300]
    mentorship.resume_on = resume_on
    mentorship.save(update_fields=["status", "paused_at", "paused_by", "pause_reason", "resume_on"])
    other = _other(mentorship, by)
    stamp = int(mentorship.paused_at.timestamp())
    notify(
        user=other.user, kind="paused", key=f"paused:{mentorship.pk}:{stamp}",
        title=f"{by.full_name} paused your mentorship until {resume_on:%d %b %Y}",
        body=f"Why: {mentorship.pause_reason}", url=mentorship.get_absolute_url(),
        action="Open the mentorship", name=other.first_name,
    )  # fmt: skip
    return mentorship


@transaction.atomic
def mentorship_resume(*, mentorship: Mentorship, by: Person | None) -> Mentorship:
    """Resume a paused mentorship: a participant early, or the daily task (``by=None``) on
    the resume date. Both are told."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if by is not None:
        check_can_change(mentorship, by)
    if mentorship.status != MentorshipStatus.PAUSED:
        raise ValidationError(NOT_PAUSED)
    paused_at = mentorship.paused_at
    mentorship.status = MentorshipStatus.ACTIVE
    mentorship.resume_on = None
    mentorship.save(update_fields=["status", "resume_on"])
    who = by.full_name if by else "The pause ended:"
    for person in (mentorship.mentee, mentorship.mentor):
        if by is not None and person.pk == by.pk:
            continue
        notify(
            user=person.user, kind="paused",
            key=f"resumed:{mentorship.pk}:{int(paused_at.timestamp()) if paused_at else 0}",
            title=f"{who} your mentorship is active again" if by is None
            else f"{who} resumed your mentorship",
            url=mentorship.get_absolute_url(), action="Plan your next meeting",
            name=person.first_name,
        )  # fmt: skip
    return mentorship


@transaction.atomic
def closure_survey_submit(
    *,
    mentorship: Mentorship,
    by: Person,
    goals_reached: str,
    would_recommend: str,
    overall: int,
    what_helped: str = "",
    stay_in_touch: bool = False,
) -> ClosureSurvey:
    """Each person's closure survey (once), live near the end or after it ended."""
    if by.pk not in mentorship.participant_ids:
        check_can_change(mentorship, by)  # raises the participants-only refusal
    errors = {}
    if goals_reached not in GoalsReached.values:
        errors["goals_reached"] = BAD_CHOICE
    if would_recommend not in Recommend.values:
        errors["would_recommend"] = BAD_CHOICE
    if not isinstance(overall, int) or not 1 <= overall <= 5:
        errors["overall"] = OVERALL
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ClosureSurvey.objects.create(
                mentorship=mentorship, person=by, goals_reached=goals_reached,
                what_helped=what_helped.strip(), would_recommend=would_recommend,
                overall=overall, stay_in_touch=stay_in_touch,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(ALREADY_SURVEYED) from None


def program_open_to_mentor(person: Person, prefer: Program) -> Program | None:
    """A program the person may join as a mentor now (the same one first)."""
    taken = set(
        Enrollment.objects.filter(
            person=person, role__in=[Role.MENTOR, Role.BOTH],
            status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.PENDING],
        ).values_list("program_id", flat=True)
    )  # fmt: skip
    candidates = Program.objects.filter(
        status__in=[ProgramStatus.ENROLLING, ProgramStatus.RUNNING]
    ).exclude(pk__in=taken)
    ordered = sorted(candidates, key=lambda p: (p.pk != prefer.pk, p.name))
    return next((p for p in ordered if p.is_enrollment_open()), None)


def pay_it_forward_invite(mentorship: Mentorship) -> bool:
    """Invite the mentee of a completed mentorship to mentor others (in the app and by email),
    with the join form set to mentor. ``False`` if no program is open to them."""
    mentee = mentorship.mentee
    program = program_open_to_mentor(mentee, mentorship.program)
    if program is None:
        return False
    notify(
        user=mentee.user, kind="pay_it_forward", key=f"pay_it_forward:{mentorship.pk}",
        title=f"Pay it forward: mentor someone in {program.name}",
        body=(
            f"Your mentorship with {mentorship.mentor.full_name} is complete. What you learnt "
            "can help someone else: join as a mentor, your profile fills in the form."
        ),
        url=reverse("programs-join", args=[program.slug]) + "?role=mentor",
        action="Become a mentor", name=mentee.first_name,
    )  # fmt: skip
    return True


@transaction.atomic
def mentorship_complete(*, mentorship: Mentorship, ends_on: datetime.date) -> Mentorship:
    """Close a mentorship that reached its end date (the daily task, after the reminder):
    both are thanked and asked for the closure survey; the mentee is invited to mentor."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not mentorship.is_live:
        return mentorship
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_at = timezone.now()
    mentorship.end_reason = CLOSED_AT_END.format(ends_on=ends_on)
    mentorship.ended_early = False
    mentorship.save(update_fields=["status", "ended_at", "end_reason", "ended_early"])
    for person in (mentorship.mentee, mentorship.mentor):
        notify(
            user=person.user, kind="closure", key=f"completed:{mentorship.pk}",
            title="Your mentorship is complete: thank you",
            body="Take two minutes for the closure survey, and say whether you'd like to stay "
            "in touch.",
            url=reverse("mentorships-closure", args=[mentorship.pk]),
            action="Look back together", name=person.first_name,
        )  # fmt: skip
    pay_it_forward_invite(mentorship)
    if mentorship.program.waitlist_auto_match:
        announce_mentor_places_opened(mentorship.program_id)
    return mentorship
