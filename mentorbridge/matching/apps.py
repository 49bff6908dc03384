from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mentorbridge.matching"
    label = "matching"
    verbose_name = "Finding a mentor"

    def ready(self) -> None:
        from mentorbridge.core.personal_data import register_personal_data
        from mentorbridge.matching import personal_data

        register_personal_data(
            "requests_and_proposals",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=10,
        )
        from mentorbridge.matching import receivers
        from mentorbridge.matching.overview import STANDING
        from mentorbridge.matching.services.rounds import rounds_recover
        from mentorbridge.outbox.signals import worker_starting, workers_lost
        from mentorbridge.people.signals import people_left
        from mentorbridge.programs.signals import (
            mentor_places_opened,
            participation_ended,
            program_closed,
            program_settings_changed,
        )
        from mentorbridge.programs.standing import register_standing

        mentor_places_opened.connect(
            receivers.fill_waitlist_when_places_open, dispatch_uid="matching-waitlist"
        )
        participation_ended.connect(
            receivers.wind_up_participation, dispatch_uid="matching-participation-ended"
        )
        people_left.connect(receivers.wind_up_people_who_left, dispatch_uid="matching-people-left")
        program_closed.connect(
            receivers.wind_up_closed_program, dispatch_uid="matching-program-closed"
        )
        program_settings_changed.connect(
            receivers.compute_vectors_when_meaning_turned_on,
            dispatch_uid="matching-vectors-program-settings",
        )
        workers_lost.connect(rounds_recover, dispatch_uid="matching-rounds-recover")
        worker_starting.connect(
            receivers.load_engine_in_worker, dispatch_uid="matching-engine-in-worker"
        )
        from django.db.models.signals import post_save

        from mentorbridge.people.models import Person
        from mentorbridge.programs.models import Enrollment, FocusArea

        for model in (Person, FocusArea, Enrollment):
            post_save.connect(
                receivers.compute_vectors_after_edit,
                sender=model,
                dispatch_uid=f"matching-vectors-{model.__name__}",
            )
        register_standing(STANDING)
