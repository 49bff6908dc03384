"""The outbox: store each email in the transaction that causes it, deliver it exactly once.

A message is claimed (``sending``, worker id, lease) before it goes to the mail server and
marked ``sent`` after; a failure is retried with growing waits, then marked ``failed`` (visible
in the admin). A claim whose worker died is released by the recovery in
:mod:`mentorbridge.outbox.workers`. The one window left is a crash between the mail server
accepting a message and the ``sent`` mark: that message is sent again, with the same
``Message-ID`` so mail systems can drop the copy.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import re
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorbridge.outbox.models import MessageStatus, OutboxMessage

log = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)  # a claim older than this belongs to a crashed sender
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=1)
SWEEP_BATCH = 1000

WORKER_STOPPED = "The worker stopped while sending this email."

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A text file sent with an email (an ``.ics`` invitation, say)."""

    filename: str
    content: str
    mimetype: str


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6))


def header_clean(value: str) -> str:
    """A header value without line breaks or other control characters (they could inject
    headers, and Django refuses them), on one line."""
    return " ".join(_CONTROL.sub(" ", value).split())


def next_key(prefix: str) -> str:
    """A fresh key for an event that may happen more than once (``prefix:1``, ``prefix:2``…).

    Callers hold a lock on the row the event is about, so two events never race for a number.
    """
    taken = OutboxMessage.objects.filter(key__startswith=f"{prefix}:").count()
    return f"{prefix}:{taken + 1}"


def message_queue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Store one email and deliver it once the surrounding transaction commits.

    ``body`` is the plain text; ``html_body`` an optional HTML alternative; ``attachments``
    text files such as an ``.ics`` invitation; ``headers`` extra headers (their values are
    cleaned of line breaks). Queueing the same key again returns the stored message and sends
    nothing more.
    """
    message, created = OutboxMessage.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": to,
            "subject": header_clean(subject)[:255],
            "body": body,
            "html_body": html_body,
            "attachments": [dataclasses.asdict(a) for a in attachments],
            "headers": {name: header_clean(value) for name, value in (headers or {}).items()},
        },
    )
    if created:
        transaction.on_commit(partial(message_enqueue, message.pk))
    return message


def message_enqueue(message_id: int, run_after: datetime.datetime | None = None) -> None:
    from mentorbridge.outbox.tasks import deliver_message

    task = deliver_message.using(run_after=run_after) if run_after else deliver_message
    task.enqueue(message_id=message_id)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4, … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _message_id(message: OutboxMessage) -> str:
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    return f"<mb.{message.pk}.{digest}@{DNS_NAME}>"


def message_deliver(*, message_id: int, worker_id: str = "") -> str:
    """Send one stored message unless it is sent, given up, or being sent by a live worker.

    Returns what happened: ``sent``, ``retry``, ``failed``, ``busy``, ``later``, ``missing``.
    """
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "missing"
        if message.status in (MessageStatus.SENT, MessageStatus.FAILED):
            return str(message.status)
        if message.status == MessageStatus.SENDING and (message.lease_until or now) > now:
            return "busy"
        if message.next_attempt_at > now:
            return "later"
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.worker_id = worker_id[:64]
        message.lease_until = now + LEASE
        message.save(update_fields=["status", "attempts", "worker_id", "lease_until"])
    try:
        _email_of(message).send()
    except Exception as error:
        log.warning("Email %s to %s failed: %s", message.pk, message.to, error)
        return _retry_or_give_up(message, f"{type(error).__name__}: {error}")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return "sent"


def _email_of(message: OutboxMessage) -> EmailMultiAlternatives:
    headers = {name: header_clean(value) for name, value in (message.headers or {}).items()}
    headers["Message-ID"] = _message_id(message)
    email = EmailMultiAlternatives(
        subject=header_clean(message.subject),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments or []:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


@transaction.atomic
def _retry_or_give_up(message: OutboxMessage, error: str, *, wait: bool = True) -> str:
    now = timezone.now()
    message.last_error = error[:2000]
    message.lease_until = None
    if message.attempts >= max_attempts():
        message.status = MessageStatus.FAILED
    else:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now + backoff(message.attempts) if wait else now
        transaction.on_commit(
            partial(message_enqueue, message.pk, message.next_attempt_at if wait else None)
        )
    message.save(update_fields=["last_error", "lease_until", "status", "next_attempt_at"])
    return "failed" if message.status == MessageStatus.FAILED else "retry"


@transaction.atomic
def messages_release(*, worker_ids: Iterable[str]) -> int:
    """Give back the messages dead (or stopping) workers had claimed: they are sent again."""
    ids = [w for w in worker_ids if w]
    claimed = OutboxMessage.objects.select_for_update().filter(
        status=MessageStatus.SENDING, worker_id__in=ids
    )
    released = 0
    for message in claimed:
        _retry_or_give_up(message, WORKER_STOPPED, wait=False)
        released += 1
    return released


def messages_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue delivery of every message that is due and not queued (lost enqueue, expired
    claim). Returns how many were queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from mentorbridge.outbox.tasks import deliver_message, deliver_messages

    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=MessageStatus.SENDING, lease_until__lte=now)
    ).values_list("pk", flat=True)[:SWEEP_BATCH]
    queued: set[int] = set()
    for row in DBTaskResult.objects.filter(
        task_path__in=[deliver_message.module_path, deliver_messages.module_path],
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True):
        kwargs = row["kwargs"]
        queued.update(kwargs.get("message_ids") or [kwargs.get("message_id")])
    count = 0
    for message_id in due:
        if message_id not in queued:
            message_enqueue(message_id)
            count += 1
    return count


@dataclasses.dataclass(frozen=True)
class Draft:
    """One email to store with :func:`messages_queue_many` (the fields of ``message_queue``)."""

    key: str
    to: str
    subject: str
    body: str
    html_body: str = ""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


DELIVERY_BATCH = 100


def messages_queue_many(drafts: Iterable[Draft]) -> int:
    """Store many emails in a few queries (sweeps send thousands) and deliver them in batches
    of :data:`DELIVERY_BATCH` once the transaction commits. Keys already stored are skipped, as
    with :func:`message_queue`. Returns how many were new."""
    by_key = {d.key[:200]: d for d in drafts}
    if not by_key:
        return 0
    keys = list(by_key)
    taken: set[str] = set()
    for start in range(0, len(keys), SWEEP_BATCH):
        taken |= set(
            OutboxMessage.objects.filter(key__in=keys[start : start + SWEEP_BATCH]).values_list(
                "key", flat=True
            )
        )
    new = [
        OutboxMessage(
            key=key, to=d.to, subject=header_clean(d.subject)[:255], body=d.body,
            html_body=d.html_body,
            headers={name: header_clean(value) for name, value in d.headers.items()},
        )
        for key, d in by_key.items()
        if key not in taken
    ]  # fmt: skip
    OutboxMessage.objects.bulk_create(new, batch_size=SWEEP_BATCH, ignore_conflicts=True)
    new_keys = [m.key for m in new]
    ids: list[int] = []
    for start in range(0, len(new_keys), SWEEP_BATCH):
        ids += OutboxMessage.objects.filter(
            key__in=new_keys[start : start + SWEEP_BATCH], status=MessageStatus.PENDING
        ).values_list("pk", flat=True)
    for start in range(0, len(ids), DELIVERY_BATCH):
        transaction.on_commit(partial(messages_enqueue, ids[start : start + DELIVERY_BATCH]))
    return len(new)


def messages_enqueue(message_ids: list[int]) -> None:
    from mentorbridge.outbox.tasks import deliver_messages

    deliver_messages.enqueue(message_ids=message_ids)
