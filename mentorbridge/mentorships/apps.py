from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorbridge.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"

    def ready(self) -> None:
        from mentorbridge.mentorships.profile import thanks_profile_section
        from mentorbridge.people.profile_sections import PROFILE_SECTIONS

        if thanks_profile_section not in PROFILE_SECTIONS:
            PROFILE_SECTIONS.append(thanks_profile_section)
