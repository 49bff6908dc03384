from django.urls import path

from mentorbridge.privacy import views

urlpatterns = [
    path("", views.privacy_home, name="privacy-home"),
    path("my-data.json", views.my_data, name="privacy-my-data"),
    path("erase/<str:employee_id>/", views.erase_person, name="privacy-erase"),
]
