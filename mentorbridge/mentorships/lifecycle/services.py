"""Pause and resume, the end date (reminder, closure survey, closing), and inviting a mentee
whose mentorship completed to mentor others."""

from __future__ import annotations

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import (
    check_can_change,
    mentees,
    names,
    others_of,
    participants,
)
from mentorbridge.mentorships.checkins.models import Visibility
from mentorbridge.mentorships.lifecycle.models import ClosureSurvey, GoalsReached, Recommend
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.notifications.services import Note, notify
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, Program, ProgramStatus
from mentorbridge.programs.signals import announce_mentor_places_opened

NOT_ACTIVE = "Only an active mentorship can be paused."
RESUME_LATER = "Pick a new resume date after today and within six months."
#: Asked on the resume date, the person who paused has this long to answer; then it resumes.
ANSWER_WITHIN = datetime.timedelta(days=7)
PAUSE_LINK_SALT = "mentorbridge.mentorships.pause-answer"
PAUSE_LINK_AGE = 60 * 60 * 24 * 30
BAD_PAUSE_LINK = (
    "This link is not valid or has expired. Open the mentorship to resume it or to pause again."
)
STALE_PAUSE_LINK = (
    "This link belongs to an earlier pause: the mentorship was resumed since. Open it to see "
    "where it stands."
)
RESUME, EXTEND = "resume", "extend"
NOT_PAUSED = "This mentorship is not paused."
PAUSE_REASON_NEEDED = "Say in a few words why you pause: the other person reads it."
RESUME_DATE = "Pick a resume date after today and within six months."
MAX_PAUSE = datetime.timedelta(days=183)
ALREADY_SURVEYED = "You already answered the closure survey."
SURVEY_ANSWERS = ("goals_reached", "what_helped", "would_recommend", "overall")
BAD_VISIBILITY = "Choose who reads “{field}”: other, team or stats."
OVERALL = "Overall must be a whole number from 1 to 5."
BAD_CHOICE = "Pick one of the choices."
CLOSED_AT_END = "Reached its end date ({ends_on:%-d %b %Y})."


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
    mentorship.resume_asked_on = None
    mentorship.save(
        update_fields=[
            "status", "paused_at", "paused_by", "pause_reason", "resume_on", "resume_asked_on"
        ]
    )  # fmt: skip
    stamp = int(mentorship.paused_at.timestamp())
    for other in others_of(mentorship, by):
        notify(
            user=other.user, kind="paused", key=f"paused:{mentorship.pk}:{stamp}",
            title=f"{by.full_name} paused your mentorship until {resume_on:%-d %b %Y}",
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
    mentorship.resume_asked_on = None
    mentorship.save(update_fields=["status", "resume_on", "resume_asked_on"])
    who = by.full_name if by else "The pause ended:"
    for person in participants(mentorship) if by is None else others_of(mentorship, by):
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
def mentorship_extend_pause(
    *, mentorship: Mentorship, by: Person, resume_on: datetime.date
) -> Mentorship:
    """Keep a paused mentorship paused until a later date (either person; the other is
    told). The question on the new date comes again."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    check_can_change(mentorship, by)
    if mentorship.status != MentorshipStatus.PAUSED:
        raise ValidationError(NOT_PAUSED)
    today = timezone.localdate()
    if not today < resume_on <= today + MAX_PAUSE:
        raise ValidationError({"resume_on": RESUME_LATER})
    mentorship.resume_on = resume_on
    mentorship.resume_asked_on = None
    mentorship.save(update_fields=["resume_on", "resume_asked_on"])
    for other in others_of(mentorship, by):
        notify(
            user=other.user, kind="paused",
            key=f"pause_extended:{mentorship.pk}:{resume_on.isoformat()}",
            title=f"{by.full_name} extended the pause until {resume_on:%-d %b %Y}",
            body=f"Why it was paused: {mentorship.pause_reason}",
            url=mentorship.get_absolute_url(), action="Open the mentorship",
            name=other.first_name,
        )  # fmt: skip
    return mentorship


def _pause_stamp(mentorship: Mentorship) -> int:
    return int(mentorship.paused_at.timestamp()) if mentorship.paused_at else 0


def pause_answer_url(mentorship: Mentorship, person: Person, choice: str) -> str:
    """A signed link for the person who paused: resume now or extend the pause, in one click
    from the email (the page it opens asks to confirm, so link scanners change nothing)."""
    token = signing.dumps(
        {"m": mentorship.pk, "p": person.pk, "c": choice, "s": _pause_stamp(mentorship)},
        salt=PAUSE_LINK_SALT, compress=True,
    )  # fmt: skip
    return reverse("mentorships-pause-answer", args=[token])


def read_pause_answer(token: str) -> tuple[Mentorship, Person, str]:
    """The mentorship, person and choice a link names; ``ValidationError`` for a forged,
    expired or out-of-date link (the mentorship was resumed or paused again since)."""
    try:
        data = signing.loads(token, salt=PAUSE_LINK_SALT, max_age=PAUSE_LINK_AGE)
        mentorship_id, person_id, choice = int(data["m"]), int(data["p"]), str(data["c"])
        stamp = int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(BAD_PAUSE_LINK) from None
    mentorship = (
        Mentorship.objects.select_related("mentee__user", "mentor__user", "program")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None or choice not in (RESUME, EXTEND):
        raise ValidationError(BAD_PAUSE_LINK)
    person = next((p for p in participants(mentorship) if p.pk == person_id), None)
    if person is None:
        raise ValidationError(BAD_PAUSE_LINK)
    if mentorship.status != MentorshipStatus.PAUSED or _pause_stamp(mentorship) != stamp:
        raise ValidationError(STALE_PAUSE_LINK, code="stale")
    return mentorship, person, choice


def pause_question(mentorship: Mentorship) -> list[Note]:
    """On the resume date: ask the person who paused (both, if that person is gone) to resume
    now or extend the pause; nobody answering within a week resumes it."""
    everyone = participants(mentorship)
    asked = [p for p in everyone if p.pk == mentorship.paused_by_id]
    resume_on = mentorship.resume_on
    deadline = (resume_on or timezone.localdate()) + ANSWER_WITHIN
    notes = []
    for person in asked or everyone:
        note = Note(
            person.user, "resume_or_extend",
            f"resume_or_extend:{mentorship.pk}:{resume_on.isoformat() if resume_on else ''}",
            "Your pause ends today: resume now, or extend it?",
            f"You paused your mentorship with {names(others_of(mentorship, person), first=True)} "
            f"until "
            f"today. Resume it now, or pick a later date. Without an answer it resumes on its "
            f"own on {deadline:%-d %b %Y}.",
            pause_answer_url(mentorship, person, RESUME), "Resume now", person.first_name,
            choices=(("Extend the pause", pause_answer_url(mentorship, person, EXTEND)),),
        )  # fmt: skip
        notes.append(note)
    return notes


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
    visibility: dict[str, str] | None = None,
) -> ClosureSurvey:
    """Each person's closure survey (once), live near the end or after it ended.
    ``visibility`` maps goals_reached, what_helped, would_recommend, overall to other / team /
    stats (team when not given)."""
    if by.pk not in mentorship.participant_ids:
        check_can_change(mentorship, by)  # raises the participants-only refusal
    errors = {}
    chosen = dict.fromkeys(SURVEY_ANSWERS, Visibility.TEAM.value)
    for field, value in (visibility or {}).items():
        if field not in chosen or value not in Visibility.values:
            errors[f"{field}_visibility"] = BAD_VISIBILITY.format(field=field)
        else:
            chosen[field] = value
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
                **{f"{field}_visibility": value for field, value in chosen.items()},
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(ALREADY_SURVEYED) from None


def program_open_to_mentor(person: Person, prefer: Program) -> Program | None:
    """A program the person may join as a mentor now (the same one first). Programs they are
    already in (as anything) are left out: joining one again is refused."""
    taken = set(
        Enrollment.objects.filter(
            person=person, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.PENDING],
        ).values_list("program_id", flat=True)
    )  # fmt: skip
    candidates = Program.objects.filter(
        status__in=[ProgramStatus.ENROLLING, ProgramStatus.RUNNING]
    ).exclude(pk__in=taken)
    ordered = sorted(candidates, key=lambda p: (p.pk != prefer.pk, p.name))
    return next((p for p in ordered if p.is_enrollment_open()), None)


def pay_it_forward_invite(mentorship: Mentorship) -> bool:
    """Invite the mentees of a completed mentorship (in a group, each of them) to mentor
    others (in the app and by email), with the join form set to mentor. ``False`` if no
    program is open to any of them."""
    invited = False
    for mentee in mentees(mentorship):
        program = program_open_to_mentor(mentee, mentorship.program)
        if program is None:
            continue
        notify(
            user=mentee.user, kind="pay_it_forward", key=f"pay_it_forward:{mentorship.pk}",
            title=f"Pay it forward: mentor someone in {program.name}",
            body=(
                f"Your mentorship with {mentorship.mentor.full_name} is complete. What you "
                "learnt can help someone else: join as a mentor, your profile fills in the form."
            ),
            url=reverse("programs-join", args=[program.slug]) + "?role=mentor",
            action="Become a mentor", name=mentee.first_name,
        )  # fmt: skip
        invited = True
    return invited


@transaction.atomic
def mentorship_complete(*, mentorship: Mentorship, ends_on: datetime.date) -> Mentorship:
    """Close a mentorship that reached its end date (the daily task, after the reminder):
    everyone in it is thanked and asked for the closure survey; the mentees are invited to
    mentor."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not mentorship.is_live:
        return mentorship
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_at = timezone.now()
    mentorship.end_reason = CLOSED_AT_END.format(ends_on=ends_on)
    mentorship.ended_early = False
    mentorship.save(update_fields=["status", "ended_at", "end_reason", "ended_early"])
    for person in participants(mentorship):
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
