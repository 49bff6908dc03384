"""The demo's mentorships: several stages of a lived-in workspace, seeded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from mentorbridge.accounts.models import User
from mentorbridge.mentorships.agreements.selectors import AgreementStage, agreement_state
from mentorbridge.mentorships.goals.models import Goal, GoalEvent, GoalReview
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_demo_shows_mentorships_in_several_stages_and_seeds_them_once(
    demo_organisation: None,
) -> None:
    program = Program.objects.get(slug="engineering-growth")
    mentorships = list(Mentorship.objects.filter(program=program).order_by("started_at"))
    # with the paused pair of demo/keeping_alive.py and the group of demo/groups.py
    assert len(mentorships) == 7
    stages = [agreement_state(m).stage for m in mentorships]
    assert stages.count(AgreementStage.NONE) == 1
    assert stages.count(AgreementStage.AWAITING) == 1
    assert [m.status for m in mentorships].count("ended") == 1
    maria = Mentorship.objects.get(mentor__user__email__startswith="maria.keller")
    assert agreement_state(maria).stage is AgreementStage.CONFIRMED
    assert GoalReview.objects.filter(mentorship=maria).count() == 1
    assert Goal.objects.filter(mentorship=maria, milestones__done_on__isnull=False).exists()
    counts = (Mentorship.objects.count(), GoalEvent.objects.count())
    call_command("seed_demo")
    assert (Mentorship.objects.count(), GoalEvent.objects.count()) == counts
    client = Client()
    client.force_login(User.objects.get(email__startswith="maria.keller"))
    page = client.get(f"/mentorships/{maria.pk}/").content.decode()
    assert "In force · version 2" in page and "Build a network beyond my own team" not in page
    assert "Meet two people from other departments each month" in page
