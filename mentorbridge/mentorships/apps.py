from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorbridge.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"

    def ready(self) -> None:
        from mentorbridge.core.personal_data import register_personal_data
        from mentorbridge.mentorships import personal_data

        register_personal_data(
            "mentorships",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=20,
        )
        from mentorbridge.mentorships.profile import (
            history_profile_section,
            thanks_profile_section,
        )
        from mentorbridge.people.profile_sections import PROFILE_SECTIONS

        for build in (history_profile_section, thanks_profile_section):
            if build not in PROFILE_SECTIONS:
                PROFILE_SECTIONS.append(build)
        from mentorbridge.mentorships.health import receivers

        receivers.connect()
