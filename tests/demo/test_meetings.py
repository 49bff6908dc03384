"""The demo's meetings: a lived-in history for Maria's pair, two missed in a row for the
pair whose review is due, a first meeting for the pair still agreeing; seeded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from mentorbridge.accounts.models import User
from mentorbridge.mentorships.actions.selectors import open_action_items, overdue_action_items
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.meetings.selectors import missed_in_a_row, next_meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes.models import PrivateNote
from mentorbridge.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_meetings_in_every_stage_and_seeds_them_once(demo_organisation: None) -> None:
    maria = Mentorship.objects.get(mentor__user__email__startswith="maria.keller")
    assert next_meeting(maria) is not None
    assert maria.meetings.filter(status="held").count() == 6
    assert open_action_items(maria).count() == 2
    assert overdue_action_items(maria).count() == 1
    assert PrivateNote.objects.filter(meeting__mentorship=maria).count() == 6
    assert max(missed_in_a_row(m) for m in Mentorship.objects.all()) == 2
    assert (
        not OutboxMessage.objects.filter(
            key__startswith="meeting:", to=maria.mentor.user.email
        ).exists()
        or next_meeting(maria) is not None
    )
    count = Meeting.objects.count()
    call_command("seed_demo")
    assert Meeting.objects.count() == count
    client = Client()
    client.force_login(User.objects.get(email__startswith="maria.keller"))
    page = client.get(f"/mentorships/{maria.pk}/").content.decode()
    assert "Prepare for" in page and "Overdue" in page
