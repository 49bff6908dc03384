"""``manage.py run_worker``: work the task queue, surviving crashes and stopping cleanly.

The database worker of django-tasks-db, plus: a heartbeat, recovery at start of what dead
workers left (tasks, emails, rounds), and a clean stop. The first SIGTERM/SIGINT lets the
current task finish; a second one gives the task back to the queue (it is not marked failed)
and exits.
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import CommandError
from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from mentorbridge.outbox import workers
from mentorbridge.outbox.services import messages_release
from mentorbridge.outbox.signals import worker_starting

log = logging.getLogger("django_tasks_db")


class WorkerStopping(BaseException):
    """Raised in the running task by a second stop signal."""


class ReliableWorker(Worker):
    def run(self) -> None:
        # The stock loop opens its claiming transaction (SQLite: BEGIN IMMEDIATE) outside its
        # own "database is locked" guard, so a busy database (a big import, a burst of writes
        # past the busy timeout) ended the worker and nothing was sent until someone restarted
        # it. A locked database is waited out instead; any other error still stops the worker.
        while True:
            try:
                super().run()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error) or not self.running:
                    raise
                log.warning("The database is busy (%s); trying again.", error)
                close_old_connections()
                time.sleep(self.interval)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        name = signal.strsignal(signum)
        if self.running and self.running_task:
            log.warning("Received %s: finishing the current task, then stopping.", name)
            self.running = False
            return
        self.running = False
        self.reset_signals()
        if self.running_task:
            log.warning("Received %s again: giving the current task back to the queue.", name)
            raise WorkerStopping(name)
        raise SystemExit(0)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The stock run_task records any BaseException as the task's failure; a stop is not
        # one, so it passes through and the task goes back to the queue.
        record_failure = db_task_result.set_failed

        def set_failed(exc: BaseException) -> None:
            if isinstance(exc, WorkerStopping):
                raise exc
            record_failure(exc)

        db_task_result.set_failed = set_failed
        try:
            super().run_task(db_task_result)
        except WorkerStopping:
            workers.task_requeue(db_task_result)
            messages_release(worker_ids=[self.worker_id])
            raise


class Command(DbWorkerCommand):
    help = "Work the task queue (emails, big matching rounds, waitlist), recovering crashes."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options.get("exclude_queues") and "*" not in options["queue_name"]:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReliableWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=(
                options["exclude_queues"].split(",") if options["exclude_queues"] else []
            ),
        )
        workers.worker_register(worker_id=worker.worker_id)
        heartbeat = workers.Heartbeat(worker.worker_id)
        heartbeat.start()
        try:
            counts = workers.work_recover(alive=worker.worker_id)
            for receiver, answer in worker_starting.send_robust(
                sender=Command, worker_id=worker.worker_id
            ):
                if isinstance(answer, Exception):
                    log.error("Preparing the worker (%s) failed: %r", receiver, answer)
            self.stdout.write(f"Worker {worker.worker_id} started; recovered: {counts}")
            worker.configure_signals()
            worker.run()
        except WorkerStopping:
            self.stdout.write("Stopped; the unfinished task is back in the queue.")
        finally:
            heartbeat.stop()
            workers.worker_unregister(worker_id=worker.worker_id)
