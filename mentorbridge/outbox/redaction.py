"""Taking a person out of the stored emails when they are erased.

Emails *to* them lose their content and address (unsent ones are cancelled: there is nobody to
send them to). Emails to others that name them or their address have those words replaced.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from mentorbridge.core.personal_data import replace_ignoring_case
from mentorbridge.outbox.models import MessageStatus, OutboxMessage

REDACTED_BODY = "[The content of this email was erased with its recipient's personal data.]"
CANCELLED = "Not sent: the recipient's personal data was erased."


@transaction.atomic
def outbox_redact(*, email: str, names: list[str], label: str, erased_email: str) -> dict[str, int]:
    """Redact ``email`` and each of ``names`` from the stored emails; returns how many
    messages to the person were emptied and how many others had words replaced."""
    to_them = OutboxMessage.objects.select_for_update().filter(to__iexact=email)
    cancelled = to_them.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING]).update(
        status=MessageStatus.FAILED, last_error=CANCELLED, worker_id="", lease_until=None
    )
    emptied = to_them.update(
        to=erased_email, subject="[erased]", body=REDACTED_BODY, html_body="",
        attachments=[], headers={},
    )  # fmt: skip
    words = [word for word in [email, *names] if word.strip()]
    mentioning = Q()
    for word in words:
        mentioning |= Q(subject__icontains=word) | Q(body__icontains=word)
        mentioning |= Q(html_body__icontains=word)
    changed = 0
    for message in OutboxMessage.objects.select_for_update().filter(mentioning):
        for field in ("subject", "body", "html_body"):
            text = getattr(message, field)
            for word in words:
                text = replace_ignoring_case(text, word, label)
            setattr(message, field, text)
        message.save(update_fields=["subject", "body", "html_body"])
        changed += 1
    return {"emails_to_them_emptied": emptied, "unsent_cancelled": cancelled,
            "emails_mentioning_them_redacted": changed}  # fmt: skip
