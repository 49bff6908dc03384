from django.urls import path

from mentorbridge.mentorships.lifecycle import views

# Mounted under /mentorships/<pk>/.
urlpatterns = [
    path("pause/", views.pause, name="mentorships-pause"),
    path("resume/", views.resume, name="mentorships-resume"),
    path("closure/", views.closure, name="mentorships-closure"),
    path("introduce/", views.introduce, name="mentorships-introduce"),
]
