from django.contrib import admin

from mentorbridge.people.models import Department, Person, PersonSkill, Skill


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    autocomplete_fields = ["skill"]
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_id", "first_name", "last_name", "job_title", "department", "level",
                    "location", "is_active"]  # fmt: skip
    list_filter = ["is_active", "department", "level"]
    search_fields = ["employee_id", "first_name", "last_name", "user__email", "job_title"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["department"]
    inlines = [PersonSkillInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "area"]
    list_filter = ["area"]
    search_fields = ["name", "slug"]
