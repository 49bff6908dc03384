"""Meeting pages: the list, plan one or a series, log one that happened, and one meeting with
its agenda, carried-over action items and notes; move, cancel, mark held or missed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for, names
from mentorbridge.mentorships.actions.forms import ActionItemForm
from mentorbridge.mentorships.forms import field_errors
from mentorbridge.mentorships.meetings import pages, selectors, services
from mentorbridge.mentorships.meetings.forms import (
    AgendaItemForm,
    MarkForm,
    MeetingForm,
    MoveForm,
    PlanForm,
)
from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent


def _meeting(mentorship: Mentorship, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("mentorship"), pk=meeting_id, mentorship=mentorship
    )


def _to(meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = f"/mentorships/{meeting.mentorship_id}/meetings/{meeting.pk}/"
    return redirect(f"{url}#{anchor}" if anchor else url)


def add_service_error(form: Any, error: ValidationError) -> None:
    """Put a service's error on the form: on its field if the form has it (the time goes
    on the date), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = "date" if field == "starts_at" else field
        form.add_error(target if target in form.fields else None, errors)


def _errors(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text)


@require_GET
def index(request: HttpRequest, pk: int) -> HttpResponse:
    """Every meeting of the mentorship: coming ones first, then past ones."""
    mentorship = mentorship_content_for(request.user, pk)
    viewer = current_person(request)
    return render(
        request,
        "mentorships/meetings/index.html",
        {"mentorship": mentorship, **pages.meeting_list(mentorship, viewer)},
    )


def _form_page(
    request: HttpRequest, mentorship: Mentorship, form: Any, kind: str, meeting: Meeting | None
) -> HttpResponse:
    viewer = current_person(request)
    return render(
        request,
        "mentorships/meetings/form.html",
        {
            "mentorship": mentorship,
            "form": form,
            "kind": kind,
            "meeting": meeting,
            "terms": selectors.meeting_terms(mentorship),
            "zones": pages.both_clocks(mentorship, viewer),
            "slots": pages.slot_hint(mentorship, viewer),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a meeting, or a series at the agreed cadence."""
    mentorship = mentorship_content_for(request.user, pk)
    viewer = current_person(request)
    terms = selectors.meeting_terms(mentorship)
    initial = {**MeetingForm.initial_from(terms), "count": 1, "cadence": terms.cadence}
    form = PlanForm(request.POST or None, person=viewer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = form.cleaned_data["count"]
            t = form.terms()
            if count == 1:
                meetings = [services.meeting_plan(mentorship=mentorship, by=viewer, **t)]
            else:
                meetings = services.meeting_plan_series(
                    mentorship=mentorship, by=viewer, first_starts_at=t.pop("starts_at"),
                    count=count, cadence=form.cleaned_data["cadence"], **t,
                )  # fmt: skip
        except AlreadySent as already:
            messages.info(request, " ".join(already.messages))
            return _to(already.existing)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            others = names(pages.others(mentorship, viewer), first=True)
            what = "Meeting planned" if count == 1 else f"{count} meetings planned"
            messages.success(request, f"{what}; {others} got an invitation for their calendar.")
            return _to(meetings[0])
    return _form_page(request, mentorship, form, "plan", None)


@require_http_methods(["GET", "POST"])
def log(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a meeting that happened without being planned."""
    mentorship = mentorship_content_for(request.user, pk)
    viewer = current_person(request)
    initial = MeetingForm.initial_from(selectors.meeting_terms(mentorship))
    form = MeetingForm(request.POST or None, person=viewer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_log(mentorship=mentorship, by=viewer, **form.terms())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Meeting logged as held. Add notes and action items below.")
            return _to(meeting)
    return _form_page(request, mentorship, form, "log", None)


def meeting_page(
    request: HttpRequest,
    mentorship: Mentorship,
    meeting: Meeting,
    *,
    action_form: ActionItemForm | None = None,
) -> HttpResponse:
    """The meeting's page; with a refused ``action_form``, the page again (400) with the
    form's errors next to its fields and what was typed kept."""
    viewer = current_person(request)
    return render(
        request,
        "mentorships/meetings/detail.html",
        {"mentorship": mentorship, **pages.meeting_page(meeting, viewer, action_form)},
        status=400 if action_form is not None and action_form.errors else 200,
    )


@require_GET
def detail(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """One meeting: when and where, the agenda with the carried-over action items, notes."""
    mentorship = mentorship_content_for(request.user, pk)
    return meeting_page(request, mentorship, _meeting(mentorship, meeting_id))


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """Move a planned meeting or change where it happens."""
    mentorship = mentorship_content_for(request.user, pk)
    meeting = _meeting(mentorship, meeting_id)
    viewer = current_person(request)
    start = selectors.local(meeting.starts_at, viewer)
    initial = {
        "date": start.date(), "time": start.time(), "minutes": meeting.minutes,
        "channel": meeting.channel, "place": meeting.place, "video_link": meeting.video_link,
    }  # fmt: skip
    form = MoveForm(request.POST or None, person=viewer, initial=initial)
    following = services.following_in_series(meeting)
    if not following:
        del form.fields["scope"]
    if request.method == "POST" and form.is_valid():
        terms = form.terms()
        try:
            services.meeting_reschedule(meeting=meeting, by=viewer, **terms)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if terms.get("scope") == services.FOLLOWING:
                messages.success(
                    request,
                    f"This meeting and the {len(following)} after it moved; the others got "
                    "the new times.",
                )
            else:
                messages.success(request, "Meeting moved; the others got the new time.")
            return _to(meeting)
    return _form_page(request, mentorship, form, "move", meeting)


def _status_change(
    request: HttpRequest, pk: int, meeting_id: int, status: str, done: str
) -> HttpResponse:
    mentorship = mentorship_content_for(request.user, pk)
    meeting = _meeting(mentorship, meeting_id)
    form = MarkForm(request.POST)
    valid = form.is_valid()
    note = form.cleaned_data["note"] if valid else ""
    scope = (form.cleaned_data.get("scope") if valid else "") or services.THIS_ONE
    try:
        if status == MeetingStatus.CANCELLED:
            following = services.following_in_series(meeting) if scope != "this" else []
            services.meeting_cancel(
                meeting=meeting, by=current_person(request), note=note, scope=scope
            )
            if following:
                done = (
                    f"This meeting and the {len(following)} after it are cancelled; the "
                    "others' calendars drop them."
                )
        else:
            services.meeting_mark(
                meeting=meeting, by=current_person(request), status=status, note=note
            )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return _to(meeting)


@require_POST
def cancel(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    return _status_change(
        request, pk, meeting_id, MeetingStatus.CANCELLED,
        "Meeting cancelled; the others' calendars drop it.",
    )  # fmt: skip


@require_POST
def held(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    return _status_change(
        request, pk, meeting_id, MeetingStatus.HELD,
        "Marked held. Write down notes and action items while they're fresh.",
    )  # fmt: skip


@require_POST
def missed(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    return _status_change(
        request, pk, meeting_id, MeetingStatus.MISSED, "Marked missed. Plan the next one?"
    )


@require_POST
def agenda_add(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """Put a topic, question, challenge or win on the agenda."""
    mentorship = mentorship_content_for(request.user, pk)
    meeting = _meeting(mentorship, meeting_id)
    form = AgendaItemForm(request.POST)
    try:
        if not form.is_valid():
            raise field_errors(form)
        services.agenda_item_add(meeting=meeting, by=current_person(request), **form.cleaned_data)
    except AlreadySent as already:
        messages.info(request, " ".join(already.messages))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "Added to the agenda.")
    return _to(meeting, "agenda")


@require_POST
def agenda_remove(request: HttpRequest, pk: int, meeting_id: int, item_id: int) -> HttpResponse:
    """Take your own item off the agenda."""
    mentorship = mentorship_content_for(request.user, pk)
    meeting = _meeting(mentorship, meeting_id)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    try:
        services.agenda_item_remove(item=item, by=current_person(request))
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, "Removed from the agenda.")
    return _to(meeting, "agenda")
