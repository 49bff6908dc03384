"""A round's proposals against the mentees' own open requests.

A mentee may already have asked a mentor about a focus area when a matching round proposes
someone else for it. The round must not do that silently: the preview lists every such
conflict and the program admin decides, per focus area, what publishing does:

- ``withdraw``: send the proposal and withdraw the open request(s) to the other mentor(s);
  the mentee and those mentors are emailed why;
- ``keep``: send the proposal and leave the request(s) open; whichever is accepted first
  gives the focus area its mentor and the other is withdrawn (the proposal email says so);
- or leave the focus area out of the round (a re-solve, see ``rounds.round_leave_out``).

Publishing refuses while a conflict has no decision, including one that appeared after the
preview was made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.matching.models import (
    OPEN_STATUSES,
    MatchingRound,
    MentorRequest,
    Proposal,
    RequestStatus,
    RoundStatus,
)
from mentorbridge.matching.notifications import notify
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program

WITHDRAW = "withdraw"
KEEP = "keep"
CHOICES = {
    WITHDRAW: "Propose the round's mentor and withdraw the open request",
    KEEP: "Propose the round's mentor and keep the request open: the first acceptance counts",
}
BAD_CHOICE = "Choose “withdraw” or “keep” for the open requests about “{area}”."
NOT_A_CONFLICT = "“{area}” has no open request to another mentor in this preview."
NOT_DECIDABLE = "Only a finished preview's conflicts can be decided."
UNDECIDED = (
    "Decide first what publishing does to the open requests these proposals cross: {pairs}. "
    "Choose for each on the preview, or leave those focus areas out of the round."
)
UNDECIDED_PAIR = "{mentee} asked {requested} about “{area}” and the round proposes {mentor}"
WITHDRAWN_BY_ROUND = "the program team proposed {mentor} for this focus area"


@dataclass
class RequestConflict:
    """A proposed pair whose focus area has open requests from the mentee to other mentors."""

    proposal: Proposal
    requests: list[MentorRequest]
    choice: str  # "" until the admin decides

    @property
    def focus_area_id(self) -> int:
        return self.proposal.focus_area_id


def conflicting_requests(
    *, program: Program, pairs: Iterable[tuple[int, int]]
) -> dict[int, list[MentorRequest]]:
    """Focus area id → the mentee's open requests (oldest first) to mentors other than the
    proposed one, for the (focus area id, proposed mentor id) pairs given."""
    mentor_of = dict(pairs)
    found: dict[int, list[MentorRequest]] = defaultdict(list)
    # Open requests are few (a handful per mentee), so read the program's and match here.
    for request in (
        MentorRequest.objects.filter(program=program, status__in=OPEN_STATUSES)
        .select_related("mentor")
        .order_by("created_at", "pk")
    ):
        proposed = mentor_of.get(request.focus_area_id)
        if proposed is not None and request.mentor_id != proposed:
            found[request.focus_area_id].append(request)
    return dict(found)


def round_conflicts(matching_round: MatchingRound) -> list[RequestConflict]:
    """The preview's proposals that cross an open request, each with the admin's choice."""
    open_areas = set(
        MentorRequest.objects.filter(
            program=matching_round.program, status__in=OPEN_STATUSES
        ).values_list("focus_area_id", flat=True)
    )
    if not open_areas:
        return []
    proposals = list(
        matching_round.proposals.filter(focus_area_id__in=open_areas)
        .select_related("mentee", "mentor", "focus_area")
        .order_by("mentee__last_name", "mentee__first_name", "focus_area_id")
    )
    crossed = conflicting_requests(
        program=matching_round.program,
        pairs=[(p.focus_area_id, p.mentor_id) for p in proposals],
    )
    return [
        RequestConflict(
            proposal=p,
            requests=crossed[p.focus_area_id],
            choice=matching_round.request_choices.get(str(p.focus_area_id), ""),
        )
        for p in proposals
        if p.focus_area_id in crossed
    ]


@transaction.atomic
def round_decide_conflicts(
    *, matching_round: MatchingRound, by: Person | None, choices: dict[int, str]
) -> MatchingRound:
    """Record what publishing does to the open requests of these focus areas (focus area id →
    ``withdraw`` or ``keep``). Nothing is written if any choice is invalid."""
    matching_round = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
    if matching_round.status != RoundStatus.READY:
        raise ValidationError(NOT_DECIDABLE)
    conflicts = {c.focus_area_id: c for c in round_conflicts(matching_round)}
    titles = dict(FocusArea.all_objects.filter(pk__in=list(choices)).values_list("pk", "title"))
    errors = []
    for area_id, choice in choices.items():
        area = titles.get(area_id, f"focus area {area_id}")
        if area_id not in conflicts:
            errors.append(NOT_A_CONFLICT.format(area=area))
        elif choice not in CHOICES:
            errors.append(BAD_CHOICE.format(area=area))
    if errors:
        raise ValidationError(errors)
    matching_round.request_choices = {
        **matching_round.request_choices,
        **{str(area_id): choice for area_id, choice in choices.items()},
    }
    matching_round.save(update_fields=["request_choices"])
    return matching_round


def check_decided(
    matching_round: MatchingRound, sending: list[Proposal]
) -> dict[int, list[MentorRequest]]:
    """The open requests the proposals about to be sent cross (focus area id → requests);
    raises if any of them has no decision, naming every pair."""
    crossed = conflicting_requests(
        program=matching_round.program, pairs=[(p.focus_area_id, p.mentor_id) for p in sending]
    )
    undecided = [
        p for p in sending
        if p.focus_area_id in crossed
        and matching_round.request_choices.get(str(p.focus_area_id)) not in CHOICES
    ]  # fmt: skip
    if undecided:
        pairs = "; ".join(
            UNDECIDED_PAIR.format(
                mentee=p.mentee,
                requested=", ".join(str(r.mentor) for r in crossed[p.focus_area_id]),
                area=p.focus_area.title,
                mentor=p.mentor,
            )
            for p in undecided
        )
        raise ValidationError(UNDECIDED.format(pairs=pairs))
    return crossed


def withdraw_crossed_requests(
    matching_round: MatchingRound, sent: list[Proposal], crossed: dict[int, list[MentorRequest]]
) -> int:
    """For the sent proposals whose admin chose ``withdraw``, withdraw the open requests they
    cross and tell the mentee and the mentor asked. Returns how many were withdrawn."""
    chosen = {
        p.focus_area_id: p
        for p in sent
        if matching_round.request_choices.get(str(p.focus_area_id)) == WITHDRAW
        and p.focus_area_id in crossed
    }
    ids = [r.pk for area_id in chosen for r in crossed[area_id]]
    withdrawn = 0
    now = timezone.now()
    for request in MentorRequest.objects.select_for_update(of=("self",)).filter(
        pk__in=ids, status__in=OPEN_STATUSES
    ):
        request.status = RequestStatus.WITHDRAWN
        request.closed_at = now
        request.closed_note = WITHDRAWN_BY_ROUND.format(
            mentor=chosen[request.focus_area_id].mentor
        )[:200]
        request.save(update_fields=["status", "closed_at", "closed_note"])
        notify("request_replaced_mentee", request)
        notify("request_replaced_mentor", request)
        withdrawn += 1
    return withdrawn
