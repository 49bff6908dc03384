"""Action items in the JSON API: a due date before the mentorship started is refused with 422,
naming the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.actions.services import DUE_BEFORE_START
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_due_date_before_the_mentorship_started_is_refused_with_422_naming_the_field(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    response = client_for(mentee).post(
        f"/api/v1/mentorships/{mentorship.pk}/action-items",
        {"title": "Draft the RFC", "owner": mentee.employee_id, "due_on": "1999-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    start = timezone.localdate(mentorship.started_at)
    assert response.json()["errors"] == {"due_on": [DUE_BEFORE_START.format(start=start)]}
    assert "due date" in response.json()["detail"]
    assert not mentorship.action_items.exists()
