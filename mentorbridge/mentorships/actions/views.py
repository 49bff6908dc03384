"""Action items: add one (usually from a meeting's page), tick it off, reopen it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.actions import services
from mentorbridge.mentorships.actions.forms import ActionItemForm
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.forms import field_errors
from mentorbridge.mentorships.meetings.views import add_service_error, meeting_page
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent


def _back(mentorship: Mentorship, meeting_id: int | None) -> HttpResponse:
    if meeting_id:
        return redirect(f"/mentorships/{mentorship.pk}/meetings/{meeting_id}/#actions")
    return redirect(f"{mentorship.get_absolute_url()}#meetings")


@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone takes on a task, with a due date. Refused on a meeting's page: that page again,
    the errors by their fields and what was typed kept; without a meeting, the reasons as a
    message on the mentorship page."""
    mentorship = mentorship_content_for(request.user, pk)
    form = ActionItemForm(request.POST, mentorship=mentorship)
    if form.is_valid():
        data = form.cleaned_data
        meeting_id = data["meeting"].pk if data["meeting"] else None
        try:
            services.action_item_add(mentorship=mentorship, by=current_person(request), **data)
        except AlreadySent as already:
            messages.info(request, " ".join(already.messages))
            return _back(mentorship, meeting_id)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Action item added: it stays on the agenda until done.")
            return _back(mentorship, meeting_id)
    meeting = form.cleaned_data.get("meeting")
    if meeting is None:
        messages.error(request, " ".join(field_errors(form).messages))
        return _back(mentorship, None)
    return meeting_page(request, mentorship, meeting, action_form=form)


def _item(mentorship: Mentorship, item_id: int) -> ActionItem:
    return get_object_or_404(ActionItem, pk=item_id, mentorship=mentorship)


@require_POST
def done(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    mentorship = mentorship_content_for(request.user, pk)
    item = _item(mentorship, item_id)
    try:
        services.action_item_done(item=item, by=current_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Done: “{item.title}”.")
    return _back(mentorship, item.meeting_id if request.POST.get("next") == "meeting" else None)


@require_POST
def reopen(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    mentorship = mentorship_content_for(request.user, pk)
    item = _item(mentorship, item_id)
    try:
        services.action_item_reopen(item=item, by=current_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Reopened: “{item.title}”.")
    return _back(mentorship, item.meeting_id if request.POST.get("next") == "meeting" else None)
