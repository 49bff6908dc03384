"""``manage.py run_scheduler``: queue the periodic tasks and recover crashed work.

Every ``--every`` seconds: recover what dead workers left (tasks back in the queue, emails
released, stuck rounds failed; see :mod:`mentorbridge.outbox.workers`), queue emails whose
retry is due, then queue request expiry, the waitlist sweep, the daily nudges (once a day), the
agenda reminders of tomorrow's meetings, (on Mondays) the weekly digests, the cut of the
programs' long change logs and, when semantic matching is on and some profile or goal lacks
its vector (the site setting was just switched on), the vectors task for the worker.
A batch the database refuses (locked, restarting) is logged and tried again at the next one.
``--once`` does one batch and exits (for cron).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from mentorbridge.matching.receivers import queue_missing_vectors
from mentorbridge.matching.tasks import expire_requests, fill_all_waitlists
from mentorbridge.mentorships.meetings.tasks import send_agenda_reminders
from mentorbridge.mentorships.tasks import sweep_nudges
from mentorbridge.notifications.tasks import send_weekly_digests
from mentorbridge.outbox.workers import work_recover
from mentorbridge.programs.tasks import prune_program_changes

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Recover crashed work and queue periodic work every --every seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=300, help="seconds between batches")
        parser.add_argument("--once", action="store_true", help="queue one batch and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            if options["once"]:
                recovered = batch()
                self.stdout.write(
                    f"Recovered {recovered}; queued request expiry, the waitlist sweep and "
                    "agenda reminders."
                )
                return
            try:
                batch()
            except DatabaseError:
                # One refused batch (SQLite locked past its busy timeout, PostgreSQL restarting)
                # ended the scheduler, and with it crash recovery, until someone restarted it.
                log.exception("Scheduler batch failed; trying again in the next one")
                close_old_connections()
            time.sleep(max(options["every"], 10))


def batch() -> dict[str, int]:
    """Recover crashed work and queue the periodic tasks; what was recovered."""
    recovered = work_recover()
    expire_requests.enqueue()
    fill_all_waitlists.enqueue()
    send_weekly_digests.enqueue()
    sweep_nudges.enqueue()
    send_agenda_reminders.enqueue()
    prune_program_changes.enqueue()
    queue_missing_vectors()
    return recovered
