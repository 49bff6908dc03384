from django.urls import path

from mentorbridge.matching import overview_views, round_views, views
from mentorbridge.mentorships import views as mentorship_views

urlpatterns = [
    path("inbox/", views.inbox, name="matching-inbox"),
    path("requests/<int:pk>/<str:action>/", views.answer_request, name="matching-answer"),
    path("proposals/<int:pk>/", round_views.proposal_detail, name="matching-proposal"),
    path(
        "proposals/<int:pk>/answer/", round_views.proposal_answer, name="matching-proposal-answer"
    ),
    path("mentorships/<int:pk>/end/", mentorship_views.end, name="mentorships-end"),
]

# Mounted under /programs/ (see mentorbridge/programs/urls.py).
program_urlpatterns = [
    path("<slug:slug>/overview/", overview_views.program_overview, name="matching-overview"),
    path(
        "<slug:slug>/enrollments.csv",
        overview_views.enrollments_export,
        name="matching-enrollments-csv",
    ),
    path(
        "<slug:slug>/mentorships.csv",
        overview_views.mentorships_export,
        name="matching-mentorships-csv",
    ),
    path("<slug:slug>/find/<int:focus_area_id>/", views.find_mentor, name="matching-find"),
    path(
        "<slug:slug>/find/<int:focus_area_id>/ask/<str:employee_id>/",
        views.send_request,
        name="matching-send-request",
    ),
    path("<slug:slug>/requests/", views.my_requests, name="matching-my-requests"),
    path("<slug:slug>/rounds/", round_views.round_list, name="matching-rounds"),
    path("<slug:slug>/rounds/new/", round_views.round_new, name="matching-round-new"),
    path(
        "<slug:slug>/rounds/compare/",
        round_views.round_compare_pick,
        name="matching-round-compare-pick",
    ),
    path("<slug:slug>/rounds/<int:round_id>/", round_views.round_detail, name="matching-round"),
    path(
        "<slug:slug>/rounds/<int:round_id>/publish/",
        round_views.round_publish,
        name="matching-round-publish",
    ),
    path(
        "<slug:slug>/rounds/<int:round_id>/cancel/",
        round_views.round_cancel,
        name="matching-round-cancel",
    ),
    path(
        "<slug:slug>/rounds/<int:round_id>/compare/<int:other_id>/",
        round_views.round_compare,
        name="matching-round-compare",
    ),
    path(
        "<slug:slug>/rounds/<int:round_id>/<str:action>/",
        round_views.round_change,
        name="matching-round-change",
    ),
]
