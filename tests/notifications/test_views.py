"""The bell, the list, choices per kind and the unsubscribe page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.notifications import services
from mentorbridge.notifications.models import Channel, Notification
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _note(person: Person, key: str = "k") -> Notification:
    found = services.notify(
        user=person.user, kind="thank_you", key=key, title="Max thanked you", url="/people/"
    )
    assert found is not None
    return found


def test_the_bell_shows_the_unread_count(
    mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    _note(mentee, "a")
    _note(mentee, "b")
    page = client_for(mentee).get("/programs/").content.decode()
    assert 'aria-label="Notifications, 2 unread"' in page


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(
    mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    note = _note(mentee)
    response = client_for(mentee).get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/people/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_not_found(
    mentee: Person, mentor: Person, client_for: Callable[[Person | None], Client]
) -> None:
    note = _note(mentee)
    assert client_for(mentor).get(f"/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_the_empty_list_says_what_comes_here(
    mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    page = client_for(mentee).get("/notifications/").content.decode()
    assert "Nothing yet" in page and "My mentoring" in page


def test_mark_all_read(mentee: Person, client_for: Callable[[Person | None], Client]) -> None:
    _note(mentee)
    client_for(mentee).post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_choices_are_saved_per_kind(
    mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    data = {kind: "email" for kind in services.preferences_of(mentee.user)}
    data["thank_you"] = "digest"
    response = client_for(mentee).post("/notifications/preferences/", data)
    assert response.status_code == 302
    assert services.preferences_of(mentee.user)["thank_you"] == Channel.DIGEST


def test_one_click_unsubscribe_works_without_signing_in(mentee: Person) -> None:
    token = services.unsubscribe_token(mentee.user.pk, "thank_you")
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200 and "Stop the emails about" in page.content.decode()
    assert services.preferences_of(mentee.user)["thank_you"] == Channel.EMAIL  # GET changes nothing
    response = anonymous.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200 and "no more emails" in response.content.decode()
    assert services.preferences_of(mentee.user)["thank_you"] == Channel.IN_APP


def test_a_broken_unsubscribe_link_says_so(db: None) -> None:
    response = Client().get("/notifications/unsubscribe/nonsense/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
