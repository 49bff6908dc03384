"""Adding a mentee to a mentorship's group, taking one out, leaving a group. Each answers by
showing the mentorship page in its new state (or the form again, with what was typed and
the error, when adding fails)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from mentorbridge.mentorships.access import Access, mentorship_for
from mentorbridge.mentorships.groups import services
from mentorbridge.mentorships.groups.forms import GroupMemberForm
from mentorbridge.mentorships.workspace.views import render_detail
from mentorbridge.people.models import Person


@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor or a program admin adds a mentee by work email or employee ID."""
    mentorship, access = mentorship_for(request.user, pk)
    form = GroupMemberForm(request.POST)
    if form.is_valid():
        try:
            person = services.person_named(form.cleaned_data["person"])
            services.group_member_add(mentorship=mentorship, person=person, by=request.user)
        except ValidationError as error:
            for field, errors in (
                error.message_dict.items()
                if hasattr(error, "error_dict")
                else [(None, error.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"{person.full_name} joined the group; they got an email with a link to it.",
            )
            return redirect(f"{mentorship.get_absolute_url()}#people")
    mentorship.forget_members()
    return render_detail(request, mentorship, access, group_form=form)


@require_POST
def remove(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """A member leaves the group, or the mentor or a program admin takes them out."""
    mentorship, access = mentorship_for(request.user, pk)
    person = get_object_or_404(Person, pk=person_id)
    me = getattr(request.user, "person", None)
    try:
        services.group_member_remove(mentorship=mentorship, person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(mentorship)
    if me is not None and me.pk == person.pk:
        messages.success(request, f"You left the group of {mentorship.mentor.full_name}.")
        return redirect(mentorship.program)
    messages.success(request, f"{person.full_name} is no longer in the group.")
    if access is Access.STATE_ONLY:
        return redirect(mentorship)
    return redirect(f"{mentorship.get_absolute_url()}#people")
