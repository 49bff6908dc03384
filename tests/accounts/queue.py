"""Run what the task queue holds, as ``manage.py db_worker`` does, for tests."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Work every queued task once (the real worker, in batch mode); returns how many ran."""
    waiting = DBTaskResult.objects.ready().count()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    return waiting
