"""Guessing passwords and API tokens is slowed down, and people are told what happened."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.test import Client

from mentorbridge.accounts.services import api_token_create
from mentorbridge.people.models import Person
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(password: str, email: str = "mia@example.com", ip: str = "10.0.0.1") -> object:
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": email, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused_and_the_page_says_when(
    mentee: Person,
) -> None:
    for _ in range(4):
        assert sign_in("wrong").status_code == 200
    assert sign_in("wrong").status_code == 429  # the fifth: paused, and told so
    response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    text = response.content.decode()
    assert "Too many wrong passwords for mia@example.com from your network" in text
    assert "Try again in 15 minutes" in text
    assert 'name="username"' in text  # the form is still there, for later


def test_the_email_counts_in_any_case(mentee: Person) -> None:
    for email in (
        "MIA@example.com",
        "mia@EXAMPLE.com",
        "Mia@Example.com",
        "mia@example.com",
        "MIA@EXAMPLE.COM",
    ):
        sign_in("wrong", email=email)
    assert sign_in(PASSWORD).status_code == 429


def test_the_lockout_is_for_this_email_from_this_address_only(mentee: Person) -> None:
    for _ in range(5):
        sign_in("wrong", ip="10.0.0.66")
    assert sign_in(PASSWORD, ip="10.0.0.66").status_code == 429
    assert sign_in(PASSWORD, ip="10.0.0.2").status_code == 302


def test_signing_in_again_works_once_the_pause_is_over(mentee: Person) -> None:
    for _ in range(5):
        sign_in("wrong")
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert sign_in(PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_earlier_mistakes(mentee: Person) -> None:
    for _ in range(4):
        sign_in("wrong")
    assert sign_in(PASSWORD).status_code == 302
    for _ in range(4):
        sign_in("wrong")
    assert sign_in(PASSWORD).status_code == 302


def test_unknown_api_tokens_from_one_address_are_paused_with_retry_after(
    mentee: Person, settings: pytest.FixtureRequest
) -> None:
    settings.TOKEN_FAILURE_LIMIT = 3
    good = api_token_create(user=mentee.user, name="script")
    guesser = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(3):
        response = guesser.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer mb_invented{n}")
        assert response.status_code == 401
    paused = guesser.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer mb_invented")
    assert paused.status_code == 429
    assert 0 < int(paused["Retry-After"]) <= settings.TOKEN_FAILURE_WINDOW
    assert "token sign-in is paused" in paused.json()["detail"]
    # Even a real token waits from that address; other addresses are not affected.
    assert guesser.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.10")
    assert other.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(
    mentee: Person, settings: pytest.FixtureRequest
) -> None:
    settings.TOKEN_FAILURE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    proxy.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer mb_x", HTTP_X_FORWARDED_FOR="1.2.3.4")
    blocked = proxy.get(
        "/api/v1/me", HTTP_AUTHORIZATION="Bearer mb_x", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert blocked.status_code == 429
    fine = proxy.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer mb_x", HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert fine.status_code == 401


def test_new_passwords_are_hashed_with_argon2_and_old_hashes_upgrade_on_sign_in(
    mentee: Person, settings: pytest.FixtureRequest
) -> None:
    from django.conf import settings as live

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert live.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = mentee.user
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert sign_in(PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2")


def test_a_forwarded_for_header_that_is_no_address_counts_the_connections_address(
    mentee: Person, settings: pytest.FixtureRequest
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(2):
        response = client.post(
            "/accounts/login/",
            {"username": "mia@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="garbage, not-an-ip",
        )
        assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.9"
