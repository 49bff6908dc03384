from django.urls import path

from mentorbridge.mentorships.groups import views

urlpatterns = [
    path("", views.add, name="mentorships-group-add"),
    path("<int:person_id>/remove/", views.remove, name="mentorships-group-remove"),
]
