"""Check-in, feedback and thank-you pages of the workspace."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
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


def _back(mentorship: Mentorship) -> HttpResponse:
    return redirect(f"{mentorship.get_absolute_url()}#feedback")


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
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_submit(
                mentorship=mentorship, by=person, occasion=form.cleaned_data["occasion"],
                satisfaction=form.cleaned_data["satisfaction"],
                progress=form.cleaned_data["progress"], working=form.cleaned_data["working"],
                text=form.cleaned_data["text"], visibility=form.visibility(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you: your check-in is saved.")
            return _back(mentorship)
    other = mentorship.mentor if person.pk == mentorship.mentee_id else mentorship.mentee
    return render(
        request, "mentorships/checkins/checkin.html",
        {"mentorship": mentorship, "form": form, "other": other},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """A “what's going well / what could be better” note to the other person."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_send(mentorship=mentorship, by=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Feedback sent.")
            return _back(mentorship)
    other = mentorship.mentor if person.pk == mentorship.mentee_id else mentorship.mentee
    return render(
        request, "mentorships/checkins/feedback.html",
        {"mentorship": mentorship, "form": form, "other": other},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    """Thank the other person (from the workspace, or after a meeting with ``?occasion=``)."""
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    form = ThanksForm(request.POST or None, initial={"occasion": request.GET.get("occasion", "")})
    if request.method == "POST" and form.is_valid():
        try:
            thanks_services.thank_you_send(mentorship=mentorship, by=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your thank-you note is on its way.")
            return _back(mentorship)
    other = mentorship.mentor if person.pk == mentorship.mentee_id else mentorship.mentee
    return render(
        request, "mentorships/checkins/thanks.html",
        {"mentorship": mentorship, "form": form, "other": other},
        status=400 if form.errors else 200,
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
