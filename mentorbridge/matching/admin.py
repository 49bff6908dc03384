"""Requests, rounds, proposals and ruled-out pairs in Django admin: read-only.

Their rows are what people and the matching engine decided; they change only through the
services (answering a request, publishing a round, answering a proposal), never by hand.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mentorbridge.matching.models import MatchingRound, MentorRequest, PairExclusion, Proposal
from mentorbridge.mentorships.admin import PEOPLE_SEARCH, ReadOnlyAdmin


@admin.register(MentorRequest)
class MentorRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "status", "decline_reason", "created_at", "answered_at",
                    "expires_at"]  # fmt: skip
    list_filter = ["program", "status", "decline_reason"]
    search_fields = [*PEOPLE_SEARCH, "focus_area__title", "program__name"]
    list_select_related = ["program", "mentee", "mentor", "focus_area"]
    date_hierarchy = "created_at"


class ProposalInline(admin.TabularInline):
    model = Proposal
    fields = ["mentee", "mentor", "focus_area", "score", "pinned", "status"]
    readonly_fields = ["mentee", "mentor", "focus_area", "score", "pinned", "status"]
    can_delete = False
    extra = 0
    show_change_link = True
    max_num = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        return super().get_queryset(request).select_related("mentee", "mentor", "focus_area")


@admin.register(MatchingRound)
class MatchingRoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "objective", "status", "created_by", "created_at",
                    "published_at"]  # fmt: skip
    list_filter = ["program", "status", "objective"]
    search_fields = ["program__name", "created_by__first_name", "created_by__last_name"]
    list_select_related = ["program", "created_by"]
    date_hierarchy = "created_at"
    inlines = [ProposalInline]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "round", "status", "score", "pinned", "mentee_accepted",
                    "mentor_accepted", "answered_at"]  # fmt: skip
    list_filter = ["round__program", "status", "pinned"]
    search_fields = [*PEOPLE_SEARCH, "focus_area__title"]
    list_select_related = ["round__program", "mentee", "mentor"]


@admin.register(PairExclusion)
class PairExclusionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "created_by", "created_at"]
    list_filter = ["program"]
    search_fields = [*PEOPLE_SEARCH, "program__name"]
    list_select_related = ["program", "mentee", "mentor", "created_by"]
