"""What finding a mentor does when the apps below it announce something."""

from __future__ import annotations

import pytest

from mentorbridge.matching_engine import cli
from mentorbridge.outbox.management.commands.run_worker import Command
from mentorbridge.outbox.signals import worker_starting


def test_a_starting_worker_loads_the_matching_engines_kernels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded: list[str] = []

    def warm_up() -> float:
        loaded.append("kernels")
        return 0.0

    monkeypatch.setattr(cli, "warm_up", warm_up)
    worker_starting.send(sender=Command, worker_id="worker-1")
    assert loaded == ["kernels"]
