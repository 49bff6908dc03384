from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentorbridge.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from mentorbridge.accounts import personal_data
        from mentorbridge.core.personal_data import register_personal_data

        register_personal_data(
            "account",
            description=personal_data.DESCRIPTION,
            export=personal_data.export,
            erase=personal_data.erase,
            order=50,
        )
        from mentorbridge.accounts import audit

        audit.connect()
