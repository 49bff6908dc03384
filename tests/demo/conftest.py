"""The demo organisation as ``manage.py seed_demo`` builds it, seeded once per test process.

Seeding builds 400 people and their programs, mentorships and meetings: about 5 CPU seconds,
which a dozen tests paid each. ``demo_organisation`` seeds once (in a savepoint rolled back at
once), keeps the rows the seed wrote, and writes those rows again for each test that asks:
the database each test starts from holds, row for row, what the seed writes. The kept rows
are reused only on a database that held the same rows before seeding, on the same day (the
seed dates meetings, goals and reviews from today); otherwise the seed runs again.

Tests of the seed itself (what its first run reports, seeding again) call the command.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from mentorbridge.demo.seed import seed_demo

Rows = dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]]


def database_rows() -> Rows:
    """Every row of every table of the installed models, by table, in a stable order."""
    rows: Rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = tuple(column[0] for column in cursor.description)
            rows[table] = (columns, sorted(cursor.fetchall(), key=repr))
    return rows


def _fingerprint(rows: Rows) -> str:
    return hashlib.sha256(repr(sorted(rows.items())).encode()).hexdigest()


@dataclass(frozen=True)
class SeededRows:
    """The tables the seed changed, each with its whole content after seeding."""

    tables: Rows

    def write(self) -> None:
        """Replace the content of those tables with what the seed left (in the test's
        transaction: foreign keys are checked at its end, as Django's TestCase does)."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
                cursor.execute(f"DELETE FROM {quote(table)}")
                if rows:
                    names = ", ".join(quote(column) for column in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
                    )
            by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
            models = [by_table[table] for table in self.tables if table in by_table]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)  # PostgreSQL: the next id follows the written ones


def seed_and_keep() -> SeededRows:
    """Seed, keep what changed, and roll the seed back."""
    before = database_rows()
    savepoint = transaction.savepoint()
    try:
        seed_demo()
        after = database_rows()
    finally:
        transaction.savepoint_rollback(savepoint)
    return SeededRows({table: after[table] for table in after if after[table] != before[table]})


@pytest.fixture(scope="session")
def kept_demo_seeds() -> dict[tuple[object, str], SeededRows]:
    """This process's kept seeds, by day and by the rows the database held before seeding."""
    return {}


@pytest.fixture
def demo_seed(
    db: None, kept_demo_seeds: dict[tuple[object, str], SeededRows]
) -> Callable[[], SeededRows]:
    """What seeding this test's database writes: kept from an earlier test when that one
    started from the same rows on the same day, else seeded (and rolled back) now."""

    def rows() -> SeededRows:
        key = (timezone.localdate(), _fingerprint(database_rows()))
        if key not in kept_demo_seeds:
            kept_demo_seeds[key] = seed_and_keep()
        return kept_demo_seeds[key]

    return rows


@pytest.fixture
def demo_organisation(demo_seed: Callable[[], SeededRows]) -> None:
    """The database as ``manage.py seed_demo`` leaves it."""
    demo_seed().write()
