from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "mentorbridge.outbox"
    label = "outbox"
    verbose_name = "Emails and background work"
