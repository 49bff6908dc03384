from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentorbridge.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from mentorbridge.audit import personal_data
        from mentorbridge.core.personal_data import register_personal_data

        register_personal_data(
            "audit_log",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=70,
        )
