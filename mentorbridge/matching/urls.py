from django.urls import path

from mentorbridge.matching import views

urlpatterns = [
    path("inbox/", views.inbox, name="matching-inbox"),
    path("requests/<int:pk>/<str:action>/", views.answer_request, name="matching-answer"),
]

program_urlpatterns = [
    path("<slug:slug>/find/<int:focus_area_id>/", views.find_mentor, name="matching-find"),
    path(
        "<slug:slug>/find/<int:focus_area_id>/ask/<str:employee_id>/",
        views.send_request,
        name="matching-send-request",
    ),
    path("<slug:slug>/requests/", views.my_requests, name="matching-my-requests"),
]
