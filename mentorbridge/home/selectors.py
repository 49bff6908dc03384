"""Reads for the person's overview ("My mentoring") and the menu's badge: everything a
person is part of, as mentee and as mentor, each with its state and the next thing to do."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from mentorbridge.matching.models import (
    OPEN_STATUSES,
    MentorRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from mentorbridge.matching.selectors import Places, mentor_places
from mentorbridge.mentorships.access import headline, mentorships_of, with_members
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import EnrollmentStatus, FocusArea, Program, Role

RECENT_CLOSED_REQUESTS = 10


@dataclass(frozen=True)
class Item:
    """One thing a person is part of: what it is, where it stands, and what comes next."""

    kind: str  # mentorship, proposal, request, focus_area
    title: str
    program: Program
    state: str
    tone: str  # a badge class: ok, pending, closed
    action: str
    url: str
    waits_for_you: bool = False


@dataclass
class Overview:
    """Everything a person is part of, split by role."""

    as_mentee: list[Item] = field(default_factory=list)
    as_mentor: list[Item] = field(default_factory=list)
    places: list[Places] = field(default_factory=list)

    @property
    def waiting(self) -> list[Item]:
        """What waits for the person's answer, mentee side first."""
        return [i for i in self.as_mentee + self.as_mentor if i.waits_for_you]

    @property
    def mentee_rest(self) -> list[Item]:
        """As a mentee, what does not wait for the person (that is listed first)."""
        return [i for i in self.as_mentee if not i.waits_for_you]

    @property
    def mentor_rest(self) -> list[Item]:
        """As a mentor, what does not wait for the person."""
        return [i for i in self.as_mentor if not i.waits_for_you]


def waiting_count(person: Person) -> int:
    """How many things wait for the person (the menu's badge): requests to answer as a
    mentor, mentors' questions to answer as a mentee, proposals to accept or decline."""
    requests = MentorRequest.objects.filter(
        Q(mentor=person, status=RequestStatus.OPEN)
        | Q(mentee=person, status=RequestStatus.INFO_REQUESTED)
    ).count()
    proposals = Proposal.objects.filter(status=ProposalStatus.SENT).filter(
        Q(mentee=person, mentee_accepted__isnull=True)
        | Q(mentor=person, mentor_accepted__isnull=True)
    )
    return requests + proposals.count()


def _mentorship_item(m: Mentorship, person: Person) -> Item:
    return Item(
        kind="mentorship",
        title=f"{headline(m, person)} on “{m.focus_area.title}”",
        program=m.program,
        state=f"{m.get_status_display()} since {m.started_at:%-d %b %Y}",
        tone="ok" if m.status == "active" else "pending",
        action="Open the mentorship",
        url=m.get_absolute_url(),
    )


def _proposal_item(p: Proposal, person: Person) -> Item:
    as_mentor = p.mentor_id == person.pk
    other = p.mentee if as_mentor else p.mentor
    mine, theirs = (
        (p.mentor_accepted, p.mentee_accepted)
        if as_mentor
        else (p.mentee_accepted, p.mentor_accepted)
    )
    title = (
        f"Proposed: mentor {p.mentee.full_name} on “{p.focus_area.title}”"
        if as_mentor
        else f"Proposed: {p.mentor.full_name} as your mentor for “{p.focus_area.title}”"
    )
    if mine is None:
        state = "The program team proposes this match"
        if theirs:
            state += f"; {other.first_name} has accepted"
        return Item("proposal", title, p.round.program, state, "pending", "Answer",
                    reverse("matching-proposal", args=[p.pk]), waits_for_you=True)  # fmt: skip
    return Item("proposal", title, p.round.program,
                f"You accepted. Waiting for {other.first_name}", "pending", "See the proposal",
                reverse("matching-proposal", args=[p.pk]))  # fmt: skip


def _sent_item(r: MentorRequest, busy: set[int]) -> Item:
    title = f"Request to {r.mentor.full_name} for “{r.focus_area.title}”"
    my_requests = reverse("matching-my-requests", args=[r.program.slug])
    if r.status == RequestStatus.INFO_REQUESTED:
        return Item("request", title, r.program, f"{r.mentor.first_name} asked a question",
                    "pending", f"Answer {r.mentor.first_name}", my_requests,
                    waits_for_you=True)  # fmt: skip
    if r.status == RequestStatus.OPEN:
        return Item("request", title, r.program,
                    f"Waiting for {r.mentor.first_name} · expires {r.expires_at:%-d %b}",
                    "pending", "See or withdraw", my_requests)  # fmt: skip
    if r.status == RequestStatus.ACCEPTED:
        return Item("request", title, r.program, "Accepted", "ok", "See your requests",
                    my_requests)  # fmt: skip
    if r.focus_area_id in busy or not r.focus_area.is_active:
        return Item("request", title, r.program, r.get_status_display(), "closed",
                    "See your requests", my_requests)  # fmt: skip
    return Item("request", title, r.program, r.get_status_display(), "closed",
                "See more mentors",
                reverse("matching-find", args=[r.program.slug, r.focus_area_id]))  # fmt: skip


def _received_item(r: MentorRequest) -> Item:
    title = f"Request from {r.mentee.full_name} for “{r.focus_area.title}”"
    inbox = reverse("matching-inbox") + f"#request-{r.pk}"
    if r.status == RequestStatus.INFO_REQUESTED:
        return Item("request", title, r.program,
                    f"You asked a question; waiting for {r.mentee.first_name}", "pending",
                    "See the request", inbox)  # fmt: skip
    return Item("request", title, r.program,
                f"Waiting for your answer · expires {r.expires_at:%-d %b}", "pending", "Answer",
                inbox, waits_for_you=True)  # fmt: skip


def _focus_area_item(area: FocusArea) -> Item:
    program = area.enrollment.program
    if program.accepts_requests:
        return Item("focus_area", f"“{area.title}”", program, "No mentor yet", "closed",
                    "Find a mentor", reverse("matching-find", args=[program.slug, area.pk]),
                    waits_for_you=False)  # fmt: skip
    return Item("focus_area", f"“{area.title}”", program,
                "No mentor yet: the program team matches you in its next round", "closed",
                "See the program", program.get_absolute_url())  # fmt: skip


def overview(person: Person) -> Overview:
    """Everything the person is part of, in a fixed number of queries however much there is:
    live mentorships, proposals waiting for an answer, requests sent (open ones and the
    latest closed ones) and received (open ones), and focus areas with nothing in progress."""
    result = Overview()
    mentorships = list(
        with_members(
            mentorships_of(person)
            .filter(status__in=HOLDS_CAPACITY)
            .select_related("mentee", "mentor", "focus_area", "program")
        )
    )
    proposals = list(
        Proposal.objects.filter(status=ProposalStatus.SENT)
        .filter(Q(mentee=person) | Q(mentor=person))
        .select_related("mentee", "mentor", "focus_area", "round__program")
    )
    related = ("mentee", "mentor", "focus_area", "program")
    open_requests = list(
        MentorRequest.objects.filter(Q(mentee=person) | Q(mentor=person))
        .filter(status__in=OPEN_STATUSES)
        .select_related(*related)
    )
    closed_requests = list(
        MentorRequest.objects.filter(mentee=person)
        .exclude(status__in=OPEN_STATUSES)
        .select_related(*related)
        .order_by("-created_at")[:RECENT_CLOSED_REQUESTS]
    )
    areas = list(
        FocusArea.objects.filter(
            enrollment__person=person,
            enrollment__status=EnrollmentStatus.ACTIVE,
            enrollment__role__in=[Role.MENTEE, Role.BOTH],
        ).select_related("enrollment__program")
    )
    busy = (
        {m.focus_area_id for m in mentorships}
        | {p.focus_area_id for p in proposals}
        | {r.focus_area_id for r in open_requests}
    )

    for m in mentorships:
        (result.as_mentor if m.mentor_id == person.pk else result.as_mentee).append(
            _mentorship_item(m, person)
        )
    for p in proposals:
        (result.as_mentor if p.mentor_id == person.pk else result.as_mentee).append(
            _proposal_item(p, person)
        )
    for r in open_requests:
        if r.mentor_id == person.pk:
            result.as_mentor.append(_received_item(r))
        else:
            result.as_mentee.append(_sent_item(r, busy))
    for r in closed_requests:
        result.as_mentee.append(_sent_item(r, busy))
    for area in areas:
        if area.pk not in busy:
            result.as_mentee.append(_focus_area_item(area))
    # What waits for you first, then what is live, then the rest.
    order = {"ok": 1, "pending": 1, "closed": 2}
    for items in (result.as_mentee, result.as_mentor):
        items.sort(key=lambda i: (not i.waits_for_you, order[i.tone]))
    result.places = mentor_places(person)
    return result
