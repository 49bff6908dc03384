"""The notification list (the bell), choices per kind, and the one-click unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.notifications import selectors, services
from mentorbridge.notifications.forms import PreferencesForm
from mentorbridge.notifications.kinds import kind_label


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Everything that happened for the person, newest first, 30 a page."""
    page = Paginator(selectors.notifications_of(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes where it points."""
    notification = services.notification_open(
        notification=selectors.notification_for(request.user, pk)
    )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications-list")


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    messages.success(request, f"Marked {count} as read." if count else "Nothing was unread.")
    return redirect("notifications-list")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Per kind: email now, weekly digest, in the app only, or off."""
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        for kind, channel in form.cleaned_data.items():
            services.preference_set(user=request.user, kind=kind, channel=channel)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notifications-preferences")
    return render(
        request, "notifications/preferences.html", {"form": form},
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_not_required
@csrf_exempt  # one-click unsubscribe (RFC 8058): mail clients POST without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST stops the emails
    of the link's kind. The signed token is the only credential."""
    try:
        user_id, kind = services.read_unsubscribe_token(token)
    except ValidationError as error:
        return render(
            request, "notifications/unsubscribe.html", {"error": error.messages[0]}, status=400
        )
    done = False
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except ValidationError as error:
            return render(
                request, "notifications/unsubscribe.html", {"error": error.messages[0]},
                status=400,
            )  # fmt: skip
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_label": kind_label(kind), "done": done, "token": token, "user_id": user_id},
    )
