"""What the outbox holds about a person: the emails sent to them."""

from __future__ import annotations

from typing import Any

from mentorbridge.core.personal_data import Erasure
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.redaction import outbox_redact

DESCRIPTION = "Emails MentorBridge sent you."


def export(person: Any) -> list[dict[str, Any]]:
    """Every stored email to their address, oldest first."""
    return [
        {"subject": m.subject, "body": m.body, "status": m.status, "created_at": m.created_at,
         "sent_at": m.sent_at}
        for m in OutboxMessage.objects.filter(to__iexact=person.user.email).order_by("created_at")
    ]  # fmt: skip


def erase(erasure: Erasure) -> dict[str, int]:
    """Empty the emails to them; take their name and address out of everyone else's."""
    from_address = f"erased-{erasure.user_id}@erased.invalid"
    return outbox_redact(
        email=erasure.email, names=[erasure.full_name], label=erasure.label,
        erased_email=from_address,
    )  # fmt: skip
