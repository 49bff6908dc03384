"""Personal data in the JSON API: your own export; erasure for site admins."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mentorbridge.core.limits import IDENTIFIER_MAX_CHARS
from mentorbridge.core.permissions import is_site_admin
from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.people.models import Person
from mentorbridge.privacy.services import (
    NOT_SITE_ADMIN,
    erased_label,
    person_erase,
    personal_data_download,
)

router = Router()


class EraseIn(InputSchema):
    # the person's full name or employee ID, as on the page
    confirm: str = Field(..., max_length=IDENTIFIER_MAX_CHARS)


class ErasureOut(Schema):
    person: str
    employee_id: str
    erased_at: str
    figures: dict[str, dict[str, int]]


@router.get("/me/export", response=dict[str, Any], summary="Download all your data (JSON)")
def export_my_data(request: HttpRequest) -> dict[str, Any]:
    """Everything MentorBridge holds about you, one section per kind of data (the same as
    `/privacy/my-data.json`). Recorded in the audit log."""
    # The download's JSON (dates as ISO text), read back so ninja sends the same document.
    return json.loads(personal_data_download(person=current_person(request)))


@router.post(
    "/people/{employee_id}/erase", response=ErasureOut, summary="Erase a person (site admins)"
)
def erase_person(request: HttpRequest, employee_id: str, payload: EraseIn) -> dict[str, Any]:
    """Anonymise the person, delete their private content, switch off their sign-in, and
    record it in the audit log. `confirm` must be their full name or employee ID."""
    if not is_site_admin(request.user):
        raise PermissionDenied(NOT_SITE_ADMIN)
    person = get_object_or_404(Person, employee_id=employee_id)
    record = person_erase(person=person, by=request.user, confirm=payload.confirm)
    person.refresh_from_db()
    return {
        "person": erased_label(person),
        "employee_id": person.employee_id,
        "erased_at": record.erased_at.isoformat(),
        "figures": record.figures,
    }
