"""Background work of meetings (queued by ``manage.py run_scheduler``)."""

from __future__ import annotations

from django_tasks import task

from mentorbridge.mentorships.meetings.reminders import agenda_reminders_send


@task()
def send_agenda_reminders() -> int:
    """Remind both people of tomorrow's meetings to prepare the agenda."""
    return len(agenda_reminders_send())
