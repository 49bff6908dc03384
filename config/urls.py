from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api_urls, unknown_path
from mentorbridge.core import views as core_views
from mentorbridge.home import views as home_views
from mentorbridge.matching.urls import program_urlpatterns as matching_program_urls

admin.site.site_header = "MentorBridge administration"
admin.site.site_title = "MentorBridge admin"

handler400 = "mentorbridge.core.views.bad_request"
handler403 = "mentorbridge.core.views.permission_denied"

urlpatterns = [
    path("", home_views.home, name="core-home"),
    path("healthz", core_views.healthz, name="core-healthz"),
    path("favicon.ico", core_views.favicon, name="core-favicon"),
    path("accounts/", include("mentorbridge.accounts.urls")),
    path("people/", include("mentorbridge.people.urls")),
    # Apps above programs add their pages under /programs/<slug>/ here, not in programs.
    path("programs/", include(matching_program_urls)),
    path("programs/", include("mentorbridge.mentorships.program_urls")),
    path("programs/", include("mentorbridge.programs.urls")),
    path("mentoring/mine/", home_views.my_mentoring, name="home-mentoring"),
    path("mentoring/", include("mentorbridge.matching.urls")),
    path("mentorships/", include("mentorbridge.mentorships.urls")),
    path("audit/", include("mentorbridge.audit.urls")),
    path("privacy/", include("mentorbridge.privacy.urls")),
    path("calendar/", include("mentorbridge.mentorships.calendar.urls")),
    path("notifications/", include("mentorbridge.notifications.urls")),
    path("api/v1/", api_urls()),
    # Any other path under the API: a JSON 404 in the API's error shape, not an HTML page.
    path("api/v1/", include([re_path(r"^(?P<rest>.*)$", unknown_path)])),
    path("admin/", admin.site.urls),
]
