"""Program admins' overview of a program, and its CSV exports (pages under /programs/<slug>/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mentorbridge.core.parsing import check_choice
from mentorbridge.core.permissions import is_program_admin
from mentorbridge.matching.exports import enrollments_csv, mentorships_csv
from mentorbridge.matching.overview import REASON_LABELS, STATES, role_counts, unmatched_report
from mentorbridge.programs.models import Program
from mentorbridge.programs.selectors import (
    enrollment_counts,
    enrollment_filters_check,
    enrollment_list,
    programs_visible_to,
)

NOT_ADMIN = "Only this program's admins see its overview and exports."
UNMATCHED_PER_PAGE = 25


def admin_program(request: HttpRequest, slug: str) -> Program:
    """The program named by ``slug``, for its admins and site admins only (404 when the user
    can't see it, 403 when they can but don't run it)."""
    program = get_object_or_404(programs_visible_to(request.user), slug=slug)
    if not is_program_admin(request.user, program):
        raise PermissionDenied(NOT_ADMIN)
    return program


@require_GET
def program_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Where every enrolled person stands, per role, and why mentees without a mentor have
    none. Each count links to the enrollment list filtered to those people."""
    program = admin_program(request, slug)
    report = unmatched_report(program)
    reason = request.GET.get("reason", "")
    if reason in REASON_LABELS:
        areas = [a for a in report.areas if a.kind == reason]
    else:
        try:  # a hand-edited or stale link: say so rather than look filtered
            check_choice("reason", reason, REASON_LABELS)
        except ValidationError as error:
            messages.error(request, f"{' '.join(error.messages)} Every reason is shown.")
        reason, areas = "", report.areas
    roles = role_counts(program)
    return render(
        request,
        "programs/overview.html",
        {
            "program": program,
            "mentees": roles["mentee"],
            "mentors": roles["mentor"],
            "state_rows": [
                (
                    state,
                    label,
                    roles["mentee"].states.get(state, 0),
                    roles["mentor"].states.get(state, 0),
                )
                for state, label in STATES.items()
            ],
            "counts": enrollment_counts(program),
            "report": report,
            "reason": reason,
            "reason_label": REASON_LABELS.get(reason, ""),
            "areas": Paginator(areas, UNMATCHED_PER_PAGE).get_page(request.GET.get("page")),
            "reason_query": f"reason={reason}&" if reason else "",
        },
    )


@require_GET
def enrollments_export(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The enrollment list as CSV, with the same filters as the page."""
    program = admin_program(request, slug)
    filters = {name: request.GET.get(name, "") for name in ("role", "status", "state", "q")}
    try:
        # a file named "mentors" that lists everyone would be worse than no file
        enrollment_filters_check(
            role=filters["role"], status=filters["status"], state=filters["state"]
        )
    except ValidationError as error:
        return HttpResponseBadRequest(
            " ".join(" ".join(problems) for problems in error.message_dict.values()),
            content_type="text/plain; charset=utf-8",
        )
    enrollments = enrollment_list(
        program,
        role=filters["role"],
        status=filters["status"],
        query=filters["q"].strip(),
        state=filters["state"],
    )
    return enrollments_csv(program, enrollments, filters=filters)


@require_GET
def mentorships_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every mentorship of the program as CSV."""
    return mentorships_csv(admin_program(request, slug))
