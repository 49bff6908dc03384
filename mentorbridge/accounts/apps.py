from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentorbridge.accounts"
    label = "accounts"
    verbose_name = "Accounts"
