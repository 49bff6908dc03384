"""The audit log in the JSON API, for site admins."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema

from mentorbridge.audit.selectors import AuditFilters, audit_events
from mentorbridge.audit.views import NOT_SITE_ADMIN
from mentorbridge.core.limits import CHOICE_MAX_CHARS
from mentorbridge.core.permissions import is_site_admin

router = Router()
MAX_OFFSET = 1_000_000_000


class AuditEventOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target: str
    summary: str
    details: dict[str, Any]
    ip: str | None


class AuditPageOut(Schema):
    count: int
    results: list[AuditEventOut]


@router.get("", response=AuditPageOut, summary="Read the audit log (site admins)")
def list_audit_events(
    request: HttpRequest,
    action: str = Query("", max_length=CHOICE_MAX_CHARS),
    actor: str = Query("", max_length=254),
    since: str = Query("", description="First day, YYYY-MM-DD (included).", max_length=10),
    until: str = Query("", description="Last day, YYYY-MM-DD (included).", max_length=10),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """Sensitive actions newest first: role and program admin changes, imports, exports,
    erasures, rounds published, program settings, API tokens. Filter by ``action``, ``actor``
    (part of their email) and a range of days."""
    if not is_site_admin(request.user):
        raise PermissionDenied(NOT_SITE_ADMIN)
    events = audit_events(AuditFilters.parse(action=action, actor=actor, since=since, until=until))
    return {
        "count": events.count(),
        "results": [
            {
                "id": event.pk,
                "at": event.at,
                "actor": event.actor_label,
                "action": event.action,
                "target_type": event.target_type,
                "target_id": event.target_id,
                "target": event.target_label,
                "summary": event.summary,
                "details": event.details,
                "ip": event.ip,
            }
            for event in events[offset : offset + limit]
        ],
    }
