"""``manage.py seed_demo``: build (or refresh) the demo organisation. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mentorbridge.demo.seed import DEMO_PASSWORD, demo_accounts, seed_demo


class Command(BaseCommand):
    help = "Create the demo company, its programs and demo accounts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report, enrollments = seed_demo()
        self.stdout.write(
            f"Demo organisation ready: {report.created} people created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {enrollments} enrollments added."
        )
        for account in demo_accounts():
            self.stdout.write(f"  {account.email:<36} {account.role}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
