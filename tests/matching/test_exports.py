"""CSV exports of enrollments and mentorships: streamed, UTF-8, a header row, nothing private."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from mentorbridge.matching.exports import ENROLLMENT_COLUMNS, MENTORSHIP_COLUMNS
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.people.services import skill_for_name
from mentorbridge.programs.models import Enrollment, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def rows(response: StreamingHttpResponse) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_enrollment_export_has_a_header_and_one_row_per_enrollment(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    Enrollment.objects.filter(person=mentee).update(motivation="Private: my manager is leaving")
    area = mentee.enrollments.get().focus_areas.get()
    area.skills.set([skill_for_name("Python"), skill_for_name("SQL")])
    response = client_for(program_admin).get("/programs/engineering-growth/enrollments.csv")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="engineering-growth-enrollments-'
    )
    found = rows(response)
    assert list(found[0].keys()) == ENROLLMENT_COLUMNS
    by_name = {r["first_name"]: r for r in found}
    assert by_name["Mia"]["email"] == "mia@example.com"
    assert by_name["Mia"]["role"] == "mentee"
    assert by_name["Mia"]["mentee_state"] == "unmatched"
    assert by_name["Mia"]["mentor_state"] == ""
    assert by_name["Mia"]["focus_areas"] == "Grow into a tech lead"
    assert by_name["Mia"]["focus_area_skills"] == "Python, SQL"
    assert by_name["Max"]["mentor_capacity"] == "2"
    assert "Private" not in str(found)


def test_the_enrollment_export_follows_the_lists_filters(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    response = client_for(program_admin).get(
        "/programs/engineering-growth/enrollments.csv?role=mentor&state=unmatched"
    )
    assert [r["first_name"] for r in rows(response)] == ["Max"]


def test_an_export_with_an_unknown_filter_value_is_refused_with_its_name(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    response = client_for(program_admin).get(
        "/programs/engineering-growth/enrollments.csv?role=mentors"
    )
    assert response.status_code == 400
    assert "“mentors” is not one of: mentee, mentor, both." in response.content.decode()


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(
    client_for: Clients, program_admin: Person, program: Program
) -> None:
    person = PersonFactory(first_name="=HYPERLINK(1)", last_name="Ünal")
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=person))
    [row] = rows(client_for(program_admin).get("/programs/engineering-growth/enrollments.csv"))
    assert (row["first_name"], row["last_name"]) == ("'=HYPERLINK(1)", "Ünal")


def test_the_mentorship_export_leaves_out_why_a_mentorship_ended(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    Mentorship.objects.create(
        program=program, mentee=mentee, mentor=mentor, source="request", status="ended",
        focus_area=mentee.enrollments.get().focus_areas.get(), ended_early=True,
        end_reason="We never got along", ended_at=timezone.now(),
    )  # fmt: skip
    response = client_for(program_admin).get("/programs/engineering-growth/mentorships.csv")
    [row] = rows(response)
    assert list(row.keys()) == MENTORSHIP_COLUMNS
    assert (row["mentee_name"], row["mentor_email"], row["status"]) == (
        "Mia Mentee", "max@example.com", "ended",
    )  # fmt: skip
    assert row["ended_on"] != ""
    assert "never got along" not in str(row)


def test_an_empty_program_exports_just_the_header(
    client_for: Clients, program_admin: Person, program: Program
) -> None:
    response = client_for(program_admin).get("/programs/engineering-growth/mentorships.csv")
    assert rows(response) == []


def test_the_api_exports_the_same_csv(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person
) -> None:
    response = client_for(program_admin).get("/api/v1/programs/engineering-growth/enrollments.csv")
    assert [r["first_name"] for r in rows(response)] == ["Mia"]


def test_the_api_counts_say_where_each_role_stands(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    body = client_for(program_admin).get("/api/v1/programs/engineering-growth/counts").json()
    assert body["mentees"] == 1 and body["mentors"] == 1
    assert body["by_role"]["mentee"] == {
        "enrolled": 1, "matched": 0, "proposed": 0, "waiting": 0, "unmatched": 1,
    }  # fmt: skip
    assert body["by_role"]["mentor"]["unmatched"] == 1


def test_the_api_enrollment_list_filters_by_where_people_stand(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    client = client_for(program_admin)
    unmatched = client.get("/api/v1/programs/engineering-growth/enrollments?state=unmatched")
    assert sorted(e["name"] for e in unmatched.json()) == ["Max Mentor", "Mia Mentee"]
    matched = client.get(
        "/api/v1/programs/engineering-growth/enrollments?state=matched&role=mentee"
    )
    assert matched.json() == []
