from django.urls import path

from mentorbridge.programs import views

urlpatterns = [
    path("", views.program_list, name="programs-list"),
    path("new/", views.program_new, name="programs-new"),
    path("<slug:slug>/", views.program_detail, name="programs-detail"),
    path("<slug:slug>/edit/", views.program_edit, name="programs-edit"),
    path(
        "<slug:slug>/agreement-template/",
        views.program_agreement_template,
        name="programs-agreement-template",
    ),
    path("<slug:slug>/status/", views.program_status, name="programs-status"),
    path("<slug:slug>/join/", views.program_join, name="programs-join"),
    path("<slug:slug>/withdraw/", views.program_withdraw, name="programs-withdraw"),
    path(
        "<slug:slug>/focus-areas/<int:focus_area_id>/read-skills/",
        views.focus_area_read_skills,
        name="programs-focus-area-read-skills",
    ),
    path("<slug:slug>/mentoring/", views.program_mentoring, name="programs-mentoring"),
    path("<slug:slug>/enrollments/", views.program_enrollments, name="programs-enrollments"),
    path(
        "<slug:slug>/enrollments/<int:enrollment_id>/decision/",
        views.enrollment_decision,
        name="programs-enrollment-decision",
    ),
]
