"""HRIS import: create and update people from a CSV export, all or nothing.

The file is read and checked completely before anything is written. Any error (row, column,
what is wrong) means nothing changes. People are keyed by ``employee_id``; managers may appear
in any row order or already exist in the database. Re-importing the same file changes nothing.
Columns that the file does not have are left as they are; a present but empty cell clears the
value (``manager_id`` empty = no manager).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from mentorbridge.accounts.models import User, normalise_email
from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.core.cleaning import text_problem
from mentorbridge.people.catalogue import fold, load_catalogue
from mentorbridge.people.models import Department, Person, PersonSkill, Skill
from mentorbridge.people.services import SKILL_TOO_LONG, skill_name_fits, tidy_phrases
from mentorbridge.people.signals import people_left
from mentorbridge.people.skill_reading import read_skills
from mentorbridge.people.validators import available_timezones, parse_language

REQUIRED_COLUMNS = ("employee_id", "email", "first_name", "last_name")
OPTIONAL_COLUMNS = (
    "job_title", "department", "location", "timezone", "languages", "level", "manager_id",
    "hire_date", "skills", "expertise", "bio", "career_goals", "mentoring_hours_per_month",
    "active", "left_on",
)  # fmt: skip
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
KNOWN_COLUMNS = frozenset(ALL_COLUMNS)
LIST_SEPARATOR = ";"
MAX_ERRORS_REPORTED = 500

TRUE_WORDS = {"1", "true", "yes", "y", "active"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive", "left"}

# Error messages (constants so tests can assert on them).
NOT_UTF8 = (
    "The file is not UTF-8 text (byte 0x{byte:02x} at position {position}). "
    "Save it as “CSV UTF-8” and upload again."
)
EMPTY_FILE = "The file is empty: it needs a header row and at least one person."
MISSING_COLUMNS = "Missing required column(s): {columns}."
UNKNOWN_COLUMNS = "Unknown column(s): {columns}. Known columns: {known}."
DUPLICATE_COLUMN = "Column “{column}” appears more than once in the header."
REQUIRED_VALUE = "A value is required."
DUPLICATE_EMPLOYEE_ID = "Employee ID {value} also appears in row {other}."
DUPLICATE_EMAIL = "Email {value} also appears in row {other}."
EMAIL_TAKEN = "Email {value} belongs to another person already ({employee_id})."
BAD_EMAIL = "“{value}” is not a valid email address."
BAD_TIMEZONE = "“{value}” is not an IANA timezone (for example Europe/Berlin)."
BAD_INTEGER = "“{value}” is not a whole number from {low} to {high}."
BAD_DATE = "“{value}” is not a date in the form YYYY-MM-DD."
BAD_BOOLEAN = "“{value}” is not yes or no."
UNKNOWN_MANAGER = "Manager {value} is neither in this file nor already in MentorBridge."
SELF_MANAGER = "A person cannot be their own manager."
MANAGER_CYCLE = "Reporting cycle: {cycle}."
BAD_SKILL = "“{value}” is not “Skill” or “Skill:level” with a level from 1 to 5."
TOO_LONG = "At most {limit} characters (this has {length})."
BAD_CHARACTERS = "This cell {problem}."
FILE_TOO_BIG = (
    "The file is {size:.1f} MB; at most {limit:.0f} MB are read. Split it into several files "
    "(each with the header row) and import them one after the other."
)
TOO_MANY_COLUMNS = (
    "The header has {count} columns; a file has at most {limit} (MentorBridge knows {known})."
)
TOO_MANY_ROWS = (
    "The file has more than {limit} people; split it into several files (each with the header "
    "row) and import them one after the other."
)
MULTI_LINE_COLUMNS = frozenset({"bio", "career_goals"})
NUL_BYTE = "This cell contains a NUL byte (\\x00); save the file again as plain UTF-8 text."
UNREADABLE = "This row can't be read as CSV ({detail}). Check its quotes and length."
BAD_EMPLOYEE_ID = (
    "“{value}” is not a usable employee ID: use letters, digits, dots, dashes and underscores."
)
EMAIL_LIMIT = 254
EMPLOYEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
BAD_LANGUAGE = "“{value}” is not a known language (use a code such as de or a name such as German)."

FIELD_LIMITS = {
    "employee_id": 40, "first_name": 80, "last_name": 80, "job_title": 120,
    "department": 120, "location": 120,
}  # fmt: skip


@dataclass(frozen=True)
class RowError:
    """One problem: the row (header is row 1), the column and what is wrong."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class ImportReport:
    """What an import found and (when it had no errors and was not a dry run) did."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    applied: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_REPORTED:
            self.errors.append(RowError(row, column, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "applied": self.applied, "error_count": self.error_count,
            "errors": [e.__dict__ for e in self.errors], "seconds": round(self.seconds, 3),
        }  # fmt: skip


@dataclass
class ParsedRow:
    """A row that passed its own checks; cross-row checks come after."""

    row: int
    employee_id: str
    email: str
    values: dict[str, Any]
    skills: list[tuple[str, int]] | None
    manager_id: str | None


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is allowed) or a ``ValueError`` that says where it broke."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(NOT_UTF8.format(byte=data[error.start], position=error.start)) from None


def _parse_int(text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(BAD_INTEGER.format(value=text, low=low, high=high)) from None
    if not low <= value <= high:
        raise ValueError(BAD_INTEGER.format(value=text, low=low, high=high))
    return value


def _parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(BAD_DATE.format(value=text)) from None


def _parse_skills(text: str) -> list[tuple[str, int]]:
    skills: list[tuple[str, int]] = []
    for item in text.split(LIST_SEPARATOR):
        item = item.strip()
        if not item:
            continue
        # "Skill:4" carries a level; a colon inside a name ("1:1 meetings") does not.
        name, _, level = item.rpartition(":")
        if not name or not level.strip().isdigit():
            name, level = item, "3"
        name = " ".join(name.split())
        if not name:
            raise ValueError(BAD_SKILL.format(value=item))
        if not skill_name_fits(name):
            raise ValueError(SKILL_TOO_LONG)
        proficiency = int(level)
        if not 1 <= proficiency <= 5:
            raise ValueError(BAD_SKILL.format(value=item))
        skills.append((name, proficiency))
    return skills


def _parse_languages(text: str) -> list[str]:
    codes: list[str] = []
    for item in text.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR):
        if item.strip():
            try:
                code = parse_language(item)
            except ValidationError:
                raise ValueError(BAD_LANGUAGE.format(value=item.strip())) from None
            if code not in codes:
                codes.append(code)
    return codes


def _parse_cell(column: str, text: str) -> Any:
    """A cell's stored value, or ``ValueError`` with a message for the report."""
    if column in FIELD_LIMITS and len(text) > FIELD_LIMITS[column]:
        raise ValueError(TOO_LONG.format(limit=FIELD_LIMITS[column], length=len(text)))
    if column == "timezone":
        if text and text not in available_timezones():
            raise ValueError(BAD_TIMEZONE.format(value=text))
        return text or "UTC"
    if column == "level":
        return _parse_int(text, 1, 20) if text else 1
    if column == "mentoring_hours_per_month":
        return _parse_int(text, 0, 80) if text else 2
    if column in ("hire_date", "left_on"):
        return _parse_date(text) if text else None
    if column == "languages":
        return _parse_languages(text)
    if column == "expertise":
        return tidy_phrases(text.split(LIST_SEPARATOR))
    if column == "active":
        if not text:
            return True
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError(BAD_BOOLEAN.format(value=text))
    return text


def limits() -> tuple[int, int, int]:
    """(bytes, columns, rows) an import reads at most; settings ``IMPORT_MAX_*``."""
    return (
        int(getattr(settings, "IMPORT_MAX_BYTES", 25 * 1024 * 1024)),
        int(getattr(settings, "IMPORT_MAX_COLUMNS", 2 * len(ALL_COLUMNS))),
        int(getattr(settings, "IMPORT_MAX_ROWS", 200_000)),
    )


def _too_big(size: int) -> str | None:
    max_bytes = limits()[0]
    if size <= max_bytes:
        return None
    return FILE_TOO_BIG.format(size=size / 1024**2, limit=max_bytes / 1024**2)


def upload_refused(upload: Any) -> ImportReport | None:
    """The report refusing an uploaded file too big to read (checked before reading it)."""
    if problem := _too_big(int(upload.size or 0)):
        report = ImportReport()
        report.add_error(0, "", problem)
        return report
    return None


def import_upload(upload: Any, **options: bool) -> ImportReport:
    """:func:`import_people` for an uploaded file, refused unread when it is too big."""
    return upload_refused(upload) or import_people(upload.read(), **options)


def _read_rows(text: str, report: ImportReport) -> tuple[list[str], list[ParsedRow]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
    except StopIteration:
        report.add_error(0, "", EMPTY_FILE)
        return [], []
    _, max_columns, max_rows = limits()
    if len(header) > max_columns:
        report.add_error(
            1, "",
            TOO_MANY_COLUMNS.format(count=len(header), limit=max_columns, known=len(ALL_COLUMNS)),
        )  # fmt: skip
        return header, []
    counts = Counter(header)
    for column in sorted(c for c, n in counts.items() if n > 1):
        report.add_error(1, column, DUPLICATE_COLUMN.format(column=column))
    missing = [c for c in REQUIRED_COLUMNS if c not in counts]
    if missing:
        report.add_error(1, "", MISSING_COLUMNS.format(columns=", ".join(missing)))
    unknown = [c for c in header if c not in KNOWN_COLUMNS]
    if unknown:
        report.add_error(
            1, "", UNKNOWN_COLUMNS.format(columns=", ".join(unknown), known=", ".join(ALL_COLUMNS))
        )
    if not report.ok:
        return header, []
    rows: list[ParsedRow] = []
    for number, cells in _records(reader, report):
        if not any(cell.strip() for cell in cells):
            continue
        report.rows += 1
        if report.rows > max_rows:
            report.add_error(number, "", TOO_MANY_ROWS.format(limit=max_rows))
            return header, []
        if len(cells) != len(header):
            report.add_error(
                number, "", f"Has {len(cells)} cells; the header has {len(header)} columns."
            )
            continue
        record = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}
        refused = _refused_cell(record)
        if refused:
            report.add_error(number, *refused)
            continue
        parsed = _parse_row(number, record, report)
        if parsed is not None:
            rows.append(parsed)
    if report.rows == 0 and report.ok:
        report.add_error(0, "", EMPTY_FILE)
    return header, rows


def _refused_cell(record: dict[str, str]) -> tuple[str, str] | None:
    """(column, message) of the first cell breaking the text rule: no NUL or control
    characters anywhere, no line breaks in one-line values such as names (they would end up
    in email headers)."""
    for column, cell in record.items():
        if "\x00" in cell:
            return column, NUL_BYTE
        if problem := text_problem(cell, single_line=column not in MULTI_LINE_COLUMNS):
            return column, BAD_CHARACTERS.format(problem=problem)
    return None


def _records(reader: Any, report: ImportReport) -> Any:
    """Data records with their row number; a record the csv module cannot read (a cell over
    the size limit, a stray quote) ends the file with a row-level error."""
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report.add_error(number, "", UNREADABLE.format(detail=error))
            return
        yield number, cells


def _parse_row(number: int, record: dict[str, str], report: ImportReport) -> ParsedRow | None:
    errors_before = report.error_count
    for column in REQUIRED_COLUMNS:
        if not record[column]:
            report.add_error(number, column, REQUIRED_VALUE)
    email = normalise_email(record["email"])
    if len(email) > EMAIL_LIMIT:
        report.add_error(number, "email", TOO_LONG.format(limit=EMAIL_LIMIT, length=len(email)))
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            report.add_error(number, "email", BAD_EMAIL.format(value=record["email"]))
    if record["employee_id"] and not EMPLOYEE_ID.fullmatch(record["employee_id"]):
        report.add_error(
            number, "employee_id", BAD_EMPLOYEE_ID.format(value=record["employee_id"][:60])
        )
    values: dict[str, Any] = {}
    skills = None
    for column, text in record.items():
        if column in ("email", "manager_id"):
            continue
        try:
            if column == "skills":
                skills = _parse_skills(text)
            else:
                values[column] = _parse_cell(column, text)
        except ValueError as error:
            report.add_error(number, column, str(error))
    if report.error_count > errors_before:
        return None
    manager_id = record.get("manager_id") or None
    if manager_id is not None and manager_id == record["employee_id"]:
        report.add_error(number, "manager_id", SELF_MANAGER)
        return None
    return ParsedRow(
        row=number,
        employee_id=record["employee_id"],
        email=email,
        values=values,
        skills=skills,
        manager_id=manager_id,
    )


def _check_duplicates(rows: list[ParsedRow], report: ImportReport) -> None:
    first_id: dict[str, int] = {}
    first_email: dict[str, int] = {}
    for row in rows:
        other = first_id.setdefault(row.employee_id, row.row)
        if other != row.row:
            report.add_error(
                row.row,
                "employee_id",
                DUPLICATE_EMPLOYEE_ID.format(value=row.employee_id, other=other),
            )
        other = first_email.setdefault(row.email, row.row)
        if other != row.row:
            report.add_error(row.row, "email", DUPLICATE_EMAIL.format(value=row.email, other=other))


def _check_managers_and_cycles(
    rows: list[ParsedRow],
    existing: dict[str, tuple[int, str | None]],
    has_manager_column: bool,
    report: ImportReport,
) -> None:
    """Managers must exist; the reporting graph after the import must have no cycle."""
    manager_of: dict[str, str | None] = {eid: mgr for eid, (_, mgr) in existing.items()}
    for row in rows:
        if has_manager_column:
            manager_of[row.employee_id] = row.manager_id
        else:
            manager_of.setdefault(row.employee_id, None)
    row_of = {row.employee_id: row.row for row in rows}
    for row in rows:
        if row.manager_id is not None and row.manager_id not in manager_of:
            report.add_error(row.row, "manager_id", UNKNOWN_MANAGER.format(value=row.manager_id))
    # Cycle detection: colour walk over the final manager links.
    state: dict[str, int] = {}
    for start in row_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in manager_of and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = manager_of[node]
        if node is not None and state.get(node) == 1:
            cycle = [*path[path.index(node) :], node]
            culprit = next((eid for eid in cycle if eid in row_of), start)
            report.add_error(
                row_of[culprit], "manager_id", MANAGER_CYCLE.format(cycle=" → ".join(cycle))
            )
        for visited in path:
            state[visited] = 2


def _existing_people() -> dict[str, tuple[int, str | None]]:
    """employee_id → (pk, manager's employee_id) for everyone already stored."""
    pk_to_eid = dict(Person.objects.values_list("pk", "employee_id"))
    return {
        eid: (pk, pk_to_eid.get(manager_pk) if manager_pk else None)
        for pk, eid, manager_pk in Person.objects.values_list("pk", "employee_id", "manager_id")
    }


def import_people(
    data: bytes, *, dry_run: bool = False, overwrite_profiles: bool = False
) -> ImportReport:
    """Check an HRIS CSV file and, if it has no error and this is not a dry run, apply it.

    Existing people keep what they wrote on their profile (bio, goals, expertise, skills,
    languages, timezone, mentoring hours) unless ``overwrite_profiles``; new people get the
    file's values. Returns the report; on any error the database is left exactly as it was.
    """
    started = time.perf_counter()
    report = ImportReport()
    if problem := _too_big(len(data)):
        report.add_error(0, "", problem)
        return report
    try:
        text = decode(data)
    except ValueError as error:
        report.add_error(0, "", str(error))
        return report
    header, rows = _read_rows(text, report)
    if not report.ok:
        report.seconds = time.perf_counter() - started
        return report
    _check_duplicates(rows, report)
    # One import at a time, reading the people under the same lock it writes them: two imports
    # at once each read "nobody has E9001" and both created them (a unique error, a 500).
    with transaction.atomic():
        _one_import_at_a_time()
        existing = _existing_people()
        _check_managers_and_cycles(rows, existing, "manager_id" in header, report)
        email_owner = {
            email: eid or "an account without a profile"
            for email, eid in User.objects.values_list("email", "person__employee_id")
        }
        for row in rows:
            owner = email_owner.get(row.email)
            if owner is not None and owner != row.employee_id:
                report.add_error(
                    row.row, "email", EMAIL_TAKEN.format(value=row.email, employee_id=owner)
                )
        if report.ok:
            try:
                with transaction.atomic():
                    _apply(rows, header, existing, report, overwrite_profiles=overwrite_profiles)
                    if dry_run:
                        transaction.set_rollback(True)
                    else:
                        _audit_import(report, rows=len(rows), overwrite_profiles=overwrite_profiles)
            except ValidationError as error:  # pragma: no cover - defended by the checks above
                report.add_error(0, "", "; ".join(error.messages))
    report.applied = report.ok and not dry_run
    report.seconds = time.perf_counter() - started
    return report


IMPORT_LOCK = 0x4D42_4852  # "MBHR": PostgreSQL's advisory lock key of HRIS imports


def _one_import_at_a_time() -> None:
    """Wait for any other import's transaction to end (SQLite's IMMEDIATE transactions already
    hold the database's write lock from their start)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _audit_import(report: ImportReport, *, rows: int, overwrite_profiles: bool) -> None:
    audit_record(
        action=AuditAction.PEOPLE_IMPORTED,
        summary=f"HRIS import of {rows} row(s): {report.created} created, {report.updated} "
        f"updated, {report.unchanged} unchanged"
        + (", overwriting what people wrote on their profiles" if overwrite_profiles else ""),
        details={
            "rows": rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "overwrite_profiles": overwrite_profiles,
        },
    )


# Fields people keep themselves on their profile: the import fills them for new people and
# leaves them alone for existing people unless asked to overwrite them.
PROFILE_FIELDS = frozenset(
    {"timezone", "languages", "expertise", "bio", "career_goals", "mentoring_hours_per_month"}
)
PERSON_FIELDS = (
    "first_name", "last_name", "job_title", "location", "timezone", "languages", "level",
    "hire_date", "expertise", "bio", "career_goals", "mentoring_hours_per_month", "left_on",
)  # fmt: skip
BATCH = 1000


def _apply(
    rows: list[ParsedRow],
    header: list[str],
    existing: dict[str, tuple[int, str | None]],
    report: ImportReport,
    *,
    overwrite_profiles: bool = False,
) -> None:
    departments = _departments_for(row.values.get("department", "") for row in rows)
    present = [f for f in PERSON_FIELDS if f in header]
    present_for_existing = [f for f in present if overwrite_profiles or f not in PROFILE_FIELDS]
    has_department = "department" in header
    has_active = "active" in header
    has_manager = "manager_id" in header

    def values_of(row: ParsedRow) -> dict[str, Any]:
        return dict(_person_values(row, present, has_department, has_active, departments))

    pk_of = {eid: pk for eid, (pk, _) in existing.items()}
    current = {
        p.employee_id: p
        for p in Person.objects.filter(
            employee_id__in=[r.employee_id for r in rows if r.employee_id in existing]
        ).select_related("user")
    }
    to_create = [row for row in rows if row.employee_id not in current]
    changed: dict[str, Person] = {}
    changed_fields: set[str] = set()
    changed_users: list[User] = []

    # People already stored: change only what differs (ids compared, never related objects).
    leaving: list[Person] = []
    for row in rows:
        person = current.get(row.employee_id)
        if person is None:
            continue
        was_active = person.is_active
        wanted = dict(
            _person_values(row, present_for_existing, has_department, has_active, departments)
        )
        if has_manager:
            wanted["manager_id"] = pk_of[row.manager_id] if row.manager_id else None
        for name, value in wanted.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed_fields.add(name)
                changed[row.employee_id] = person
        if {"bio", "expertise"} & wanted.keys():
            found = read_skills(*person.expertise, person.bio)
            if found != person.read_skills:
                person.read_skills = found
                changed_fields.add("read_skills")
                changed[row.employee_id] = person
        if was_active and not person.is_active:
            leaving.append(person)
        if person.user.email != row.email or person.user.is_active != person.is_active:
            # People who left cannot sign in or use their API tokens.
            person.user.email = row.email
            person.user.is_active = person.is_active
            changed_users.append(person.user)
            changed[row.employee_id] = person
    if changed_users:
        User.objects.bulk_update(changed_users, ["email", "is_active"], batch_size=BATCH)
    if changed:
        changed_fields.add("updated_at")
        now = timezone.now()
        for person in changed.values():
            person.updated_at = now
        Person.objects.bulk_update(list(changed.values()), sorted(changed_fields), batch_size=BATCH)

    # New people: accounts first (no password until they set one), then profiles, created
    # managers-first in layers so every manager link is written with the row itself.
    if to_create:
        unusable = make_password(None)
        users = User.objects.bulk_create(
            [
                User(email=row.email, password=unusable, is_active=row.values.get("active", True))
                for row in to_create
            ],
            batch_size=BATCH,
        )
        user_of = {row.employee_id: user for row, user in zip(to_create, users, strict=True)}
        waiting = to_create
        while waiting:
            ready = [
                row for row in waiting
                if not has_manager or row.manager_id is None or row.manager_id in pk_of
            ]  # fmt: skip
            if not ready:  # pragma: no cover - cycles were refused before anything was written
                raise ValidationError(MANAGER_CYCLE.format(cycle="among new people"))
            layer = [
                Person(
                    user=user_of[row.employee_id],
                    employee_id=row.employee_id,
                    manager_id=pk_of[row.manager_id] if has_manager and row.manager_id else None,
                    **_with_read_skills(values_of(row)),
                )
                for row in ready
            ]
            for person in Person.objects.bulk_create(layer, batch_size=BATCH):
                pk_of[person.employee_id] = person.pk
                current[person.employee_id] = person
            done = {row.employee_id for row in ready}
            waiting = [row for row in waiting if row.employee_id not in done]

    if "skills" in header:
        known = {pk for pk, _ in existing.values()}
        skill_rows = (
            rows if overwrite_profiles else [r for r in rows if r.employee_id not in existing]
        )
        reskilled = [eid for eid in _apply_skills(skill_rows, current, known) if eid in existing]
        pks = [current[eid].pk for eid in reskilled]
        for start in range(0, len(pks), BATCH):  # caches of people data watch updated_at
            Person.objects.filter(pk__in=pks[start : start + BATCH]).update(
                updated_at=timezone.now()
            )
        for employee_id in reskilled:
            changed[employee_id] = current[employee_id]

    if leaving:
        _close_matching_for(leaving)

    report.created = len(to_create)
    report.updated = len(changed)
    report.unchanged = len(rows) - report.created - report.updated


LEFT_COMPANY = "left the company"


def _close_matching_for(people: list[Person]) -> None:
    """People who left: the apps built on people wind up what they were part of (requests,
    proposals, mentorships in every program) when told through ``people_left``."""
    people_left.send(sender=Person, people=people, reason=LEFT_COMPANY)


def _person_values(
    row: ParsedRow,
    present: list[str],
    has_department: bool,
    has_active: bool,
    departments: dict[str, Department],
) -> Iterable[tuple[str, Any]]:
    for name in present:
        yield name, row.values[name]
    if has_department:
        department = row.values["department"]
        yield "department_id", departments[department.casefold()].pk if department else None
    if has_active:
        yield "is_active", row.values["active"]


def _with_read_skills(values: dict[str, Any]) -> dict[str, Any]:
    """A new person's values plus the skills their expertise and bio name."""
    found = read_skills(*values.get("expertise", []), values.get("bio", ""))
    return {**values, "read_skills": found}


def _departments_for(names: Iterable[str]) -> dict[str, Department]:
    wanted = {name.casefold(): name for name in names if name}
    found = {d.name.casefold(): d for d in Department.objects.all()}
    missing = [Department(name=name) for key, name in wanted.items() if key not in found]
    for department in Department.objects.bulk_create(missing):
        found[department.name.casefold()] = department
    return found


def _apply_skills(rows: list[ParsedRow], people: dict[str, Person], known: set[int]) -> set[str]:
    """Replace skills where they differ; returns the employee ids whose skills changed.
    ``known`` holds the primary keys of people stored before this import (new people have
    no skills to compare or delete)."""
    catalogue = load_catalogue()
    slug_name: dict[str, tuple[str, str]] = {}
    row_slugs: dict[str, dict[str, int]] = {}
    for row in rows:
        wanted: dict[str, int] = {}
        for name, proficiency in row.skills or []:
            canonical = catalogue.canonical(name)
            if canonical is not None:
                slug, display, area = canonical.slug, canonical.name, canonical.area
            else:
                slug, display, area = fold(name), catalogue.normalise(name), ""
            slug_name.setdefault(slug, (display, area))
            wanted[slug] = max(proficiency, wanted.get(slug, 0))
        row_slugs[row.employee_id] = wanted
    skill_pk = dict(Skill.objects.filter(slug__in=slug_name).values_list("slug", "pk"))
    missing = [
        Skill(slug=slug, name=name, area=area)
        for slug, (name, area) in slug_name.items()
        if slug not in skill_pk
    ]
    for skill in Skill.objects.bulk_create(missing, batch_size=BATCH):
        skill_pk[skill.slug] = skill.pk
    person_pks = [people[eid].pk for eid in row_slugs]
    have: dict[int, dict[int, int]] = {}
    for person_id, skill_id, proficiency in PersonSkill.objects.filter(
        person_id__in=[pk for pk in person_pks if pk in known]
    ).values_list("person_id", "skill_id", "proficiency"):
        have.setdefault(person_id, {})[skill_id] = proficiency
    changed: set[str] = set()
    stale_people: list[int] = []
    fresh: list[PersonSkill] = []
    for employee_id, wanted in row_slugs.items():
        person_id = people[employee_id].pk
        target = {skill_pk[slug]: level for slug, level in wanted.items()}
        if have.get(person_id, {}) != target:
            changed.add(employee_id)
            if person_id in have:
                stale_people.append(person_id)
            fresh.extend(
                PersonSkill(person_id=person_id, skill_id=skill_id, proficiency=level)
                for skill_id, level in target.items()
            )
    for start in range(0, len(stale_people), BATCH):
        PersonSkill.objects.filter(person_id__in=stale_people[start : start + BATCH]).delete()
    PersonSkill.objects.bulk_create(fresh, batch_size=BATCH)
    return changed
