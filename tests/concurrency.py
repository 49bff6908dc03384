"""Running jobs at the same moment for the tests of races (real PostgreSQL row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections


def on_postgresql(reason: str = "row locks are tested on PostgreSQL") -> list[pytest.MarkDecorator]:
    """The marks of a module whose tests race real transactions: committed rows (the threads
    see them), and only on PostgreSQL (SQLite serialises every writer)."""
    return [
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(connection.vendor != "postgresql", reason=reason),
    ]


def at_once(jobs: list[Callable[[], str]]) -> list[str]:
    """Each job in its own thread, all released together; what each returned, or the refusal
    in words (a ValidationError's messages), or "ERROR <type>: ..." for anything else (a
    deadlock: what a person would see as a 500), in the order they finished."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job: Callable[[], str]) -> None:
        try:
            barrier.wait()
            outcomes.append(job())
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # a database error is an outcome the test looks at
            outcomes.append(f"ERROR {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
