"""The production server (bin/serve: gunicorn + whitenoise) starts, answers /healthz, serves
static files and restarts gracefully; on PostgreSQL, many keep-alive clients never push the
connections past the pool's bound, under gunicorn or the demo's runserver."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0", "SECRET_KEY": "z" * 60, "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://127.0.0.1", "SECURE_SSL_REDIRECT": "0", "PYTHONUNBUFFERED": "1",
    "WEB_ACCESS_LOG": "",
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    own.request("GET", path)
    response = own.getresponse()
    body = response.read()
    if conn is None:
        own.close()
    return response.status, body


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + 90
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-3000:]}")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server never answered: {log.read_text()[-3000:]}")


def start(command: list[str], env: dict[str, str], log: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    wait_until_up(port, process, log)
    return process


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PRODUCTION, VAR_DIR=str(tmp_path), SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    return env


def test_bin_serve_answers_healthz_serves_static_files_and_restarts_gracefully(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    env = {**sqlite_env, "PORT": str(port), "WEB_WORKERS": "2", "PY": sys.executable}
    server = start(["bin/serve"], env, tmp_path / "serve.log", port)
    try:
        assert get(port, "/healthz") == (200, b"ok")
        status, css = get(port, "/static/css/app.css")
        assert status == 200 and len(css) > 100
        assert get(port, "/people/")[0] == 302  # the app itself, not just the health check
        server.send_signal(signal.SIGHUP)  # graceful restart: workers replaced, socket kept
        for _ in range(20):
            assert get(port, "/healthz") == (200, b"ok")
            time.sleep(0.1)
    finally:
        assert stop(server) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "handling signal: hup" in log.lower()
    assert log.count("Booting worker") >= 4  # two at start, two after the restart


def test_workers_are_sized_from_the_cpu_count() -> None:
    env = {k: v for k, v in os.environ.items() if k != "WEB_WORKERS"}
    out = subprocess.run(
        [sys.executable, "-c", "import runpy; print(runpy.run_path('config/gunicorn.py')['workers'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert int(out) == (os.cpu_count() or 1) * 2 + 1


@pytest.fixture
def postgres_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("connection bounds are measured on PostgreSQL")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": url, "VAR_DIR": str(tmp_path),
           "DB_POOL_MAX_SIZE": "3", "DB_POOL_MIN_SIZE": "1",
           "PGAPPNAME": "mentorbridge-under-test"}  # fmt: skip
    yield env


def server_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = 'mentorbridge-under-test'"
        )
        return int(cursor.fetchone()[0])


def hammer(port: int, clients: int = 40, requests: int = 15) -> tuple[int, list[str]]:
    """Many keep-alive clients at once, each holding its socket open until all are done;
    returns the most server connections seen meanwhile and any failed requests."""
    failures: list[str] = []
    finished = threading.Semaphore(0)
    release = threading.Event()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for _ in range(requests):
                status, body = get(port, "/healthz", conn)
                if status != 200:
                    failures.append(f"{status} {body[:200]!r}")
        except OSError as error:
            failures.append(repr(error))
        finally:
            finished.release()
            release.wait(timeout=180)
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    most = 0
    remaining = clients
    while remaining:
        if finished.acquire(timeout=0.05):
            remaining -= 1
        most = max(most, server_connections())
    most = max(most, server_connections())  # every client connected and idle
    release.set()
    for thread in threads:
        thread.join(timeout=60)
    return most, failures


@pytest.mark.django_db(transaction=True)
def test_gunicorn_keeps_postgres_connections_within_workers_times_the_pool(
    postgres_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    env = {**postgres_env, "PORT": str(port), "WEB_WORKERS": "2", "WEB_THREADS": "8",
           "PY": sys.executable}  # fmt: skip
    server = start(["bin/serve"], env, tmp_path / "serve.log", port)
    try:
        most, failures = hammer(port)
    finally:
        stop(server)
    assert failures == []
    assert 1 <= most <= 2 * 3  # two workers, three pooled connections each


@pytest.mark.django_db(transaction=True)
def test_the_demo_runserver_does_not_leak_postgres_connections(
    postgres_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    env = {**postgres_env, "DEBUG": "1"}
    server = start(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env, tmp_path / "runserver.log", port,
    )  # fmt: skip
    try:
        most, failures = hammer(port)
        after = server_connections()
    finally:
        stop(server)
    assert failures == []
    assert 1 <= most <= 3 and after <= 3  # one process, three pooled connections
