"""The demo shows every health state with its reasons, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from mentorbridge.accounts.models import User
from mentorbridge.mentorships.checkins.models import CheckIn
from mentorbridge.mentorships.health.selectors import program_health
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_demo_program_has_mentorships_in_every_health_state(demo_organisation: None) -> None:
    program = Program.objects.get(slug="engineering-growth")
    found = program_health(program)
    assert all(found.counts[state] >= 1 for state in ("on_track", "needs_attention", "at_risk"))
    assert found.counts["paused"] == 1
    # The headline adds up: the states of the active mentorships sum to how many are active.
    states = ("on_track", "needs_attention", "at_risk")
    assert sum(found.counts[state] for state in states) == found.total
    reasons = [r.text for row in found.rows for r in row.health.reasons]
    assert "2 meetings missed in a row." in reasons
    assert "A check-in rated satisfaction 2 out of 5." in reasons
    count = CheckIn.objects.count()
    call_command("seed_demo")
    assert CheckIn.objects.count() == count
    client = Client()
    client.force_login(User.objects.get(email__startswith="priya.raman"))
    page = client.get("/programs/engineering-growth/health/").content.decode()
    assert "At risk" in page and "Needs attention" in page
