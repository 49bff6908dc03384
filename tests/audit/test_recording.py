"""Each sensitive action writes one audit event, with who did it and from where; a change that
fails writes none."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client

from mentorbridge.accounts.services import api_token_create, api_token_revoke
from mentorbridge.audit.models import AuditAction, AuditEvent
from mentorbridge.core.setup import hr_group
from mentorbridge.people.importing import import_people
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from mentorbridge.programs.services import (
    agreement_template_update,
    program_create,
    program_set_status,
    program_update,
)
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_request_records_its_signed_in_actor_and_ip_address(
    client_for: Clients, program_admin: Person
) -> None:
    client_for(program_admin).get(
        "/programs/engineering-growth/mentorships.csv", REMOTE_ADDR="203.0.113.9"
    )
    (event,) = events(AuditAction.DATA_EXPORTED)
    assert event.actor == program_admin.user
    assert event.actor_label == "ada@example.com"
    assert event.ip == "203.0.113.9"
    assert event.details["file"].startswith("engineering-growth-mentorships-")


def test_an_enrollment_export_records_its_filters(
    client_for: Clients, program_admin: Person
) -> None:
    client_for(program_admin).get("/programs/engineering-growth/enrollments.csv?role=mentor")
    client_for(program_admin).get("/api/v1/programs/engineering-growth/enrollments.csv?q=mia")
    first, second = events(AuditAction.DATA_EXPORTED)
    assert first.details["filters"] == {"role": "mentor"}
    assert second.details["filters"] == {"q": "mia"}


def test_work_outside_a_request_is_recorded_as_the_system(db: None) -> None:
    program_create(creator=None, name="Sales Academy")
    (event,) = events(AuditAction.PROGRAM_CREATED)
    assert event.actor is None
    assert event.actor_label.startswith("system")
    assert event.ip is None


def test_changing_program_settings_records_each_changed_setting_before_and_after(
    program: Program,
) -> None:
    program_update(program=program, description="New words", max_mentees_per_mentor=5)
    (event,) = events(AuditAction.PROGRAM_SETTINGS_CHANGED)
    assert event.details["changed"] == {
        "description": ["Grow with a mentor.", "New words"],
        "max_mentees_per_mentor": [3, 5],
    }
    assert event.target_id == str(program.pk)


def test_saving_program_settings_unchanged_records_nothing(program: Program) -> None:
    program_update(program=program, description=program.description)
    assert not events(AuditAction.PROGRAM_SETTINGS_CHANGED)


def test_a_refused_settings_change_records_nothing(program: Program) -> None:
    with pytest.raises(ValidationError):
        program_update(program=program, max_mentees_per_mentor=-1)
    assert not AuditEvent.objects.exists()


def test_a_status_change_and_the_agreement_template_are_recorded(program: Program) -> None:
    program_set_status(program=program, status="matching")
    agreement_template_update(program=program, meeting_minutes=60)
    (status,) = events(AuditAction.PROGRAM_STATUS_CHANGED)
    assert status.details == {"program": program.slug, "from": "enrolling", "to": "matching"}
    (template,) = events(AuditAction.PROGRAM_SETTINGS_CHANGED)
    assert template.details["agreement_template"] == {"meeting_minutes": [45, 60]}


def test_adding_and_removing_a_program_admin_is_recorded_from_either_side(
    program: Program,
) -> None:
    person = PersonFactory(first_name="Nia", last_name="New")
    program.admins.add(person)
    person.administered_programs.remove(program)
    added, removed = events(AuditAction.PROGRAM_ADMINS_CHANGED)
    assert added.summary == "Nia New added as admin of Engineering Growth"
    assert (added.details["change"], removed.details["change"]) == ("added", "removed")
    assert removed.details["employee_id"] == person.employee_id


def test_joining_and_leaving_hr_is_a_role_change(db: None) -> None:
    user = UserFactory(email="hana@example.com")
    user.groups.add(hr_group())
    hr_group().user_set.remove(user)
    joined, left = events(AuditAction.ROLE_CHANGED)
    assert joined.summary == "Account hana@example.com added to group HR"
    assert left.summary == "Account hana@example.com removed from group HR"


def test_clearing_an_accounts_groups_names_each_group_it_left(db: None) -> None:
    user = UserFactory(email="hana@example.com")
    user.groups.add(hr_group(), Group.objects.create(name="Auditors"))
    AuditEvent.objects.all().delete()
    user.groups.clear()
    (event,) = events(AuditAction.ROLE_CHANGED)
    assert set(event.details["group"]) == {"HR", "Auditors"}


def test_making_someone_a_site_admin_is_a_role_change(db: None) -> None:
    user = UserFactory(email="hana@example.com")
    user.is_superuser = True
    user.save()
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])  # a sign-in: no role change
    (event,) = events(AuditAction.ROLE_CHANGED)
    assert event.details["changed"] == {"is_superuser": [False, True]}
    assert event.summary == "Account hana@example.com: site admin on"


def test_an_applied_import_is_recorded_but_a_dry_run_is_not(db: None) -> None:
    data = b"employee_id,email,first_name,last_name\nE1,e1@example.com,Eva,One\n"
    import_people(data, dry_run=True)
    assert not events(AuditAction.PEOPLE_IMPORTED)
    import_people(data)
    (event,) = events(AuditAction.PEOPLE_IMPORTED)
    assert event.details == {
        "rows": 1, "created": 1, "updated": 0, "unchanged": 0, "overwrite_profiles": False,
    }  # fmt: skip


def test_an_import_with_an_error_records_nothing(db: None) -> None:
    import_people(b"employee_id,email,first_name,last_name\nE1,not-an-email,Eva,One\n")
    assert not AuditEvent.objects.exists()


def test_creating_and_revoking_a_token_is_recorded_without_the_token(db: None) -> None:
    user = UserFactory(email="hana@example.com")
    raw = api_token_create(user=user, name="script")
    api_token_revoke(token=user.api_tokens.get())
    created, revoked = events(AuditAction.TOKEN_CREATED), events(AuditAction.TOKEN_REVOKED)
    assert created[0].summary == "API token “script” created for hana@example.com"
    assert revoked[0].details["hint"] == raw[:10]
    assert raw not in str(created[0].details) + created[0].summary


def test_a_token_caller_is_the_actor_of_what_it_does(program_admin: Person, client: Client) -> None:
    raw = api_token_create(user=program_admin.user, name="script")
    client.get(
        "/api/v1/programs/engineering-growth/mentorships.csv",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    (event,) = events(AuditAction.DATA_EXPORTED)
    assert event.actor == program_admin.user


def test_settings_changed_in_django_admin_are_recorded(
    client_for: Clients, site_admin: Person, program: Program
) -> None:
    from django.forms.models import model_to_dict

    data = {
        key: value
        for key, value in model_to_dict(program).items()
        if value is not None and key not in ("admins", "eligible_departments")
    }
    data.update(description="Changed in the admin", max_mentees_per_mentor=4)
    for key, value in list(data.items()):
        if isinstance(value, datetime.datetime):  # the admin splits date and time
            del data[key]
            data[f"{key}_0"], data[f"{key}_1"] = (
                value.date().isoformat(),
                value.strftime("%H:%M:%S"),
            )
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
            else:
                del data[key]
    response = client_for(site_admin).post(f"/admin/programs/program/{program.pk}/change/", data)
    assert response.status_code == 302, [
        line
        for line in response.content.decode().splitlines()
        if "errorlist" in line or "errornote" in line
    ]
    (event,) = events(AuditAction.PROGRAM_SETTINGS_CHANGED)
    assert event.details["via"] == "django admin"
    assert set(event.details["changed"]) == {"description", "max_mentees_per_mentor"}
    assert event.actor == site_admin.user
