"""A large round's preview written while the engine certifies its flow (`early_preview`): kept
only when the final proposals are the rows written, else rolled back and written as before."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, connections, transaction

from mentorbridge.matching.models import MatchingRound, RoundStatus
from mentorbridge.matching.services import early_preview
from mentorbridge.matching.services import rounds as svc
from mentorbridge.matching_engine import Session
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.concurrency import on_postgresql


@pytest.fixture
def cohort(cohort_of_four: Program) -> Program:
    """Mia plus three more mentees; Max (2 places) and Mo (1 place): one focus area waits."""
    return cohort_of_four


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every round writes early (the cohort is small), and each writer's outcome is noted:
    whether it was offered a flow and whether its write was kept."""
    monkeypatch.setattr(svc, "EARLY_PREVIEW_FOCUS_AREAS", 1)
    writers: list[dict[str, Any]] = []
    real = early_preview.EarlyPreview.finish_with

    def finish_with(self: early_preview.EarlyPreview, rows: Any, finish: Any) -> bool:
        kept = real(self, rows, finish)
        writers.append({"offered": self.rows is not None, "kept": kept})
        return kept

    monkeypatch.setattr(early_preview.EarlyPreview, "finish_with", finish_with)
    return writers


def _as_worker(monkeypatch: pytest.MonkeyPatch, program: Program, by: Person) -> MatchingRound:
    """Queue a round as the app does, then run it as the worker does (outside any
    transaction)."""
    queued: list[int] = []
    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)
    monkeypatch.setattr(
        svc, "run_round_task", SimpleNamespace(enqueue=lambda *, round_id: queued.append(round_id))
    )
    svc.round_start(program=program, by=by)
    (round_id,) = queued
    return svc.round_run(MatchingRound.objects.get(pk=round_id))


def _proposals(matching_round: MatchingRound) -> list[tuple[Any, ...]]:
    return sorted(
        matching_round.proposals.values_list(
            "focus_area_id", "mentee_id", "mentor_id", "score", "factors", "pinned", "status"
        )
    )


def _no_writer_left() -> bool:
    return not any(t.name == "early-preview" for t in threading.enumerate())


@pytest.mark.django_db
def test_early_writes_are_off_inside_a_transaction_and_on_sqlite() -> None:
    # inside one the round itself may be uncommitted: the writer's foreign-key check on it
    # would wait for the caller, who waits for the writer
    with transaction.atomic():
        assert not early_preview.early_writes_allowed()
    if connection.vendor != "postgresql":
        assert not early_preview.early_writes_allowed()


@pytest.mark.django_db
def test_a_round_inside_a_transaction_stores_its_preview_without_an_early_writer(
    cohort: Program, program_admin: Person, early: list[dict[str, Any]]
) -> None:
    preview = svc.round_start(program=cohort, by=program_admin)  # in the request: atomic
    assert preview.status == RoundStatus.READY
    assert early == []  # no writer was made
    assert len(_proposals(preview)) == preview.stats["matched"] == 3


class TestOnPostgresql:
    pytestmark = on_postgresql("a second connection writes beside the worker's")

    def test_the_flow_written_early_is_kept_when_it_is_the_certified_preview(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert preview.status == RoundStatus.READY
        assert early == [{"offered": True, "kept": True}]
        written = _proposals(preview)
        assert len(written) == preview.stats["matched"] == 3
        assert {p[-1] for p in written} == {"preview"}
        assert set(preview.stats["stages"]) == {"read", "build", "solve", "store"}
        assert _no_writer_left()
        # the same preview as a round that writes it at the end
        monkeypatch.setattr(svc, "EARLY_PREVIEW_FOCUS_AREAS", 10**9)
        MatchingRound.objects.filter(pk=preview.pk).update(status="superseded")
        later = _as_worker(monkeypatch, cohort, program_admin)
        assert len(early) == 1  # no writer this time
        assert [p[:6] for p in _proposals(later)] == [p[:6] for p in written]

    def test_a_flow_that_is_not_the_final_preview_is_rolled_back_and_the_preview_written(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        # as if the certificate had moved a pair: the flow offered lacks its last pair
        real = early_preview.EarlyPreview.offer
        monkeypatch.setattr(
            early_preview.EarlyPreview, "offer", lambda self, flow: real(self, flow[:-1])
        )
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert preview.status == RoundStatus.READY
        assert early == [{"offered": True, "kept": False}]
        assert len(_proposals(preview)) == preview.stats["matched"] == 3  # each once
        assert _no_writer_left()

    def test_a_second_flow_rolls_the_first_write_back_at_once(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        # another round followed (as the rounds of a tie-heavy cohort do): the first flow's
        # write is not the preview, and its transaction (its rows' locks) ends then, not when
        # the solve does
        real = early_preview.EarlyPreview.offer
        left: list[bool] = []

        def offer_twice(self: early_preview.EarlyPreview, flow: Any) -> None:
            real(self, flow)
            real(self, flow)
            left.append(_no_writer_left())

        monkeypatch.setattr(early_preview.EarlyPreview, "offer", offer_twice)
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert left == [True]
        assert preview.status == RoundStatus.READY
        assert early == [{"offered": True, "kept": False}]
        assert len(_proposals(preview)) == preview.stats["matched"] == 3

    def test_an_admin_cancels_at_once_while_the_engine_certifies_and_nothing_is_kept(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        # the cancel comes from a request (its own connection) while the early writer's
        # transaction is open: it does not wait for the writer, whose work is then undone
        real = early_preview.EarlyPreview.offer
        cancels: list[str] = []

        def cancel() -> None:
            try:
                [running] = MatchingRound.objects.filter(status=RoundStatus.RUNNING)
                svc.round_cancel(matching_round=running, by=program_admin)
                cancels.append("cancelled")
            finally:
                connections.close_all()

        def offer_then_cancel(self: early_preview.EarlyPreview, flow: Any) -> None:
            real(self, flow)
            for _ in range(100):  # until the writer has written and checked what it may
                if self._verdict_waiting.is_set():
                    break
                time.sleep(0.05)
            request = threading.Thread(target=cancel)
            request.start()
            request.join(timeout=10)
            assert not request.is_alive(), "the cancel waited for the early writer"

        monkeypatch.setattr(early_preview.EarlyPreview, "offer", offer_then_cancel)
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert cancels == ["cancelled"]
        assert preview.status == RoundStatus.FAILED
        assert preview.progress_text == "Cancelled"
        assert early == [{"offered": True, "kept": False}]
        assert _proposals(preview) == []
        assert _no_writer_left()

    def test_a_solve_that_fails_after_its_flow_leaves_no_proposal(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        real = Session.solve

        def solve_then_fail(self: Session, *args: Any, **kwargs: Any) -> Any:
            real(self, *args, **kwargs)
            raise RuntimeError("the certificate broke")

        monkeypatch.setattr(Session, "solve", solve_then_fail)
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert preview.status == RoundStatus.FAILED
        assert "the certificate broke" in preview.error
        assert _proposals(preview) == []
        assert _no_writer_left()

    def test_an_early_write_that_fails_leaves_the_preview_to_the_round(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        def broken_insert(rows: Any) -> None:
            raise RuntimeError("the disk is full")

        real_init = early_preview.EarlyPreview.__init__

        def init(self: early_preview.EarlyPreview, rows_of: Any, insert: Any, *rest: Any) -> None:
            real_init(self, rows_of, broken_insert, *rest)

        monkeypatch.setattr(early_preview.EarlyPreview, "__init__", init)
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert preview.status == RoundStatus.READY
        assert early == [{"offered": True, "kept": False}]
        assert len(_proposals(preview)) == preview.stats["matched"] == 3
        assert _no_writer_left()

    def test_an_early_write_whose_commit_fails_leaves_the_preview_to_the_round(
        self, cohort: Program, program_admin: Person, early: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        # the keys are checked at the commit here (no check before it), and one row written
        # names nobody: the commit fails after the summary was saved in its transaction
        def bad_insert(rows: Any) -> None:
            svc._insert_proposals([(*rows[0][:2], 10**9, *rows[0][3:]), *rows[1:]])

        real_init = early_preview.EarlyPreview.__init__

        def init(self: early_preview.EarlyPreview, rows_of: Any, insert: Any, *rest: Any) -> None:
            real_init(self, rows_of, bad_insert)

        monkeypatch.setattr(early_preview.EarlyPreview, "__init__", init)
        preview = _as_worker(monkeypatch, cohort, program_admin)
        assert early == [{"offered": True, "kept": False}]
        assert preview.status == RoundStatus.READY
        written = _proposals(preview)
        assert len(written) == preview.stats["matched"] == 3
        assert 10**9 not in {p[1] for p in written}
        assert _no_writer_left()
