"""Recording sensitive actions: every app calls :func:`audit_record` where such a change is
written, inside the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from mentorbridge.audit.context import current_actor
from mentorbridge.audit.models import AuditAction, AuditEvent

SYSTEM = "system (command line or background work)"


def _label(user: Any) -> str:
    return str(getattr(user, "email", "") or user) if user is not None else SYSTEM


def audit_record(
    *,
    action: AuditAction | str,
    summary: str,
    target: models.Model | None = None,
    target_label: str = "",
    details: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEvent:
    """Store one audit event. The actor and IP come from the current request (see
    :mod:`mentorbridge.audit.context`) unless ``actor`` is given; outside a request (commands,
    the worker) the actor is "system"."""
    request_user, ip = current_actor()
    who = actor if actor is not None else request_user
    return AuditEvent.objects.create(
        actor=who if who is not None and getattr(who, "pk", None) else None,
        actor_label=_label(who)[:254],
        action=AuditAction(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:200],
        summary=summary[:300],
        details=details or {},
        ip=ip,
    )
