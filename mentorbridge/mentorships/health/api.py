"""Health and the life cycle in the JSON API, with the pages' permissions: a mentorship's
health for its participants and the program's admins; the program's list, thresholds and
reaching out for its admins; pause, resume and the closure survey for participants."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from mentorbridge.core.parsing import check_choice
from mentorbridge.core.permissions import is_program_admin
from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import acting_person, current_person
from mentorbridge.mentorships.access import mentorship_content_for, mentorship_for
from mentorbridge.mentorships.health import services
from mentorbridge.mentorships.health.rules import Health, Level
from mentorbridge.mentorships.health.selectors import PER_PAGE, program_health, stored_health_of
from mentorbridge.mentorships.health.services import CARE_FIELDS
from mentorbridge.mentorships.health.settings import care_for
from mentorbridge.mentorships.health.views import ADMINS_ONLY
from mentorbridge.mentorships.lifecycle import introductions
from mentorbridge.mentorships.lifecycle import services as lifecycle
from mentorbridge.mentorships.lifecycle.models import Introduction
from mentorbridge.mentorships.lifecycle.selectors import MIN_FOR_FIGURES, closure_results
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.programs.models import Program

router = Router()  # under /mentorships
program_router = Router()  # under /programs


class ReasonOut(Schema):
    rule: str
    level: str
    text: str
    next_step: str


class HealthOut(Schema):
    status: str = Field(..., description="on_track, needs_attention, at_risk, paused or ended")
    reasons: list[ReasonOut]


class HealthRowOut(Schema):
    mentorship: int
    mentee: str
    mentor: str
    status: str
    reasons: list[ReasonOut]
    last_meeting_on: datetime.date | None
    computed_at: datetime.datetime


class ProgramHealthOut(Schema):
    counts: dict[str, int]
    listed: int = Field(..., description="How many mentorships the filter lists, all pages")
    page: int
    pages: int
    items: list[HealthRowOut]


class CareOut(Schema):
    checkin_first_day: int
    checkin_every_days: int
    no_meeting_days: int
    missed_in_a_row: int
    low_satisfaction: int
    no_goals_days: int
    overdue_action_items: int
    agreement_days: int


class CareIn(InputSchema):
    checkin_first_day: int | None = None
    checkin_every_days: int | None = None
    no_meeting_days: int | None = None
    missed_in_a_row: int | None = None
    low_satisfaction: int | None = None
    no_goals_days: int | None = None
    overdue_action_items: int | None = None
    agreement_days: int | None = None


class ReachOutIn(InputSchema):
    to: str = Field(..., description="mentee, mentor or both", max_length=10)
    subject: str = Field(..., max_length=200)
    message: str = Field(..., max_length=4000)


class PauseIn(InputSchema):
    reason: str = Field(..., max_length=300)
    resume_on: datetime.date


class StateOut(Schema):
    id: int
    status: str
    resume_on: datetime.date | None


class IntroductionIn(InputSchema):
    colleague: str = Field(..., description="Employee ID or work email.", max_length=254)
    note: str = Field(..., max_length=2000)


class IntroductionOut(Schema):
    id: int
    colleague: str
    status: str = Field(..., description="asked, accepted or declined")
    created_at: datetime.datetime
    answered_at: datetime.datetime | None


class AnswerIn(InputSchema):
    accept: bool


VISIBILITY = "who reads this answer: other, team or stats"


class ClosureIn(InputSchema):
    goals_reached: str = Field(..., description="yes, partly or no", max_length=10)
    would_recommend: str = Field(..., description="yes, not_sure or no", max_length=10)
    overall: int
    what_helped: str = Field("", max_length=2000)
    stay_in_touch: bool = False
    goals_reached_visibility: str = Field("team", description=VISIBILITY, max_length=10)
    what_helped_visibility: str = Field("team", description=VISIBILITY, max_length=10)
    would_recommend_visibility: str = Field("team", description=VISIBILITY, max_length=10)
    overall_visibility: str = Field("team", description=VISIBILITY, max_length=10)


class SurveyAnswerOut(Schema):
    question: str
    answer: str | None = Field(..., description="null: kept for the statistics alone")


class SurveyOut(Schema):
    mentorship: int
    person: str
    role: str
    submitted_at: datetime.datetime
    stay_in_touch: bool
    answers: list[SurveyAnswerOut]


class ClosureResultsOut(Schema):
    answered: int
    figures: dict[str, object] | None = Field(
        ..., description=f"null until {MIN_FOR_FIGURES} people answered"
    )
    page: int
    pages: int
    items: list[SurveyOut]


def _reasons(health: Health) -> list[dict[str, str]]:
    return [
        {"rule": r.rule, "level": r.level.slug, "text": r.text, "next_step": r.next_step}
        for r in health.reasons
    ]


def _program(request: HttpRequest, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug)
    if not is_program_admin(request.user, program):
        raise PermissionDenied(ADMINS_ONLY)
    return program


def _state(m: Mentorship) -> dict[str, object]:
    return {"id": m.pk, "status": m.status, "resume_on": m.resume_on}


@router.get("/{pk}/health", response=HealthOut, summary="A mentorship's health and why")
def get_health(request: HttpRequest, pk: int) -> dict[str, object]:
    mentorship, _access = mentorship_for(request.user, pk)
    health = stored_health_of(mentorship)
    if health is None:
        return {"status": mentorship.status, "reasons": []}
    return {"status": health.level.slug, "reasons": _reasons(health)}


@router.post("/{pk}/pause", response=StateOut, summary="Pause until a date (the place stays held)")
def pause(request: HttpRequest, pk: int, body: PauseIn) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    return _state(
        lifecycle.mentorship_pause(
            mentorship=mentorship,
            by=current_person(request),
            reason=body.reason,
            resume_on=body.resume_on,
        )
    )


class ExtendIn(InputSchema):
    resume_on: datetime.date


@router.post(
    "/{pk}/extend-pause", response=StateOut,
    summary="Keep a paused mentorship paused until a later date (asked again on that date)",
)  # fmt: skip
def extend_pause(request: HttpRequest, pk: int, body: ExtendIn) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    return _state(
        lifecycle.mentorship_extend_pause(
            mentorship=mentorship, by=current_person(request), resume_on=body.resume_on
        )
    )


@router.post("/{pk}/resume", response=StateOut, summary="Resume a paused mentorship")
def resume(request: HttpRequest, pk: int) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    return _state(lifecycle.mentorship_resume(mentorship=mentorship, by=current_person(request)))


@router.post("/{pk}/closure-survey", response={201: dict[str, int]}, summary="Closure survey")
def closure_survey(request: HttpRequest, pk: int, body: ClosureIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    data = body.dict()
    visibility = {
        k.removesuffix("_visibility"): data.pop(k) for k in list(data) if k.endswith("_visibility")
    }
    survey = lifecycle.closure_survey_submit(
        mentorship=mentorship, by=current_person(request), visibility=visibility, **data
    )
    return Status(201, {"id": survey.pk})


def _intro(i: Introduction) -> dict[str, object]:
    return {
        "id": i.pk, "colleague": i.colleague.employee_id, "status": i.status,
        "created_at": i.created_at, "answered_at": i.answered_at,
    }  # fmt: skip


@router.get("/{pk}/introductions", response=list[IntroductionOut], summary="Introductions")
def list_introductions(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    found = Introduction.objects.filter(mentorship=mentorship).select_related("colleague")
    return [_intro(i) for i in found]


@router.post(
    "/{pk}/introductions", response={201: IntroductionOut},
    summary="The mentor introduces the mentee to a colleague (who answers first)",
)  # fmt: skip
def create_introduction(request: HttpRequest, pk: int, body: IntroductionIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    intro = introductions.introduction_create(
        mentorship=mentorship, by=current_person(request),
        colleague=introductions.colleague_find(body.colleague), note=body.note,
    )  # fmt: skip
    return Status(201, _intro(intro))


@router.post(
    "/introductions/{introduction_id}/answer", response=IntroductionOut,
    summary="The colleague accepts or declines an introduction",
)  # fmt: skip
def answer_introduction(
    request: HttpRequest, introduction_id: int, body: AnswerIn
) -> dict[str, object]:
    intro = introductions.introduction_for(request.user, introduction_id)
    return _intro(
        introductions.introduction_answer(
            introduction=intro, by=current_person(request), accept=body.accept
        )
    )


@router.post(
    "/{pk}/reach-out", response={201: dict[str, int]},
    summary="Program admins: email the mentee, the mentor or both (logged)",
)  # fmt: skip
def reach_out(request: HttpRequest, pk: int, body: ReachOutIn) -> Status:
    mentorship, _access = mentorship_for(request.user, pk)
    _program(request, mentorship.program.slug)
    sent = services.reach_out(
        mentorship=mentorship, by=acting_person(request), to=body.to, subject=body.subject,
        message=body.message,
    )  # fmt: skip
    return Status(201, {"sent": len(sent)})


@program_router.get(
    "/{slug}/health", response=ProgramHealthOut,
    summary="Program admins: mentorships not on track, worst first, with reasons (paginated)",
)  # fmt: skip
def list_health(
    request: HttpRequest,
    slug: str,
    level: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(PER_PAGE, ge=1, le=200),
) -> dict[str, object]:
    program = _program(request, slug)
    wanted = {lvl.slug: lvl for lvl in Level if lvl is not Level.ON_TRACK}
    check_choice("level", level, wanted)
    found = program_health(program, level=wanted.get(level), page=page, per_page=per_page)
    return {
        "counts": found.counts,
        "listed": found.page.paginator.count,
        "page": found.page.number,
        "pages": found.page.paginator.num_pages,
        "items": [
            {
                "mentorship": r.mentorship.pk,
                "mentee": r.mentorship.mentee.employee_id,
                "mentor": r.mentorship.mentor.employee_id,
                "status": r.health.level.slug,
                "reasons": _reasons(r.health),
                "last_meeting_on": r.last_meeting_on,
                "computed_at": r.computed_at,
            }
            for r in found.rows
        ],
    }


@program_router.get("/{slug}/health/rules", response=CareOut, summary="Check-ins and thresholds")
def get_rules(request: HttpRequest, slug: str) -> object:
    return care_for(_program(request, slug))


@program_router.put(
    "/{slug}/health/rules", response=CareOut, summary="Change check-ins and thresholds"
)
def put_rules(request: HttpRequest, slug: str, body: CareIn) -> object:
    program = _program(request, slug)
    values = {k: v for k, v in body.dict().items() if v is not None and k in CARE_FIELDS}
    return services.care_update(program=program, by=acting_person(request), **values)


@program_router.get(
    "/{slug}/closure-surveys", response=ClosureResultsOut,
    summary="Program admins: closure survey figures and each survey's answers shared with the team",
)  # fmt: skip
def list_closure_surveys(
    request: HttpRequest, slug: str, page: int = Query(1, ge=1, le=100_000)
) -> dict[str, object]:
    found = closure_results(_program(request, slug), page)
    return {
        "answered": found.answered,
        "figures": found.figures,
        "page": found.page.number,
        "pages": found.page.paginator.num_pages,
        "items": [
            {
                "mentorship": line.survey.mentorship_id,
                "person": line.survey.person.employee_id,
                "role": line.role,
                "submitted_at": line.survey.submitted_at,
                "stay_in_touch": line.survey.stay_in_touch,
                "answers": [{"question": a.label, "answer": a.value} for a in line.answers],
            }
            for line in found.page.object_list
        ],
    }
