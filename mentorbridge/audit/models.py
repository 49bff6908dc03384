"""The audit log: one row for each sensitive action, who did it, from where and when."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    ROLE_CHANGED = "role.changed", "Account role changed"
    PROGRAM_ADMINS_CHANGED = "program.admins_changed", "Program admins changed"
    PROGRAM_CREATED = "program.created", "Program created"
    PROGRAM_SETTINGS_CHANGED = "program.settings_changed", "Program settings changed"
    PROGRAM_STATUS_CHANGED = "program.status_changed", "Program status changed"
    PEOPLE_IMPORTED = "people.imported", "People imported"
    DATA_EXPORTED = "data.exported", "Data exported (CSV)"
    ROUND_PUBLISHED = "round.published", "Matching round published"
    TOKEN_CREATED = "token.created", "API token created"
    TOKEN_REVOKED = "token.revoked", "API token revoked"
    PERSONAL_DATA_DOWNLOADED = "person.data_downloaded", "Personal data downloaded"
    PERSON_ERASED = "person.erased", "Person erased"


class AuditEvent(models.Model):
    """A sensitive action. Written in the transaction of the change it records, so a change
    that is rolled back leaves no event, and an event never describes a change that did not
    happen. ``actor_label`` keeps who it was as they were named then (the account may go)."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The signed-in account; empty for the command line and background work.",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, choices=AuditAction)
    target_type = models.CharField(max_length=60, blank=True, help_text="app.model of the target.")
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="audit_at_idx"),
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'}: {self.summary}"

    @property
    def details_text(self) -> str:
        """The details as indented JSON, for reading on the page."""
        return json.dumps(self.details, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
