from django.urls import path

from mentorbridge.mentorships.agreements import views

# Mounted under /mentorships/<pk>/agreement/.
urlpatterns = [
    path("draft/", views.draft, name="mentorships-agreement-draft"),
    path("edit/", views.edit, name="mentorships-agreement-edit"),
    path("confirm/", views.confirm, name="mentorships-agreement-confirm"),
    path("versions/", views.versions, name="mentorships-agreement-versions"),
    path("versions/<int:number>/", views.version, name="mentorships-agreement-version"),
    path("compare/", views.compare, name="mentorships-agreement-compare"),
]
