"""Pause and resume, the closure survey, closing at the end date, the early end's note and
rematch, the history, and paying it forward."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.lifecycle.selectors import alumni_who_mentor, history_of
from mentorbridge.mentorships.lifecycle.services import (
    closure_survey_submit,
    mentorship_complete,
    mentorship_pause,
    mentorship_resume,
)
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.mentorships.services import places_taken
from mentorbridge.notifications.models import Notification
from mentorbridge.people.models import Person
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _pause(m: Mentorship, by: Person, days: int = 14) -> Mentorship:
    return mentorship_pause(
        mentorship=m, by=by, reason="Parental leave",
        resume_on=timezone.localdate() + datetime.timedelta(days=days),
    )  # fmt: skip


def test_a_pause_tells_the_other_person_and_still_holds_the_place(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    paused = _pause(mentorship, mentee)
    assert paused.status == MentorshipStatus.PAUSED
    assert places_taken(mentorship.program, mentor) == 1
    note = Notification.objects.get(recipient=mentor.user)
    assert note.title.startswith("Mia Mentee paused your mentorship until")
    assert note.body == "Why: Parental leave"


def test_a_pause_needs_a_reason_and_a_date_ahead(mentorship: Mentorship, mentee: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        mentorship_pause(
            mentorship=mentorship, by=mentee, reason=" ", resume_on=timezone.localdate()
        )
    assert set(caught.value.message_dict) == {"reason", "resume_on"}


def test_resuming_tells_the_other_person(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    _pause(mentorship, mentee)
    resumed = mentorship_resume(mentorship=mentorship, by=mentor)
    assert resumed.status == MentorshipStatus.ACTIVE
    assert Notification.objects.filter(recipient=mentee.user, kind="paused").count() == 1


def test_one_closure_survey_per_person(mentorship: Mentorship, mentee: Person) -> None:
    answers = {"goals_reached": "partly", "would_recommend": "yes", "overall": 4}
    closure_survey_submit(mentorship=mentorship, by=mentee, **answers)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="already answered"):
        closure_survey_submit(mentorship=mentorship, by=mentee, **answers)  # type: ignore[arg-type]


def test_completing_invites_the_mentee_to_mentor_and_counts_alumni(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    mentorship.program.status = "enrolling"
    mentorship.program.save(update_fields=["status"])
    ProgramFactory(name="Reverse Mentoring", slug="reverse-mentoring", status="enrolling")
    mentorship_complete(mentorship=mentorship, ends_on=timezone.localdate())
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED and not mentorship.ended_early
    invite = Notification.objects.get(recipient=mentee.user, kind="pay_it_forward")
    # Not Engineering Growth: Mia is enrolled there already (joining again is refused).
    assert invite.url == "/programs/reverse-mentoring/join/?role=mentor"
    form = client_for(mentee).get(invite.url).content.decode()
    assert 'value="mentor" checked' in form or 'value="mentor"\n' in form or "checked" in form
    assert alumni_who_mentor(mentorship.program) == {"alumni": 1, "mentoring": 0}


def test_ending_early_keeps_a_private_note_and_offers_other_mentors(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    response = client_for(mentee).post(
        f"/mentoring/mentorships/{mentorship.pk}/end/",
        {"reason": "Different expectations", "early": "on", "team_note": "Never showed up"},
    )
    area = mentorship.focus_area_id
    assert response["Location"] == f"/programs/engineering-growth/find/{area}/"
    mentorship.refresh_from_db()
    assert mentorship.team_note == "Never showed up" and mentorship.ended_early
    assert not Notification.objects.filter(kind="pay_it_forward").exists()


def test_the_history_lists_every_mentorship_with_goals_reached(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    [line] = history_of(mentee)
    assert (line.role, line.other, line.goals_set) == ("mentee", mentorship.mentor, 0)
    page = client_for(mentee).get(mentee.get_absolute_url()).content.decode()
    assert "Your mentorships" in page and "Mentored by Max Mentor" in page
    other = client_for(mentorship.mentor).get(mentee.get_absolute_url()).content.decode()
    assert "Your mentorships" not in other
