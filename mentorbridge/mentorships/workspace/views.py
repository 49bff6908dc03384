"""The mentorship page: the whole workspace for its participants, state and dates for
program admins and site admins."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import Access, mentees, mentorship_for, names
from mentorbridge.mentorships.groups.forms import GroupMemberForm
from mentorbridge.mentorships.groups.selectors import group_panel
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.workspace.selectors import mentorship_state, workspace_for


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One mentorship: who, since when, the next step, then each section."""
    mentorship, access = mentorship_for(request.user, pk)
    return render_detail(request, mentorship, access)


def render_detail(
    request: HttpRequest,
    mentorship: Mentorship,
    access: Access,
    *,
    group_form: GroupMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page for this viewer (also shown again with the add-a-member form's errors)."""
    group = group_panel(mentorship, request.user, group_form)
    if access is Access.STATE_ONLY:
        return render(
            request,
            "mentorships/workspace/state.html",
            {
                "mentorship": mentorship,
                "state": mentorship_state(mentorship),
                "group": group,
                "group_names": names(mentees(mentorship)),
            },
            status=status,
        )
    workspace = workspace_for(mentorship, current_person(request))
    return render(
        request,
        "mentorships/workspace/detail.html",
        {"mentorship": mentorship, "workspace": workspace, "group": group},
        status=status,
    )
