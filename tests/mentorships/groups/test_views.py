"""Group mentorships in the browser and the API: adding a mentee from the mentorship page
(the mentor and the program team), errors that keep what was typed, the page in its new
state, leaving, and the home page and program page naming the group."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_mentor_adds_a_mentee_from_the_page_and_sees_the_group(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship, mentor: Person, member: Person,
) -> None:  # fmt: skip
    client = client_for(mentor)
    page = client.get(f"/mentorships/{mentorship.pk}/").content.decode()
    assert "Add a mentee to this mentorship (make it a group)" in page
    response = client.post(
        f"/mentorships/{mentorship.pk}/group/", {"person": "gus@example.com"}, follow=True
    )
    page = response.content.decode()
    assert "Gus Member joined the group" in page
    assert "Mentoring Mia Mentee and Gus Member" in page
    assert "The group (3 people)" in page
    assert mentorship.members.get().person == member


def test_a_refused_addition_shows_the_error_and_keeps_what_was_typed(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentor: Person,
) -> None:  # fmt: skip
    response = client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/group/", {"person": "nobody@example.com"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No one in the directory has the work email or employee ID" in page
    assert 'value="nobody@example.com"' in page
    assert not mentorship.members.exists()


def test_forbidden_characters_are_refused_naming_the_field(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentor: Person,
) -> None:  # fmt: skip
    response = client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/group/", {"person": "gus@example.com\x00"}
    )
    assert response.status_code == 400
    assert "“person” must not contain a NUL byte" in response.content.decode()
    assert not mentorship.members.exists()
    response = client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/group/", {"person": "gus@example.com\nmore"}
    )
    assert "Work email or employee ID " in response.content.decode()
    assert not mentorship.members.exists()


def test_the_program_admin_adds_from_the_state_page_without_seeing_content(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship, program_admin: Person, member: Person,
) -> None:  # fmt: skip
    client = client_for(program_admin)
    response = client.post(
        f"/mentorships/{mentorship.pk}/group/", {"person": member.employee_id}, follow=True
    )
    page = response.content.decode()
    assert "State and dates of this mentorship" in page
    assert "Gus Member" in page and "The group (3 people)" in page


def test_a_member_sees_the_workspace_named_after_the_group_and_can_leave_it(
    client_for: Callable[[Person | None], Client], group: Mentorship, member: Person,
) -> None:  # fmt: skip
    client = client_for(member)
    page = client.get(f"/mentorships/{group.pk}/").content.decode()
    assert "Mentored by Max Mentor, with Mia Mentee" in page
    assert "Leave this group" in page
    assert "Your private notes stay yours" in page
    assert "Add a mentee" not in page
    response = client.post(f"/mentorships/{group.pk}/group/{member.pk}/remove/", follow=True)
    assert "You left the group of Max Mentor." in response.content.decode()
    assert client.get(f"/mentorships/{group.pk}/").status_code == 404


def test_the_first_mentee_and_the_mentor_are_shown_where_to_end_it_members_are_not(
    client_for: Callable[[Person | None], Client], group: Mentorship, member: Person,
    mentee: Person, mentor: Person,
) -> None:  # fmt: skip
    """A walk found no way out on the workspace for the group's first mentee, who cannot
    leave it (the group began with her focus area)."""
    end = 'href="/programs/engineering-growth/#my-enrollment">End this mentorship…</a>'
    first = client_for(mentee).get(f"/mentorships/{group.pk}/").content.decode()
    assert "The group began with your focus area" in first and end in first
    assert "(it ends for everyone in the group)" in first
    assert end in client_for(mentor).get(f"/mentorships/{group.pk}/").content.decode()
    assert end not in client_for(member).get(f"/mentorships/{group.pk}/").content.decode()


def test_the_home_page_and_my_mentoring_list_the_group_for_a_member(
    client_for: Callable[[Person | None], Client], group: Mentorship, member: Person,
    mentor: Person,
) -> None:  # fmt: skip
    client = client_for(member)
    assert "Mentored by Max Mentor, with Mia Mentee" in client.get("/").content.decode()
    assert (
        "Mentored by Max Mentor, with Mia Mentee" in client.get("/mentoring/mine/").content.decode()
    )
    program_page = client.get("/programs/engineering-growth/").content.decode()
    assert "Leave this group" in program_page
    assert "Mentoring Mia Mentee and Gus Member" in client_for(mentor).get("/").content.decode()


def test_the_api_lists_adds_and_takes_out_members(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship, mentor: Person, member: Person, mentee: Person,
) -> None:  # fmt: skip
    client = client_for(mentor)
    url = f"/api/v1/mentorships/{mentorship.pk}/participants"
    added = client.post(url, {"person": member.employee_id}, content_type="application/json")
    assert added.status_code == 201
    assert [(p["name"], p["role"], p["group_member"]) for p in added.json()] == [
        ("Mia Mentee", "mentee", False), ("Gus Member", "mentee", True),
        ("Max Mentor", "mentor", False),
    ]  # fmt: skip
    detail = client.get(f"/api/v1/mentorships/{mentorship.pk}").json()
    assert detail["mentees"] == [mentee.employee_id, member.employee_id]
    refused = client.post(url, {"person": "nobody"}, content_type="application/json")
    assert refused.status_code == 422
    assert "person" in refused.json()["errors"]
    gone = client.delete(f"{url}/{member.employee_id}")
    assert gone.status_code == 200 and len(gone.json()) == 2


def test_a_members_private_note_shows_on_their_page_and_api_only(
    client_for: Callable[[Person | None], Client],
    group: Mentorship, member: Person, mentee: Person, mentor: Person,
) -> None:  # fmt: skip
    import datetime

    from django.utils import timezone

    from mentorbridge.mentorships.meetings.services import meeting_log
    from mentorbridge.mentorships.notes.services import private_note_save

    held = meeting_log(
        mentorship=group, by=member, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    private_note_save(meeting=held, by=member, text="Gus keeps this to himself")
    page = f"/mentorships/{group.pk}/meetings/{held.pk}/"
    api = f"/api/v1/mentorships/{group.pk}/meetings/{held.pk}"
    assert "Gus keeps this to himself" in client_for(member).get(page).content.decode()
    assert client_for(member).get(api + "/private-note").json() == {
        "text": "Gus keeps this to himself"
    }
    for other in (mentee, mentor):
        client = client_for(other)
        assert "Gus keeps this to himself" not in client.get(page).content.decode()
        assert "Gus keeps this" not in client.get(api).content.decode()
        assert client.get(api + "/private-note").json() == {"text": ""}
