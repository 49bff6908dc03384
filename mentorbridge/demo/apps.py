from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mentorbridge.demo"
    label = "demo"
    verbose_name = "Demo organisation"
