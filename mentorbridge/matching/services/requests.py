"""Mentees' requests to mentors: create, answer, withdraw, expire."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorbridge.core.limits import (
    ANSWER_MAX_CHARS,
    NOTE_MAX_CHARS,
    QUESTION_MAX_CHARS,
    REQUEST_MESSAGE_MAX_CHARS,
    check_length,
)
from mentorbridge.matching.models import (
    OPEN_STATUSES,
    DeclineReason,
    MentorRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from mentorbridge.matching.notifications import notify
from mentorbridge.matching.rules import pair_problem
from mentorbridge.matching.services.cleanup import OTHER_ACCEPTED, focus_area_settled
from mentorbridge.mentorships.models import Mentorship, MentorshipSource
from mentorbridge.mentorships.services import (
    mentor_enrollment,
    mentorship_start,
    places_taken,
)
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea

REQUESTS_OFF = "{program} doesn't take requests: its team matches people in rounds."
NOT_YOUR_FOCUS_AREA = "That focus area isn't one of yours."
NOT_ENROLLED = "Your enrollment in {program} isn't active."
MENTOR_PAUSED = "{mentor} isn't taking new requests right now."
MENTOR_FULL = "{mentor} has no mentee places left in {program}."
# The same, to the mentor accepting (the inbox hides "Accept" when they are full, so this is
# the race where the last place went meanwhile); what to do, as the inbox says it.
YOU_ARE_FULL = (
    "You have no mentee places left in {program}: to accept {mentee}, first take one more "
    "mentee on the program page (up to {limit}), or decline."
)
YOU_ARE_FULL_AT_LIMIT = (
    "You have no mentee places left in {program}, and {limit} is the most it allows: "
    "decline, so {first_name} can ask someone else."
)
TOO_MANY_OPEN = (
    "You already have {limit} open requests in {program}, the most allowed. "
    "Wait for an answer or withdraw one first."
)
ALREADY_ASKED = "You already asked {mentor} about this focus area."
MESSAGE_NEEDED = "Tell {mentor} why you'd like them as your mentor (a sentence or two)."
NOT_YOURS_TO_ANSWER = "Only {mentor} can answer this request."
NOT_YOURS = "This isn't your request."
NOT_OPEN = "This request is already {status}."
NOT_ASKED = "The mentor hasn't asked you anything."
REASON_NEEDED = "Choose a reason; with “Another reason”, add a few words."
QUESTION_NEEDED = "Write the question you'd like answered."
ANSWER_NEEDED = "Write your answer."
WITHDRAWN_OTHER_ACCEPTED = OTHER_ACCEPTED
PROGRAM_NOT_MATCHING = "{program} isn't matching people right now."
PROPOSAL_PENDING = (
    "The program team has proposed a mentor for this focus area: answer that proposal first "
    "(it's on your home page)."
)


class AlreadyAsked(ValidationError):
    """The mentee already has an open request to this mentor for this focus area (a form sent
    twice, say): callers answer with ``existing`` instead of an error."""

    def __init__(self, existing: MentorRequest) -> None:
        super().__init__(ALREADY_ASKED.format(mentor=existing.mentor))
        self.existing = existing


def _open_request_to(mentor: Person, focus_area: FocusArea) -> MentorRequest | None:
    return (
        MentorRequest.objects.select_related("mentor", "program", "focus_area")
        .filter(focus_area=focus_area, mentor=mentor, status__in=OPEN_STATUSES)
        .first()
    )


def _open_requests(mentee: Person, program_id: int) -> int:
    return MentorRequest.objects.filter(
        mentee=mentee, program_id=program_id, status__in=OPEN_STATUSES
    ).count()


@transaction.atomic
def request_create(
    *, mentee: Person, mentor: Person, focus_area: FocusArea, message: str
) -> MentorRequest:
    """A mentee asks a mentor for one of their focus areas; the mentor is emailed.

    The mentee's enrollment row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL;
    SQLite serialises writers), so requests sent at once are counted one after the other and
    never exceed the program's open-request limit. Asking again while a request to the same
    mentor is open raises :class:`AlreadyAsked` carrying that request.
    """
    if focus_area.enrollment.person_id != mentee.pk:
        raise PermissionDenied(NOT_YOUR_FOCUS_AREA)
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=focus_area.enrollment_id)
    )
    program = enrollment.program
    existing = _open_request_to(mentor, focus_area)
    if existing is not None:
        raise AlreadyAsked(existing)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(NOT_ENROLLED.format(program=program))
    if not program.accepts_requests:
        raise ValidationError(REQUESTS_OFF.format(program=program))
    if not program.is_matching_open():
        raise ValidationError(PROGRAM_NOT_MATCHING.format(program=program))
    if Proposal.objects.filter(focus_area=focus_area, status=ProposalStatus.SENT).exists():
        raise ValidationError(PROPOSAL_PENDING)
    if not message.strip():
        raise ValidationError({"message": MESSAGE_NEEDED.format(mentor=mentor)})
    check_length("message", "The message", message, REQUEST_MESSAGE_MAX_CHARS)
    mentor_side = mentor_enrollment(program, mentor)
    if not mentor_side.accepting_requests:
        raise ValidationError(MENTOR_PAUSED.format(mentor=mentor))
    if places_taken(program, mentor) >= mentor_side.mentor_capacity:
        raise ValidationError(MENTOR_FULL.format(mentor=mentor, program=program))
    problem = pair_problem(program=program, mentee=mentee, mentor=mentor, focus_area=focus_area)
    if problem:
        raise ValidationError(problem)
    if _open_requests(mentee, program.pk) >= program.max_open_requests:
        raise ValidationError(
            TOO_MANY_OPEN.format(limit=program.max_open_requests, program=program)
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            request = MentorRequest.objects.create(
                program=program,
                mentee=mentee,
                mentor=mentor,
                focus_area=focus_area,
                message=message.strip(),
                created_at=now,
                expires_at=now + datetime.timedelta(days=program.request_expiry_days),
            )
    except IntegrityError:  # the one-open-request constraint: a race lost despite the lock
        existing = _open_request_to(mentor, focus_area)
        if existing is None:
            raise
        raise AlreadyAsked(existing) from None
    notify("request_received", request)
    return request


def _lock_open(request: MentorRequest) -> MentorRequest:
    # The focus area first, as accepting does: a decline updates the request twice, and a row
    # updated twice has its foreign keys checked at commit (KEY SHARE on the focus area), so a
    # decline holding the request and an accept holding the focus area deadlocked (a 500).
    FocusArea.all_objects.select_for_update().get(pk=request.focus_area_id)
    locked = (
        MentorRequest.objects.select_for_update(of=("self",))
        .select_related("program", "focus_area", "mentee", "mentor")
        .get(pk=request.pk)
    )
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(NOT_OPEN.format(status=locked.get_status_display().lower()))
    return locked


def _close(request: MentorRequest, status: str, *, answered: bool, note: str = "") -> None:
    now = timezone.now()
    request.status = status
    request.closed_at = now
    request.closed_note = note[:200]
    fields = ["status", "closed_at", "closed_note"]
    if answered and request.answered_at is None:
        request.answered_at = now
        fields.append("answered_at")
    request.save(update_fields=fields)


@transaction.atomic
def request_accept(*, request: MentorRequest, by: Person) -> Mentorship:
    """The mentor accepts: a mentorship starts (capacity is checked under a row lock), the
    mentee's other open requests for the same focus area are withdrawn and those mentors told."""
    # Lock the focus area first: every way of giving it a mentor queues on this one row.
    FocusArea.all_objects.select_for_update().get(pk=request.focus_area_id)
    request = _lock_open(request)
    if by.pk != request.mentor_id:
        raise PermissionDenied(NOT_YOURS_TO_ANSWER.format(mentor=request.mentor))
    if not request.program.is_matching_open():
        raise ValidationError(PROGRAM_NOT_MATCHING.format(program=request.program))
    why = pair_problem(
        program=request.program, mentee=request.mentee, mentor=request.mentor,
        focus_area=request.focus_area, to_mentor=True,
    )  # fmt: skip
    if why:
        raise ValidationError(why)
    # Lock the mentor's enrollment as mentorship_start does (same transaction, so its own
    # check cannot disagree) and say a full mentor's refusal to the mentor, not about them.
    enrollment = mentor_enrollment(request.program, request.mentor, lock=True)
    if places_taken(request.program, request.mentor) >= enrollment.mentor_capacity:
        limit = request.program.max_mentees_per_mentor
        text = YOU_ARE_FULL if enrollment.mentor_capacity < limit else YOU_ARE_FULL_AT_LIMIT
        raise ValidationError(
            text.format(
                program=request.program,
                mentee=request.mentee,
                first_name=request.mentee.first_name,
                limit=limit,
            )
        )
    mentorship = mentorship_start(
        program=request.program,
        mentee=request.mentee,
        mentor=request.mentor,
        focus_area=request.focus_area,
        source=MentorshipSource.REQUEST,
    )
    _close(request, RequestStatus.ACCEPTED, answered=True)
    notify("request_accepted", request)
    focus_area_settled(focus_area=request.focus_area, keep_request=request)
    return mentorship


@transaction.atomic
def request_decline(
    *, request: MentorRequest, by: Person, reason: str, note: str = ""
) -> MentorRequest:
    """The mentor declines with a reason; the mentee is told and pointed to more suggestions."""
    request = _lock_open(request)
    if by.pk != request.mentor_id:
        raise PermissionDenied(NOT_YOURS_TO_ANSWER.format(mentor=request.mentor))
    check_length("note", "The note", note, NOTE_MAX_CHARS)
    if reason not in DeclineReason.values or (reason == DeclineReason.OTHER and not note.strip()):
        raise ValidationError({"reason": REASON_NEEDED})
    request.decline_reason = reason
    request.decline_note = note.strip()
    request.save(update_fields=["decline_reason", "decline_note"])
    _close(request, RequestStatus.DECLINED, answered=True)
    notify("request_declined", request)
    return request


@transaction.atomic
def request_ask_info(*, request: MentorRequest, by: Person, question: str) -> MentorRequest:
    """The mentor asks the mentee for more information before deciding."""
    request = _lock_open(request)
    if by.pk != request.mentor_id:
        raise PermissionDenied(NOT_YOURS_TO_ANSWER.format(mentor=request.mentor))
    if not question.strip():
        raise ValidationError({"question": QUESTION_NEEDED})
    check_length("question", "The question", question, QUESTION_MAX_CHARS)
    request.status = RequestStatus.INFO_REQUESTED
    request.info_question = question.strip()
    request.info_answer = ""
    fields = ["status", "info_question", "info_answer"]
    if request.answered_at is None:
        request.answered_at = timezone.now()
        fields.append("answered_at")
    request.save(update_fields=fields)
    notify("request_info", request)
    return request


@transaction.atomic
def request_answer_info(*, request: MentorRequest, by: Person, answer: str) -> MentorRequest:
    """The mentee answers the mentor's question; the request is open again."""
    request = _lock_open(request)
    if by.pk != request.mentee_id:
        raise PermissionDenied(NOT_YOURS)
    if request.status != RequestStatus.INFO_REQUESTED:
        raise ValidationError(NOT_ASKED)
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_NEEDED})
    check_length("answer", "The answer", answer, ANSWER_MAX_CHARS)
    request.status = RequestStatus.OPEN
    request.info_answer = answer.strip()
    request.save(update_fields=["status", "info_answer"])
    notify("request_info_answered", request)
    return request


@transaction.atomic
def request_withdraw(*, request: MentorRequest, by: Person) -> MentorRequest:
    """The mentee withdraws a request; the mentor is told."""
    request = _lock_open(request)
    if by.pk != request.mentee_id:
        raise PermissionDenied(NOT_YOURS)
    _close(request, RequestStatus.WITHDRAWN, answered=False)
    notify("request_withdrawn", request)
    return request


def requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire unanswered requests past their date; each mentee is told. Returns how many."""
    now = now or timezone.now()
    expired = 0
    due = MentorRequest.objects.filter(status__in=OPEN_STATUSES, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            request = (
                MentorRequest.objects.select_for_update()
                .filter(pk=pk, status__in=OPEN_STATUSES)
                .first()
            )
            if request is None:
                continue
            _close(request, RequestStatus.EXPIRED, answered=False)
            notify("request_expired", request)
            expired += 1
    return expired
