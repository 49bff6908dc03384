from django.urls import path

from mentorbridge.mentorships.actions import views

# Mounted under /mentorships/<pk>/actions/.
urlpatterns = [
    path("", views.add, name="mentorships-action-add"),
    path("<int:item_id>/done/", views.done, name="mentorships-action-done"),
    path("<int:item_id>/reopen/", views.reopen, name="mentorships-action-reopen"),
]
