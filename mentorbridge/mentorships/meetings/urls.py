from django.urls import path

from mentorbridge.mentorships.meetings import views

# Mounted under /mentorships/<pk>/meetings/.
urlpatterns = [
    path("", views.index, name="mentorships-meetings"),
    path("plan/", views.plan, name="mentorships-meeting-plan"),
    path("log/", views.log, name="mentorships-meeting-log"),
    path("<int:meeting_id>/", views.detail, name="mentorships-meeting"),
    path("<int:meeting_id>/move/", views.move, name="mentorships-meeting-move"),
    path("<int:meeting_id>/cancel/", views.cancel, name="mentorships-meeting-cancel"),
    path("<int:meeting_id>/held/", views.held, name="mentorships-meeting-held"),
    path("<int:meeting_id>/missed/", views.missed, name="mentorships-meeting-missed"),
    path("<int:meeting_id>/agenda/", views.agenda_add, name="mentorships-agenda-add"),
    path(
        "<int:meeting_id>/agenda/<int:item_id>/remove/",
        views.agenda_remove,
        name="mentorships-agenda-remove",
    ),
]
