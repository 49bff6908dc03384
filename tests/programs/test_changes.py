"""A program's change log is cut when it grows long, without ever bringing back a stamp."""

from __future__ import annotations

import pytest
from django.db import connection

from mentorbridge.matching.adapter import program_stamp
from mentorbridge.people.models import Person
from mentorbridge.programs.changes import program_changes_prune
from mentorbridge.programs.models import Program, ProgramChange

pytestmark = pytest.mark.django_db


def log_of(program: Program) -> list[int]:
    return list(
        ProgramChange.objects.filter(program_id=program.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_a_long_log_is_cut_to_one_fresh_row_above_every_id_before(
    program: Program, mentee: Person, mentor: Person
) -> None:
    before = log_of(program)
    assert len(before) > 2
    deleted = program_changes_prune(above=2)
    after = log_of(program)
    assert deleted >= len(before)  # other programs' long logs (other tests' rows) are cut too
    assert not ProgramChange.objects.filter(pk__in=before).exists()
    assert len(after) == 1 and after[0] > max(before)


def test_a_cut_moves_the_stamp_once_and_then_it_holds_still(
    program: Program, mentee: Person, mentor: Person
) -> None:
    before = program_stamp(program)
    program_changes_prune(above=2)
    cut = program_stamp(program)
    assert cut != before
    assert program_stamp(program) == cut


def test_a_short_log_or_another_programs_log_is_left_alone(
    program: Program, mentee: Person, mentor: Person
) -> None:
    other = Program.objects.create(name="Other", slug="other")
    ProgramChange.objects.filter(program_id=other.pk).delete()
    ProgramChange.objects.create(program_id=other.pk)
    mine = log_of(program)
    program_changes_prune(above=len(mine))  # (other tests' programs may be cut)
    assert log_of(program) == mine
    program_changes_prune(above=1)
    assert len(log_of(other)) == 1


def test_a_writer_that_commits_after_the_cut_never_brings_back_a_stamp_from_before_it(
    program: Program,
) -> None:
    # Three writes; the middle one took its id but had not committed when the stamp was read
    # and the log was cut (it is not in the table yet), and commits afterwards.
    ProgramChange.objects.filter(program_id=program.pk).delete()
    first = ProgramChange.objects.create(program_id=program.pk)
    pending = ProgramChange.objects.create(program_id=program.pk)
    last = ProgramChange.objects.create(program_id=program.pk)
    pending_id = pending.pk
    pending.delete()
    assert first.pk < pending_id < last.pk
    cached = program_stamp(program)  # a cache built now lacks the pending write
    program_changes_prune(above=1)
    ProgramChange.objects.create(id=pending_id, program_id=program.pk)  # its late commit
    # cut to the newest row alone, this would be (2 rows, highest id last.pk): the cached stamp
    assert program_stamp(program) != cached


WATCHED = ("programs_enrollment", "programs_focusarea", "programs_focusarea_skills")


def triggers_on(table: str) -> set[str]:
    """The events (INSERT, UPDATE, DELETE) that fire a trigger on ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_manipulation FROM information_schema.triggers "
                "WHERE event_object_table = %s",
                [table],
            )
            return {event for (event,) in cursor.fetchall()}
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        return {
            event for (sql,) in cursor.fetchall() for event in ("INSERT", "UPDATE", "DELETE")
            if f"AFTER {event} ON" in sql
        }  # fmt: skip


@pytest.mark.parametrize("table", WATCHED)
def test_every_table_the_log_watches_keeps_its_triggers_after_every_migration(table: str) -> None:
    # SQLite rebuilds a table for many schema changes and drops its triggers with it: a later
    # migration of these tables must create them again, or the stamp stops moving
    assert triggers_on(table) == {"INSERT", "UPDATE", "DELETE"}
