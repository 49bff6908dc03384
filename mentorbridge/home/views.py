"""The home page (your programs, programs open to join, what to do next) and "My
mentoring", the one place with everything a person is part of."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorbridge.core.views import current_person
from mentorbridge.home.selectors import overview
from mentorbridge.matching.models import Proposal, ProposalStatus
from mentorbridge.mentorships.access import mentorships_of, with_members
from mentorbridge.mentorships.models import HOLDS_CAPACITY
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program, ProgramStatus
from mentorbridge.programs.selectors import enrollments_of, programs_visible_to


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
        checklist = profile_checklist(person)
        programs = list(programs_visible_to(request.user).prefetch_related("admins"))
        context.update(
            {
                "my_programs": [(p, mine[p.pk]) for p in programs if p.pk in mine],
                "open_programs": [
                    p for p in programs if p.pk not in mine and p.is_enrollment_open()
                ],
                "admin_programs": [p for p in programs if person in p.admins.all()],
                "checklist": checklist,
                "profile_complete": all(done for _, done in checklist),
                # Answered proposals stay until the other person answers too.
                "proposals": [
                    p for p in Proposal.objects.filter(status=ProposalStatus.SENT)
                    .filter(Q(mentee=person) | Q(mentor=person))
                    .select_related("mentee", "mentor", "focus_area", "round__program")
                ],
                "mentorships": with_members(
                    mentorships_of(person).filter(status__in=HOLDS_CAPACITY)
                    .select_related("mentee", "mentor", "focus_area", "program")
                ),
            }
        )  # fmt: skip
    else:
        context["admin_programs"] = (
            list(Program.objects.exclude(status=ProgramStatus.CLOSED))
            if request.user.is_superuser
            else []
        )
    return render(request, "home/home.html", context)


@require_GET
def my_mentoring(request: HttpRequest) -> HttpResponse:
    """Everything you are part of, as mentee and as mentor, with its state and what's next."""
    person = current_person(request)
    return render(request, "home/mentoring.html", {"person": person, "overview": overview(person)})
