from django.urls import path

from mentorbridge.mentorships.calendar import views

# Mounted at /calendar/.
urlpatterns = [
    path("", views.index, name="calendar-index"),
    path("new-address/", views.rotate, name="calendar-rotate"),
    path("<str:token>.ics", views.feed, name="calendar-feed"),
]
