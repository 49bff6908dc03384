"""Background work of the programs app (run by the task worker)."""

from __future__ import annotations

from django_tasks import task

from mentorbridge.programs.changes import program_changes_prune


@task()
def prune_program_changes() -> int:
    """Cut the programs' long change logs (see :mod:`mentorbridge.programs.changes`)."""
    return program_changes_prune()
