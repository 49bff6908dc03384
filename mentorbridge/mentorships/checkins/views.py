"""Check-in, feedback and thank-you pages of the workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import (
    counterpart,
    mentorship_content_for,
    names,
    others_of,
)
from mentorbridge.mentorships.appreciation import services as thanks_services
from mentorbridge.mentorships.appreciation.models import ThankYouNote
from mentorbridge.mentorships.checkins import services
from mentorbridge.mentorships.checkins.forms import (
    CheckInForm,
    DisplayForm,
    FeedbackForm,
    ThanksForm,
)
from mentorbridge.mentorships.checkins.selectors import checkin_due
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent
from mentorbridge.people.models import Person


def _back(mentorship: Mentorship) -> HttpResponse:
    return redirect(f"{mentorship.get_absolute_url()}#feedback")


def _note_page(
    request: HttpRequest,
    mentorship: Mentorship,
    person: Person,
    form: forms.Form,
    template: str,
    send: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """The shape of the check-in, feedback and thank-you pages: a valid form is sent by the
    service (whose errors land on the form), then back to the workspace; otherwise the page,
    naming everyone else in the mentorship."""
    if request.method == "POST" and form.is_valid():
        try:
            send(form.cleaned_data)
        except AlreadySent as already:  # a second click: the first one went through
            messages.info(request, " ".join(already.messages))
            return _back(mentorship)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _back(mentorship)
    others = others_of(mentorship, person)
    return render(
        request, template,
        {"mentorship": mentorship, "form": form, "others": names(others, first=True),
         "other": others[0] if len(others) == 1 else None},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Check in: the scheduled one that is due, the one after a meeting (``?occasion=``), or
    one of your own today."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    due = checkin_due(mentorship, person)
    occasion = request.GET.get("occasion") or (
        due.name if due else f"extra-{timezone.localdate().isoformat()}"
    )
    form = CheckInForm(request.POST or None, initial={"occasion": occasion})

    def send(data: dict[str, Any]) -> object:
        return services.checkin_submit(
            mentorship=mentorship, by=person, occasion=data["occasion"],
            satisfaction=data["satisfaction"], progress=data["progress"],
            working=data["working"], text=data["text"], visibility=form.visibility(),
        )  # fmt: skip

    return _note_page(
        request, mentorship, person, form, "mentorships/checkins/checkin.html", send,
        "Thank you: your check-in is saved.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """A “what's going well / what could be better” note to the others."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    return _note_page(
        request, mentorship, person, FeedbackForm(request.POST or None),
        "mentorships/checkins/feedback.html",
        lambda data: services.feedback_send(mentorship=mentorship, by=person, **data),
        "Feedback sent.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    """Thank someone in the mentorship (from the workspace, or after a meeting with
    ``?occasion=``); in a group, choose whom."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    form = ThanksForm(
        request.POST or None,
        initial={"occasion": request.GET.get("occasion", ""),
                 "to": counterpart(mentorship, person).employee_id},
        others=others_of(mentorship, person),
    )  # fmt: skip
    return _note_page(
        request, mentorship, person, form, "mentorships/checkins/thanks.html",
        lambda data: thanks_services.thank_you_send(mentorship=mentorship, by=person, **data),
        "Your thank-you note is on its way.",
    )  # fmt: skip


@require_POST
def thanks_display(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    """The person thanked shows the note on their profile (and, mentors, to their manager)."""
    mentorship = mentorship_content_for(request.user, pk)
    note = get_object_or_404(ThankYouNote, pk=note_id, mentorship=mentorship)
    form = DisplayForm(request.POST)
    form.is_valid()
    try:
        thanks_services.thank_you_display(
            note=note, by=current_person(request),
            on_profile=form.cleaned_data.get("on_profile", False),
            manager_can_see=form.cleaned_data.get("manager_can_see", False),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Saved where this thank-you note shows.")
    return _back(mentorship)
