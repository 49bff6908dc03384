"""Finding a mentor in the JSON API: suggestions, requests, answers, rounds, proposals."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from mentorbridge.core.limits import SEARCH_MAX_CHARS
from mentorbridge.core.permissions import is_program_admin
from mentorbridge.core.views import acting_person, current_person
from mentorbridge.matching import selectors
from mentorbridge.matching.explanations import fit
from mentorbridge.matching.models import MatchingRound, MentorRequest, Proposal, RoundStatus
from mentorbridge.matching.round_views import NOT_ADMIN
from mentorbridge.matching.schemas import (
    AnswerIn,
    ConflictsIn,
    DeclineIn,
    ForbidIn,
    LeaveOutIn,
    PinIn,
    ProposalAnswerIn,
    ProposalOut,
    PublishOut,
    QuestionIn,
    RequestIn,
    RequestOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    SuggestionOut,
)
from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import round_conflicts
from mentorbridge.matching.services import rounds as round_services
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from mentorbridge.programs.selectors import programs_visible_to

router = Router()
NO_SUCH_REQUEST = "No such request."


def _program(request: HttpRequest, slug: str, *, admin: bool = False) -> Program:
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    if admin and not is_program_admin(request.user, program):
        raise PermissionDenied(NOT_ADMIN)
    return program


def _person(employee_id: str) -> Person:
    return get_object_or_404(Person, employee_id=employee_id)


def request_out(r: MentorRequest) -> dict[str, object]:
    """A request as the API shows it."""
    return {
        "id": r.pk, "program": r.program.slug, "mentee": r.mentee.employee_id,
        "mentor": r.mentor.employee_id, "focus_area_id": r.focus_area_id,
        "focus_area": r.focus_area.title, "message": r.message, "status": r.status,
        "decline_reason": r.decline_reason, "decline_note": r.decline_note,
        "info_question": r.info_question, "info_answer": r.info_answer,
        "created_at": r.created_at, "expires_at": r.expires_at, "answered_at": r.answered_at,
    }  # fmt: skip


def proposal_out(p: Proposal) -> dict[str, object]:
    """A proposal as the API shows it."""
    return {
        "id": p.pk, "mentee": p.mentee.employee_id, "mentor": p.mentor.employee_id,
        "focus_area_id": p.focus_area_id, "focus_area": p.focus_area.title, "score": p.score,
        "fit": fit(p.score),
        "pinned": p.pinned, "status": p.status, "mentee_accepted": p.mentee_accepted,
        "mentor_accepted": p.mentor_accepted, "factors": p.factors,
    }  # fmt: skip


def round_out(r: MatchingRound, *, proposals: bool = False) -> dict[str, object]:
    """A round as the API shows it."""
    out: dict[str, object] = {
        "id": r.pk, "program": r.program.slug, "parent_id": r.parent_id,
        "objective": r.objective, "weights": r.weights, "pins": r.pins, "forbids": r.forbids,
        "status": r.status, "progress": r.progress, "progress_text": r.progress_text,
        "error": r.error, "stats": r.stats, "unmatched": r.unmatched, "left_out": r.left_out,
        "request_choices": r.request_choices, "created_at": r.created_at,
        "published_at": r.published_at,
    }  # fmt: skip
    if proposals:
        out["proposals"] = [
            proposal_out(p) for p in r.proposals.select_related("mentee", "mentor", "focus_area")
        ]
        out["conflicts"] = [
            conflict_out(c)
            for c in (round_conflicts.round_conflicts(r) if r.status == RoundStatus.READY else [])
        ]
    return out


def conflict_out(c: round_conflicts.RequestConflict) -> dict[str, object]:
    """A proposal crossing open requests, as the API shows it."""
    return {
        "focus_area_id": c.focus_area_id, "focus_area": c.proposal.focus_area.title,
        "mentee": c.proposal.mentee.employee_id, "proposed_mentor": c.proposal.mentor.employee_id,
        "open_requests": [
            {"id": r.pk, "mentor": r.mentor.employee_id, "status": r.status,
             "created_at": r.created_at}
            for r in c.requests
        ],
        "choice": c.choice,
    }  # fmt: skip


@router.get(
    "/programs/{slug}/focus-areas/{focus_area_id}/suggestions",
    response=list[SuggestionOut],
    summary="Ranked, explained mentors for one of your focus areas",
)
def suggestions(
    request: HttpRequest,
    slug: str,
    focus_area_id: int,
    q: str = Query("", max_length=SEARCH_MAX_CHARS),
    skill: str = Query("", max_length=SEARCH_MAX_CHARS),
    department_id: int | None = Query(None, ge=1, le=2**31 - 1),
    location: str = Query("", max_length=SEARCH_MAX_CHARS),
    language: str = Query("", max_length=SEARCH_MAX_CHARS),
    meeting: str = Query("", max_length=SEARCH_MAX_CHARS),
    limit: int = Query(20, ge=1, le=100),
) -> list[dict[str, object]]:
    program = _program(request, slug)
    area = get_object_or_404(
        FocusArea.objects.select_related("enrollment__program", "enrollment__person"),
        pk=focus_area_id, enrollment__program=program, enrollment__person=current_person(request),
    )  # fmt: skip
    filters = selectors.SuggestionFilters(
        query=q, skill=skill, department_id=department_id, location=location,
        language=language, meeting=meeting,
    )  # fmt: skip
    cards = selectors.suggestions_for(area, filters, limit=limit)
    return [
        {
            "employee_id": c.person.employee_id,
            "name": c.person.full_name,
            "job_title": c.person.job_title,
            "department": c.person.department.name if c.person.department else None,
            "score": c.score,
            "fit": fit(c.score),
            "summary": c.summary,
            "reasons": [r.__dict__ for r in c.reasons],
            "places_left": c.places_left,
            "capacity": c.capacity,
            "median_hours_to_answer": c.responsiveness.median_hours,
            "share_answered": c.responsiveness.share_answered,
            "last_active": c.last_active,
            "languages": c.person.languages,
            "timezone": c.person.timezone,
            "requested": c.requested,
        }
        for c in cards
    ]


@router.post(
    "/programs/{slug}/requests",
    response={201: RequestOut, 200: RequestOut},
    summary="Ask a mentor",
    description="201 with the new request; 200 with the open one if you already asked.",
)
def create_request(request: HttpRequest, slug: str, payload: RequestIn) -> Status:
    program = _program(request, slug)
    mentee = current_person(request)
    area = get_object_or_404(
        FocusArea, pk=payload.focus_area_id, enrollment__program=program, enrollment__person=mentee
    )
    try:
        created = request_services.request_create(
            mentee=mentee, mentor=_person(payload.mentor), focus_area=area, message=payload.message
        )
    except request_services.AlreadyAsked as already:
        return Status(200, request_out(already.existing))
    return Status(201, request_out(created))


@router.get("/programs/{slug}/requests", response=list[RequestOut], summary="Your requests")
def my_requests(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    program = _program(request, slug)
    return [request_out(r) for r in selectors.requests_sent(current_person(request), program)]


@router.get("/requests/received", response=list[RequestOut], summary="Requests to you")
def received(request: HttpRequest) -> list[dict[str, object]]:
    return [request_out(r) for r in selectors.requests_received(current_person(request))]


def _request(request: HttpRequest, pk: int) -> MentorRequest:
    found = (
        MentorRequest.objects.select_related("program", "mentee", "mentor", "focus_area")
        .filter(pk=pk)
        .first()
    )
    if found is None or current_person(request).pk not in (found.mentee_id, found.mentor_id):
        # The same answer whether the request exists or is between other people.
        raise Http404(NO_SUCH_REQUEST)
    return found


@router.get("/requests/{pk}", response=RequestOut, summary="One request (its mentee or mentor)")
def get_request(request: HttpRequest, pk: int) -> dict[str, object]:
    return request_out(_request(request, pk))


@router.post("/requests/{pk}/accept", response=RequestOut, summary="Accept (the mentor)")
def accept(request: HttpRequest, pk: int) -> dict[str, object]:
    found = _request(request, pk)
    request_services.request_accept(request=found, by=current_person(request))
    found.refresh_from_db()
    return request_out(found)


@router.post("/requests/{pk}/decline", response=RequestOut, summary="Decline (the mentor)")
def decline(request: HttpRequest, pk: int, payload: DeclineIn) -> dict[str, object]:
    found = _request(request, pk)
    return request_out(
        request_services.request_decline(
            request=found, by=current_person(request), reason=payload.reason, note=payload.note
        )
    )


@router.post("/requests/{pk}/ask", response=RequestOut, summary="Ask for more information")
def ask(request: HttpRequest, pk: int, payload: QuestionIn) -> dict[str, object]:
    found = _request(request, pk)
    return request_out(
        request_services.request_ask_info(
            request=found, by=current_person(request), question=payload.question
        )
    )


@router.post("/requests/{pk}/reply", response=RequestOut, summary="Answer the mentor's question")
def reply(request: HttpRequest, pk: int, payload: AnswerIn) -> dict[str, object]:
    found = _request(request, pk)
    return request_out(
        request_services.request_answer_info(
            request=found, by=current_person(request), answer=payload.answer
        )
    )


@router.post("/requests/{pk}/withdraw", response=RequestOut, summary="Withdraw (the mentee)")
def withdraw(request: HttpRequest, pk: int) -> dict[str, object]:
    found = _request(request, pk)
    return request_out(request_services.request_withdraw(request=found, by=current_person(request)))


@router.get("/programs/{slug}/rounds", response=list[RoundOut], summary="Rounds (its admins)")
def list_rounds(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    program = _program(request, slug, admin=True)
    return [round_out(r) for r in program.rounds.select_related("program")[:100]]


def _started(start: Callable[[], MatchingRound]) -> Status:
    """201 with the new round, or 200 with the same round started a moment ago (a request
    sent twice, or by two admins at once)."""
    try:
        return Status(201, round_out(start()))
    except round_services.RoundAlreadyStarted as already:
        return Status(200, round_out(already.existing))


@router.post(
    "/programs/{slug}/rounds", response={200: RoundOut, 201: RoundOut}, summary="Start a round"
)
def start_round(request: HttpRequest, slug: str, payload: RoundIn) -> Status:
    program = _program(request, slug, admin=True)
    return _started(
        lambda: round_services.round_start(
            program=program,
            by=acting_person(request),
            objective=payload.objective,
            weights=payload.weights,
        )
    )


def _round(request: HttpRequest, pk: int) -> MatchingRound:
    found = get_object_or_404(MatchingRound.objects.select_related("program"), pk=pk)
    if not is_program_admin(request.user, found.program):
        raise PermissionDenied(NOT_ADMIN)
    return found


@router.get("/rounds/{pk}", response=RoundDetailOut, summary="A round's preview (its admins)")
def get_round(request: HttpRequest, pk: int) -> dict[str, object]:
    return round_out(_round(request, pk), proposals=True)


@router.post(
    "/rounds/{pk}/pin",
    response={200: RoundOut, 201: RoundOut},
    summary="Re-solve with a pair pinned",
)
def pin(request: HttpRequest, pk: int, payload: PinIn) -> Status:
    found = _round(request, pk)
    area = get_object_or_404(FocusArea, pk=payload.focus_area_id, enrollment__program=found.program)
    return _started(
        lambda: round_services.round_pin(
            matching_round=found,
            by=acting_person(request),
            mentee=area.enrollment.person,
            focus_area=area,
            mentor=_person(payload.mentor),
        )
    )


@router.post(
    "/rounds/{pk}/forbid",
    response={200: RoundOut, 201: RoundOut},
    summary="Re-solve without a pair",
)
def forbid(request: HttpRequest, pk: int, payload: ForbidIn) -> Status:
    found = _round(request, pk)
    return _started(
        lambda: round_services.round_forbid(
            matching_round=found,
            by=acting_person(request),
            mentee=_person(payload.mentee),
            mentor=_person(payload.mentor),
            permanent=payload.permanent,
        )
    )


@router.post(
    "/rounds/{pk}/resolve",
    response={200: RoundOut, 201: RoundOut},
    summary="Re-solve with settings",
)
def resolve(request: HttpRequest, pk: int, payload: RoundIn) -> Status:
    found = _round(request, pk)
    return _started(
        lambda: round_services.round_resolve(
            matching_round=found,
            by=acting_person(request),
            objective=payload.objective,
            weights=payload.weights,
        )
    )


@router.post(
    "/rounds/{pk}/conflicts",
    response=RoundDetailOut,
    summary="Decide what publishing does to the open requests a preview crosses",
)
def decide_conflicts(request: HttpRequest, pk: int, payload: ConflictsIn) -> dict[str, object]:
    found = _round(request, pk)
    decided = round_conflicts.round_decide_conflicts(
        matching_round=found, by=acting_person(request),
        choices={c.focus_area_id: c.choice for c in payload.choices},
    )  # fmt: skip
    return round_out(decided, proposals=True)


@router.post(
    "/rounds/{pk}/leave-out",
    response={200: RoundOut, 201: RoundOut},
    summary="Re-solve without a focus area (or with it again)",
)
def leave_out(request: HttpRequest, pk: int, payload: LeaveOutIn) -> Status:
    found = _round(request, pk)
    area = get_object_or_404(
        FocusArea.all_objects, pk=payload.focus_area_id, enrollment__program=found.program
    )
    return _started(
        lambda: round_services.round_leave_out(
            matching_round=found,
            by=acting_person(request),
            focus_area=area,
            out=payload.leave_out,
        )
    )


@router.post("/rounds/{pk}/publish", response=PublishOut, summary="Send the proposals")
def publish(request: HttpRequest, pk: int) -> dict[str, int]:
    published = round_services.round_publish(
        matching_round=_round(request, pk), by=acting_person(request)
    )
    return published._asdict()


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    found = get_object_or_404(
        Proposal.objects.select_related("mentee", "mentor", "focus_area"), pk=pk
    )
    if current_person(request).pk not in (found.mentee_id, found.mentor_id) or (
        found.status == "preview"
    ):
        raise Http404("No such proposal.")
    return found


@router.get("/proposals/{pk}", response=ProposalOut, summary="A proposal made to you")
def get_proposal(request: HttpRequest, pk: int) -> dict[str, object]:
    return proposal_out(_proposal(request, pk))


@router.post("/proposals/{pk}/answer", response=ProposalOut, summary="Accept or decline")
def answer_proposal(request: HttpRequest, pk: int, payload: ProposalAnswerIn) -> dict[str, object]:
    found = _proposal(request, pk)
    answered = round_services.proposal_answer(
        proposal=found, by=current_person(request), accept=payload.accept, note=payload.note
    )
    return proposal_out(answered)
