from django.urls import path

from mentorbridge.mentorships.goals import views

# Mounted under /mentorships/<pk>/goals/.
urlpatterns = [
    path("new/", views.new, name="mentorships-goal-new"),
    path("review/", views.review, name="mentorships-goal-review"),
    path("<int:goal_id>/", views.history, name="mentorships-goal"),
    path("<int:goal_id>/edit/", views.edit, name="mentorships-goal-edit"),
    path("<int:goal_id>/milestones/", views.add_milestone, name="mentorships-milestone-add"),
    path(
        "<int:goal_id>/milestones/<int:milestone_id>/tick/",
        views.tick,
        name="mentorships-milestone-tick",
    ),
    path(
        "<int:goal_id>/milestones/<int:milestone_id>/reopen/",
        views.reopen,
        name="mentorships-milestone-reopen",
    ),
]
