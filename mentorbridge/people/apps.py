from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mentorbridge.people"
    label = "people"
    verbose_name = "People"
