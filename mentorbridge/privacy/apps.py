from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mentorbridge.privacy"
    label = "privacy"
    verbose_name = "Personal data"
