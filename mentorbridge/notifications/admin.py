from django.contrib import admin

from mentorbridge.notifications.models import DailyRun, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "recipient", "kind", "channel", "created_at", "read_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["recipient__email", "title"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ["user", "kind", "channel", "updated_at"]
    list_filter = ["kind", "channel"]


@admin.register(DailyRun)
class DailyRunAdmin(admin.ModelAdmin[DailyRun]):
    list_display = ["name", "day", "started_at", "finished_at", "counts"]
    readonly_fields = ["name", "day", "started_at", "finished_at", "counts"]
