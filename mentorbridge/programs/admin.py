from django.contrib import admin

from mentorbridge.programs.models import Enrollment, FocusArea, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "always_open", "cohort_starts_on", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["admins", "eligible_departments"]


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
