"""What the audit log holds about a person: what they did (as the actor) and what was done to
their account or profile. The events stay (the company must be able to show what happened);
the person's name and address in them are replaced."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mentorbridge.audit.models import AuditEvent
from mentorbridge.core.personal_data import Erasure, replace_ignoring_case

DESCRIPTION = "Sensitive actions you took (audit log)."


def export(person: Any) -> list[dict[str, Any]]:
    """Events they did, newest first."""
    return [
        {"at": e.at, "action": e.action, "summary": e.summary, "ip": e.ip}
        for e in AuditEvent.objects.filter(actor_id=person.user_id).order_by("-at", "-pk")
    ]


def erase(erasure: Erasure) -> dict[str, int]:
    """Name them by their label in every event; drop the IP addresses of what they did."""
    as_actor = AuditEvent.objects.filter(actor_id=erasure.user_id).update(
        actor_label=erasure.label, ip=None
    )
    words = [w for w in (erasure.email, erasure.full_name) if w.strip()]
    mentioning = Q()
    for word in words:
        mentioning |= Q(summary__icontains=word) | Q(target_label__icontains=word)
    changed = 0
    for event in AuditEvent.objects.filter(mentioning):
        for word in words:
            event.summary = replace_ignoring_case(event.summary, word, erasure.label)
            event.target_label = replace_ignoring_case(event.target_label, word, erasure.label)
        event.save(update_fields=["summary", "target_label"])
        changed += 1
    return {"events_as_actor_relabelled": as_actor, "events_naming_them_redacted": changed}
