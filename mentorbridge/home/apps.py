from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "mentorbridge.home"
    label = "home"
    verbose_name = "Home and overview"
