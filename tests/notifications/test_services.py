"""Notifying: once per occasion, by the person's choice, with a one-click unsubscribe link."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from mentorbridge.notifications import services
from mentorbridge.notifications.models import Channel, Notification
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person
from tests.factories import UserFactory
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db


def _notify(person: Person, key: str = "occasion:1", kind: str = "checkin_due") -> object:
    return services.notify(
        user=person.user, kind=kind, key=key, title="Your check-in is due",
        body="How is it going?", url="/mentorships/1/", action="Check in", name="Mia",
    )  # fmt: skip


def test_it_stores_the_notification_and_emails_html_with_a_text_part(mentee: Person) -> None:
    _notify(mentee)
    assert send_outbox() == ["sent"]
    [email] = mail.outbox
    assert email.to == ["mia@example.com"]
    assert "Hello Mia" in email.body and "How is it going?" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "Check in</a>" in str(html)
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get().recipient == mentee.user


def test_the_same_occasion_never_notifies_twice(mentee: Person) -> None:
    assert _notify(mentee) is not None
    assert _notify(mentee) is None
    send_outbox()
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_in_app_only_stores_no_email(mentee: Person) -> None:
    services.preference_set(user=mentee.user, kind="checkin_due", channel=Channel.IN_APP)
    _notify(mentee)
    assert Notification.objects.count() == 1 and not OutboxMessage.objects.exists()


def test_off_stores_nothing(mentee: Person) -> None:
    services.preference_set(user=mentee.user, kind="checkin_due", channel=Channel.OFF)
    assert _notify(mentee) is None
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_a_choice_for_one_kind_leaves_the_others_alone(mentee: Person) -> None:
    services.preference_set(user=mentee.user, kind="thank_you", channel=Channel.OFF)
    _notify(mentee)
    assert OutboxMessage.objects.count() == 1


def test_an_unknown_kind_or_channel_is_refused_by_name(mentee: Person) -> None:
    with pytest.raises(ValidationError, match="no notification kind “nope”"):
        services.preference_set(user=mentee.user, kind="nope", channel="email")
    with pytest.raises(ValidationError, match="“loud” is not a choice for thank_you"):
        services.preference_set(user=mentee.user, kind="thank_you", channel="loud")


def test_the_unsubscribe_link_stops_emails_of_its_kind_only(mentee: Person) -> None:
    token = services.unsubscribe_token(mentee.user.pk, "checkin_due")
    services.unsubscribe(token=token)
    assert services.preferences_of(mentee.user)["checkin_due"] == Channel.IN_APP
    assert services.preferences_of(mentee.user)["thank_you"] == Channel.EMAIL
    _notify(mentee)
    assert Notification.objects.count() == 1 and not OutboxMessage.objects.exists()


def test_a_forged_unsubscribe_link_is_refused(mentee: Person) -> None:
    token = services.unsubscribe_token(mentee.user.pk, "checkin_due")
    with pytest.raises(ValidationError, match="not valid"):
        services.unsubscribe(token=token[:-2] + "xx")


def test_the_weekly_digest_gathers_the_week_in_one_email_once(mentee: Person) -> None:
    services.preference_set(user=mentee.user, kind="checkin_due", channel=Channel.DIGEST)
    _notify(mentee, key="a")
    _notify(mentee, key="b")
    assert not OutboxMessage.objects.exists()
    monday = datetime.datetime(2026, 12, 7, 8, tzinfo=datetime.UTC)
    with time_machine.travel(monday, tick=False):
        assert services.digests_send() == 1
        assert services.digests_send() == 0
        send_outbox()
    [email] = mail.outbox
    assert email.subject == "Your week in MentorBridge: 2 updates"
    assert email.body.count("Your check-in is due") == 2


def test_a_digest_the_same_week_waits_for_next_week(mentee: Person) -> None:
    services.preference_set(user=mentee.user, kind="checkin_due", channel=Channel.DIGEST)
    monday = datetime.datetime(2026, 12, 7, 8, tzinfo=datetime.UTC)
    with time_machine.travel(monday, tick=False):
        _notify(mentee, key="a")
        services.digests_send()
        _notify(mentee, key="b")
        assert services.digests_send() == 0
    assert Notification.objects.get(key__startswith="b:").digested_at is None


def test_a_thousand_notes_are_stored_in_batches_not_one_query_each(
    mentee: Person, django_assert_max_num_queries: object
) -> None:
    notes = [services.Note(mentee.user, "checkin_due", f"k{i}", "Check in") for i in range(1000)]
    # SQLite takes about 90 rows per insert: a few dozen queries, not thousands.
    with django_assert_max_num_queries(60):  # type: ignore[operator]
        services.notify_many(notes)
    assert Notification.objects.count() == 1000 == OutboxMessage.objects.count()


@pytest.mark.parametrize(
    ("name", "body", "url", "choices"),
    [
        ("Mia", "Line one\nLine <two> & “three”", "/mentorships/1/", ()),
        ("", "", "", ()),
        ("O'Brien <b>", "x", "https://elsewhere.example/a?b=1&c=2", (("Extend", "/p/x/"),)),
        ("Ana", "", "/a/", (("One", "/1/"), ("Two & more", "/2/"))),
    ],
)
def test_emails_filled_from_a_skeleton_match_the_templates_rendered_per_email(
    name: str, body: str, url: str, choices: tuple[tuple[str, str], ...]
) -> None:
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse

    from mentorbridge.notifications.kinds import kind_label
    from mentorbridge.notifications.services import (
        Note,
        _email,
        _EmailParts,
        absolute,
        unsubscribe_url,
    )

    user = UserFactory(email="mia@example.com")
    note = Note(user, "checkin_due", "k:1", "Title <with> “quotes” & 'more'", body, url,
                "Do it" if url else "", name, choices)  # fmt: skip
    context = {
        "note": note, "url": absolute(note.url),
        "choices": [(label, absolute(link)) for label, link in note.choices],
        "unsubscribe_url": unsubscribe_url(user.pk, note.kind),
        "preferences_url": settings.SITE_URL + reverse("notifications-preferences"),
        "kind_label": kind_label(note.kind),
    }  # fmt: skip
    draft = _email(note, _EmailParts.load())
    assert draft.body == render_to_string("notifications/email/notification.txt", context)
    assert draft.html_body == render_to_string("notifications/email/notification.html", context)
