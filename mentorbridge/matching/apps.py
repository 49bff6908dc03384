from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mentorbridge.matching"
    label = "matching"
    verbose_name = "Finding a mentor"

    def ready(self) -> None:
        from mentorbridge.matching.services.rounds import rounds_recover
        from mentorbridge.outbox.signals import workers_lost

        workers_lost.connect(rounds_recover, dispatch_uid="matching-rounds-recover")
