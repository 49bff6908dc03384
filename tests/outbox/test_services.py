"""The outbox stores one email per message and key, sends it once, retries, then gives up."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorbridge.outbox import services, workers
from mentorbridge.outbox.models import MessageStatus, OutboxMessage, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def queue(key: str = "k:1", to: str = "eve@example.com", subject: str = "Hello") -> OutboxMessage:
    return services.message_queue(key=key, to=to, subject=subject, body="Hi Eve")


def test_a_message_is_sent_once_even_when_its_task_runs_twice() -> None:
    message = queue()
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<mb.{message.pk}.")


def test_queueing_the_same_key_twice_stores_and_sends_one_message(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue()
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_message_from_rolled_back_work_is_never_stored_or_queued(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


def test_repeated_events_get_fresh_keys() -> None:
    queue(key=services.next_key("request_info:7:3"))
    assert services.next_key("request_info:7:3") == "request_info:7:3:2"
    assert services.next_key("request_info:7:33") == "request_info:7:33:1"


def test_newlines_in_a_subject_become_spaces_and_the_email_goes_out() -> None:
    message = queue(subject="Eve\nBcc: everyone@example.com would like you as a mentor")
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert mail.outbox[0].subject == "Eve Bcc: everyone@example.com would like you as a mentor"
    assert mail.outbox[0].bcc == []


def test_an_email_carries_its_html_part_attachments_and_extra_headers() -> None:
    message = services.message_queue(
        key="meeting:1",
        to="eve@example.com",
        subject="Meeting",
        body="Plain words",
        html_body="<p>Rich words</p>",
        attachments=[services.Attachment("invite.ics", "BEGIN:VCALENDAR", "text/calendar")],
        headers={"List-Unsubscribe": "<https://x.example/u/1>\nBcc: eve@example.com"},
    )
    assert services.message_deliver(message_id=message.pk) == "sent"
    [email] = mail.outbox
    assert email.body == "Plain words"
    assert email.alternatives[0][:2] == ("<p>Rich words</p>", "text/html")
    assert email.attachments[0][:3] == ("invite.ics", "BEGIN:VCALENDAR", "text/calendar")
    assert email.extra_headers["List-Unsubscribe"] == "<https://x.example/u/1> Bcc: eve@example.com"
    assert email.bcc == []


def test_header_values_lose_every_control_character() -> None:
    assert services.header_clean("a\r\nb\x00c\x1bd\u2028e  f") == "a b c d e f"


def test_a_failed_send_is_retried_later_then_marked_failed(
    settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = queue()

    def refuse(self: object, *args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert services.message_deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at > timezone.now()
    assert "mail server down" in message.last_error
    assert services.message_deliver(message_id=message.pk) == "later"
    for _ in range(2):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3


def test_waits_between_attempts_double_up_to_an_hour() -> None:
    waits = [services.backoff(n) for n in (1, 2, 3, 10)]
    assert waits == [
        datetime.timedelta(minutes=1), datetime.timedelta(minutes=2),
        datetime.timedelta(minutes=4), datetime.timedelta(hours=1),
    ]  # fmt: skip


def test_a_message_claimed_by_a_live_worker_is_left_alone() -> None:
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, worker_id="w1",
        lease_until=timezone.now() + datetime.timedelta(minutes=5),
    )  # fmt: skip
    assert services.message_deliver(message_id=message.pk) == "busy"
    assert mail.outbox == []


def dead_worker(worker_id: str = "dead") -> WorkerHeartbeat:
    """A worker that ran on this host and whose process is gone."""
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname=socket.gethostname(), pid=_unused_pid()
    )


def _unused_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def claimed_task(worker_id: str, tries: int = 1) -> DBTaskResult:
    from mentorbridge.outbox.tasks import deliver_message

    result = deliver_message.enqueue(message_id=0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=[worker_id] * tries, started_at=timezone.now()
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_recovery_requeues_the_task_and_releases_the_email_of_a_dead_worker() -> None:
    dead_worker()
    task = claimed_task("dead")
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, worker_id="dead", attempts=1,
        lease_until=timezone.now() + datetime.timedelta(minutes=5),
    )  # fmt: skip
    counts = workers.work_recover(alive="me")
    assert counts["workers"] == 1 and counts["requeued"] == 1 and counts["released"] == 1
    task.refresh_from_db()
    assert task.status == "READY"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert services.message_deliver(message_id=message.pk) == "sent"
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()


def test_a_task_whose_workers_keep_dying_is_failed_not_retried_for_ever() -> None:
    dead_worker()
    task = claimed_task("dead", tries=workers.MAX_TASK_ATTEMPTS)
    assert workers.work_recover()["failed"] == 1
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert "WorkerLost" in task.exception_class_path


def test_a_live_workers_task_is_left_running() -> None:
    WorkerHeartbeat.objects.create(
        worker_id="alive", hostname=socket.gethostname(), pid=os.getpid() + 0
    )
    task = claimed_task("alive")
    workers.work_recover(alive="alive")
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_worker_silent_for_longer_than_the_timeout_is_dead() -> None:
    WorkerHeartbeat.objects.create(
        worker_id="far", hostname="another-host", pid=1,
        last_seen=timezone.now() - workers.WORKER_TIMEOUT - datetime.timedelta(seconds=1),
    )  # fmt: skip
    task = claimed_task("far")
    assert workers.work_recover()["workers"] == 1
    task.refresh_from_db()
    assert task.status == "READY"


HOLD_LOCK = (
    "import fcntl, sys, time\n"
    "handle = open(sys.argv[1], 'ab')\n"
    "fcntl.flock(handle, fcntl.LOCK_EX)\n"
    "print('locked', flush=True)\n"
    "time.sleep(60)\n"
)


def sleeping_process(*argv: str) -> Iterator[int]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK if argv else "import time; time.sleep(60)", *argv],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    if argv:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process.pid
    process.kill()
    process.wait()


@pytest.fixture(autouse=True)
def worker_locks_here(settings, tmp_path) -> None:
    settings.WORKER_LOCK_DIR = tmp_path / "run"
    (tmp_path / "run").mkdir()


@pytest.fixture
def busy_worker_process() -> Iterator[int]:
    """A process on this host that holds the lock of worker "busy", silent (no heartbeat)."""
    yield from sleeping_process(str(workers.worker_lock_path("busy")))


@pytest.fixture
def other_program() -> Iterator[int]:
    """A process on this host that holds no worker's lock."""
    yield from sleeping_process()


def stale_worker_here(pid: int, silent_for: datetime.timedelta) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id="busy", hostname=socket.gethostname(), pid=pid,
        last_seen=timezone.now() - silent_for,
    )  # fmt: skip


def test_a_silent_worker_whose_process_still_runs_here_keeps_its_task(
    busy_worker_process: int,
) -> None:
    stale_worker_here(busy_worker_process, workers.WORKER_TIMEOUT + datetime.timedelta(seconds=5))
    task = claimed_task("busy")
    assert workers.work_recover()["requeued"] == 0  # busy in a long call: not run twice
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_worker_process_silent_for_longer_than_the_busy_timeout_is_hung_and_recovered(
    busy_worker_process: int,
) -> None:
    stale_worker_here(busy_worker_process, workers.BUSY_WORKER_TIMEOUT + datetime.timedelta(1))
    task = claimed_task("busy")
    assert workers.work_recover()["requeued"] == 1
    task.refresh_from_db()
    assert task.status == "READY"


def test_a_silent_worker_whose_number_now_belongs_to_another_program_is_dead(
    other_program: int,
) -> None:
    # the dead worker's pid was given to a process that runs no worker
    stale_worker_here(other_program, workers.WORKER_TIMEOUT + datetime.timedelta(seconds=5))
    task = claimed_task("busy")
    assert workers.work_recover(alive="me")["requeued"] == 1
    task.refresh_from_db()
    assert task.status == "READY"


def test_the_sweep_queues_due_messages_that_have_no_task(
    django_capture_on_commit_callbacks,
) -> None:
    message = queue()  # its on-commit enqueue never ran (captured, not executed)
    assert services.messages_sweep() == 1
    assert services.messages_sweep() == 0  # queued now: not twice
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"message_id": message.pk}


def test_a_registered_worker_holds_its_lock_until_it_unregisters() -> None:
    workers.worker_register(worker_id="w-lock")
    assert workers.worker_lock_held("w-lock")
    workers.worker_unregister(worker_id="w-lock")
    assert not workers.worker_lock_held("w-lock")
    assert not workers.worker_lock_path("w-lock").exists()


def test_a_silent_worker_whose_lock_file_cannot_be_read_is_judged_by_its_heartbeat_alone(
    settings, other_program: int
) -> None:
    settings.WORKER_LOCK_DIR = "/nonexistent/mentorbridge-run"
    stale_worker_here(other_program, workers.WORKER_TIMEOUT + datetime.timedelta(seconds=5))
    claimed_task("busy")
    assert workers.work_recover(alive="me")["requeued"] == 1


def test_recovering_a_killed_worker_removes_the_lock_file_it_left_behind(
    other_program: int,
) -> None:
    workers.worker_lock_path("busy").touch()  # written by a worker killed with SIGKILL
    stale_worker_here(other_program, workers.WORKER_TIMEOUT + datetime.timedelta(seconds=5))
    assert workers.work_recover(alive="me")["workers"] == 1
    assert not workers.worker_lock_path("busy").exists()


def test_recovery_keeps_the_lock_file_of_a_busy_worker(busy_worker_process: int) -> None:
    stale_worker_here(busy_worker_process, workers.BUSY_WORKER_TIMEOUT + datetime.timedelta(1))
    assert workers.work_recover(alive="me")["workers"] == 1  # hung: its work is recovered
    assert workers.worker_lock_path("busy").exists()  # but the file is its process's to drop
