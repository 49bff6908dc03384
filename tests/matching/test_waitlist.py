"""The waitlist and the periodic tasks."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mentorbridge.matching.models import Proposal
from mentorbridge.matching.services import waitlist
from mentorbridge.matching.services.waitlist import waitlist_fill
from mentorbridge.matching.tasks import fill_waitlist
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from mentorbridge.programs.services import enrollment_join

pytestmark = pytest.mark.django_db


def test_a_program_without_automatic_matching_leaves_its_waitlist_alone(
    program: Program, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    assert waitlist_fill(program=program) == 0
    assert not Proposal.objects.exists()


def test_a_new_mentor_is_proposed_to_waiting_mentees(
    program: Program, mentee: Person, outsider: Person, focus_area: FocusArea,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    program.waitlist_auto_match = True
    program.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)
    task = DBTaskResult.objects.get(task_path__endswith="fill_waitlist")
    assert task.args_kwargs["kwargs"] == {"program_id": program.pk}
    assert fill_waitlist.call(program_id=program.pk) == 1
    proposal = Proposal.objects.get()
    assert (proposal.mentee, proposal.mentor, proposal.status) == (mentee, outsider, "sent")
    assert proposal.round.status == "published"


def test_the_waitlist_is_solved_with_the_cycle_collector_paused(
    program: Program, mentee: Person, mentor: Person, focus_area: FocusArea,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    program.waitlist_auto_match = True
    program.save()
    seen: list[bool] = []
    solve = waitlist.solve

    def solve_and_look(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return solve(*args, **kwargs)

    monkeypatch.setattr(waitlist, "solve", solve_and_look)
    assert waitlist_fill(program=program) == 1
    assert seen == [False]
    assert gc.isenabled()


def test_the_scheduler_queues_expiry_the_waitlist_sweep_reminders_digests_and_the_log_cut(
    db: None,
) -> None:
    call_command("run_scheduler", "--once")
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sorted(p.rsplit(".", 1)[1] for p in paths) == [
        "expire_requests", "fill_all_waitlists", "prune_program_changes", "send_agenda_reminders",
        "send_weekly_digests", "sweep_nudges",
    ]  # fmt: skip
