"""Background work of mentorships (worked by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import task

from mentorbridge.mentorships.health.store import health_refresh_program
from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep


@task()
def sweep_nudges() -> dict[str, int]:
    """The day's reminders, resumes and closures (a no-op after the day's run finished)."""
    return nudges_sweep()


@task()
def refresh_program_health(program_id: int) -> int:
    """Store every stale health row of a program (after its thresholds changed)."""
    return health_refresh_program(program_id)
