"""A person's data: all of it as one JSON document, or erased, through the registry in
:mod:`mentorbridge.core.personal_data` (each app says what it holds)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.core.permissions import is_site_admin
from mentorbridge.core.personal_data import Erasure, personal_data_sources
from mentorbridge.people.models import Person
from mentorbridge.privacy.models import ErasureRecord

EXPORT_FORMAT = "mentorbridge-personal-data/1"
NOT_SITE_ADMIN = "Only site admins erase people."
NOT_YOURSELF = "You cannot erase yourself: ask another site admin."
ALREADY_ERASED = "{label} was already erased on {day}."
CONFIRM_MISMATCH = "Type {name}'s full name or employee ID ({employee_id}) to confirm."


def erased_label(person: Person) -> str:
    """What an erased person is called from then on."""
    return f"Erased person #{person.pk}"


def personal_data_export(*, person: Person) -> dict[str, Any]:
    """Everything MentorBridge holds about ``person``, one section per kind of data."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "employee_id": person.employee_id,
        "name": person.full_name,
        "sections": {
            source.name: {"description": source.description, "data": source.export(person)}
            for source in personal_data_sources()
        },
    }


@transaction.atomic
def personal_data_download(*, person: Person) -> bytes:
    """The export as UTF-8 JSON, recorded in the audit log."""
    document = personal_data_export(person=person)
    audit_record(
        action=AuditAction.PERSONAL_DATA_DOWNLOADED,
        target=person,
        summary=f"{person.full_name} downloaded their personal data",
        details={"sections": sorted(document["sections"])},
    )
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def confirmation_matches(person: Person, typed: str) -> bool:
    """The site admin typed the person's full name or employee ID (any case, any spaces)."""
    folded = " ".join(typed.split()).casefold()
    return bool(folded) and folded in {
        " ".join(person.full_name.split()).casefold(),
        person.employee_id.casefold(),
    }


@transaction.atomic
def person_erase(*, person: Person, by: Any, confirm: str) -> ErasureRecord:
    """Erase ``person``: every app's erase step, in order, in one transaction (any failure
    erases nothing). The person's row stays, anonymised, so counts, rounds and mentorships
    still add up; the sign-in account is switched off; the audit log records it."""
    if not is_site_admin(by):
        raise PermissionDenied(NOT_SITE_ADMIN)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    found = ErasureRecord.objects.filter(person=person).first()
    if found is not None:
        raise ValidationError(
            ALREADY_ERASED.format(label=person.full_name, day=found.erased_at.date())
        )
    if person.user_id == by.pk:
        raise ValidationError(NOT_YOURSELF)
    if not confirmation_matches(person, confirm):
        raise ValidationError(
            {
                "confirm": CONFIRM_MISMATCH.format(
                    name=person.full_name, employee_id=person.employee_id
                )
            }
        )
    erasure = Erasure(
        person=person, person_id=person.pk, user_id=person.user_id,
        employee_id=person.employee_id, full_name=person.full_name, email=person.user.email,
        label=erased_label(person), by=by,
    )  # fmt: skip
    figures = {source.name: source.erase(erasure) for source in personal_data_sources()}
    record = ErasureRecord.objects.create(person=person, erased_by=by, figures=figures)
    person.refresh_from_db()
    audit_record(
        action=AuditAction.PERSON_ERASED,
        target=person,
        target_label=erasure.label,
        summary=f"{erasure.label} erased (employee ID {erasure.employee_id} at the time)",
        details={"employee_id": erasure.employee_id, "figures": figures},
        actor=by,
    )
    return record
