"""The mentorship workspace under /mentorships/<pk>/: one include per concept."""

from django.urls import include, path

from mentorbridge.mentorships.lifecycle import views as lifecycle_views
from mentorbridge.mentorships.workspace import views as workspace_views

urlpatterns = [
    path(
        "introductions/<int:introduction_id>/",
        lifecycle_views.introduction,
        name="mentorships-introduction",
    ),
    path(
        "pause-answer/<str:token>/", lifecycle_views.pause_answer, name="mentorships-pause-answer"
    ),
    path("<int:pk>/", workspace_views.detail, name="mentorships-detail"),
    path("<int:pk>/agreement/", include("mentorbridge.mentorships.agreements.urls")),
    path("<int:pk>/goals/", include("mentorbridge.mentorships.goals.urls")),
    path("<int:pk>/", include("mentorbridge.mentorships.checkins.urls")),
    path("<int:pk>/", include("mentorbridge.mentorships.lifecycle.urls")),
    path("<int:pk>/meetings/", include("mentorbridge.mentorships.meetings.urls")),
    path(
        "<int:pk>/meetings/<int:meeting_id>/notes/",
        include("mentorbridge.mentorships.notes.urls"),
    ),
    path("<int:pk>/actions/", include("mentorbridge.mentorships.actions.urls")),
    path("<int:pk>/group/", include("mentorbridge.mentorships.groups.urls")),
]
