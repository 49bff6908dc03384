"""Background tasks of the outbox (worked by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import task

from mentorbridge.outbox import workers
from mentorbridge.outbox.services import message_deliver


@task()
def deliver_message(*, message_id: int) -> str:
    """Send one stored email (a no-op if it was sent already)."""
    return message_deliver(message_id=message_id, worker_id=workers.current_worker_id())


@task()
def deliver_messages(*, message_ids: list[int]) -> int:
    """Send a batch of stored emails (each at most once, as :func:`deliver_message`)."""
    worker = workers.current_worker_id()
    return sum(message_deliver(message_id=pk, worker_id=worker) == "sent" for pk in message_ids)
