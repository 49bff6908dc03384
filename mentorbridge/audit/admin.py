from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mentorbridge.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the log is written by the app, never edited by hand."""

    list_display = ("at", "actor_label", "action", "summary", "ip")
    list_filter = ("action",)
    search_fields = ("actor_label", "summary", "target_label")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
