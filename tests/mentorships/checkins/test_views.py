"""The check-in, feedback and thank-you pages, and the workspace section."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from mentorbridge.mentorships.checkins.models import CheckIn
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

ANSWERS = {
    "satisfaction": "2", "satisfaction_visibility": "team", "progress": "3",
    "progress_visibility": "other", "working": "no", "working_visibility": "stats",
    "text": "We keep cancelling", "text_visibility": "team",
}  # fmt: skip


def test_the_workspace_asks_for_the_check_in_when_due(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    with time_machine.travel(mentorship.started_at + datetime.timedelta(days=30)):
        page = client_for(mentee).get(mentorship.get_absolute_url()).content.decode()
    assert "Your check-in is due" in page and "Check in now" in page


def test_a_check_in_is_saved_with_who_reads_each_answer(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    with time_machine.travel(mentorship.started_at + datetime.timedelta(days=31)):
        client = client_for(mentee)
        form = client.get(f"/mentorships/{mentorship.pk}/check-in/").content.decode()
        assert 'value="scheduled-1"' in form
        response = client.post(
            f"/mentorships/{mentorship.pk}/check-in/", {**ANSWERS, "occasion": "scheduled-1"}
        )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.working, checkin.working_visibility) == ("no", "stats")


def test_a_check_in_without_answers_keeps_the_form_and_says_what_is_missing(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    response = client_for(mentee).post(
        f"/mentorships/{mentorship.pk}/check-in/", {"occasion": "extra-2026-01-01"}
    )
    assert response.status_code == 400 and not CheckIn.objects.exists()


def test_the_other_person_sees_only_what_was_shared(
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    today = datetime.date.today().isoformat()
    client_for(mentee).post(
        f"/mentorships/{mentorship.pk}/check-in/", {**ANSWERS, "occasion": f"extra-{today}"}
    )
    page = client_for(mentor).get(mentorship.get_absolute_url()).content.decode()
    assert "progress 3/5" in page
    assert "satisfaction 2/5" not in page and "We keep cancelling" not in page


def test_feedback_and_thanks_show_in_the_workspace(
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    client = client_for(mentee)
    client.post(f"/mentorships/{mentorship.pk}/feedback/", {"going_well": "Clear advice"})
    client.post(f"/mentorships/{mentorship.pk}/thanks/", {"message": "Thank you, Max"})
    page = client_for(mentor).get(mentorship.get_absolute_url()).content.decode()
    assert "Clear advice" in page and "Thank you, Max" in page and "Show on my profile" in page


def test_a_shown_thank_you_note_is_on_the_profile(
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
    outsider: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    client_for(mentee).post(f"/mentorships/{mentorship.pk}/thanks/", {"message": "Thank you"})
    note = mentor.thanks_received.get()
    client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/thanks/{note.pk}/display/", {"on_profile": "on"}
    )
    page = client_for(outsider).get(mentor.get_absolute_url()).content.decode()
    assert "Thank-you notes" in page and "— Mia Mentee" in page


def test_after_a_held_meeting_each_person_rates_it_once(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    from django.utils import timezone

    from mentorbridge.mentorships.meetings.models import Meeting

    meeting = Meeting.objects.create(
        mentorship=mentorship, starts_at=timezone.now() - datetime.timedelta(days=1),
        minutes=30, channel="phone", status="held", planned_by=mentee,
    )  # fmt: skip
    client = client_for(mentee)
    page = client.get(mentorship.get_absolute_url()).content.decode()
    assert f"?occasion=meeting-{meeting.pk}" in page
    response = client.post(
        f"/mentorships/{mentorship.pk}/check-in/",
        {**ANSWERS, "occasion": f"meeting-{meeting.pk}"},
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().occasion == f"meeting-{meeting.pk}"
    assert (
        f"?occasion=meeting-{meeting.pk}"
        not in client.get(mentorship.get_absolute_url()).content.decode()
    )


def test_a_check_in_sent_twice_is_saved_once_and_the_second_says_already(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    with time_machine.travel(mentorship.started_at + datetime.timedelta(days=31)):
        client = client_for(mentee)
        url = f"/mentorships/{mentorship.pk}/check-in/"
        answers = [client.post(url, {**ANSWERS, "occasion": "scheduled-1"}) for _ in range(2)]
        assert [a.status_code for a in answers] == [302, 302]
        page = client.get(answers[1]["Location"]).content.decode()
    assert "You already checked in for" in page
    assert CheckIn.objects.count() == 1


def test_a_refused_check_in_names_each_missing_answer_above_the_form_with_a_link_to_it(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    chosen = {f"{q}_visibility": "team" for q in ("satisfaction", "progress", "working", "text")}
    response = client_for(mentee).post(f"/mentorships/{mentorship.pk}/check-in/", chosen)
    html = response.content.decode()
    summary = html[html.index('<div class="form-errors error-summary">') :]
    summary = summary[: summary.index("</div>")]
    assert "Not saved yet. Please check these 3 fields:" in summary
    links = re.findall(r'<li><a href="#([\w-]+)">([^<]+)</a></li>', summary)
    assert len(links) == 3 and links[0][1].startswith("How satisfied are you")
    for anchor, _ in links:  # each link lands on the question's first input
        assert f'id="{anchor}"' in html
