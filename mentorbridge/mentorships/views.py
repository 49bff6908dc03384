"""Mentorship actions available before the mentorship workspace exists: ending one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_end


@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a mentorship respectfully, with a reason; "it isn't working" means never again."""
    person = current_person(request)
    mentorship = get_object_or_404(Mentorship.objects.select_related("program"), pk=pk)
    if person.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise Http404("No such mentorship.")
    try:
        mentorship = mentorship_end(
            mentorship=mentorship,
            by=person,
            reason=request.POST.get("reason", ""),
            early=request.POST.get("early") == "on",
            team_note=request.POST.get("team_note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(mentorship.program)
    messages.success(request, "The mentorship has ended. Thank you for the time you gave it.")
    if mentorship.ended_early and person.pk == mentorship.mentee_id:
        # A better fit, right away: the next suggestions for the same focus area.
        messages.info(request, "Here are other mentors for the same focus area.")
        return redirect("matching-find", slug=mentorship.program.slug,
                        focus_area_id=mentorship.focus_area_id)  # fmt: skip
    return redirect(mentorship.program)
