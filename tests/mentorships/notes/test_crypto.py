"""Private notes are Fernet tokens under the first configured key; a rotation re-encrypts
them under a new key and the old key can then go."""

from __future__ import annotations

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes import crypto, services
from mentorbridge.mentorships.notes.models import PrivateNote
from mentorbridge.mentorships.notes.selectors import private_note_text
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_without_keys_a_key_derived_from_the_secret_key_is_used() -> None:
    with override_settings(NOTES_ENCRYPTION_KEYS=[]):
        token = crypto.encrypt("hello")
        assert Fernet(crypto.dev_key()).decrypt(token.encode()) == b"hello"


def test_a_broken_key_is_named_in_the_error() -> None:
    with (
        override_settings(NOTES_ENCRYPTION_KEYS=[OLD, "not-a-key"]),
        pytest.raises(ImproperlyConfigured, match="item 2 is not a Fernet key"),
    ):
        crypto.encrypt("x")


def test_rotation_re_encrypts_every_note_under_the_new_key(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    meeting = meetings.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
        services.private_note_save(meeting=meeting, by=mentee, text="Mia's thoughts")
        services.private_note_save(meeting=meeting, by=mentor, text="Max's thoughts")
    before = set(PrivateNote.objects.values_list("ciphertext", flat=True))
    with override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD]):
        out = io.StringIO()
        call_command("rotate_notes_key", stdout=out)
        assert out.getvalue().strip() == "Re-encrypted 2 private notes."
    after = set(PrivateNote.objects.values_list("ciphertext", flat=True))
    assert not before & after
    with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):
        assert private_note_text(meeting, mentee) == "Mia's thoughts"
        assert private_note_text(meeting, mentor) == "Max's thoughts"
    with (
        override_settings(NOTES_ENCRYPTION_KEYS=[OLD]),
        pytest.raises(ImproperlyConfigured, match="cannot be decrypted"),
    ):
        private_note_text(meeting, mentee)


def test_the_command_prints_a_fresh_key() -> None:
    out = io.StringIO()
    call_command("rotate_notes_key", "--new-key", stdout=out)
    Fernet(out.getvalue().strip().encode())


def test_an_empty_note_deletes_it(mentorship: Mentorship, mentee: Person) -> None:
    meeting = meetings.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    services.private_note_save(meeting=meeting, by=mentee, text="x")
    assert services.private_note_save(meeting=meeting, by=mentee, text="  ") is None
    assert not PrivateNote.objects.exists()
