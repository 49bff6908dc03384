"""Introductions: the colleague answers first (double opt-in) and never sees the content."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from mentorbridge.mentorships.goals.services import goal_create
from mentorbridge.mentorships.lifecycle.introductions import (
    introduction_answer,
    introduction_create,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db


def test_only_an_accepted_introduction_connects_the_two(
    mentorship: Mentorship, mentee: Person, mentor: Person, outsider: Person
) -> None:
    intro = introduction_create(
        mentorship=mentorship, by=mentor, colleague=outsider, note="Olga runs design reviews"
    )
    send_outbox()
    assert [e.to for e in mail.outbox] == [[outsider.email]]
    assert mentee.email not in mail.outbox[0].body
    introduction_answer(introduction=intro, by=outsider, accept=True)
    send_outbox()
    connected = {e.to[0]: e.body for e in mail.outbox[1:]}
    assert outsider.email in connected[mentee.email] and mentee.email in connected[outsider.email]
    assert mentor.email in connected  # told of the answer


def test_a_declined_introduction_tells_the_mentor_only(
    mentorship: Mentorship, mentee: Person, mentor: Person, outsider: Person
) -> None:
    intro = introduction_create(mentorship=mentorship, by=mentor, colleague=outsider, note="Hi")
    introduction_answer(introduction=intro, by=outsider, accept=False)
    send_outbox()
    assert mentee.email not in [e.to[0] for e in mail.outbox]


def test_only_the_mentor_introduces_and_only_the_colleague_answers(
    mentorship: Mentorship, mentee: Person, mentor: Person, outsider: Person
) -> None:
    with pytest.raises(PermissionDenied):
        introduction_create(mentorship=mentorship, by=mentee, colleague=outsider, note="Hi")
    intro = introduction_create(mentorship=mentorship, by=mentor, colleague=outsider, note="Hi")
    with pytest.raises(PermissionDenied):
        introduction_answer(introduction=intro, by=mentee, accept=True)
    with pytest.raises(ValidationError, match="already asked"):
        introduction_create(mentorship=mentorship, by=mentor, colleague=outsider, note="Again")


def test_the_colleague_sees_the_note_not_the_mentorship(
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
    outsider: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    goal_create(mentorship=mentorship, by=mentee, description="Secret goal about promotion")
    intro = introduction_create(
        mentorship=mentorship, by=mentor, colleague=outsider, note="Talk about design"
    )
    page = client_for(outsider).get(f"/mentorships/introductions/{intro.pk}/").content.decode()
    assert "Talk about design" in page and "Secret goal" not in page
    assert client_for(outsider).get(mentorship.get_absolute_url()).status_code == 404
    assert client_for(mentee).get(f"/mentorships/introductions/{intro.pk}/").status_code == 404
    client_for(outsider).post(f"/mentorships/introductions/{intro.pk}/", {"answer": "accept"})
    intro.refresh_from_db()
    assert intro.status == "accepted"
    workspace = client_for(mentee).get(mentorship.get_absolute_url()).content.decode()
    assert "Olga Outsider" in workspace and "connected by email" in workspace


def test_after_introducing_the_mentor_sees_it_asked_and_waiting_on_the_workspace(
    mentorship: Mentorship, mentor: Person, outsider: Person
) -> None:
    client = Client()
    client.force_login(mentor.user)
    response = client.post(
        f"/mentorships/{mentorship.pk}/introduce/",
        {"colleague": outsider.email, "note": "Olga runs design reviews"},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#feedback")
    assert f"Asked {outsider.full_name}. Once they accept" in page
    assert "waiting for their answer" in page
