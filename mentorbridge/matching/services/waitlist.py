"""The waitlist: mentees still without a mentor are matched as soon as places appear."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mentorbridge.matching.adapter import InstanceScope, open_focus_areas, program_instance
from mentorbridge.matching.models import MatchingRound, Proposal, ProposalStatus, RoundStatus
from mentorbridge.matching.notifications import notify
from mentorbridge.matching.services.rounds import round_summary
from mentorbridge.matching.vectors import program_vectors
from mentorbridge.matching_engine import Instance, solve
from mentorbridge.matching_engine.heap import collector_paused
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program


@transaction.atomic
@collector_paused()  # a solve of the program's cohort (see heap.collector_paused)
def waitlist_fill(*, program: Program) -> int:
    """If the program matches its waitlist automatically, propose mentors with free places to
    waiting mentees now (an automatic, published round). Returns proposals sent."""
    if not program.waitlist_auto_match or not open_focus_areas(program).exists():
        return 0
    data = program_instance(program, InstanceScope())
    if not data["mentees"] or not data["mentors"]:
        return 0
    result = solve(Instance.from_dict(data), vectors=program_vectors(program, data)).to_dict()
    if not result["assignments"]:
        return 0
    now = timezone.now()
    people = {p["id"]: p for p in data["people"]}
    automatic = MatchingRound.objects.create(
        program=program, status=RoundStatus.PUBLISHED, progress=100,
        progress_text="Waitlist matched automatically", finished_at=now, published_at=now,
        stats=round_summary(data, result, people), unmatched=result["unmatched"],
    )  # fmt: skip
    pk_of = dict(Person.objects.filter(employee_id__in=people).values_list("employee_id", "pk"))
    for a in result["assignments"]:
        proposal = Proposal.objects.create(
            round=automatic, focus_area_id=int(a["focus_area"]), mentee_id=pk_of[a["mentee"]],
            mentor_id=pk_of[a["mentor"]], score=a["score"], factors=a["factors"],
            status=ProposalStatus.SENT,
        )  # fmt: skip
        notify("proposal_published", proposal)
    return len(result["assignments"])
