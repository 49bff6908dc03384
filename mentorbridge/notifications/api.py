"""Notifications in the JSON API: the list, marking read, and choices per kind. Everyone
sees and changes only their own."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema

from mentorbridge.core.limits import CHOICE_MAX_CHARS
from mentorbridge.core.schemas import InputSchema
from mentorbridge.notifications import selectors, services
from mentorbridge.notifications.kinds import KINDS

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationListOut(Schema):
    unread: int
    items: list[NotificationOut]


class PreferenceOut(Schema):
    kind: str
    label: str
    channel: str = Field(..., description="email, digest (weekly), in_app or off")


class PreferenceIn(InputSchema):
    kind: str = Field(..., max_length=CHOICE_MAX_CHARS)
    channel: str = Field(..., max_length=CHOICE_MAX_CHARS)


@router.get("", response=NotificationListOut, summary="Your notifications, newest first")
def list_notifications(
    request: HttpRequest, unread_only: bool = False, limit: int = Query(50, ge=1, le=200)
) -> dict[str, object]:
    items = selectors.notifications_of(request.user)
    if unread_only:
        items = items.filter(read_at__isnull=True)
    return {"unread": selectors.unread_count(request.user), "items": list(items[:limit])}


@router.post("/{pk}/read", response=NotificationOut, summary="Mark one notification read")
def read_notification(request: HttpRequest, pk: int) -> object:
    return services.notification_open(notification=selectors.notification_for(request.user, pk))


@router.post("/read-all", response=dict[str, int], summary="Mark every notification read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notifications_read_all(user=request.user)}


@router.get("/preferences", response=list[PreferenceOut], summary="Your choice per kind")
def get_preferences(request: HttpRequest) -> list[dict[str, str]]:
    chosen = services.preferences_of(request.user)
    return [{"kind": k, "label": KINDS[k].label, "channel": c} for k, c in chosen.items()]


@router.put("/preferences", response=list[PreferenceOut], summary="Change choices per kind")
def put_preferences(
    request: HttpRequest, body: list[PreferenceIn] = Body(..., max_length=len(KINDS))
) -> list[dict[str, str]]:
    from django.db import transaction

    with transaction.atomic():
        for item in body:
            services.preference_set(user=request.user, kind=item.kind, channel=item.channel)
    return get_preferences(request)
