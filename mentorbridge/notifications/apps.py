from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentorbridge.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from mentorbridge.core.personal_data import register_personal_data
        from mentorbridge.notifications import personal_data

        register_personal_data(
            "notifications",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=40,
        )
