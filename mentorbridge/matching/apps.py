from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mentorbridge.matching"
    label = "matching"
    verbose_name = "Finding a mentor"
