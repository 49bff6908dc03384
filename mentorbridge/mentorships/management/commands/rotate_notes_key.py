"""``manage.py rotate_notes_key``: re-encrypt every private note under the first key of
``NOTES_ENCRYPTION_KEYS``.

To rotate: put a new key first (``manage.py rotate_notes_key --new-key`` prints one), keep the
old ones after it, run this command, then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandParser

from mentorbridge.mentorships.notes.services import private_notes_rotate


class Command(BaseCommand):
    help = "Re-encrypt every private note under the first NOTES_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key", action="store_true", help="print a fresh key to put first, and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        count = private_notes_rotate()
        self.stdout.write(f"Re-encrypted {count} private note{'s' if count != 1 else ''}.")
