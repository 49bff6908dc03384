"""Program admins' overview of a program, and its CSV exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorbridge.programs.exports import enrollments_csv, mentorships_csv
from mentorbridge.programs.overview import (
    REASON_LABELS,
    STATES,
    role_counts,
    unmatched_report,
    with_match_states,
)
from mentorbridge.programs.selectors import enrollment_counts, enrollment_list
from mentorbridge.programs.views import _program_for

SHOWN_UNMATCHED = 200


@require_GET
def program_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Where every enrolled person stands, per role, and why mentees without a mentor have
    none. Each count links to the enrollment list filtered to those people."""
    program = _program_for(request, slug, admin=True)
    report = unmatched_report(program)
    reason = request.GET.get("reason", "")
    areas = [a for a in report.areas if a.kind == reason] if reason in REASON_LABELS else []
    if reason not in REASON_LABELS:
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
            "areas": areas[:SHOWN_UNMATCHED],
            "areas_total": len(areas),
            "shown_limit": SHOWN_UNMATCHED,
        },
    )


@require_GET
def enrollments_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The enrollment list as CSV, with the same filters as the page."""
    program = _program_for(request, slug, admin=True)
    enrollments = enrollment_list(
        program,
        role=request.GET.get("role", ""),
        status=request.GET.get("status", ""),
        query=request.GET.get("q", "").strip(),
        state=request.GET.get("state", ""),
    )
    return enrollments_csv(program, with_match_states(enrollments).iterator(chunk_size=1000))


@require_GET
def mentorships_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every mentorship of the program as CSV."""
    return mentorships_csv(_program_for(request, slug, admin=True))
