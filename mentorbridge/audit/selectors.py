"""Reading the audit log with the filters the page and the API share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from mentorbridge.audit.models import AuditAction, AuditEvent

BAD_ACTION = "“{value}” is not an audited action; choose one of: {choices}."
BAD_DATE = "“{value}” is not a date: write it as YYYY-MM-DD."
DATES_REVERSED = "The “from” date ({since}) is after the “to” date ({until})."


@dataclass(frozen=True)
class AuditFilters:
    """What to show: one action, an actor (part of their email or name), a range of days
    (both ends included, in the server's time zone)."""

    action: str = ""
    actor: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    @classmethod
    def parse(
        cls, *, action: str = "", actor: str = "", since: str = "", until: str = ""
    ) -> AuditFilters:
        """Filters from text (a query string); a ``ValidationError`` names each bad field."""
        errors: dict[str, str] = {}
        action = action.strip()
        if action and action not in AuditAction.values:
            errors["action"] = BAD_ACTION.format(
                value=action, choices=", ".join(AuditAction.values)
            )
        days: dict[str, datetime.date | None] = {}
        for name, value in (("since", since), ("until", until)):
            value = value.strip()
            try:
                days[name] = datetime.date.fromisoformat(value) if value else None
            except ValueError:
                errors[name] = BAD_DATE.format(value=value[:40])
                days[name] = None
        if days["since"] and days["until"] and days["since"] > days["until"]:
            errors["until"] = DATES_REVERSED.format(since=days["since"], until=days["until"])
        if errors:
            raise ValidationError(errors)
        return cls(action=action, actor=actor.strip(), since=days["since"], until=days["until"])

    @property
    def active(self) -> bool:
        return bool(self.action or self.actor or self.since or self.until)

    def as_query(self) -> dict[str, Any]:
        """The filters as query parameters (for pagination links and the API)."""
        found = {
            "action": self.action,
            "actor": self.actor,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in found.items() if value}


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Events matching ``filters``, newest first."""
    events = AuditEvent.objects.all()
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.since:
        events = events.filter(at__date__gte=filters.since)
    if filters.until:
        events = events.filter(at__date__lte=filters.until)
    return events.order_by("-at", "-pk")
