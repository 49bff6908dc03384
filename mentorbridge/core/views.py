"""Health check, the 403 page, and small helpers shared by every app's views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_GET, require_safe

if TYPE_CHECKING:
    from mentorbridge.people.models import Person

NO_PROFILE = (
    "Your account has no employee profile yet. Ask HR to include you in the next HRIS import, "
    "or a site admin to add you in the admin."
)


def current_person(request: HttpRequest) -> Person:
    """The signed-in user's profile, or a clear refusal for accounts without one."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(NO_PROFILE)
    return person


def acting_person(request: HttpRequest) -> Person | None:
    """Who is doing an admin action: their profile, or ``None`` for a site admin without one
    (site admins manage every program; other accounts need a profile)."""
    person = getattr(request.user, "person", None)
    if person is None and not getattr(request.user, "is_superuser", False):
        raise PermissionDenied(NO_PROFILE)
    return person


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and the run command: 200 ``ok``, or 503
    when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return HttpResponse(
            f"database unavailable: {type(error).__name__}", content_type="text/plain", status=503
        )
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 page that says what was wrong with what the browser sent (nothing was saved)."""
    if isinstance(exception, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        reason = (
            f"What you sent is larger than {limit}, the most one form may send. "
            "Nothing was saved: go back and send less at once."
        )
    elif isinstance(exception, TooManyFieldsSent):
        reason = (
            f"The form had more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields. "
            "Nothing was saved: go back and send fewer rows at once."
        )
    else:
        reason = "This site could not read what your browser sent. Nothing was saved."
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page that says why, in words."""
    reason = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"reason": reason}, status=403)


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own (pages link the SVG as well)."""
    response = HttpResponse(
        (settings.BASE_DIR / "static" / "favicon.ico").read_bytes(), content_type="image/x-icon"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
