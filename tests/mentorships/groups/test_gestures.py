"""In a group mentorship, what one member does reaches every other member: feedback, a
pause, its end, and the pages name them all; a thank-you goes to the person the thanker
chooses (the mentor by default, for a mentee), and the mentor introduces the member they
choose."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.appreciation.services import thank_you_send
from mentorbridge.mentorships.checkins.services import feedback_send
from mentorbridge.mentorships.lifecycle import introductions
from mentorbridge.mentorships.lifecycle import services as lifecycle
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.notifications.models import Notification
from mentorbridge.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def _told(kind: str) -> set[str]:
    """First names of everyone notified of this kind."""
    rows = Notification.objects.filter(kind=kind).select_related("recipient__person")
    return {n.recipient.person.first_name for n in rows}


def test_feedback_from_a_member_reaches_the_mentor_and_the_first_mentee(
    group: Mentorship, member: Person
) -> None:
    feedback_send(mentorship=group, by=member, going_well="Clear agendas", could_be_better="")
    assert _told("feedback") == {"Mia", "Max"}


def test_a_members_thanks_go_to_the_mentor_unless_they_choose_someone_else(
    group: Mentorship, member: Person, mentor: Person, mentee: Person
) -> None:
    assert thank_you_send(mentorship=group, by=member, message="Thanks!").recipient == mentor
    chosen = thank_you_send(
        mentorship=group, by=member, message="Thanks, Mia", to=mentee.employee_id
    )
    assert chosen.recipient == mentee
    assert thank_you_send(mentorship=group, by=mentor, message="Well done").recipient == mentee


def test_thanks_to_yourself_or_an_outsider_is_refused_naming_the_field(
    group: Mentorship, member: Person
) -> None:
    for to in (member.employee_id, PersonFactory().employee_id):
        with pytest.raises(ValidationError) as error:
            thank_you_send(mentorship=group, by=member, message="Thanks", to=to)
        assert "to" in error.value.message_dict
    assert not group.thank_you_notes.exists()


def test_a_pause_its_extension_and_the_resume_reach_every_other_member(
    group: Mentorship, member: Person, mentor: Person
) -> None:
    today = timezone.localdate()
    lifecycle.mentorship_pause(
        mentorship=group,
        by=mentor,
        reason="Parental leave",
        resume_on=today + datetime.timedelta(days=30),
    )
    assert _told("paused") == {"Mia", "Gus"}
    Notification.objects.all().delete()
    lifecycle.mentorship_extend_pause(
        mentorship=group, by=member, resume_on=today + datetime.timedelta(days=40)
    )
    assert _told("paused") == {"Mia", "Max"}
    Notification.objects.all().delete()
    lifecycle.mentorship_resume(mentorship=group, by=None)
    assert _told("paused") == {"Mia", "Max", "Gus"}


def test_a_completed_group_thanks_everyone_and_invites_each_mentee_to_mentor(
    group: Mentorship,
) -> None:
    lifecycle.mentorship_complete(mentorship=group, ends_on=timezone.localdate())
    assert _told("closure") == {"Mia", "Max", "Gus"}
    assert _told("pay_it_forward") <= {"Mia", "Gus"}


def test_the_thanks_page_of_a_group_asks_whom_to_thank_and_the_pair_page_does_not(
    client_for: Clients, group: Mentorship, member: Person, mentor: Person
) -> None:
    page = client_for(member).get(f"/mentorships/{group.pk}/thanks/").content.decode()
    assert "Say thank you" in page and "Whom to thank" in page
    assert "Max Mentor" in page and "Mia Mentee" in page
    response = client_for(member).post(
        f"/mentorships/{group.pk}/thanks/", {"to": mentor.employee_id, "message": "Thank you"}
    )
    assert response.status_code == 302
    assert group.thank_you_notes.get().recipient == mentor


def test_the_feedback_and_check_in_pages_of_a_group_name_everyone_else(
    client_for: Clients, group: Mentorship, member: Person
) -> None:
    client = client_for(member)
    assert (
        "Feedback for Mia and Max"
        in client.get(f"/mentorships/{group.pk}/feedback/").content.decode()
    )
    assert (
        "means Mia and Max read it"
        in client.get(f"/mentorships/{group.pk}/check-in/").content.decode()
    )


def test_the_api_thanks_the_person_named(
    client_for: Clients, group: Mentorship, member: Person, mentee: Person
) -> None:
    client = client_for(member)
    url = f"/api/v1/mentorships/{group.pk}/thanks"
    response = client.post(
        url, {"message": "Thanks", "to": mentee.employee_id}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert group.thank_you_notes.get().recipient == mentee
    refused = client.post(
        url, {"message": "Thanks", "to": "nobody"}, content_type="application/json"
    )
    assert refused.status_code == 422 and "to" in refused.content.decode()


def test_the_mentor_introduces_a_member_who_is_connected_once_the_colleague_accepts(
    group: Mentorship, member: Person, mentor: Person
) -> None:
    colleague = PersonFactory(first_name="Cleo")
    intro = introductions.introduction_create(
        mentorship=group, by=mentor, colleague=colleague, note="Talk about APIs",
        mentee=member.employee_id,
    )  # fmt: skip
    assert intro.mentee == member
    assert Notification.objects.get(kind="introduction").title == (
        "Max Mentor would like to introduce you to Gus Member"
    )
    introductions.introduction_answer(introduction=intro, by=colleague, accept=True)
    assert _told("introduction") == {"Cleo", "Gus", "Max"}


def test_the_same_colleague_may_meet_two_members_but_not_one_twice_or_an_outsider(
    group: Mentorship, member: Person, mentor: Person, mentee: Person
) -> None:
    colleague = PersonFactory()
    for who in (mentee, member):
        introductions.introduction_create(
            mentorship=group, by=mentor, colleague=colleague, note="Hi", mentee=who.employee_id
        )
    with pytest.raises(ValidationError, match="already asked about Gus Member"):
        introductions.introduction_create(
            mentorship=group, by=mentor, colleague=colleague, note="Hi", mentee=member.employee_id
        )
    with pytest.raises(ValidationError) as error:
        introductions.introduction_create(
            mentorship=group, by=mentor, colleague=PersonFactory(), note="Hi",
            mentee=colleague.employee_id,
        )  # fmt: skip
    assert "mentee" in error.value.message_dict
    assert group.introductions.count() == 2


def test_the_introduce_page_of_a_group_asks_whom_and_the_workspace_lists_who_met_whom(
    client_for: Clients, group: Mentorship, member: Person, mentor: Person
) -> None:
    client = client_for(mentor)
    page = client.get(f"/mentorships/{group.pk}/introduce/").content.decode()
    assert "Introduce a mentee to a colleague" in page and "Whom to introduce" in page
    colleague = PersonFactory(first_name="Cleo", last_name="Colleague")
    response = client.post(
        f"/mentorships/{group.pk}/introduce/",
        {"mentee": member.employee_id, "colleague": colleague.employee_id, "note": "APIs"},
    )
    assert response.status_code == 302
    workspace = client.get(group.get_absolute_url()).content.decode()
    assert "Gus to" in workspace and "Cleo Colleague" in workspace
