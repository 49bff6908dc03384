"""A real ``manage.py run_worker`` process killed mid-send: every email still goes out once.

Each test migrates a SQLite file of its own and runs the worker as a subprocess with a file
based email backend, so sent emails survive the process. A send to an address starting with
``stall`` hangs (``tests/outbox/backends.py``), which lets the test stop the worker mid-task.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STALLING = "tests.outbox.backends.StallingBackend"
FILES = "django.core.mail.backends.filebased.EmailBackend"
QUEUE_TWO = (
    "from mentorbridge.outbox.services import message_queue\n"
    "for to in ['alice@example.com', 'stall.bob@example.com']:\n"
    "    message_queue(key=f'proposal_published:1:{to}:1', to=to,"
    " subject='A mentoring match for you', body='Hello')\n"
)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(path, FILES, path.parent),
        check=True, timeout=300,
    )  # fmt: skip
    return path


def _env(db: Path, backend: str, emails: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(db), EMAIL_BACKEND=backend, EMAIL_FILE_PATH=str(emails),
        DEBUG="1", PYTHONUNBUFFERED="1",
    )  # fmt: skip
    return env


class Setup:
    def __init__(self, migrated: Path, tmp_path: Path) -> None:
        self.db = tmp_path / "db.sqlite3"
        shutil.copy(migrated, self.db)
        self.emails = tmp_path / "emails"
        self.emails.mkdir()
        self.logs = tmp_path

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=_env(self.db, FILES, self.emails),
            check=True, timeout=120,
        )  # fmt: skip

    def worker(self, backend: str, name: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=_env(self.db, backend, self.emails), stdout=log, stderr=log,
        )  # fmt: skip

    def recipients(self) -> Counter[str]:
        sent: Counter[str] = Counter()
        for path in self.emails.glob("*.log"):
            for line in path.read_text().splitlines():
                if line.startswith("To: "):
                    sent[line[4:]] += 1
        return sent

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db) as db:
            return db.execute(sql).fetchall()

    def statuses(self) -> dict[str, str]:
        return dict(self.rows('SELECT "to", status FROM outbox_outboxmessage'))  # type: ignore[arg-type]


# a worker process starts in about 3 s, but beside the whole suite on a loaded 2-core machine
# one once took more than 60 s to reach its first email (a fresh clone's CI, 2026-12-07)
def wait_for(condition: Callable[[], bool], what: str, timeout: float = 180) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


@pytest.fixture
def setup(migrated: Path, tmp_path: Path) -> Setup:
    setup = Setup(migrated, tmp_path)
    setup.manage("shell", "-c", QUEUE_TWO)
    return setup


def test_a_worker_killed_mid_send_sends_each_email_exactly_once_after_a_restart(
    setup: Setup,
) -> None:
    first = setup.worker(STALLING, "first")
    stalled = setup.emails / "stalled-stall.bob@example.com"
    try:
        wait_for(stalled.exists, "the worker to hang sending Bob's email")
        assert setup.recipients() == Counter({"alice@example.com": 1})
    finally:
        first.kill()  # SIGKILL: no chance to clean up
        first.wait(timeout=30)
    assert setup.statuses()["stall.bob@example.com"] == "sending"
    assert setup.rows("SELECT count(*) FROM django_tasks_database_dbtaskresult"
                      " WHERE status = 'RUNNING'") == [(1,)]  # fmt: skip

    second = setup.worker(FILES, "second")
    try:
        wait_for(lambda: "stall.bob@example.com" in setup.recipients(), "Bob's email")
        wait_for(
            lambda: not setup.rows("SELECT 1 FROM django_tasks_database_dbtaskresult"
                                   " WHERE status IN ('READY', 'RUNNING')"),
            "the queue to drain",
        )  # fmt: skip
    finally:
        assert stop(second) == 0
    assert setup.recipients() == Counter({"alice@example.com": 1, "stall.bob@example.com": 1})
    assert set(setup.statuses().values()) == {"sent"}
    assert setup.rows("SELECT count(*) FROM outbox_workerheartbeat") == [(0,)]


def test_ctrl_c_then_sigterm_gives_the_task_back_instead_of_failing_it(setup: Setup) -> None:
    first = setup.worker(STALLING, "first")
    stalled = setup.emails / "stalled-stall.bob@example.com"
    try:
        wait_for(stalled.exists, "the worker to hang sending Bob's email")
        first.send_signal(signal.SIGINT)  # what Ctrl-C in bin/run sends first…
        time.sleep(0.5)
        assert first.poll() is None  # …the worker lets the task finish
        first.send_signal(signal.SIGTERM)  # then the shell's trap
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert setup.statuses()["stall.bob@example.com"] == "pending"
    assert setup.rows("SELECT count(*) FROM django_tasks_database_dbtaskresult"
                      " WHERE status = 'FAILED'") == [(0,)]  # fmt: skip

    second = setup.worker(FILES, "second")
    try:
        wait_for(lambda: "stall.bob@example.com" in setup.recipients(), "Bob's email")
    finally:
        assert stop(second) == 0
    assert setup.recipients() == Counter({"alice@example.com": 1, "stall.bob@example.com": 1})
