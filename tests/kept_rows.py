"""Build a test world once per test process and write its rows again for each test.

A fixture that builds many rows through the services (the demo organisation, the permission
matrix's world) costs the same CPU for every test that asks. ``KeptBuilds.get`` builds once
(in a savepoint rolled back at once), keeps the rows the build wrote and what it returned, and
for each later test writes those rows again in the test's transaction: each test starts from
the database the build leaves, row for row, with the same primary keys, so what the build
returned (ids, model instances, a deep copy for each test) still names them.

Kept rows are reused only on a database that held the same rows before the build, on the same
day (builds date meetings and reviews from today); otherwise the build runs again. Only the
database is kept: a build must leave nothing else behind that a test reads (process caches,
files), or leave it as a restart would.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

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
    """The tables a build changed, each with its whole content after the build."""

    tables: Rows

    def write(self) -> None:
        """Replace the content of those tables with what the build left (in the test's
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


def build_and_keep(build: Callable[[], Any]) -> tuple[SeededRows, Any]:
    """Run the build, keep what it changed and what it returned, and roll it back."""
    before = database_rows()
    savepoint = transaction.savepoint()
    try:
        value = build()
        after = database_rows()
    finally:
        transaction.savepoint_rollback(savepoint)
    changed = {table: after[table] for table in after if after[table] != before[table]}
    return SeededRows(changed), value


class KeptBuilds:
    """This process's kept builds, by name, day and the rows the database held before."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, object, str], tuple[SeededRows, Any]] = {}

    def rows(self, name: str, build: Callable[[], Any]) -> tuple[SeededRows, Any]:
        """What the build writes on this test's database, and what it returned."""
        key = (name, timezone.localdate(), _fingerprint(database_rows()))
        if key not in self._kept:
            self._kept[key] = build_and_keep(build)
        return self._kept[key]

    def get(self, name: str, build: Callable[[], Any]) -> Any:
        """The database as the build leaves it; what it returned (a copy per test)."""
        rows, value = self.rows(name, build)
        rows.write()
        return copy.deepcopy(value)
