"""Store a mentorship's health again whenever something the rules read changes: meetings
(held, missed), check-ins, goals, action items, agreement versions and confirmations, and the
mentorship itself (started, paused, resumed, ended). Connected in ``apps.py``.

The health is stored in the same transaction as the change, like the emails it may cause, so
the admins' list shows the new state as soon as the change is saved."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.agreements.models import AgreementConfirmation, AgreementVersion
from mentorbridge.mentorships.checkins.models import CheckIn
from mentorbridge.mentorships.goals.models import Goal
from mentorbridge.mentorships.health.store import health_refresh
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship

#: Mentorship fields the rules (or being listed at all) depend on.
_MENTORSHIP_FIELDS = {"status", "started_at", "program"}


def _refresh(mentorship_id: int | None) -> None:
    if mentorship_id is not None:
        health_refresh([mentorship_id])


def _on_content(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if sender is Meeting and created and instance.status == MeetingStatus.PLANNED:
        return  # a planned meeting changes nothing the rules read
    _refresh(getattr(instance, "mentorship_id", None))


def _on_confirmation(sender: Any, instance: AgreementConfirmation, **kwargs: Any) -> None:
    _refresh(
        AgreementVersion.objects.filter(pk=instance.version_id)
        .values_list("mentorship_id", flat=True)
        .first()
    )


def _on_mentorship(
    sender: Any, instance: Mentorship, created: bool = False, update_fields: Any = None, **kw: Any
) -> None:
    if created or update_fields is None or _MENTORSHIP_FIELDS & set(update_fields):
        _refresh(instance.pk)


def connect() -> None:
    for model in (Meeting, CheckIn, Goal, ActionItem, AgreementVersion):
        post_save.connect(_on_content, sender=model, dispatch_uid=f"health-{model.__name__}")
        post_delete.connect(_on_content, sender=model, dispatch_uid=f"health-del-{model.__name__}")
    post_save.connect(_on_confirmation, sender=AgreementConfirmation, dispatch_uid="health-conf")
    post_delete.connect(
        _on_confirmation, sender=AgreementConfirmation, dispatch_uid="health-del-conf"
    )
    post_save.connect(_on_mentorship, sender=Mentorship, dispatch_uid="health-mentorship")
