from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorbridge.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"

    def ready(self) -> None:
        from mentorbridge.mentorships.profile import (
            history_profile_section,
            thanks_profile_section,
        )
        from mentorbridge.people.profile_sections import PROFILE_SECTIONS

        for build in (history_profile_section, thanks_profile_section):
            if build not in PROFILE_SECTIONS:
                PROFILE_SECTIONS.append(build)
