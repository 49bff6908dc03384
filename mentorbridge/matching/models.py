"""Finding a mentor: mentees' requests, admins' matching rounds and their proposals."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the mentor"
    INFO_REQUESTED = "info_requested", "Mentor asked for more information"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.INFO_REQUESTED)


class DeclineReason(models.TextChoices):
    NO_TIME = "no_time", "I don't have time right now"
    NOT_MY_EXPERTISE = "not_my_expertise", "This isn't my area of expertise"
    BETTER_FIT = "better_fit", "Someone else would fit better"
    OTHER = "other", "Another reason"


class MentorRequest(models.Model):
    """A mentee asks one mentor to mentor them on one focus area."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requests")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="requests_sent")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="requests_received")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.RESTRICT, related_name="requests")
    message = models.TextField()
    status = models.CharField(max_length=20, choices=RequestStatus, default=RequestStatus.OPEN)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason, blank=True)
    decline_note = models.TextField(blank=True)
    info_question = models.TextField(blank=True)
    info_answer = models.TextField(blank=True)
    closed_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="The mentor's first answer (accept, decline or question)."
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "mentor"],
                condition=Q(status__in=["open", "info_requested"]),
                name="one_open_request_per_mentor_and_focus_area",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "program", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor}: {self.focus_area}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Objective(models.TextChoices):
    TOTAL = "total", "Best total fit"
    FAIR = "fair", "Fairest (raise the weakest match first)"
    COVERAGE = "coverage", "Most people matched"


class RoundStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Preview ready"
    FAILED = "failed", "Failed"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded (another preview was published)"


class MatchingRound(models.Model):
    """One solve of a program's cohort: settings in, a preview (proposals, stats) out."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rounds")
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
        help_text="The preview this one was re-solved from.",
    )  # fmt: skip
    objective = models.CharField(max_length=10, choices=Objective, default=Objective.TOTAL)
    weights = models.JSONField(default=dict, blank=True)
    pins = models.JSONField(default=list, blank=True, help_text="[{mentee, focus_area, mentor}]")
    forbids = models.JSONField(default=list, blank=True, help_text="[{mentee, mentor}]")
    left_out = models.JSONField(
        default=list, blank=True,
        help_text="Focus area ids (strings) left out of the round: their open requests decide.",
    )  # fmt: skip
    request_choices = models.JSONField(
        default=dict, blank=True,
        help_text="Focus area id → what publishing does to the mentee's open requests to other "
        "mentors for it: “withdraw” or “keep”.",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=RoundStatus, default=RoundStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_text = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    stats = models.JSONField(default=dict, blank=True)
    unmatched = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    worker_id = models.CharField(
        max_length=64, blank=True, help_text="The background worker solving this round."
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life while running."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Round {self.pk} of {self.program}"

    @property
    def is_working(self) -> bool:
        return self.status in (RoundStatus.QUEUED, RoundStatus.RUNNING)


class ProposalStatus(models.TextChoices):
    PREVIEW = "preview", "Preview"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted by both"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: Every status but preview, by name: a filter on these is an index scan of each round's
#: (round, status) entries, where "not preview" would pass over every preview row (14,000 a
#: round at 20,000 mentees, and a pin or a forbid writes a new preview).
PUBLISHED_STATUSES = [s for s in ProposalStatus.values if s != ProposalStatus.PREVIEW]


class Proposal(models.Model):
    """A proposed pair from a round: previewed by admins, then sent to both people."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="proposals")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.RESTRICT, related_name="proposals")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proposals_as_mentee")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proposals_as_mentor")
    score = models.FloatField()
    factors = models.JSONField(default=list)
    pinned = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ProposalStatus, default=ProposalStatus.PREVIEW)
    mentee_accepted = models.BooleanField(null=True)
    mentor_accepted = models.BooleanField(null=True)
    decline_note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} ↔ {self.mentee} ({self.score:.2f})"


class PairExclusion(models.Model):
    """A pair that must never be matched in a program (an admin's decision)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"], name="pair_exclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} never with {self.mentor} in {self.program}"


class TextVector(models.Model):
    """A sentence vector of a text (float32 bytes) with what it was computed from: the model's
    name and a hash of model and text, so only texts that changed (or a new model) are
    computed again (``matching.vectors``)."""

    model_name = models.CharField(max_length=120)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class PersonVector(TextVector):
    """The vector of a mentor's profile text (job title, expertise, bio)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="text_vector"
    )

    def __str__(self) -> str:
        return f"Vector of {self.person}"


class FocusAreaVector(TextVector):
    """The vector of a focus area's goal (title and description)."""

    focus_area = models.OneToOneField(
        FocusArea, on_delete=models.CASCADE, primary_key=True, related_name="text_vector"
    )

    def __str__(self) -> str:
        return f"Vector of {self.focus_area}"
