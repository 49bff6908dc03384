from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "mentorbridge.core"
    label = "core"
    verbose_name = "MentorBridge"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, dispatch_uid="mentorbridge-core-setup")


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Runs once, after the last of our apps (so every permission exists).
    if sender.label == "programs":
        from mentorbridge.core.setup import ensure_base_data

        ensure_base_data(using=kwargs.get("using", "default"))
