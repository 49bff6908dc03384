from django.urls import path

from mentorbridge.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
]
