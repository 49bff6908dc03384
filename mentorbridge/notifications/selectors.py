"""Reading notifications: the bell's count and the list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from mentorbridge.notifications.models import Notification


def unread_count(user: Any) -> int:
    """How many notifications the person has not opened (the number on the bell)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_for(user: Any, pk: int) -> Notification:
    """One of the person's own notifications; 404 for anyone else's."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
