"""Programs and enrollment in the JSON API."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from mentorbridge.core.limits import SEARCH_MAX_CHARS
from mentorbridge.core.permissions import can_create_programs, is_program_admin
from mentorbridge.core.views import acting_person, current_person
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program
from mentorbridge.programs.schemas import (
    CountsOut,
    DecisionIn,
    EnrollmentOut,
    InviteIn,
    JoinIn,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    StatusIn,
)
from mentorbridge.programs.selectors import (
    enrollment_counts,
    enrollment_filters_check,
    enrollment_list,
    programs_visible_to,
)
from mentorbridge.programs.services import (
    FocusAreaInput,
    enrollment_decide,
    enrollment_invite,
    enrollment_join,
    enrollment_withdraw,
    program_create,
    program_set_status,
    program_update,
)
from mentorbridge.programs.standing import standing
from mentorbridge.programs.views import NOT_ADMIN

router = Router()
UNKNOWN_PEOPLE = "Unknown employee IDs: {ids}."


def program_out(program: Program) -> dict[str, object]:
    """A program as the API shows it."""
    computed = {"enrollment_open", "eligible_departments", "admins"}
    fields = {
        name: getattr(program, name) for name in ProgramOut.model_fields if name not in computed
    }
    fields.update(
        enrollment_open=program.is_enrollment_open(),
        eligible_departments=[d.name for d in program.eligible_departments.all()],
        admins=[p.employee_id for p in program.admins.all()],
    )
    return fields


def enrollment_out(enrollment: Enrollment) -> dict[str, object]:
    """An enrollment as the API shows it (focus areas and skills prefetched)."""
    return {
        "id": enrollment.pk,
        "program": enrollment.program.slug,
        "employee_id": enrollment.person.employee_id,
        "name": enrollment.person.full_name,
        "role": enrollment.role,
        "status": enrollment.status,
        "mentor_capacity": enrollment.mentor_capacity,
        "department_preference": enrollment.department_preference,
        "meeting_preference": enrollment.meeting_preference,
        "focus_areas": [
            {
                "title": fa.title,
                "description": fa.description,
                "skills": [s.name for s in fa.skills.all()],
            }
            for fa in enrollment.focus_areas.all()
        ],
    }


def _program(request: HttpRequest, slug: str, *, admin: bool = False) -> Program:
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    if admin and not is_program_admin(request.user, program):
        raise PermissionDenied(NOT_ADMIN)
    return program


@router.get("", response=list[ProgramOut], summary="Programs you can see")
def list_programs(request: HttpRequest) -> list[dict[str, object]]:
    programs = programs_visible_to(request.user).prefetch_related("eligible_departments", "admins")
    return [program_out(p) for p in programs]


@router.post("", response={201: ProgramOut}, summary="Create a program (HR)")
def create_program(request: HttpRequest, payload: ProgramIn) -> Status:
    if not can_create_programs(request.user):
        raise PermissionDenied("Only HR staff and site admins can create programs.")
    program = program_create(creator=acting_person(request), **payload.dict())
    return Status(201, program_out(program))


@router.get("/{slug}", response=ProgramOut, summary="One program")
def get_program(request: HttpRequest, slug: str) -> dict[str, object]:
    return program_out(_program(request, slug))


@router.patch("/{slug}", response=ProgramOut, summary="Change a program's settings (its admins)")
def patch_program(request: HttpRequest, slug: str, payload: ProgramPatch) -> dict[str, object]:
    program = _program(request, slug, admin=True)
    return program_out(program_update(program=program, **payload.dict(exclude_unset=True)))


@router.post("/{slug}/status", response=ProgramOut, summary="Move a program to its next stage")
def set_status(request: HttpRequest, slug: str, payload: StatusIn) -> dict[str, object]:
    program = _program(request, slug, admin=True)
    return program_out(program_set_status(program=program, status=payload.status))


@router.get("/{slug}/counts", response=CountsOut, summary="Enrollment head counts (its admins)")
def get_counts(request: HttpRequest, slug: str) -> dict[str, object]:
    """Head counts, and per role how many people are matched, have a proposal pending, have a
    request waiting, or are unmatched (the figures of the program's overview page)."""
    program = _program(request, slug, admin=True)
    registered = standing()
    by_role = registered.counts(program) if registered is not None else {}
    return {**asdict(enrollment_counts(program)), "by_role": by_role}


@router.get("/{slug}/enrollments", response=list[EnrollmentOut], summary="Enrollments (its admins)")
def list_enrollments(
    request: HttpRequest,
    slug: str,
    role: str = Query("", max_length=SEARCH_MAX_CHARS),
    status: str = Query("", max_length=SEARCH_MAX_CHARS),
    q: str = Query("", max_length=SEARCH_MAX_CHARS),
    state: str = Query("", max_length=SEARCH_MAX_CHARS),
) -> list[dict[str, object]]:
    """`state` keeps people matched, proposed, waiting or unmatched (in `role`, or either)."""
    program = _program(request, slug, admin=True)
    enrollment_filters_check(role=role, status=status, state=state)
    found = enrollment_list(program, role=role, status=status, query=q, state=state)
    return [enrollment_out(e) for e in found]


@router.post("/{slug}/enrollments", response={201: EnrollmentOut}, summary="Join a program")
def join_program(request: HttpRequest, slug: str, payload: JoinIn) -> Status:
    program = _program(request, slug)
    data = payload.dict()
    focus_areas = [FocusAreaInput(**fa) for fa in data.pop("focus_areas")]
    enrollment = enrollment_join(
        program=program, person=current_person(request), focus_areas=focus_areas, **data
    )
    return Status(201, enrollment_out(enrollment))


@router.get("/{slug}/enrollments/me", response=EnrollmentOut, summary="Your enrollment")
def my_enrollment(request: HttpRequest, slug: str) -> dict[str, object]:
    program = _program(request, slug)
    return enrollment_out(
        get_object_or_404(Enrollment, program=program, person=current_person(request))
    )


@router.delete("/{slug}/enrollments/me", response=EnrollmentOut, summary="Leave a program")
def withdraw(request: HttpRequest, slug: str) -> dict[str, object]:
    program = _program(request, slug)
    enrollment = get_object_or_404(Enrollment, program=program, person=current_person(request))
    return enrollment_out(enrollment_withdraw(enrollment=enrollment))


@router.post(
    "/{slug}/invitations", response={201: list[EnrollmentOut]}, summary="Invite people (its admins)"
)
def invite(request: HttpRequest, slug: str, payload: InviteIn) -> Status:
    program = _program(request, slug, admin=True)
    people = list(Person.objects.filter(employee_id__in=payload.employee_ids))
    missing = sorted(set(payload.employee_ids) - {p.employee_id for p in people})
    if missing:
        raise ValidationError({"employee_ids": UNKNOWN_PEOPLE.format(ids=", ".join(missing))})
    invited = enrollment_invite(
        program=program, people=people, role=payload.role, invited_by=acting_person(request)
    )
    return Status(201, [enrollment_out(e) for e in invited])


@router.post(
    "/{slug}/enrollments/{enrollment_id}/decision",
    response=EnrollmentOut,
    summary="Approve or decline an enrollment (its admins)",
)
def decide(
    request: HttpRequest, slug: str, enrollment_id: int, payload: DecisionIn
) -> dict[str, object]:
    program = _program(request, slug, admin=True)
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, program=program)
    return enrollment_out(enrollment_decide(enrollment=enrollment, approve=payload.approve))
