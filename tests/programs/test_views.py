"""Program pages: list, detail, joining, admin enrollment tools."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program
from tests.factories import EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def test_joining_through_the_form_creates_focus_areas(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    response = client_for(outsider).post(
        "/programs/engineering-growth/join/",
        {
            "role": "both", "mentor_capacity": "2", "department_preference": "different",
            "meeting_preference": "virtual", "fa-0-title": "Negotiate my next promotion",
            "fa-0-skills": "Negotiation, Managing up", "fa-0-description": "Within a year",
        },
    )  # fmt: skip
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(person=outsider)
    assert (enrollment.role, enrollment.mentor_capacity) == ("both", 2)
    assert enrollment.department_preference == "different"
    assert [fa.title for fa in enrollment.focus_areas.all()] == ["Negotiate my next promotion"]


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_the_welcome_after_joining_says_the_next_step(
    client_for: Clients, outsider: Person, program: Program, role: str
) -> None:
    response = client_for(outsider).post(
        "/programs/engineering-growth/join/",
        {
            "role": role, "mentor_capacity": "2", "department_preference": "any",
            "meeting_preference": "either", "fa-0-title": "Negotiate my next promotion",
        },
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    if role == "mentee":
        area = Enrollment.objects.get(person=outsider).focus_areas.get()
        assert (
            "Welcome to Engineering Growth! Next: <a href="
            f'"/programs/engineering-growth/find/{area.pk}/">find a mentor for'
            " “Negotiate my next promotion”</a>."
        ) in html
    else:
        assert (
            "Welcome to Engineering Growth! Mentees' requests will wait in "
            '<a href="/mentoring/inbox/">your inbox</a>, and you get an email for each.'
        ) in html


def test_a_join_form_with_errors_keeps_what_was_typed(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    response = client_for(outsider).post(
        "/programs/engineering-growth/join/",
        {"role": "mentor", "mentor_capacity": "0", "department_preference": "any",
         "meeting_preference": "either", "motivation": "I love teaching"},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"say how many mentees you can take" in response.content
    assert b"I love teaching" in response.content
    assert not Enrollment.objects.filter(person=outsider).exists()


def test_the_join_page_explains_why_someone_is_not_eligible(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    program.eligible_min_level = 7
    program.save()
    page = client_for(outsider).get("/programs/engineering-growth/join/")
    assert b"You can't join right now" in page.content
    assert b"levels 7 to any" in page.content


def test_admins_approve_enrollments_with_htmx(
    client_for: Clients, program_admin: Person, program: Program
) -> None:
    pending = EnrollmentFactory(program=program, status="pending")
    response = client_for(program_admin).post(
        f"/programs/engineering-growth/enrollments/{pending.pk}/decision/",
        {"decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<tr" in response.content and b"Enrolled" in response.content
    pending.refresh_from_db()
    assert pending.status == "active"


def test_admins_invite_by_email_or_employee_id(
    client_for: Clients, program_admin: Person, outsider: Person, program: Program
) -> None:
    response = client_for(program_admin).post(
        "/programs/engineering-growth/enrollments/",
        {"people": f"OLGA@example.com\n{outsider.employee_id}", "role": "mentor"},
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(person=outsider).status == "invited"


def test_inviting_someone_unknown_names_them(
    client_for: Clients, program_admin: Person, program: Program
) -> None:
    response = client_for(program_admin).post(
        "/programs/engineering-growth/enrollments/",
        {"people": "ghost@example.com", "role": "mentee"},
    )
    assert b"No one found for: ghost@example.com" in response.content


def test_the_enrollment_list_filters_by_role(
    client_for: Clients, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    page = client_for(program_admin).get(
        "/programs/engineering-growth/enrollments/?role=mentor",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="enrollment-rows",
    )
    assert b"Max Mentor" in page.content and b"Mia Mentee" not in page.content


def test_the_enrollment_list_comes_a_page_at_a_time_keeping_the_filters(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from mentorbridge.programs import views

    monkeypatch.setattr(views, "ENROLLMENTS_PER_PAGE", 2)
    for n in range(3):
        EnrollmentFactory(program=program, role="mentor",
                          person=PersonFactory(first_name=f"Extra{n}", last_name="Mentor"))  # fmt: skip
    client = client_for(program_admin)
    url = "/programs/engineering-growth/enrollments/"
    first = client.get(url + "?role=mentor").content.decode()
    assert "4 enrollments matching the filters, 1–2 shown" in first
    assert first.count('<tr id="enrollment-') == 2 and "Page 1 of 2" in first
    assert 'href="?role=mentor&amp;page=2" rel="next"' in first
    second = client.get(url + "?role=mentor&page=2").content.decode()
    assert second.count('<tr id="enrollment-') == 2 and "Mia Mentee" not in second
    assert 'href="?role=mentor&amp;page=1" rel="prev"' in second


def test_an_unknown_filter_value_is_named_and_not_applied_silently(
    client_for: Clients, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    page = client_for(program_admin).get("/programs/engineering-growth/enrollments/?role=mentors")
    text = page.content.decode()
    assert "“mentors” is not one of: mentee, mentor, both." in text
    assert "The list is not filtered by role." in text
    assert "Max Mentor" in text and "Mia Mentee" in text  # everyone, and the page says why
    assert 'enrollments.csv" download' in text  # the CSV link does not carry the refused value


def test_creating_a_program_from_the_form(client_for: Clients, program_admin: Person) -> None:
    response = client_for(program_admin).post(
        "/programs/new/",
        {
            "name": "Women in Tech", "kind": "traditional", "default_cadence": "monthly",
            "default_duration_weeks": "26", "max_mentees_per_mentor": "2",
            "max_mentors_per_mentee": "1", "max_open_requests": "3", "request_expiry_days": "10",
            "cohort_starts_on": "2027-02-01", "cohort_ends_on": "2027-01-01",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert b"The cohort must end after it starts" in response.content
    assert not Program.objects.filter(name="Women in Tech").exists()


def test_admins_add_other_admins_by_email(
    client_for: Clients, program_admin: Person, outsider: Person, program: Program
) -> None:
    form = client_for(program_admin).get("/programs/engineering-growth/edit/")
    assert b"ada@example.com" in form.content
    data = {
        "name": program.name, "kind": "traditional", "default_cadence": "monthly",
        "default_duration_weeks": "26", "max_mentees_per_mentor": "2", "max_mentors_per_mentee": "1",
        "max_open_requests": "3", "request_expiry_days": "10", "accepts_requests": "on",
        "admin_people": "OLGA@example.com",
    }  # fmt: skip
    response = client_for(program_admin).post("/programs/engineering-growth/edit/", data)
    assert response.status_code == 302
    assert set(program.admins.all()) == {program_admin, outsider}
    bad = client_for(program_admin).post(
        "/programs/engineering-growth/edit/", {**data, "admin_people": "ghost@example.com"}
    )
    assert b"No one found for: ghost@example.com" in bad.content


def test_a_mentor_pauses_new_requests_and_changes_capacity(
    client_for: Clients, mentor: Person, program: Program
) -> None:
    client_for(mentor).post("/programs/engineering-growth/mentoring/", {"mentor_capacity": "3"})
    enrollment = mentor.enrollments.get(program=program)
    assert (enrollment.mentor_capacity, enrollment.accepting_requests) == (3, False)
    too_many = client_for(mentor).post(
        "/programs/engineering-growth/mentoring/", {"mentor_capacity": "9", "accepting_requests": "on"},
        follow=True,
    )  # fmt: skip
    assert b"at most 3 mentees per mentor" in too_many.content
    enrollment.refresh_from_db()
    assert enrollment.mentor_capacity == 3


def test_a_mentee_cannot_set_a_mentor_capacity(
    client_for: Clients, mentee: Person, program: Program
) -> None:
    response = client_for(mentee).post(
        "/programs/engineering-growth/mentoring/", {"mentor_capacity": "2"}, follow=True
    )
    assert b"Only mentors set a capacity" in response.content


def test_inviting_a_batch_with_an_unknown_address_invites_the_others(
    client_for: Clients, program_admin: Person, outsider: Person, program: Program
) -> None:
    colleague = PersonFactory(first_name="Cleo", user__email="cleo@example.com")
    response = client_for(program_admin).post(
        "/programs/engineering-growth/enrollments/",
        {"people": "olga@example.com, ghost@example.com\ncleo@example.com", "role": "mentee"},
        follow=True,
    )
    assert response.status_code == 200
    assert Enrollment.objects.get(person=outsider).status == "invited"
    assert Enrollment.objects.get(person=colleague).status == "invited"
    html = response.content.decode()
    assert "Invited 2 people." in html
    assert "No one found for: ghost@example.com" in html
    assert "\nghost@example.com</textarea>" in html  # only what failed stays, to fix and resend


def test_the_invitation_message_agrees_with_its_numbers(
    client_for: Clients, program_admin: Person, outsider: Person, mentee: Person, mentor: Person
) -> None:
    client = client_for(program_admin)
    response = client.post(
        "/programs/engineering-growth/enrollments/",
        {"people": "olga@example.com\nmia@example.com", "role": "mentee"},
        follow=True,
    )
    assert b"Invited 1 person; 1 was already in." in response.content
    response = client.post(
        "/programs/engineering-growth/enrollments/",
        {"people": "mia@example.com\nmax@example.com", "role": "mentee"},
        follow=True,
    )
    assert b"No one new to invite; 2 were already in." in response.content


def test_people_who_left_are_listed_and_the_rest_invited(
    client_for: Clients, program_admin: Person, outsider: Person, program: Program
) -> None:
    PersonFactory(employee_id="GONE1", is_active=False)
    response = client_for(program_admin).post(
        "/programs/engineering-growth/enrollments/",
        {"people": f"GONE1, {outsider.employee_id}", "role": "mentor"},
    )
    assert b"Left the company, so not invited: GONE1." in response.content
    assert Enrollment.objects.get(person=outsider).status == "invited"
    assert not Enrollment.objects.filter(person__employee_id="GONE1").exists()


def test_a_batch_naming_no_one_invites_no_one(
    client_for: Clients, program_admin: Person, program: Program
) -> None:
    response = client_for(program_admin).post(
        "/programs/engineering-growth/enrollments/",
        {"people": "ghost@example.com, nobody@example.com", "role": "mentee"},
    )
    assert b"No one found for: ghost@example.com, nobody@example.com" in response.content
    assert not Enrollment.objects.filter(status="invited").exists()


def test_the_program_form_sent_twice_opens_the_program_made_by_the_first(
    client_for: Clients, program_admin: Person
) -> None:
    client = client_for(program_admin)
    form = {
        "name": "Sales Growth", "kind": "traditional", "default_cadence": "monthly",
        "default_duration_weeks": "26", "max_mentees_per_mentor": "2",
        "max_mentors_per_mentee": "1", "max_open_requests": "3", "request_expiry_days": "10",
    }  # fmt: skip
    first = client.post("/programs/new/", form)
    assert first.status_code == 302
    second = client.post("/programs/new/", form, follow=True)
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "Sales Growth was already created a moment ago" in second.content.decode()
    assert Program.objects.filter(name="Sales Growth").count() == 1


def test_the_settings_form_names_the_environment_variable_of_the_site_semantic_default(
    client_for: Callable[[Person | None], Client], program_admin: Person
) -> None:
    body = client_for(program_admin).get("/programs/engineering-growth/edit/").content.decode()
    assert "Site default: the MENTORBRIDGE_SEMANTIC_MATCHING environment variable." in body


def test_saving_the_settings_form_records_what_changed_and_announces_it(
    client_for: Clients, program_admin: Person, program: Program, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:  # fmt: skip
    # the form's validation copies the new values onto the program before the service runs:
    # the change is still seen (audited, and semantic matching switched on queues the vectors)
    from django_tasks_db.models import DBTaskResult

    from mentorbridge.audit.models import AuditAction, AuditEvent
    from mentorbridge.matching import receivers

    monkeypatch.setattr(receivers, "is_available", lambda: True)
    data = {
        "name": program.name, "kind": "traditional", "default_cadence": "monthly",
        "default_duration_weeks": "26", "max_mentees_per_mentor": "5", "max_mentors_per_mentee": "1",
        "max_open_requests": "3", "request_expiry_days": "10", "accepts_requests": "on",
        "semantic_matching": "on", "description": program.description,
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client_for(program_admin).post("/programs/engineering-growth/edit/", data)
    assert response.status_code == 302
    (event,) = AuditEvent.objects.filter(action=AuditAction.PROGRAM_SETTINGS_CHANGED)
    assert event.details["changed"]["max_mentees_per_mentor"] == [3, 5]
    assert event.details["changed"]["semantic_matching"][1] == "on"
    assert DBTaskResult.objects.filter(task_path__endswith="tasks.compute_vectors").count() == 1
