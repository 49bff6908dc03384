"""The program overview's exports in the JSON API: the same CSV files as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router

from mentorbridge.core.limits import SEARCH_MAX_CHARS
from mentorbridge.matching.exports import enrollments_csv, mentorships_csv
from mentorbridge.matching.overview_views import admin_program
from mentorbridge.programs.selectors import enrollment_filters_check, enrollment_list

router = Router()
CSV_RESPONSE: dict[str, Any] = {"responses": {200: {"content": {"text/csv": {}}}}}


@router.get(
    "/programs/{slug}/enrollments.csv",
    response={200: None},
    summary="Enrollments as CSV (its admins)",
    openapi_extra=CSV_RESPONSE,
)
def export_enrollments(
    request: HttpRequest,
    slug: str,
    role: str = Query("", max_length=SEARCH_MAX_CHARS),
    status: str = Query("", max_length=SEARCH_MAX_CHARS),
    state: str = Query("", max_length=SEARCH_MAX_CHARS),
    q: str = Query("", max_length=SEARCH_MAX_CHARS),
) -> StreamingHttpResponse:
    """The enrollment list as a streamed UTF-8 CSV with a header row; the filters are those of
    `GET /programs/{slug}/enrollments` (`state`: matched, proposed, waiting, unmatched)."""
    program = admin_program(request, slug)
    enrollment_filters_check(role=role, status=status, state=state)
    return enrollments_csv(
        program,
        enrollment_list(program, role=role, status=status, query=q, state=state),
        filters={"role": role, "status": status, "state": state, "q": q},
    )


@router.get(
    "/programs/{slug}/mentorships.csv",
    response={200: None},
    summary="Mentorships as CSV (its admins)",
    openapi_extra=CSV_RESPONSE,
)
def export_mentorships(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every mentorship of the program as a streamed UTF-8 CSV with a header row."""
    return mentorships_csv(admin_program(request, slug))
