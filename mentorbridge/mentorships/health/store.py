"""Stored health: each active mentorship's status, the rules that fired (in words, with the
facts they read) and when it was computed.

The daily sweep stores every active mentorship's health; a change to what the rules read (a
meeting, a check-in, a goal, an action item, the agreement, a pause or resume: see
``receivers.py``) stores that mentorship's again at once. The admins' list and the API read
the rows; a row from an earlier day (or missing) is computed again when read, a chunk at a
time, so the list is never older than the day it is read on.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.health.facts import CHUNK, facts_for, thresholds_of
from mentorbridge.mentorships.health.models import CareSettings, MentorshipHealth
from mentorbridge.mentorships.health.rules import Facts, Health, Level, Reason, evaluate
from mentorbridge.mentorships.health.settings import care_by_program
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus

#: A row computed on this day is stale whatever today is (set when the thresholds change).
STALE = datetime.date(1970, 1, 1)
_LEVELS = {lvl.slug: lvl for lvl in Level}
_FIELDS = [
    "program", "level", "reasons", "facts", "last_meeting_on", "since_on", "computed_on",
    "computed_at",
]  # fmt: skip


def _facts_data(facts: Facts) -> dict[str, Any]:
    data = dataclasses.asdict(facts)
    for name, value in data.items():
        if isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif isinstance(value, tuple):
            data[name] = list(value)
    return data


def _reasons_data(health: Health) -> list[dict[str, str]]:
    return [
        {"rule": r.rule, "level": r.level.slug, "text": r.text, "next_step": r.next_step}
        for r in health.reasons
    ]


def health_of_row(row: MentorshipHealth) -> Health:
    """The stored row as the rules' own result (the level and every reason in words)."""
    return Health(
        Level(row.level),
        [Reason(r["rule"], _LEVELS[r["level"]], r["text"], r["next_step"]) for r in row.reasons],
    )


def health_rows(
    mentorships: Sequence[Mentorship],
    care: dict[int, CareSettings],
    today: datetime.date,
    facts: dict[int, Facts] | None = None,
) -> list[MentorshipHealth]:
    """Unsaved rows for active mentorships (facts are read unless given)."""
    facts = facts if facts is not None else facts_for(mentorships, today)
    now = timezone.now()
    rows = []
    for m in mentorships:
        found = facts[m.pk]
        health = evaluate(found, thresholds_of(care[m.program_id]))
        rows.append(
            MentorshipHealth(
                mentorship_id=m.pk, program_id=m.program_id, level=int(health.level),
                reasons=_reasons_data(health), facts=_facts_data(found),
                last_meeting_on=found.last_meeting_on,
                since_on=found.last_meeting_on or found.started_on, computed_on=today,
                computed_at=now,
            )
        )  # fmt: skip
    return rows


def health_save(rows: Iterable[MentorshipHealth]) -> None:
    """Insert or replace rows (one statement per 1,000)."""
    MentorshipHealth.objects.bulk_create(
        list(rows), batch_size=CHUNK, update_conflicts=True, unique_fields=["mentorship"],
        update_fields=_FIELDS,
    )  # fmt: skip


@transaction.atomic
def health_refresh(mentorship_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Compute and store the health of these mentorships now (a fixed number of queries per
    1,000); rows of mentorships no longer active are removed. Returns how many were stored."""
    today = today or timezone.localdate()
    ids = sorted(set(mentorship_ids))
    stored = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = list(Mentorship.objects.filter(pk__in=chunk).only("pk", "program_id", "status",
                                                                   "started_at"))  # fmt: skip
        active = [m for m in found if m.status == MentorshipStatus.ACTIVE]
        gone = set(chunk) - {m.pk for m in active}
        if gone:
            MentorshipHealth.objects.filter(mentorship_id__in=gone).delete()
        if active:
            care = care_by_program({m.program_id for m in active})
            health_save(health_rows(active, care, today))
            stored += len(active)
    return stored


def health_purge() -> int:
    """Remove rows of mentorships no longer active (a status changed without a save signal,
    e.g. a bulk update); the list counts on rows existing only for active ones."""
    return MentorshipHealth.objects.exclude(mentorship__status=MentorshipStatus.ACTIVE).delete()[0]


def health_mark_stale(*, program_id: int) -> int:
    """The program's thresholds changed: every row is computed again when next read (or by
    the background task queued with the change)."""
    return MentorshipHealth.objects.filter(program_id=program_id).update(computed_on=STALE)


def stale_ids(program_id: int, today: datetime.date, limit: int) -> list[int]:
    """Active mentorships of the program whose health is missing or not from today."""
    return list(
        Mentorship.objects.filter(program_id=program_id, status=MentorshipStatus.ACTIVE)
        .exclude(stored_health__computed_on=today)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def health_refresh_program(program_id: int, today: datetime.date | None = None) -> int:
    """Bring every stale row of a program up to date, a chunk at a time."""
    today = today or timezone.localdate()
    done = 0
    while ids := stale_ids(program_id, today, CHUNK):
        done += health_refresh(ids, today)
    return done
