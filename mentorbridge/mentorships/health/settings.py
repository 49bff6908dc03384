"""A program's care settings (check-in schedule, health thresholds), with the defaults when
its admins never changed them."""

from __future__ import annotations

from collections.abc import Iterable

from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.programs.models import Program


def care_for(program: Program) -> CareSettings:
    """The program's settings; an unsaved row with the defaults if none is stored."""
    found = CareSettings.objects.filter(program=program).first()
    return found or CareSettings(program=program)


def care_by_program(program_ids: Iterable[int]) -> dict[int, CareSettings]:
    """Settings of many programs in one query (defaults where none are stored)."""
    ids = set(program_ids)
    found = {c.program_id: c for c in CareSettings.objects.filter(program_id__in=ids)}
    return {pk: found.get(pk) or CareSettings(program_id=pk) for pk in ids}
