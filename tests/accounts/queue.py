"""Work what the database task queue holds, as ``manage.py db_worker`` does, inside a test.

The worker command itself closes database connections between tasks, which would end a
test's transaction on PostgreSQL; this takes the same steps on the test's connection.
"""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Run every queued task once, in queue order, recording each result; returns how many."""
    ran = 0
    for result in DBTaskResult.objects.ready():
        result.claim("tests")
        arguments = result.args_kwargs
        result.set_successful(result.task.call(*arguments["args"], **arguments["kwargs"]))
        ran += 1
    return ran
