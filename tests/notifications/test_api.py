"""Notifications in the API: your own list, read marks and choices."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.notifications import services
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_list_counts_unread_and_marks_read(
    mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    note = services.notify(user=mentee.user, kind="thank_you", key="k", title="Thanks")
    assert note is not None
    client = client_for(mentee)
    assert client.get("/api/v1/notifications").json()["unread"] == 1
    client.post(f"/api/v1/notifications/{note.pk}/read", {}, content_type="application/json")
    assert client.get("/api/v1/notifications?unread_only=true").json() == {
        "unread": 0, "items": [],
    }  # fmt: skip


def test_a_bad_choice_changes_nothing(
    mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    response = client_for(mentee).put(
        "/api/v1/notifications/preferences",
        [{"kind": "thank_you", "channel": "off"}, {"kind": "feedback", "channel": "loud"}],
        content_type="application/json",
    )
    assert response.status_code == 422 and "loud" in response.json()["detail"]
    assert services.preferences_of(mentee.user)["thank_you"] == "email"
