"""Mentorship pages that belong to a program, mounted under /programs/ by the project's urls."""

from django.urls import path

from mentorbridge.mentorships.health import views as health_views

urlpatterns = [
    path("<slug:slug>/health/", health_views.health, name="mentorships-program-health"),
    path("<slug:slug>/health/rules/", health_views.rules, name="mentorships-health-rules"),
    path("<slug:slug>/closure/", health_views.closure, name="mentorships-program-closure"),
    path(
        "<slug:slug>/health/<int:mentorship_id>/reach-out/",
        health_views.reach_out,
        name="mentorships-reach-out",
    ),
]
