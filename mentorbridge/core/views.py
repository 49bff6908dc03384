"""Home page, health check, and small helpers shared by every app's views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorbridge.matching.models import Proposal, ProposalStatus
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program, ProgramStatus
from mentorbridge.programs.selectors import enrollments_of, programs_visible_to

NO_PROFILE = (
    "Your account has no employee profile yet. Ask HR to include you in the next HRIS import, "
    "or a site admin to add you in the admin."
)


def current_person(request: HttpRequest) -> Person:
    """The signed-in user's profile, or a clear refusal for accounts without one."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(NO_PROFILE)
    return person


def acting_person(request: HttpRequest) -> Person | None:
    """Who is doing an admin action: their profile, or ``None`` for a site admin without one
    (site admins manage every program; other accounts need a profile)."""
    person = getattr(request.user, "person", None)
    if person is None and not getattr(request.user, "is_superuser", False):
        raise PermissionDenied(NO_PROFILE)
    return person


def profile_checklist(person: Person) -> list[tuple[str, bool]]:
    """What makes a profile useful for matching, and whether this one has it."""
    return [
        ("Write a short bio", bool(person.bio)),
        ("Describe your career goals", bool(person.career_goals)),
        ("Add at least three skills", person.person_skills.count() >= 3),
        ("List the languages you speak", bool(person.languages)),
        ("Name your areas of expertise", bool(person.expertise)),
    ]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Your programs, programs open to join, and what to do next."""
    person = getattr(request.user, "person", None)
    context: dict[str, object] = {"person": person}
    if person is not None:
        mine = enrollments_of(person)
        programs = list(programs_visible_to(request.user).prefetch_related("admins"))
        context.update(
            {
                "my_programs": [(p, mine[p.pk]) for p in programs if p.pk in mine],
                "open_programs": [
                    p for p in programs if p.pk not in mine and p.is_enrollment_open()
                ],
                "admin_programs": [p for p in programs if person in p.admins.all()],
                "checklist": profile_checklist(person),
                "proposals": [
                    p for p in Proposal.objects.filter(status=ProposalStatus.SENT)
                    .filter(Q(mentee=person, mentee_accepted__isnull=True)
                            | Q(mentor=person, mentor_accepted__isnull=True))
                    .select_related("mentee", "mentor", "focus_area", "round__program")
                ],
                "mentorships": Mentorship.objects.filter(status__in=HOLDS_CAPACITY)
                .filter(Q(mentee=person) | Q(mentor=person))
                .select_related("mentee", "mentor", "focus_area", "program"),
            }
        )  # fmt: skip
    else:
        context["admin_programs"] = (
            list(Program.objects.exclude(status=ProgramStatus.CLOSED))
            if request.user.is_superuser
            else []
        )
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and the run command: 200 ``ok``, or 503
    when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return HttpResponse(
            f"database unavailable: {type(error).__name__}", content_type="text/plain", status=503
        )
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page that says why, in words."""
    reason = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"reason": reason}, status=403)
