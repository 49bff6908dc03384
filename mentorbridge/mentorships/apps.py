from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorbridge.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"
