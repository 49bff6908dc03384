"""Backup and restore as the README describes them, on a populated database: PostgreSQL with
``pg_dump``/``pg_restore`` into a scratch database (dropped after), SQLite with the online
backup API (``manage.py backup_sqlite``). The counts of every table survive the trip."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BACKUP_TEST_PG", "postgres://postgres@127.0.0.1:5432")
TABLES = (
    "accounts_user", "people_person", "people_personskill", "people_department",
    "programs_program", "audit_auditevent", "django_migrations",
)  # fmt: skip
CSV = "employee_id,email,first_name,last_name,department,skills\n" + "".join(
    f"B{n:03d},b{n}@example.com,Bea{n},Backup,Sales,Python:{n % 5 + 1};SQL:2\n" for n in range(40)
)
POPULATE = (
    "from mentorbridge.programs.services import program_create; "
    "program_create(creator=None, name='Backup Program')"
)


def manage(env: dict[str, str], *args: str) -> str:
    """Run ``manage.py`` as an operator would, with ``env`` naming the database."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def populate(env: dict[str, str], tmp_path: Path) -> None:
    manage(env, "migrate", "--no-input")
    people = tmp_path / "people.csv"
    people.write_text(CSV, encoding="utf-8")
    manage(env, "import_people", str(people))
    manage(env, "shell", "-c", POPULATE)


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


# SQLite -----------------------------------------------------------------------------------


def test_an_online_sqlite_backup_keeps_every_row_and_the_app_runs_on_it(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    populate({"SQLITE_PATH": str(live), "DATABASE_URL": ""}, tmp_path)
    before = sqlite_counts(live)
    assert before["people_person"] == 40 and before["audit_auditevent"] >= 2
    backup = tmp_path / "backups" / "mentorbridge.sqlite3"
    manage({"SQLITE_PATH": str(live), "DATABASE_URL": ""}, "backup_sqlite", str(backup))
    assert sqlite_counts(backup) == before
    # Restoring is putting the file back: the app opens it and has nothing left to migrate.
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(backup, restored)
    env = {"SQLITE_PATH": str(restored), "DATABASE_URL": ""}
    assert "No planned migration operations" in manage(env, "migrate", "--plan")
    assert manage(env, "shell", "-c", "from mentorbridge.people.models import Person; "
                  "print(Person.objects.count())").strip().splitlines()[-1] == "40"  # fmt: skip


def test_a_backup_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    live, dest = tmp_path / "live.sqlite3", tmp_path / "taken.sqlite3"
    sqlite3.connect(live).close()
    dest.write_bytes(b"keep me")
    done = subprocess.run(
        [sys.executable, "manage.py", "backup_sqlite", str(dest)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "SQLITE_PATH": str(live),
                       "DATABASE_URL": ""},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "already exists" in done.stderr
    assert dest.read_bytes() == b"keep me"


# PostgreSQL -------------------------------------------------------------------------------


def _pg_available() -> bool:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return False
    try:
        import psycopg

        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str]]:
    """Two new PostgreSQL databases (the live one and the restore target), dropped after."""
    import psycopg

    if not _pg_available():
        pytest.skip(f"PostgreSQL with pg_dump/pg_restore not reachable at {PG}")
    suffix = uuid.uuid4().hex[:8]
    names = (f"mb_backup_live_{suffix}", f"mb_backup_restored_{suffix}")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]


def test_pg_dump_and_pg_restore_keep_every_row(
    tmp_path: Path, scratch_databases: tuple[str, str]
) -> None:
    live, restored = (f"{PG}/{name}" for name in scratch_databases)
    populate({"DATABASE_URL": live}, tmp_path)
    before = pg_counts(live)
    assert before["people_person"] == 40
    dump = tmp_path / "mentorbridge.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", live], check=True, timeout=300)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
        check=True, timeout=300,
    )  # fmt: skip
    assert pg_counts(restored) == before
    env = {"DATABASE_URL": restored}
    assert "No planned migration operations" in manage(env, "migrate", "--plan")
    assert manage(env, "shell", "-c", "from mentorbridge.audit.models import AuditEvent; "
                  "print(AuditEvent.objects.filter(action='people.imported').count())"
                  ).strip().splitlines()[-1] == "1"  # fmt: skip
