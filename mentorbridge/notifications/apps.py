from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentorbridge.notifications"
    verbose_name = "Notifications"
