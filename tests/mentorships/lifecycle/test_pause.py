"""Pause: on the resume date the person who paused is asked (in the app and by email, with a
one-click resume now / extend the pause); nobody answering within a week resumes it. The
signed links work without signing in, only for that pause, and change nothing on GET."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.test import Client

from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep
from mentorbridge.mentorships.lifecycle.services import (
    RESUME,
    mentorship_pause,
    mentorship_resume,
    pause_answer_url,
)
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.notifications.models import Channel, Notification
from mentorbridge.notifications.services import preference_set
from mentorbridge.people.models import Person
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def _at(days: int) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


@pytest.fixture
def paused(mentorship: Mentorship, mentee: Person) -> Mentorship:
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=START)
    with time_machine.travel(_at(10), tick=False):
        return mentorship_pause(
            mentorship=mentorship, by=mentee, reason="Parental leave", resume_on=_at(20).date()
        )


def _sweep(days: int) -> None:
    with time_machine.travel(_at(days), tick=False):
        nudges_sweep()
        send_outbox()


def _links(person: Person) -> dict[str, str]:
    """The email's choices, by label (plain-text part)."""
    [email] = [e for e in mail.outbox if e.to == [person.email] and "resume now" in e.subject]
    return {
        label: url.split("testserver")[-1].split("example.com")[-1]
        for label, url in re.findall(r"^(Resume now|Extend the pause): (\S+)$", email.body, re.M)
    }


def test_on_the_resume_date_only_the_person_who_paused_is_asked_once(
    paused: Mentorship, mentee: Person, mentor: Person
) -> None:
    _sweep(20)
    _sweep(21)
    asked = [e for e in mail.outbox if "resume now" in e.subject]
    assert [e.to for e in asked] == [[mentee.email]]
    html = asked[0].alternatives[0][0]  # type: ignore[index]
    assert "Resume now" in html and "Extend the pause" in html
    assert set(_links(mentee)) == {"Resume now", "Extend the pause"}
    assert not Notification.objects.filter(recipient=mentor.user, kind="resume_or_extend")
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.PAUSED


def test_resume_now_from_the_email_without_signing_in(
    paused: Mentorship, mentee: Person, mentor: Person
) -> None:
    _sweep(20)
    url = _links(mentee)["Resume now"]
    with time_machine.travel(_at(21), tick=False):
        page = Client().get(url)
        paused.refresh_from_db()
        assert page.status_code == 200 and paused.status == MentorshipStatus.PAUSED
        done = Client().post(url, {"choice": "resume"})
    assert "Resumed" in done.content.decode()
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.ACTIVE and paused.resume_asked_on is None
    assert Notification.objects.filter(
        recipient=mentor.user, kind="paused", title__contains="resumed"
    )
    with time_machine.travel(_at(22), tick=False):
        again = Client().post(url, {"choice": "resume"})
    assert "earlier pause" in again.content.decode()
    with time_machine.travel(_at(60), tick=False):
        expired = Client().get(url)
    assert expired.status_code == 400 and "expired" in expired.content.decode()


def test_extend_the_pause_from_the_email_asks_again_on_the_new_date(
    paused: Mentorship, mentee: Person, mentor: Person
) -> None:
    _sweep(20)
    url = _links(mentee)["Extend the pause"]
    with time_machine.travel(_at(21), tick=False):
        bad = Client().post(url, {"choice": "extend", "resume_on": _at(15).date().isoformat()})
        assert bad.status_code == 400 and "after today" in bad.content.decode()
        Client().post(url, {"choice": "extend", "resume_on": _at(35).date().isoformat()})
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.PAUSED and paused.resume_on == _at(35).date()
    assert paused.resume_asked_on is None
    assert Notification.objects.filter(recipient=mentor.user, title__contains="extended")
    _sweep(28)
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.PAUSED  # the first question's week is forgotten
    _sweep(35)
    assert Notification.objects.filter(recipient=mentee.user, kind="resume_or_extend").count() == 2


def test_nobody_answering_resumes_it_a_week_later_even_with_the_question_turned_off(
    paused: Mentorship, mentee: Person
) -> None:
    preference_set(user=mentee.user, kind="resume_or_extend", channel=Channel.OFF)
    _sweep(20)
    assert not [e for e in mail.outbox if "resume now" in e.subject]
    _sweep(26)
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.PAUSED
    _sweep(27)
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.ACTIVE


def test_a_forged_or_foreign_link_changes_nothing(
    paused: Mentorship, mentee: Person, outsider: Person
) -> None:
    url = pause_answer_url(paused, mentee, RESUME)
    assert Client().post(url[:-3] + "xx/", {"choice": "resume"}).status_code == 400
    foreign = pause_answer_url(paused, outsider, RESUME)
    assert Client().post(foreign, {"choice": "resume"}).status_code == 400
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.PAUSED


def test_a_link_from_an_earlier_pause_is_out_of_date(paused: Mentorship, mentee: Person) -> None:
    url = pause_answer_url(paused, mentee, RESUME)
    mentorship_resume(mentorship=paused, by=mentee)
    with time_machine.travel(_at(12), tick=False):
        mentorship_pause(mentorship=paused, by=mentee, reason="Again", resume_on=_at(30).date())
        response = Client().post(url, {"choice": "resume"})
    assert "earlier pause" in response.content.decode()
    paused.refresh_from_db()
    assert paused.status == MentorshipStatus.PAUSED


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_either_person_extends_from_the_workspace(
    paused: Mentorship, who: str, request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
) -> None:  # fmt: skip
    person = request.getfixturevalue(who)
    client = client_for(person)
    with time_machine.travel(_at(15), tick=False):
        assert "Extend the pause" in client.get(paused.get_absolute_url()).content.decode()
        response = client.post(
            f"/mentorships/{paused.pk}/pause/", {"resume_on": _at(40).date().isoformat()}
        )
    assert response.status_code == 302
    paused.refresh_from_db()
    assert paused.resume_on == _at(40).date()


@pytest.mark.parametrize("who", ["outsider", "program_admin", None])
def test_others_cannot_extend_a_pause(
    paused: Mentorship, who: str | None, request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
) -> None:  # fmt: skip
    person = request.getfixturevalue(who) if who else None
    with time_machine.travel(_at(15), tick=False):
        response = client_for(person).post(
            f"/mentorships/{paused.pk}/pause/", {"resume_on": _at(40).date().isoformat()}
        )
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    paused.refresh_from_db()
    assert paused.resume_on == _at(20).date()


def test_the_api_extends_a_pause_for_participants_only(
    paused: Mentorship, mentor: Person, outsider: Person,
    client_for: Callable[[Person | None], Client],
) -> None:  # fmt: skip
    url = f"/api/v1/mentorships/{paused.pk}/extend-pause"
    body = {"resume_on": _at(40).date().isoformat()}
    with time_machine.travel(_at(15), tick=False):
        refused = client_for(outsider).post(url, body, content_type="application/json")
        done = client_for(mentor).post(url, body, content_type="application/json")
    assert refused.status_code == 404
    assert done.status_code == 200 and done.json()["resume_on"] == body["resume_on"]


def test_the_workspace_tells_who_paused_that_they_are_asked_and_the_other_who_is(
    paused: Mentorship,
    mentee: Person,
    mentor: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    import html

    def page(person: Person) -> str:
        with time_machine.travel(_at(12), tick=False):
            body = client_for(person).get(f"/mentorships/{paused.pk}/").content.decode()
        return " ".join(html.unescape(body).split())

    own = page(mentee)
    assert "by you: “Parental leave”" in own
    assert "On that day you are asked to resume or extend the pause" in own
    other = page(mentor)
    assert "by Mia: “Parental leave”" in other
    assert "On that day Mia is asked to resume or extend the pause" in other
