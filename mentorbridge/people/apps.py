from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    name = "mentorbridge.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from mentorbridge.core.personal_data import register_personal_data
        from mentorbridge.people import personal_data

        register_personal_data(
            "profile",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=5,
        )
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="mentorbridge-people-setup")


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Every installation starts with the curated skills catalogue; safe to run again.
    from mentorbridge.people.services import skills_sync_catalogue

    skills_sync_catalogue()
