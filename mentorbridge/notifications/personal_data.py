"""What the notifications app holds about a person: their notifications and their choices,
and other people's notifications that name them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mentorbridge.core.personal_data import Erasure, replace_ignoring_case
from mentorbridge.notifications.models import Notification, Preference

DESCRIPTION = "Your notifications (under the bell) and how you chose to receive each kind."


def export(person: Any) -> dict[str, Any]:
    """Notifications to them, oldest first, and their choices per kind."""
    user = person.user
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "channel": n.channel,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
        "preferences": {p.kind: p.channel for p in Preference.objects.filter(user=user)},
    }


def erase(erasure: Erasure) -> dict[str, int]:
    """Delete their notifications and choices; take their name out of everyone else's."""
    own, _ = Notification.objects.filter(recipient_id=erasure.user_id).delete()
    choices, _ = Preference.objects.filter(user_id=erasure.user_id).delete()
    words = [w for w in (erasure.full_name, erasure.email) if w.strip()]
    mentioning = Q()
    for word in words:
        mentioning |= Q(title__icontains=word) | Q(body__icontains=word)
    changed = 0
    for notification in Notification.objects.filter(mentioning):
        for word in words:
            notification.title = replace_ignoring_case(notification.title, word, erasure.label)
            notification.body = replace_ignoring_case(notification.body, word, erasure.label)
        notification.save(update_fields=["title", "body"])
        changed += 1
    return {
        "notifications_deleted": own,
        "preferences_deleted": choices,
        "notifications_naming_them_redacted": changed,
    }
