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
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent


def _back(mentorship: Mentorship, meeting_id: int | None) -> HttpResponse:
    if meeting_id:
        return redirect(f"/mentorships/{mentorship.pk}/meetings/{meeting_id}/#actions")
    return redirect(f"{mentorship.get_absolute_url()}#meetings")


@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone takes on a task, with a due date."""
    mentorship = mentorship_content_for(request.user, pk)
    form = ActionItemForm(request.POST, mentorship=mentorship)
    meeting_id = None
    try:
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[name].label}: {e}"
                    for name, errs in form.errors.items()
                    for e in errs
                ]
            )
        data = form.cleaned_data
        meeting_id = data["meeting"].pk if data["meeting"] else None
        services.action_item_add(mentorship=mentorship, by=current_person(request), **data)
    except AlreadySent as already:
        messages.info(request, " ".join(already.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Action item added: it stays on the agenda until done.")
    return _back(mentorship, meeting_id)


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
