"""The mentorship page: the whole workspace for its participants, state and dates for
program admins and site admins."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import Access, mentorship_for
from mentorbridge.mentorships.workspace.selectors import mentorship_state, workspace_for


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One mentorship: who, since when, the next step, then each section."""
    mentorship, access = mentorship_for(request.user, pk)
    if access is Access.STATE_ONLY:
        return render(
            request,
            "mentorships/workspace/state.html",
            {"mentorship": mentorship, "state": mentorship_state(mentorship)},
        )
    workspace = workspace_for(mentorship, current_person(request))
    return render(
        request,
        "mentorships/workspace/detail.html",
        {"mentorship": mentorship, "workspace": workspace},
    )
