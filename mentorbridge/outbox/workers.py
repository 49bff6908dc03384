"""Workers that survive crashes: heartbeats, and recovery of the work a dead worker held.

Every ``manage.py run_worker`` process keeps a :class:`WorkerHeartbeat` row fresh. A worker
is dead when it ran on this host and its process is gone (so a restart after ``kill -9``
recovers at once), or when its row is stale: for a minute, or for half an hour if it ran on this
host and still holds its lock file (under ``WORKER_LOCK_DIR``): busy in a long call, not dead.
The lock, not the process number, says so: a number can be given to another program, and
``/proc`` can belong to another PID namespace than ours (a container), but the kernel releases a
lock when its process ends, however it ends.
Recovery (at worker start and in every scheduler sweep) puts the tasks a dead worker was
running back in the queue (after three tries a task is failed instead), gives back the emails
it was sending, and tells higher apps (:data:`mentorbridge.outbox.signals.workers_lost`) so
they fail what can't be resumed.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import logging
import os
import socket
import threading
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentorbridge.outbox.models import WorkerHeartbeat
from mentorbridge.outbox.services import messages_release, messages_sweep
from mentorbridge.outbox.signals import workers_lost

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 10.0  # seconds
WORKER_TIMEOUT = datetime.timedelta(seconds=60)  # no heartbeat for this long: dead
# ... unless its process is still running on this host: a long call that holds the interpreter
# (a big solve inside a C library) also stops the heartbeat thread, and taking its task then
# would run it twice. A process silent this long is hung, and its work is recovered.
BUSY_WORKER_TIMEOUT = datetime.timedelta(minutes=30)
UNKNOWN_WORKER_TIMEOUT = datetime.timedelta(hours=1)  # tasks claimed by workers without rows
MAX_TASK_ATTEMPTS = 3
TASK_LOST = "The worker running this task stopped {times} times; it was not retried again."

_current: dict[str, str] = {"id": ""}
_locks: dict[str, BinaryIO] = {}  # worker id -> the open lock file this process holds


class WorkerLost(Exception):
    """Recorded on a task whose workers kept dying while running it."""


def current_worker_id() -> str:
    """The id of the worker this process is (empty outside ``run_worker``)."""
    return _current["id"]


def worker_register(*, worker_id: str) -> WorkerHeartbeat:
    """Announce this process as a live worker."""
    _current["id"] = worker_id
    _lock_hold(worker_id)
    now = timezone.now()
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(), "pid": os.getpid(),
            "started_at": now, "last_seen": now,
        },
    )  # fmt: skip
    return beat


def worker_unregister(*, worker_id: str) -> None:
    """This worker stops cleanly: nothing of its needs recovering."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    _lock_release(worker_id)
    if _current["id"] == worker_id:
        _current["id"] = ""


class Heartbeat(threading.Thread):
    """Keeps the worker's row fresh from a thread of its own (its own database connection)."""

    def __init__(self, worker_id: str, every: float = HEARTBEAT_EVERY) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    close_old_connections()
                    WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                        last_seen=timezone.now()
                    )
                except Exception:  # a database blip must not kill the worker
                    log.exception("Worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.every + 5)


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return True  # our pid, another worker id: a previous life of this container
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def worker_lock_path(worker_id: str) -> Path:
    """The lock file a running worker holds (named by a digest: any id makes a safe name)."""
    digest = hashlib.sha256(worker_id.encode()).hexdigest()[:32]
    return Path(settings.WORKER_LOCK_DIR) / f"worker-{digest}.lock"


def _lock_hold(worker_id: str) -> None:
    path = worker_lock_path(worker_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "ab")  # noqa: SIM115 (held for the worker's life)
    except OSError:
        log.warning("Worker %s could not create its lock file %s", worker_id, path)
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by another live process with our id: it keeps it
        handle.close()
        log.warning("Worker %s: lock file %s is held by another process", worker_id, path)
        return
    _locks[worker_id] = handle


def _lock_release(worker_id: str) -> None:
    handle = _locks.pop(worker_id, None)
    if handle is None:
        return
    worker_lock_path(worker_id).unlink(missing_ok=True)
    handle.close()  # releases the lock


def worker_lock_held(worker_id: str) -> bool:
    """Whether a live process on this host holds ``worker_id``'s lock file (a worker busy in a
    long call). False when the file is missing or cannot be read: the heartbeat alone decides."""
    try:
        handle = open(worker_lock_path(worker_id), "rb")  # noqa: SIM115
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False  # we got it: nobody holds it (closing the file lets it go)


def _is_dead(beat: WorkerHeartbeat, *, now: datetime.datetime, host: str) -> bool:
    """A worker is dead when its process on this host is gone, or when its heartbeat is stale,
    except a worker on this host that still holds its lock file: busy for up to
    ``BUSY_WORKER_TIMEOUT``."""
    here = beat.hostname == host
    if here and _process_gone(beat.pid):
        return True
    if beat.last_seen >= now - WORKER_TIMEOUT:
        return False
    busy = here and beat.last_seen >= now - BUSY_WORKER_TIMEOUT and worker_lock_held(beat.worker_id)
    return not busy


def dead_workers(*, now: datetime.datetime, alive: str = "") -> tuple[set[str], set[str]]:
    """(dead worker ids, live worker ids) among the registered workers."""
    host = socket.gethostname()
    dead: set[str] = set()
    live: set[str] = set()
    for beat in WorkerHeartbeat.objects.exclude(worker_id=alive):
        if _is_dead(beat, now=now, host=host):
            dead.add(beat.worker_id)
        else:
            live.add(beat.worker_id)
    if alive:
        live.add(alive)
    return dead, live


def work_recover(*, now: datetime.datetime | None = None, alive: str = "") -> dict[str, int]:
    """Recover the work of dead workers; ``alive`` is the calling worker (never dead).

    Returns counts: ``workers`` found dead, ``requeued`` and ``failed`` tasks, ``released``
    emails, ``swept`` emails queued again.
    """
    now = now or timezone.now()
    dead, live = dead_workers(now=now, alive=alive)
    requeued = failed = 0
    lost_workers = set(dead)
    with transaction.atomic():
        for task in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            worker = task.worker_ids[-1] if task.worker_ids else ""
            if worker in live:
                continue
            unknown_and_old = worker not in dead and (
                task.started_at is None or task.started_at < now - UNKNOWN_WORKER_TIMEOUT
            )
            if worker not in dead and not unknown_and_old:
                continue
            lost_workers.add(worker)
            if len(task.worker_ids) >= MAX_TASK_ATTEMPTS:
                task.set_failed(WorkerLost(TASK_LOST.format(times=len(task.worker_ids))))
                failed += 1
            else:
                task_requeue(task)
                requeued += 1
        WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
    for worker_id in dead:  # a killed worker leaves its (no longer held) lock file behind
        if not worker_lock_held(worker_id):
            worker_lock_path(worker_id).unlink(missing_ok=True)
    released = messages_release(worker_ids=lost_workers)
    workers_lost.send(sender=WorkerHeartbeat, worker_ids=lost_workers, now=now)
    swept = messages_sweep(now=now)
    counts = {
        "workers": len(dead), "requeued": requeued, "failed": failed,
        "released": released, "swept": swept,
    }  # fmt: skip
    if any(counts.values()):
        log.warning("Recovered background work: %s", counts)
    return counts


def task_requeue(task: DBTaskResult) -> None:
    """Put a claimed task back in the queue (its worker died or is stopping)."""
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY, started_at=None)
