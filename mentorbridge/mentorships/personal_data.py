"""What the mentorship workspace holds about a person: their mentorships, and inside each the
agreement (every version), the goals with milestones and history, and the goal reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mentorbridge.core.personal_data import Erasure
from mentorbridge.mentorships.models import (
    AgreementVersion,
    Goal,
    GoalReview,
    Mentorship,
)

AGREEMENT_FIELDS = (
    "number", "created_at", "change_note", "mentee_hopes", "mentor_hopes", "cadence",
    "meeting_minutes", "channel", "place", "video_link", "duration_weeks", "ends_on",
    "confidentiality", "feedback", "points",
)  # fmt: skip

DESCRIPTION = (
    "Your mentorships and their workspaces: agreement versions, goals, milestones and goal reviews."
)


def export(person: Any) -> list[dict[str, Any]]:
    """Each mentorship, as mentee or mentor, with its workspace."""
    mentorships = (
        Mentorship.objects.filter(Q(mentee=person) | Q(mentor=person))
        .select_related("program", "mentee", "mentor", "focus_area")
        .prefetch_related(
            "agreement_versions__author",
            "agreement_versions__confirmations__person",
            "goals__milestones",
            "goals__events__by",
            "goal_reviews__by",
        )
        .order_by("started_at")
    )
    return [
        {
            "program": m.program.name,
            "as": "mentee" if m.mentee_id == person.pk else "mentor",
            "mentee": m.mentee.full_name,
            "mentor": m.mentor.full_name,
            "focus_area": m.focus_area.title,
            "status": m.status,
            "source": m.source,
            "started_at": m.started_at,
            "ended_at": m.ended_at,
            "end_reason": m.end_reason,
            "agreement_versions": [
                {
                    **{name: getattr(v, name) for name in AGREEMENT_FIELDS},
                    "author": v.author.full_name,
                    "confirmed_by": [c.person.full_name for c in v.confirmations.all()],
                }
                for v in m.agreement_versions.all()
            ],
            "goals": [
                {
                    "description": g.description,
                    "why": g.why,
                    "target_date": g.target_date,
                    "status": g.status,
                    "milestones": [
                        {"title": s.title, "done_on": s.done_on} for s in g.milestones.all()
                    ],
                    "history": [
                        {"at": e.at, "by": e.by.full_name, "text": e.text, "note": e.note}
                        for e in g.events.all()
                    ],
                }
                for g in m.goals.all()
            ],
            "goal_reviews": [
                {"held_at": r.held_at, "by": r.by.full_name, "summary": r.summary}
                for r in m.goal_reviews.all()
            ],
        }
        for m in mentorships
    ]


def erase(erasure: Erasure) -> dict[str, int]:
    """Mentorships stay (counts, dates and statuses add up) but their private workspace goes:
    agreement versions, goals and goal reviews are the pair's own words, so they are deleted
    for both people, and why the mentorship ended is blanked."""
    mentorships = Mentorship.objects.filter(
        Q(mentee_id=erasure.person_id) | Q(mentor_id=erasure.person_id)
    )
    goals, _ = Goal.objects.filter(mentorship__in=mentorships).delete()
    reviews, _ = GoalReview.objects.filter(mentorship__in=mentorships).delete()
    versions, _ = AgreementVersion.objects.filter(mentorship__in=mentorships).delete()
    reasons = mentorships.exclude(end_reason="").update(end_reason="")
    return {
        "workspace_records_deleted": goals + reviews + versions,
        "end_reasons_cleared": reasons,
    }
