"""One-time links to set a password (first sign-in, forgotten password, invitation) and
changing a password. Emails go through the task queue; the links are Django's own tokens."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.staticfiles import finders
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorbridge.accounts.models import User
from mentorbridge.accounts.services import PASSWORD_LINK_INTERVAL, password_link_request
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from mentorbridge.programs.services import enrollment_invite
from tests.accounts.queue import run_queued_tasks
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a river of quiet lanterns"
LINK = re.compile(r"http://\S+/accounts/password/set/\S+")


@pytest.fixture
def newcomer(db: None) -> Person:
    """Imported from the HRIS: an account without a password."""
    return PersonFactory(
        first_name="Nia", last_name="Newcomer", user__email="nia@example.com",
        user__password=make_password(None),
    )  # fmt: skip


def ask_for_link(email: str, url: str = "/accounts/first-sign-in/", **extra: str) -> Client:
    client = Client()
    response = client.post(url, {"email": email, **extra})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/link-sent/"
    return client


def emailed_link() -> str:
    """Run the queue and return the set-password link of the one email it sent."""
    run_queued_tasks()
    [message] = mail.outbox
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0).removeprefix("http://127.0.0.1:8000")


def set_password(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    opened = client.get(link)
    assert opened.status_code == 302  # Django moves the token out of the address
    form_url = opened["Location"]
    assert "set-password" in form_url
    return client.post(form_url, {"new_password1": password, "new_password2": password})


# -- first sign-in ----------------------------------------------------------------------------


def test_someone_without_a_password_gets_a_link_sets_one_and_is_signed_in(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("NIA@example.com")
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []  # queued, not sent inline
    link = emailed_link()
    [message] = mail.outbox
    assert message.to == ["nia@example.com"]
    assert message.subject == "Set your MentorBridge password"
    assert "Hello Nia" in message.body and "works once and for 3 days" in message.body
    client = Client()
    page = client.get(client.get(link)["Location"])
    assert b"Set your password" in page.content and b"nia@example.com" in page.content
    done = set_password(client, link)
    assert done["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and home.wsgi_request.user == newcomer.user
    assert "Your password is set" in home.content.decode()
    assert Client().login(username="nia@example.com", password=NEW_PASSWORD)


def test_the_sign_in_forms_send_me_a_link_button_keeps_where_the_person_was_going(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/accounts/first-sign-in/",
            {"username": "nia@example.com", "password": "", "next": "/programs/"},
        )
    assert response["Location"] == "/accounts/password/link-sent/"
    link = emailed_link()
    assert link.endswith("/?next=%2Fprograms%2F")
    assert set_password(Client(), link)["Location"] == "/programs/"


def test_a_link_never_sends_anyone_to_another_site(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com", next="https://evil.example/")
    link = emailed_link()
    assert "evil.example" not in link
    client = Client()
    assert set_password(client, link + "?next=//evil.example/")["Location"] == "/"


def test_the_sign_in_page_offers_forgot_password_and_a_first_sign_in_link(db: None) -> None:
    page = Client().get("/accounts/login/?next=/programs/").content.decode()
    assert 'href="/accounts/password/forgot/?next=/programs/"' in page
    assert 'formaction="/accounts/first-sign-in/"' in page and "Send me a link" in page


def test_a_wrong_password_points_to_the_link(newcomer: Person) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "nia@example.com", "password": "guess"}
    )
    assert "Send me a link" in response.content.decode()


# -- nobody learns who has an account ---------------------------------------------------------


def test_unknown_and_known_addresses_get_the_same_answer(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post("/accounts/password/forgot/", {"email": "nia@example.com"})
        unknown = Client().post("/accounts/password/forgot/", {"email": "who@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = Client().get(known["Location"]).content.decode()
    assert "If that address belongs to a MentorBridge account" in page
    assert DBTaskResult.objects.count() == 1
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["nia@example.com"]]


@pytest.mark.parametrize("switched_off", ["account", "person"])
def test_people_who_are_switched_off_get_no_link(
    newcomer: Person,
    switched_off: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    if switched_off == "account":
        newcomer.user.is_active = False
        newcomer.user.save()
    else:
        newcomer.is_active = False
        newcomer.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com")
    assert DBTaskResult.objects.count() == 0
    assert password_link_request(email="nia@example.com") is False


def test_a_link_stops_working_when_the_person_is_switched_off(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com")
    link = emailed_link()
    User.objects.filter(pk=newcomer.user.pk).update(is_active=False)
    page = Client().get(link)
    assert page.status_code == 200 and b"This link doesn" in page.content


def test_a_switched_off_account_gets_no_email_even_if_queued_before(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com")
    User.objects.filter(pk=newcomer.user.pk).update(is_active=False)
    run_queued_tasks()
    assert mail.outbox == []


def test_an_empty_or_bad_address_says_what_to_type(db: None) -> None:
    empty = Client().post("/accounts/first-sign-in/", {"username": "", "password": ""})
    assert empty.status_code == 200
    assert "Enter your work email, then choose “Send me a link”." in empty.content.decode()
    bad = Client().post("/accounts/password/forgot/", {"email": "nia at example"})
    assert "Enter a whole email address" in bad.content.decode()
    assert DBTaskResult.objects.count() == 0


# -- one email per interval -------------------------------------------------------------------


def test_asking_again_and_again_queues_one_email_per_interval(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            ask_for_link("nia@example.com")
    assert DBTaskResult.objects.count() == 1
    later = timezone.now() + PASSWORD_LINK_INTERVAL + datetime.timedelta(seconds=1)
    with (
        mock.patch("mentorbridge.accounts.services.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ask_for_link("nia@example.com")
        ask_for_link("nia@example.com")
    assert DBTaskResult.objects.count() == 2
    assert run_queued_tasks() == 2 and len(mail.outbox) == 2


# -- links work once and expire ---------------------------------------------------------------


def test_a_link_works_only_once(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com")
    link = emailed_link()
    set_password(Client(), link)
    again = Client().get(link)
    assert again.status_code == 200
    assert b"This link doesn't work any more" in again.content
    assert b"Send me a new link" in again.content


def test_a_link_expires_after_three_days(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com")
    link = emailed_link()
    three_days_on = datetime.datetime.now() + datetime.timedelta(days=3, seconds=5)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=three_days_on):
        page = Client().get(link)
    assert page.status_code == 200 and b"more than" not in page.content
    assert b"This link doesn" in page.content and b"3 days" in page.content
    day_two = datetime.datetime.now() + datetime.timedelta(days=2)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=day_two):
        assert Client().get(link).status_code == 302  # still good before then


def test_a_tampered_link_is_refused(
    newcomer: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("nia@example.com")
    link = emailed_link()
    assert b"This link doesn" in Client().get(link[:-3] + "xx/").content
    assert b"This link doesn" in Client().get("/accounts/password/set/zzz/abc-def/").content


# -- forgotten password -----------------------------------------------------------------------


def test_a_forgotten_password_is_replaced_and_the_old_one_stops_working(
    mentee: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("mia@example.com", url="/accounts/password/forgot/")
    link = emailed_link()
    assert mail.outbox[0].subject == "Choose a new MentorBridge password"
    assert "If you didn't ask for this, ignore this email" in mail.outbox[0].body
    weak = set_password(Client(), link, password="12345678")
    assert weak.status_code == 200
    assert b"This password is entirely numeric" in weak.content
    set_password(Client(), link)
    assert not Client().login(username="mia@example.com", password=PASSWORD)
    assert Client().login(username="mia@example.com", password=NEW_PASSWORD)


def test_signing_in_afterwards_spends_an_unused_link(
    mentee: Person, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link("mia@example.com", url="/accounts/password/forgot/")
    link = emailed_link()
    Client().post("/accounts/login/", {"username": "mia@example.com", "password": PASSWORD})
    assert b"This link doesn" in Client().get(link).content


# -- invitations ------------------------------------------------------------------------------


def test_an_invitation_to_someone_without_a_password_carries_a_link_to_the_join_page(
    program: Program,
    newcomer: Person,
    program_admin: Person,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_invite(
            program=program, people=[newcomer], role="mentee", invited_by=program_admin
        )
    link = emailed_link()
    body = mail.outbox[0].body
    assert "You don't have a MentorBridge password yet" in body and "3 days" in body
    client = Client()
    assert set_password(client, link)["Location"] == "/programs/engineering-growth/join/"
    assert client.get("/programs/engineering-growth/join/").status_code == 200


def test_an_invitation_to_someone_with_a_password_just_links_the_program(
    program: Program,
    outsider: Person,
    program_admin: Person,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_invite(
            program=program, people=[outsider], role="mentee", invited_by=program_admin
        )
    run_queued_tasks()
    [message] = mail.outbox
    assert not LINK.search(message.body)
    assert (
        "Join here (it takes two minutes): http://127.0.0.1:8000/programs/engineering-growth/join/"
        in message.body
    )


# -- changing a password ----------------------------------------------------------------------


def test_a_signed_in_person_changes_their_password_and_stays_signed_in(mentee: Person) -> None:
    client = Client()
    client.force_login(mentee.user)
    page = client.get("/")
    assert 'href="/accounts/password/change/"' in page.content.decode()
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (
        wrong.status_code == 200 and b"Your old password was entered incorrectly" in wrong.content
    )
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and b"Your password is changed" in home.content
    assert Client().login(username="mia@example.com", password=NEW_PASSWORD)


def test_mismatched_new_passwords_are_refused(mentee: Person) -> None:
    client = Client()
    client.force_login(mentee.user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "other words"},
    )
    assert response.status_code == 200 and b"didn" in response.content
    assert Client().login(username="mia@example.com", password=PASSWORD)


def test_an_account_without_a_password_chooses_one_without_the_current_one(
    newcomer: Person,
) -> None:
    client = Client()
    client.force_login(newcomer.user)
    page = client.get("/accounts/password/change/")
    assert b"old_password" not in page.content and b"has no password yet" in page.content
    client.post(
        "/accounts/password/change/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert Client().login(username="nia@example.com", password=NEW_PASSWORD)


# -- who may open what ------------------------------------------------------------------------

PUBLIC = ["/accounts/login/", "/accounts/first-sign-in/", "/accounts/password/forgot/",
          "/accounts/password/link-sent/", "/accounts/password/set/MQ/bad-token/"]  # fmt: skip


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "mentee", "program_admin",
                                     "site_admin"])  # fmt: skip
def test_account_pages_for_each_persona(
    persona: str,
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
) -> None:
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(person)
    for url in PUBLIC[1:]:
        assert client.get(url).status_code == 200, url
    change = client.get("/accounts/password/change/")
    if person is None:
        assert change["Location"] == "/accounts/login/?next=/accounts/password/change/"
        assert client.get("/accounts/login/").status_code == 200
    else:
        assert change.status_code == 200
        assert client.get("/accounts/login/")["Location"] == "/"


def test_the_favicon_answers_for_everyone(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    page = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert finders.find("favicon.svg") and finders.find("favicon.ico")
