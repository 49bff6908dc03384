"""The calendar page (your feed's secret URL, and a button to replace it) and the feed
itself, which calendar apps fetch without signing in: the token is the key."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.calendar import selectors, services
from mentorbridge.mentorships.calendar.ics import feed_ics

#: A cached feed body lives this long at most (names and emails in it are not in the stamp).
FEED_CACHE_SECONDS = 300
NO_SUCH_FEED = "No calendar at this address: it may have been replaced by a new one."


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Your private feed's URL, to subscribe to in your calendar app."""
    person = current_person(request)
    feed = services.calendar_feed_for(person=person)
    url = settings.SITE_URL + reverse("calendar-feed", args=[feed.token])
    return render(
        request,
        "mentorships/calendar/index.html",
        {"feed": feed, "url": url, "webcal": "webcal://" + url.split("://", 1)[-1]},
    )


@require_POST
def rotate(request: HttpRequest) -> HttpResponse:
    """Replace the feed's token: the old URL stops working."""
    services.calendar_feed_rotate(person=current_person(request))
    messages.success(
        request, "New calendar address made. The old one no longer works: subscribe again."
    )
    return redirect("calendar-index")


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's meetings as iCalendar; anyone holding the URL can read it."""
    person = selectors.feed_owner(token)
    if person is None:
        raise Http404(NO_SUCH_FEED)
    # Calendar apps poll: the ETag names the feed's last change, so an unchanged feed costs
    # three small queries (a 304 for a client that sends If-None-Match, else the cached body).
    stamp = selectors.feed_stamp(person)
    etag = '"' + hashlib.sha256(f"{token}:{stamp}".encode()).hexdigest()[:32] + '"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        unchanged = HttpResponseNotModified()
        unchanged["ETag"] = etag
        unchanged["Cache-Control"] = "private, max-age=300"
        return unchanged
    key = f"calendar-feed:{etag}"
    body = cache.get(key)
    if body is None:
        body = feed_ics(person, selectors.feed_meetings(person))
        cache.set(key, body, FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Content-Disposition"] = 'inline; filename="mentoring.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
