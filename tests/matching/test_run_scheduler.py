"""``manage.py run_scheduler``: a batch the database refuses is not the end of the scheduler."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import OperationalError

from mentorbridge.matching.management.commands import run_scheduler

pytestmark = pytest.mark.django_db


class Stop(BaseException):
    """Ends the endless loop from its sleep."""


def test_a_batch_refused_by_a_locked_database_is_tried_again_at_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batches: list[str] = []

    def recover() -> dict[str, int]:
        batches.append("batch")
        if len(batches) == 1:
            raise OperationalError("database is locked")
        return {}

    def sleep(seconds: float) -> None:
        if len(batches) == 2:
            raise Stop

    monkeypatch.setattr(run_scheduler, "work_recover", recover)
    monkeypatch.setattr(run_scheduler.time, "sleep", sleep)
    with pytest.raises(Stop):
        call_command("run_scheduler", "--every", "10")
    assert batches == ["batch", "batch"]
