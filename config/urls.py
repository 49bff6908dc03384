from django.contrib import admin
from django.urls import include, path

from config.api import api
from mentorbridge.core import views as core_views
from mentorbridge.home import views as home_views
from mentorbridge.matching.urls import program_urlpatterns as matching_program_urls

admin.site.site_header = "MentorBridge administration"
admin.site.site_title = "MentorBridge admin"

handler403 = "mentorbridge.core.views.permission_denied"

urlpatterns = [
    path("", home_views.home, name="core-home"),
    path("healthz", core_views.healthz, name="core-healthz"),
    path("accounts/", include("mentorbridge.accounts.urls")),
    path("people/", include("mentorbridge.people.urls")),
    # Apps above programs add their pages under /programs/<slug>/ here, not in programs.
    path("programs/", include(matching_program_urls)),
    path("programs/", include("mentorbridge.programs.urls")),
    path("mentoring/", include("mentorbridge.matching.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
