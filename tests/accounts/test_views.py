"""Signing in by work email, and personal API tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.accounts.models import ApiToken
from mentorbridge.people.models import Person
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_people_sign_in_with_their_email_in_any_case(mentee: Person) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "MIA@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_says_what_to_check(mentee: Person) -> None:
    response = Client().post("/accounts/login/", {"username": "mia@example.com", "password": "x"})
    assert b"don&#x27;t match an account" in response.content


def test_a_switched_off_account_cannot_sign_in(mentee: Person) -> None:
    mentee.user.is_active = False
    mentee.user.save()
    response = Client().post(
        "/accounts/login/", {"username": "mia@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get("/people/")
    assert response["Location"] == "/accounts/login/?next=/people/"


def test_a_new_token_is_shown_once_and_works_for_the_api(
    client_for: Callable[[Person | None], Client], mentee: Person
) -> None:
    page = client_for(mentee).post("/accounts/tokens/", {"name": "script"})
    token = page.context["new_token"]
    assert token.startswith("mb_") and token.encode() in page.content
    assert token.encode() not in client_for(mentee).get("/accounts/tokens/").content
    stored = ApiToken.objects.get()
    assert stored.key_hash != token
    api = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and api.json()["employee_id"] == mentee.employee_id


def test_a_revoked_token_stops_working(
    client_for: Callable[[Person | None], Client], mentee: Person
) -> None:
    token = client_for(mentee).post("/accounts/tokens/", {"name": "script"}).context["new_token"]
    client_for(mentee).post(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_nobody_can_revoke_someone_elses_token(
    client_for: Callable[[Person | None], Client], mentee: Person, outsider: Person
) -> None:
    client_for(mentee).post("/accounts/tokens/", {"name": "script"})
    response = client_for(outsider).post(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.count() == 1
