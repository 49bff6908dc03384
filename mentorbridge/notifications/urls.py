from django.urls import path

from mentorbridge.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notifications-list"),
    path("<int:pk>/", views.open_notification, name="notifications-open"),
    path("read/", views.read_all, name="notifications-read-all"),
    path("preferences/", views.preferences, name="notifications-preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notifications-unsubscribe"),
]
