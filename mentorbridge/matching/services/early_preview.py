"""A large round's preview written while the engine still certifies the flow it comes from.

The engine hears its round's flow before the certificate that proves it optimal (`Session.
solve`'s ``on_flow``), and on a 20,000-mentee round the proposals' COPY and its foreign-key
checks take about 0.7 s of PostgreSQL's time; the certificate after the flow takes about as
long. :class:`EarlyPreview` writes the flow's proposals in a transaction of its own thread
(its own connection) meanwhile, and keeps them only when the final result's proposals are the
very same rows: then the round's summary is saved in that transaction and it commits. Any
difference (another round followed, the certificate moved a pair), a cancelled round or an
error rolls it back and the caller writes the preview as before. A worker killed meanwhile
leaves nothing: the transaction never committed.

Only on PostgreSQL, and only where the caller's connection is outside a transaction (a worker
between tasks): inside one, the round itself might not be committed, and the writer's
foreign-key check on it would wait for the caller, who waits for the writer.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction

log = logging.getLogger(__name__)

Row = tuple[Any, ...]


class _Discard(Exception):
    """Rolls the early write back."""


def early_writes_allowed() -> bool:
    """Whether this thread's round may write its preview early (see the module's docstring)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class EarlyPreview:
    """Writes the first flow a solve offers (``offer``, the engine's ``on_flow``) in a thread,
    then waits there, inside its transaction, for ``finish_with``."""

    def __init__(
        self,
        rows_of: Callable[[Sequence[Any]], list[Row]],
        insert: Callable[[list[Row]], None],
        check_now: Callable[[], None] = lambda: None,
    ) -> None:
        """``rows_of(assignments)``: the proposal rows of the engine's assignments;
        ``insert(rows)``: writes them on this thread's connection (`_insert_proposals`);
        ``check_now()``: runs the deferred foreign-key checks that may run before the verdict
        (the round's own must not: its lock on the round's row would hold up an admin's
        cancel until the engine is done)."""
        self._rows_of = rows_of
        self._insert = insert
        self._check_now = check_now
        self._verdict: queue.Queue[Callable[[], bool] | None] = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._verdict_waiting = threading.Event()  # written and checked: waits for the verdict
        self._offered = False
        self.rows: list[Row] | None = None
        self.kept = False

    def offer(self, assignments: Sequence[Any]) -> None:
        """Start writing the first flow's proposals. A second flow means the first was not
        the preview: its write is rolled back at once (its transaction held its rows' locks)
        and nothing more is written early (the round writes its preview when it ends)."""
        if self._offered:
            self.abandon()
            return
        self._offered = True
        try:
            self.rows = self._rows_of(assignments)
        except Exception:  # the engine's callback must not raise: no early write then
            log.exception("early preview: the flow's rows could not be built")
            return
        self._thread = threading.Thread(
            target=self._write, args=(self.rows,), name="early-preview", daemon=True
        )
        self._thread.start()

    def _write(self, rows: list[Row]) -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # a preview can be made again (see rounds._store)
                    cursor.execute("SET LOCAL synchronous_commit = off")
                self._insert(rows)
                self._check_now()  # while the engine certifies, not at commit
                self._verdict_waiting.set()
                finish = self._verdict.get()
                if finish is None or not finish():
                    raise _Discard
            self.kept = True  # committed (the round's own key checked at the commit)
        except _Discard:
            pass
        except Exception:  # the caller writes the preview itself: it sees the same error, if any
            log.exception("early preview: writing it failed")
        finally:
            connection.close()  # this thread's connection ends with it

    def finish_with(self, rows: list[Row], finish: Callable[[], bool]) -> bool:
        """Keep the early write where the final ``rows`` are the very rows written: run
        ``finish()`` in its transaction (it returns False to roll it back: a cancelled round)
        and commit. True when the preview is stored so; otherwise nothing of it is left."""
        thread = self._thread
        if thread is None:
            return False
        self._verdict.put(finish if rows == self.rows else None)
        thread.join()
        return self.kept

    def abandon(self) -> None:
        """Roll back whatever was written (the solve failed, or went on to another flow)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._verdict.put(None)
            thread.join()
        self._thread = None
