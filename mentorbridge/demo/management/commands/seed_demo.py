"""``manage.py seed_demo``: build the demo organisation. A second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorbridge.demo.seed import DEMO_PASSWORD, demo_accounts, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo company, its programs and demo accounts. Running it again changes "
        "nothing, whatever was imported since."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Do not list the demo accounts (bin/run lists them once the server answers).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        if report.changed_anything:
            self.stdout.write(
                f"Demo organisation ready: {report.people_created} people created, "
                f"{report.passwords_set} demo passwords set, {report.programs_created} programs "
                f"created, {report.enrollments_added} enrollments and "
                f"{report.requests_added} requests added."
            )
        else:
            self.stdout.write(
                "Demo organisation already in place: nothing added or changed "
                "(imports and edits since are kept)."
            )
        if options["no_accounts"]:
            return
        for account in demo_accounts():
            self.stdout.write(f"  {account.email:<36} {account.role}")
        self.stdout.write(f"  Every demo person signs in with the password: {DEMO_PASSWORD}")
