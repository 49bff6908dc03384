from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from mentorbridge.programs.services import program_settings


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "always_open", "cohort_starts_on", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["admins", "eligible_departments"]

    def save_model(self, request: HttpRequest, obj: Program, form: Any, change: bool) -> None:
        """Settings changed here are audited like those changed on the program's pages
        (admins added or removed are recorded by the relation itself)."""
        stored = Program.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if stored is None:
            return
        before, after = program_settings(stored), program_settings(obj)
        changed = {
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        }
        if changed:
            audit_record(
                action=AuditAction.PROGRAM_SETTINGS_CHANGED,
                target=obj,
                summary=f"Settings of {obj.name} changed in Django admin: "
                + ", ".join(sorted(changed)),
                details={"program": obj.slug, "changed": changed, "via": "django admin"},
            )


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0
    filter_horizontal = ["skills"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "role", "status", "mentor_capacity", "created_at"]
    list_filter = ["program", "role", "status"]
    search_fields = ["person__first_name", "person__last_name", "person__employee_id"]
    raw_id_fields = ["person", "invited_by"]
    inlines = [FocusAreaInline]
