from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "mentorbridge.outbox"
    label = "outbox"
    verbose_name = "Emails and background work"

    def ready(self) -> None:
        from mentorbridge.core.personal_data import register_personal_data
        from mentorbridge.outbox import personal_data

        register_personal_data(
            "emails",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=60,
        )
