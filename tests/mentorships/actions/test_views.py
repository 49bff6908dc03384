"""Adding an action item from a meeting's page: refused, the page comes back with the errors
by their fields and everything typed kept; without a meeting, the reasons on the mentorship
page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _held(mentorship: Mentorship, by: Person) -> Meeting:
    return meetings.meeting_log(
        mentorship=mentorship, by=by, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )


def _error(page: str, field: str) -> str:
    """The error shown by the action-item form's field ``field`` (empty for none)."""
    found = re.search(rf'<small class="errorlist" id="action-{field}_error"[^>]*>([^<]*)<', page)
    return found[1] if found else ""


def _selected_owner(page: str) -> str:
    select = re.search(r'<select id="action-owner".*?</select>', page, re.S)
    assert select, "no owner choice on the page"
    found = re.search(r'<option value="(\d+)" selected>', select[0])
    return found[1] if found else ""


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("", "Say in a few words what is to be done."),
        ("R" * 422, "Ensure this value has at most 300 characters (it has 422)."),
    ],
)
def test_a_refused_item_shows_the_meeting_page_again_with_the_error_by_its_field_and_the_input_kept(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
    mentor: Person, title: str, said: str,
) -> None:  # fmt: skip
    meeting = _held(mentorship, mentee)
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/actions/",
        {"title": title, "owner": mentee.pk, "due_on": due.isoformat(), "meeting": meeting.pk},
    )
    assert response.status_code == 400
    assert response.templates[0].name == "mentorships/meetings/detail.html"
    page = response.content.decode()
    assert _error(page, "title") == said
    assert _error(page, "owner") == _error(page, "due_on") == ""
    assert f'name="title" value="{title}"' in page if title else 'name="title" ' in page
    assert _selected_owner(page) == str(mentee.pk)  # not the viewer, who is preselected
    assert f'value="{due.isoformat()}"' in page
    assert not mentorship.action_items.exists()


def test_a_due_date_before_the_mentorship_started_is_refused_by_the_due_field(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentor: Person
) -> None:
    meeting = _held(mentorship, mentor)
    response = client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/actions/",
        {"title": "Draft the RFC", "owner": mentor.pk, "due_on": "1999-01-01",
         "meeting": meeting.pk},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    start = timezone.localdate(mentorship.started_at)
    assert _error(page, "due_on") == (
        f"The due date is before the mentorship started: pick {start:%-d %b %Y} or later."
    )
    assert 'value="Draft the RFC"' in page and 'value="1999-01-01"' in page
    assert f'min="{start.isoformat()}"' in page
    assert not mentorship.action_items.exists()


def test_a_meeting_page_offers_the_form_with_the_viewer_as_owner_and_no_errors(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentor: Person
) -> None:
    meeting = _held(mentorship, mentor)
    page = client_for(mentor).get(f"/mentorships/{mentorship.pk}/meetings/{meeting.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert _selected_owner(text) == str(mentor.pk)
    assert 'class="errorlist"' not in text


def test_an_added_item_goes_back_to_its_meeting(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
    mentor: Person,
) -> None:  # fmt: skip
    meeting = _held(mentorship, mentee)
    response = client_for(mentor).post(
        f"/mentorships/{mentorship.pk}/actions/",
        {"title": "Draft the RFC", "owner": mentee.pk, "meeting": meeting.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/mentorships/{mentorship.pk}/meetings/{meeting.pk}/#actions"
    assert mentorship.action_items.get().title == "Draft the RFC"


def test_a_refused_item_without_a_meeting_says_why_on_the_mentorship_page(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    response = client_for(mentee).post(
        f"/mentorships/{mentorship.pk}/actions/",
        {"title": "Draft the RFC", "owner": mentee.pk, "due_on": "1999-01-01"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/mentorships/{mentorship.pk}/#meetings", 302)]
    assert "Due: The due date is before the mentorship started" in response.content.decode()
    assert not mentorship.action_items.exists()
