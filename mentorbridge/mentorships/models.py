"""A mentorship: one mentor and one mentee working on one focus area in a program (more
mentees may join it as group members, see ``groups/models.py``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class MentorshipSource(models.TextChoices):
    REQUEST = "request", "Mentee's request"
    PROPOSAL = "proposal", "Matching round"


# Mentorships that hold one of the mentor's places.
HOLDS_CAPACITY = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)


class Mentorship(models.Model):
    """Created when a mentor accepts a request or both people accept a proposal."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentorships")
    mentee = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    mentor = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    focus_area = models.ForeignKey(FocusArea, on_delete=models.RESTRICT, related_name="mentorships")
    status = models.CharField(
        max_length=10, choices=MentorshipStatus, default=MentorshipStatus.ACTIVE
    )
    source = models.CharField(max_length=10, choices=MentorshipSource)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_early = models.BooleanField(
        default=False, help_text="Ended before the agreed duration; the pair is not matched again."
    )
    end_reason = models.TextField(blank=True)
    team_note = models.TextField(
        "private note to the program team", blank=True, max_length=2000,
        help_text="Given when ending early; only the program team reads it.",
    )  # fmt: skip
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pause_reason = models.CharField(max_length=300, blank=True)
    resume_on = models.DateField(null=True, blank=True)
    end_reminded_on = models.DateField(
        null=True, blank=True, help_text="When both were reminded that the end date is near."
    )
    resume_asked_on = models.DateField(
        null=True, blank=True,
        help_text="When the person who paused was asked to resume or extend (the resume date).",
    )  # fmt: skip

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area"],
                condition=Q(status__in=["active", "paused"]),
                name="one_live_mentorship_per_focus_area",
            ),
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"],
                condition=Q(status__in=["active", "paused"]),
                name="never_the_same_mentor_twice_at_once",
            ),
        ]
        indexes = [models.Index(fields=["program", "mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.focus_area})"

    def get_absolute_url(self) -> str:
        return reverse("mentorships-detail", args=[self.pk])

    @property
    def group_members(self) -> list[MentorshipMember]:
        """The mentees who joined after the start, oldest first (read once per instance:
        prefetched by ``access.with_members`` or fetched here on first use)."""
        if "members" not in getattr(self, "_prefetched_objects_cache", {}):
            prefetch_related_objects([self], members_prefetch())
        return list(self.members.all())

    def forget_members(self) -> None:
        """Drop the cached members (after one joined or left)."""
        getattr(self, "_prefetched_objects_cache", {}).pop("members", None)
        self.__dict__.pop("_agreement_state", None)  # who must confirm changed

    @property
    def is_group(self) -> bool:
        return bool(self.group_members)

    @property
    def participant_ids(self) -> tuple[int, ...]:
        """Everyone who works inside the mentorship: the mentee, the mentor and the group's
        other mentees. ``access.participants`` gives the people themselves."""
        return (self.mentee_id, self.mentor_id, *(m.person_id for m in self.group_members))

    @property
    def is_live(self) -> bool:
        return self.status in HOLDS_CAPACITY


def members_prefetch(lookup: str = "members") -> Prefetch:
    """How a mentorship's group members are read: with their person and account, in order."""
    return Prefetch(
        lookup,
        queryset=MentorshipMember.objects.select_related("person__user").order_by(
            "joined_at", "pk"
        ),
    )


# The workspace's concepts live in packages of their own; importing their models here lets
# this app's migrations see them.
from mentorbridge.mentorships.actions.models import ActionItem  # noqa: E402
from mentorbridge.mentorships.agreements.models import (  # noqa: E402
    AgreementConfirmation,
    AgreementVersion,
)
from mentorbridge.mentorships.appreciation.models import ThankYouNote  # noqa: E402
from mentorbridge.mentorships.calendar.models import CalendarFeed  # noqa: E402
from mentorbridge.mentorships.checkins.models import CheckIn, FeedbackNote  # noqa: E402
from mentorbridge.mentorships.goals.models import (  # noqa: E402
    Goal,
    GoalEvent,
    GoalReview,
    Milestone,
)
from mentorbridge.mentorships.groups.models import MentorshipMember  # noqa: E402
from mentorbridge.mentorships.health.models import CareSettings, ReachOut  # noqa: E402
from mentorbridge.mentorships.lifecycle.models import ClosureSurvey, Introduction  # noqa: E402
from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting  # noqa: E402
from mentorbridge.mentorships.notes.models import PrivateNote, SharedNote  # noqa: E402

__all__ = [
    "HOLDS_CAPACITY",
    "ActionItem",
    "AgendaItem",
    "AgreementConfirmation",
    "AgreementVersion",
    "CalendarFeed",
    "CareSettings",
    "CheckIn",
    "ClosureSurvey",
    "FeedbackNote",
    "Goal",
    "GoalEvent",
    "GoalReview",
    "Introduction",
    "Meeting",
    "Mentorship",
    "MentorshipMember",
    "MentorshipSource",
    "MentorshipStatus",
    "Milestone",
    "PrivateNote",
    "ReachOut",
    "SharedNote",
    "ThankYouNote",
]
