"""Deliver the outbox inside a test, as the worker would."""

from __future__ import annotations

from mentorbridge.outbox.models import MessageStatus, OutboxMessage
from mentorbridge.outbox.services import message_deliver


def send_outbox() -> list[str]:
    """Send every waiting message; returns what happened to each."""
    return [
        message_deliver(message_id=pk)
        for pk in OutboxMessage.objects.filter(status=MessageStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
