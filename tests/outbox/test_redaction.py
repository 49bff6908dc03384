"""Taking an erased person out of the stored emails."""

from __future__ import annotations

import pytest

from mentorbridge.outbox.models import MessageStatus, OutboxMessage
from mentorbridge.outbox.redaction import CANCELLED, REDACTED_BODY, outbox_redact

pytestmark = pytest.mark.django_db


def store(key: str, to: str, subject: str, body: str, status: str = "sent") -> OutboxMessage:
    return OutboxMessage.objects.create(key=key, to=to, subject=subject, body=body, status=status)


def redact() -> dict[str, int]:
    return outbox_redact(
        email="mia@example.com", names=["Mia Mentee"], label="Erased person #7",
        erased_email="erased-7@erased.invalid",
    )  # fmt: skip


def test_emails_to_the_person_are_emptied_and_unsent_ones_cancelled() -> None:
    sent = store("a", "mia@example.com", "Your request", "Hi Mia", status=MessageStatus.SENT)
    unsent = store("b", "MIA@example.com", "Proposal", "Hi Mia", status=MessageStatus.PENDING)
    figures = redact()
    sent.refresh_from_db()
    unsent.refresh_from_db()
    assert (sent.to, sent.subject, sent.body) == (
        "erased-7@erased.invalid",
        "[erased]",
        REDACTED_BODY,
    )
    assert sent.status == MessageStatus.SENT
    assert (unsent.status, unsent.last_error) == (MessageStatus.FAILED, CANCELLED)
    assert figures["emails_to_them_emptied"] == 2 and figures["unsent_cancelled"] == 1


def test_emails_to_others_lose_the_persons_name_and_address_in_any_case() -> None:
    other = store(
        "c", "max@example.com", "Request from Mia Mentee", "MIA MENTEE (mia@example.com) asks"
    )
    untouched = store("d", "max@example.com", "Weekly digest", "Nothing about her")
    assert redact()["emails_mentioning_them_redacted"] == 1
    other.refresh_from_db()
    assert other.subject == "Request from Erased person #7"
    assert other.body == "Erased person #7 (Erased person #7) asks"
    untouched.refresh_from_db()
    assert untouched.body == "Nothing about her"
