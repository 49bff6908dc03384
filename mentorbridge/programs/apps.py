from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "mentorbridge.programs"
    label = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        from mentorbridge.core.personal_data import register_personal_data
        from mentorbridge.programs import personal_data

        register_personal_data(
            "enrollments",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=30,
        )
        from mentorbridge.programs import audit

        audit.connect()
