"""The program admins' Health page (mentorships that need attention or are at risk, with
reasons), the rules' thresholds, and reaching out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentorbridge.core.permissions import is_program_admin
from mentorbridge.core.views import acting_person
from mentorbridge.mentorships.health import services
from mentorbridge.mentorships.health.forms import CareForm, ReachOutForm
from mentorbridge.mentorships.health.models import ReachOut
from mentorbridge.mentorships.health.rules import RULES, Level
from mentorbridge.mentorships.health.selectors import health_of, program_health
from mentorbridge.mentorships.health.settings import care_for
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent
from mentorbridge.programs.models import Program

ADMINS_ONLY = "Only the program's admins see the health of its mentorships."


def _program(request: HttpRequest, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug)
    if not is_program_admin(request.user, program):
        raise PermissionDenied(ADMINS_ONLY)
    return program


@require_GET
def health(request: HttpRequest, slug: str) -> HttpResponse:
    """Mentorships at risk or needing attention, worst first, with every rule that fired."""
    program = _program(request, slug)
    wanted = {lvl.slug: lvl for lvl in Level if lvl is not Level.ON_TRACK}
    level = wanted.get(request.GET.get("level", ""))
    found = program_health(program, level=level, page=request.GET.get("page"))
    from mentorbridge.mentorships.lifecycle.selectors import alumni_who_mentor

    return render(
        request,
        "mentorships/health/program.html",
        {
            "program": program, "found": found, "level": level, "rules": RULES,
            "care": care_for(program), "alumni_mentors": alumni_who_mentor(program),
            "level_query": f"level={level.slug}&" if level else "",
        },
    )  # fmt: skip


@require_GET
def closure(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's closure surveys: figures from every answer, and each survey with only
    what its author shared with the program team."""
    from mentorbridge.mentorships.lifecycle.selectors import MIN_FOR_FIGURES, closure_results

    program = _program(request, slug)
    return render(
        request, "mentorships/health/closure.html",
        {"program": program, "found": closure_results(program, request.GET.get("page")),
         "min_for_figures": MIN_FOR_FIGURES},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the check-in schedule and the thresholds of the health rules."""
    program = _program(request, slug)
    form = CareForm(request.POST or None, instance=care_for(program))
    if request.method == "POST" and form.is_valid():
        services.care_update(
            program=program, by=acting_person(request), **{
                name: form.cleaned_data[name] for name in form.Meta.fields
            },
        )  # fmt: skip
        messages.success(request, "Saved: the health list and check-ins follow the new rules.")
        return redirect("mentorships-program-health", slug=program.slug)
    return render(
        request, "mentorships/health/rules.html", {"program": program, "form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def reach_out(request: HttpRequest, slug: str, mentorship_id: int) -> HttpResponse:
    """Email the mentee, the mentor or both from the app; every message is logged."""
    program = _program(request, slug)
    mentorship = get_object_or_404(
        Mentorship.objects.select_related("mentee__user", "mentor__user", "program"),
        pk=mentorship_id, program=program,
    )  # fmt: skip
    form = ReachOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reach_out(
                mentorship=mentorship, by=acting_person(request), **form.cleaned_data
            )
        except AlreadySent as already:
            messages.info(request, " ".join(already.messages))
            return redirect("mentorships-reach-out", slug=program.slug, mentorship_id=mentorship.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Sent. It is logged below.")
            return redirect("mentorships-reach-out", slug=program.slug, mentorship_id=mentorship.pk)
    return render(
        request,
        "mentorships/health/reach_out.html",
        {
            "program": program, "mentorship": mentorship, "form": form,
            "health": health_of(mentorship),
            "log": ReachOut.objects.filter(mentorship=mentorship).select_related("by", "to"),
        },
        status=400 if form.errors else 200,
    )  # fmt: skip
