"""``manage.py run_worker``: a busy database is waited out, never the end of it; higher apps
prepare before the first task."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from mentorbridge.matching.tasks import expire_requests
from mentorbridge.outbox.management.commands import run_worker
from mentorbridge.outbox.management.commands.run_worker import ReliableWorker
from mentorbridge.outbox.signals import worker_starting

pytestmark = pytest.mark.django_db


def _worker() -> ReliableWorker:
    return ReliableWorker(
        queue_names=["default"], interval=0, batch=False, backend_name="default",
        startup_delay=False, max_tasks=1, worker_id="probe-worker", excluded_queue_names=[],
    )  # fmt: skip


def test_a_worker_that_finds_the_database_locked_keeps_working_the_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued = expire_requests.enqueue()
    real = db_worker.exclusive_transaction
    tries: list[str] = []

    @contextmanager
    def locked_twice(using: str | None = None) -> Iterator[None]:
        tries.append("try")
        if len(tries) <= 2:
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_twice)
    # The worker lets go of broken connections between tries (and the stock loop at every
    # turn); here that would hand the test's own transaction back to PostgreSQL's pool, rolled
    # back, and the test with it.
    closed: list[str] = []
    monkeypatch.setattr(run_worker, "close_old_connections", lambda: closed.append("retry"))
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    _worker().run()
    assert len(tries) == 3
    assert closed == ["retry", "retry"]
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL


def test_a_worker_still_stops_on_a_database_error_that_is_not_a_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expire_requests.enqueue()

    @contextmanager
    def broken(using: str | None = None) -> Iterator[None]:
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")
        yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", broken)
    with pytest.raises(OperationalError, match="no such table"):
        _worker().run()


def test_a_starting_worker_tells_higher_apps_before_its_first_task_and_outlives_a_failing_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    monkeypatch.setattr(run_worker.workers, "Heartbeat", _NoHeartbeat)
    monkeypatch.setattr(ReliableWorker, "configure_signals", lambda self: None)
    monkeypatch.setattr(ReliableWorker, "run", lambda self: order.append("tasks"))

    def prepares(*, worker_id: str, **_: object) -> None:
        order.append(f"prepared {worker_id}")

    def breaks(**_: object) -> None:
        raise RuntimeError("cannot prepare")

    worker_starting.connect(breaks, dispatch_uid="test-breaks")
    worker_starting.connect(prepares, dispatch_uid="test-prepares")
    try:
        call_command(
            "run_worker", "--worker-id", "starting-worker", "--no-startup-delay", stdout=StringIO()
        )
    finally:
        worker_starting.disconnect(dispatch_uid="test-breaks")
        worker_starting.disconnect(dispatch_uid="test-prepares")
    assert order == ["prepared starting-worker", "tasks"]


class _NoHeartbeat:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass
