"""Background work of notifications (worked by ``manage.py run_worker``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from mentorbridge.notifications.services import digests_send


@task()
def send_weekly_digests() -> int:
    """On Mondays, email each person on the weekly digest what gathered during the week."""
    if timezone.localdate().weekday() != 0:
        return 0
    return digests_send()
