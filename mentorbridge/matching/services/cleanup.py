"""Closing loose ends so nothing is left waiting on a person or a place that is gone:
when a focus area gets its mentor, when someone leaves a program, when a program closes."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorbridge.matching.models import (
    OPEN_STATUSES,
    MentorRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from mentorbridge.matching.notifications import notify
from mentorbridge.mentorships.health.store import health_refresh
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship, MentorshipStatus
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from mentorbridge.programs.signals import announce_mentor_places_opened

OTHER_ACCEPTED = "another mentor accepted the same focus area"
PROGRAM_CLOSED = "the program has closed"


def _withdraw_request(request: MentorRequest, note: str, *, tell: str) -> None:
    request.status = RequestStatus.WITHDRAWN
    request.closed_at = timezone.now()
    request.closed_note = note[:200]
    request.save(update_fields=["status", "closed_at", "closed_note"])
    notify(tell, request)


def _withdraw_proposals(proposals: object) -> list[Proposal]:
    found = list(proposals.select_for_update(of=("self",)))  # type: ignore[attr-defined]
    for proposal in found:
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.save(update_fields=["status"])
    return found


@transaction.atomic
def focus_area_settled(
    *,
    focus_area: FocusArea,
    keep_request: MentorRequest | None = None,
    keep_proposal: Proposal | None = None,
) -> None:
    """The focus area has its mentor: withdraw every other open request (those mentors are
    told) and every other pending proposal for it."""
    requests = MentorRequest.objects.select_for_update(of=("self",)).filter(
        focus_area=focus_area, status__in=OPEN_STATUSES
    )
    if keep_request is not None:
        requests = requests.exclude(pk=keep_request.pk)
    for request in requests:
        _withdraw_request(request, OTHER_ACCEPTED, tell="request_withdrawn")
    proposals = Proposal.objects.filter(focus_area=focus_area, status=ProposalStatus.SENT)
    if keep_proposal is not None:
        proposals = proposals.exclude(pk=keep_proposal.pk)
    _withdraw_proposals(proposals)


@transaction.atomic
def matching_close_for(*, person: Person, program: Program, reason: str) -> None:
    """Someone left the program: their requests and proposals, both ways, are withdrawn, the
    other people are told, and their mentorships in the program end. A mentee who loses a
    proposed mentor this way is proposed the next best one."""
    from mentorbridge.matching.services.rounds import proposal_offer_next

    open_requests = MentorRequest.objects.select_for_update(of=("self",)).filter(
        program=program, status__in=OPEN_STATUSES
    )
    for request in open_requests.filter(mentee=person):
        _withdraw_request(request, f"the mentee {reason}", tell="request_withdrawn")
    for request in open_requests.filter(mentor=person):
        _withdraw_request(request, f"the mentor {reason}", tell="request_mentor_left")
    pending = Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT).filter(
        Q(mentee=person) | Q(mentor=person)
    )
    for proposal in _withdraw_proposals(pending):
        if proposal.mentor_id == person.pk and proposal.focus_area.is_active:
            proposal_offer_next(focus_area=proposal.focus_area, matching_round=proposal.round)
    ending = Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY).filter(
        Q(mentee=person) | Q(mentor=person)
    )
    ended = list(ending.values_list("pk", flat=True))
    ending.update(status=MentorshipStatus.ENDED, ended_at=timezone.now(), end_reason=reason)
    # A bulk update sends no save signal: drop their stored health here, or the program's
    # Health page would go on counting them as active.
    health_refresh(ended)
    if ended and program.waitlist_auto_match:
        announce_mentor_places_opened(program.pk)


@transaction.atomic
def matching_close_program(*, program: Program) -> None:
    """A program closed: nothing new may start, so open requests and proposals are withdrawn."""
    for request in MentorRequest.objects.select_for_update(of=("self",)).filter(
        program=program, status__in=OPEN_STATUSES
    ):
        _withdraw_request(request, PROGRAM_CLOSED, tell="request_mentor_left")
    _withdraw_proposals(Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT))
