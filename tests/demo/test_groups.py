"""The demo's group mentorship: one mentor and three mentees, everyone confirmed the
agreement, meetings held with each mentee's agenda items and a series planned ahead; seeded
once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from mentorbridge.mentorships.access import mentees
from mentorbridge.mentorships.agreements.selectors import AgreementStage, agreement_state
from mentorbridge.mentorships.models import Mentorship, MentorshipMember

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_lived_in_group_and_seeds_it_once(demo_organisation: None) -> None:
    (group,) = Mentorship.objects.filter(members__isnull=False).distinct()
    assert len(mentees(group)) == 3
    assert agreement_state(group).stage is AgreementStage.CONFIRMED
    assert group.meetings.filter(status="held").count() == 3
    planned = group.meetings.filter(status="planned")
    assert planned.count() == 3 and len({m.series for m in planned}) == 1
    authors = set(group.meetings.values_list("agenda_items__author_id", flat=True))
    assert {p.pk for p in mentees(group)} <= authors
    call_command("seed_demo")
    assert MentorshipMember.objects.count() == 2
    client = Client()
    client.force_login(group.group_members[0].person.user)
    page = client.get(f"/mentorships/{group.pk}/").content.decode()
    assert "The group (4 people)" in page and "Prepare for" in page
