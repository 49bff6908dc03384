from django.urls import path

from mentorbridge.mentorships.notes import views

# Mounted under /mentorships/<pk>/meetings/<meeting_id>/notes/.
urlpatterns = [
    path("", views.add, name="mentorships-note-add"),
    path("private/", views.private, name="mentorships-private-note"),
]
