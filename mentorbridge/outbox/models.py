"""Stored emails (one row per message) and the workers that deliver them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"


class OutboxMessage(models.Model):
    """One email to one recipient, stored in the transaction that caused it.

    The unique ``key`` names the event and the recipient, so the same message is never stored
    or sent twice; a worker claims a message (``sending``, with its worker id and a lease)
    before it hands it to the mail server.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html_body = models.TextField(blank=True, help_text="An HTML alternative to the plain text.")
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text='Files sent with the email: [{"filename", "content", "mimetype"}] (text).',
    )
    headers = models.JSONField(
        default=dict, blank=True, help_text="Extra headers, such as List-Unsubscribe."
    )
    status = models.CharField(max_length=10, choices=MessageStatus, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    worker_id = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="outbox_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class WorkerHeartbeat(models.Model):
    """A running ``manage.py run_worker`` process; ``last_seen`` moves while it lives."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} (pid {self.pid} on {self.hostname})"
