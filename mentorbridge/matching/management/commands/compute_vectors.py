"""Compute the sentence vectors semantic matching uses (only texts that changed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorbridge.matching.vectors import vectors_compute


class Command(BaseCommand):
    help = (
        "Compute the sentence vectors of mentors' profiles and mentees' goals whose text "
        "changed or that have none (needs the 'semantic' extra: make semantic)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = vectors_compute()
        except ImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Computed {report.computed} vectors, {report.unchanged} unchanged, "
            f"in {report.seconds:.1f} s."
        )
