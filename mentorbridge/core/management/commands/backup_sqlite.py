"""``manage.py backup_sqlite DEST``: a consistent copy of the SQLite database while it runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

NOT_SQLITE = "The database is not SQLite ({engine}): back PostgreSQL up with pg_dump."
EXISTS = "{dest} already exists: choose a new file name (a backup never overwrites)."


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to DEST with SQLite's online backup API: safe while the web "
        "server and worker keep writing (a plain file copy is not)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="the new backup file")

    def handle(self, *args: Any, **options: Any) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(NOT_SQLITE.format(engine=database["ENGINE"]))
        dest: Path = options["dest"]
        if dest.exists():
            raise CommandError(EXISTS.format(dest=dest))
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(str(database["NAME"]))
        target = sqlite3.connect(str(dest))
        try:
            with target:
                source.backup(target)
            problem = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
            source.close()
        if problem != "ok":
            raise CommandError(f"The copy in {dest} failed its integrity check: {problem}")
        self.stdout.write(f"Backed up {database['NAME']} to {dest} ({dest.stat().st_size} bytes).")
