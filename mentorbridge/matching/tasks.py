"""Background tasks of finding a mentor (worked by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import task

from mentorbridge.matching.services.requests import requests_expire
from mentorbridge.matching.services.waitlist import waitlist_fill
from mentorbridge.matching.vectors import vectors_compute
from mentorbridge.programs.models import Program


@task()
def expire_requests() -> int:
    """Expire unanswered requests whose time is up (mentees are emailed)."""
    return requests_expire()


@task()
def fill_waitlist(*, program_id: int) -> int:
    """Match one program's waitlist if places are free."""
    program = Program.objects.filter(pk=program_id).first()
    return waitlist_fill(program=program) if program else 0


@task()
def fill_all_waitlists() -> int:
    """Sweep every program that matches its waitlist automatically."""
    return sum(
        waitlist_fill(program=program)
        for program in Program.objects.filter(waitlist_auto_match=True)
    )


@task()
def compute_vectors() -> int:
    """Compute the sentence vectors of profiles and goals whose text changed (semantic
    matching); returns how many were computed."""
    return vectors_compute().computed
