"""Mentorships in Django admin: to look things up, not to change them.

Mentorships start and end through services that enforce capacity and close loose ends (requests,
proposals, the waitlist); editing rows here would bypass all of that, so admin only shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mentorbridge.mentorships.models import Meeting, Mentorship

PEOPLE_SEARCH = [
    "mentee__first_name", "mentee__last_name", "mentee__employee_id", "mentee__user__email",
    "mentor__first_name", "mentor__last_name", "mentor__employee_id", "mentor__user__email",
]  # fmt: skip


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows with search and filters; adds, changes and deletes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mentorship)
class MentorshipAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "status", "source", "started_at", "ended_at",
                    "ended_early"]  # fmt: skip
    list_filter = ["program", "status", "source", "ended_early"]
    search_fields = [*PEOPLE_SEARCH, "focus_area__title", "program__name"]
    list_select_related = ["program", "mentee", "mentor", "focus_area"]
    date_hierarchy = "started_at"


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    """When meetings happen and how they went: never their agenda, notes or action items
    (those are the pair's; private notes are not in admin at all)."""

    list_display = ["__str__", "mentorship", "starts_at", "minutes", "status", "logged"]
    list_filter = ["status", "logged", "mentorship__program"]
    fields = ["mentorship", "starts_at", "minutes", "channel", "status", "logged", "sequence"]
    list_select_related = ["mentorship__mentee", "mentorship__mentor", "mentorship__focus_area"]
    date_hierarchy = "starts_at"
