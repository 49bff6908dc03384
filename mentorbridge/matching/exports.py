"""CSV exports of a program's enrollments and mentorships for its admins.

Streamed row by row (UTF-8 with a byte-order mark so spreadsheets read accents, a header row).
Only facts the admins already see on their pages go out: names, work emails, role, status,
focus-area titles and skills, dates. Motivations, requests' messages, decline notes and the
reasons a mentorship ended stay in MentorBridge.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.matching.overview import with_match_states
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.programs.models import Enrollment, Program

CHUNK = 1000
ENROLLMENT_COLUMNS = [
    "employee_id", "first_name", "last_name", "email", "department", "job_title", "level",
    "role", "status", "mentee_state", "mentor_state", "mentor_capacity", "focus_areas",
    "focus_area_skills", "joined_on", "decided_on",
]  # fmt: skip
MENTORSHIP_COLUMNS = [
    "mentee_employee_id", "mentee_name", "mentee_email", "mentor_employee_id", "mentor_name",
    "mentor_email", "focus_area", "status", "source", "started_on", "ended_on",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object that hands back what is written, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    """A value as text; text a spreadsheet would run as a formula is quoted with ``'``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _stream(header: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])


def csv_response(
    name: str, header: list[str], rows: Iterable[list[object]]
) -> StreamingHttpResponse:
    """A streamed CSV download called ``name``."""
    response = StreamingHttpResponse(_stream(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def export_name(program: Program, what: str) -> str:
    """``<slug>-<what>-<date>.csv``."""
    return f"{program.slug}-{what}-{timezone.localdate().isoformat()}.csv"


def enrollment_rows(enrollments: Iterable[Enrollment]) -> Iterator[list[object]]:
    """One row per enrollment (annotated with match states, focus areas prefetched)."""
    for e in enrollments:
        person = e.person
        areas = list(e.focus_areas.all()) if e.is_mentee else []
        yield [
            person.employee_id, person.first_name, person.last_name, person.user.email,
            person.department.name if person.department else "", person.job_title, person.level,
            e.role, e.status,
            e.mentee_state if e.is_mentee else "",  # type: ignore[attr-defined]
            e.mentor_state if e.is_mentor else "",  # type: ignore[attr-defined]
            e.mentor_capacity if e.is_mentor else "",
            "; ".join(fa.title for fa in areas),
            " | ".join(", ".join(s.name for s in fa.skills.all()) for fa in areas),
            e.created_at, e.decided_at,
        ]  # fmt: skip


def _audit_export(program: Program, name: str, filters: dict[str, str]) -> None:
    shown = {key: value for key, value in filters.items() if value}
    audit_record(
        action=AuditAction.DATA_EXPORTED,
        target=program,
        summary=f"Downloaded {name}" + (f" (filters: {shown})" if shown else ""),
        details={"file": name, "program": program.slug, "filters": shown},
    )


def enrollments_csv(
    program: Program, enrollments: QuerySet[Enrollment], *, filters: dict[str, str] | None = None
) -> StreamingHttpResponse:
    """The program's enrollments (filtered and loaded by the caller) as CSV, read in chunks.
    The download is written to the audit log with its ``filters``."""
    annotated = with_match_states(enrollments).iterator(chunk_size=CHUNK)
    name = export_name(program, "enrollments")
    _audit_export(program, name, filters or {})
    return csv_response(name, ENROLLMENT_COLUMNS, enrollment_rows(annotated))


def mentorship_rows(program: Program) -> Iterator[list[object]]:
    """Every mentorship of the program, newest first."""
    mentorships = (
        Mentorship.objects.filter(program=program)
        .select_related("mentee__user", "mentor__user", "focus_area")
        .order_by("-started_at", "pk")
    )
    for m in mentorships.iterator(chunk_size=CHUNK):
        yield [
            m.mentee.employee_id, m.mentee.full_name, m.mentee.user.email,
            m.mentor.employee_id, m.mentor.full_name, m.mentor.user.email,
            m.focus_area.title, m.status, m.source, m.started_at, m.ended_at,
        ]  # fmt: skip


def mentorships_csv(program: Program) -> StreamingHttpResponse:
    """The program's mentorships as CSV (written to the audit log)."""
    name = export_name(program, "mentorships")
    _audit_export(program, name, {})
    return csv_response(name, MENTORSHIP_COLUMNS, mentorship_rows(program))
