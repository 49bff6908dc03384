"""``manage.py import_people FILE.csv``: create and update people from an HRIS export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorbridge.people.importing import import_people


class Command(BaseCommand):
    help = "Import people from an HRIS CSV file. A file with any error changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="UTF-8 CSV with a header row")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, write nothing"
        )
        parser.add_argument(
            "--overwrite-profiles",
            action="store_true",
            help="also replace what existing people wrote on their profiles (bio, goals, "
            "expertise, skills, languages, timezone, mentoring hours)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        report = import_people(
            data, dry_run=options["dry_run"], overwrite_profiles=options["overwrite_profiles"]
        )
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(f"{path.name}: {problem}")
            if report.error_count > len(report.errors):
                self.stderr.write(f"… and {report.error_count - len(report.errors)} more.")
            raise CommandError(
                f"Nothing was imported: {report.error_count} problem(s) in {report.rows} row(s)."
            )
        verb = "Checked (nothing written)" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} {report.rows} rows in {report.seconds:.1f} s: {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged."
        )
