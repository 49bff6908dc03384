"""An email backend for the worker-process tests: files that survive the process, and a send
that hangs for addresses starting with ``stall`` (so a test can kill the worker mid-send)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend


class StallingBackend(EmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        for message in email_messages:
            for address in message.to:
                if address.startswith("stall"):
                    Path(settings.EMAIL_FILE_PATH, f"stalled-{address}").touch()
                    time.sleep(120)
        return super().send_messages(email_messages)
