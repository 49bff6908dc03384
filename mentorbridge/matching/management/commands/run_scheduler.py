"""``manage.py run_scheduler``: queue the periodic tasks (request expiry, waitlist sweep).

The database worker runs them; this process only decides *when*. ``--once`` queues one
batch and exits (for cron).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorbridge.matching.tasks import expire_requests, fill_all_waitlists


class Command(BaseCommand):
    help = "Queue periodic work (request expiry, waitlist matching) every --every seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=300, help="seconds between batches")
        parser.add_argument("--once", action="store_true", help="queue one batch and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            expire_requests.enqueue()
            fill_all_waitlists.enqueue()
            if options["once"]:
                self.stdout.write("Queued request expiry and the waitlist sweep.")
                return
            time.sleep(max(options["every"], 10))
