"""Program admins added or removed, for the audit log, however it is done (services, Django
admin, code), from either side of the relation."""

from __future__ import annotations

from typing import Any

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

VERBS = {"post_add": "added as admin of", "post_remove": "removed as admin of",
         "pre_clear": "removed as admin of"}  # fmt: skip


def record_admins_change(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **_: Any
) -> None:
    """One event per program and person whose admin role changed."""
    if action not in VERBS or (not pk_set and action != "pre_clear"):
        return
    if reverse:  # person.administered_programs.add(...)
        people = [instance]
        chosen = Program.objects.filter(pk__in=pk_set) if pk_set else instance.administered_programs
        programs = list(chosen.all())
    else:
        programs = [instance]
        chosen_people = Person.objects.filter(pk__in=pk_set) if pk_set else instance.admins
        people = list(chosen_people.all())
    for program in programs:
        for person in people:
            audit_record(
                action=AuditAction.PROGRAM_ADMINS_CHANGED,
                target=program,
                summary=f"{person.full_name} {VERBS[action]} {program.name}",
                details={
                    "program": program.slug,
                    "employee_id": person.employee_id,
                    "change": "added" if action == "post_add" else "removed",
                },
            )


def connect() -> None:
    """Listen for admin changes (called from the app's ``ready``)."""
    from django.db.models.signals import m2m_changed

    m2m_changed.connect(
        record_admins_change, sender=Program.admins.through, dispatch_uid="audit-program-admins"
    )
