from django.urls import path

from mentorbridge.mentorships.checkins import views

# Mounted under /mentorships/<pk>/.
urlpatterns = [
    path("check-in/", views.checkin, name="mentorships-checkin"),
    path("feedback/", views.feedback, name="mentorships-feedback"),
    path("thanks/", views.thanks, name="mentorships-thanks"),
    path("thanks/<int:note_id>/display/", views.thanks_display, name="mentorships-thanks-display"),
]
