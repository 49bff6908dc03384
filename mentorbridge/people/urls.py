from django.urls import path

from mentorbridge.people import views

urlpatterns = [
    path("", views.directory, name="people-directory"),
    path("me/edit/", views.edit_profile, name="people-edit-profile"),
    path("me/read-skills/", views.read_skills, name="people-read-skills"),
    path("import/", views.import_people, name="people-import"),
    path("skills/autocomplete/", views.skill_autocomplete, name="people-skill-autocomplete"),
    path("skills/row/", views.skill_row, name="people-skill-row"),
    path("<str:employee_id>/", views.profile, name="people-profile"),
]
