"""What the mentorship workspace holds about a person: their mentorships, and inside each the
agreement (every version), goals with milestones and history, goal reviews, meetings with
their agenda and shared notes, action items, check-ins, feedback and thank-you notes,
introductions, closing surveys and the program team's reach-outs; their own private notes
(decrypted: they are theirs) and their calendar feed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mentorbridge.core.personal_data import Erasure
from mentorbridge.mentorships.access import mentorships_of
from mentorbridge.mentorships.models import (
    ActionItem,
    AgendaItem,
    AgreementVersion,
    CalendarFeed,
    CheckIn,
    ClosureSurvey,
    FeedbackNote,
    Goal,
    GoalReview,
    Introduction,
    Meeting,
    Mentorship,
    PrivateNote,
    ReachOut,
    SharedNote,
    ThankYouNote,
    members_prefetch,
)
from mentorbridge.mentorships.notes.selectors import own_private_notes

AGREEMENT_FIELDS = (
    "number", "created_at", "change_note", "mentee_hopes", "mentor_hopes", "cadence",
    "meeting_minutes", "channel", "place", "video_link", "duration_weeks", "ends_on",
    "confidentiality", "feedback", "points",
)  # fmt: skip

DESCRIPTION = (
    "Your mentorships and their workspaces: agreements, goals, meetings with agendas and "
    "notes (your private notes too), action items, check-ins, feedback, thank-you notes, "
    "introductions and closing surveys."
)


def _mentorships(person: Any) -> list[dict[str, Any]]:
    """Each mentorship, as mentee (a group's members too) or mentor, with its workspace."""
    mentorships = (
        mentorships_of(person)
        .select_related("program", "mentee", "mentor", "focus_area")
        .prefetch_related(
            members_prefetch(),
            "agreement_versions__author",
            "agreement_versions__confirmations__person",
            "goals__milestones",
            "goals__events__by",
            "goal_reviews__by",
            "meetings__agenda_items__author",
            "meetings__shared_notes__author",
            "action_items__owner",
        )
        .order_by("started_at")
    )
    return [
        {
            "program": m.program.name,
            "as": "mentor" if m.mentor_id == person.pk else "mentee",
            "mentee": m.mentee.full_name,
            "group_members": [g.person.full_name for g in m.group_members],
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
            "meetings": [
                {
                    "starts_at": mt.starts_at,
                    "minutes": mt.minutes,
                    "channel": mt.channel,
                    "place": mt.place,
                    "status": mt.status,
                    "status_note": mt.status_note,
                    "agenda": [
                        {"by": a.author.full_name, "kind": a.kind, "text": a.text}
                        for a in mt.agenda_items.all()
                    ],
                    "shared_notes": [
                        {"by": n.author.full_name, "text": n.text, "at": n.created_at}
                        for n in mt.shared_notes.all()
                    ],
                }
                for mt in m.meetings.all()
            ],
            "action_items": [
                {
                    "title": a.title,
                    "owner": a.owner.full_name,
                    "due_on": a.due_on,
                    "done_at": a.done_at,
                }
                for a in m.action_items.all()
            ],
        }
        for m in mentorships
    ]


def _keeping_alive(person: Any) -> dict[str, Any]:
    """What the person wrote or was sent about how their mentorships go."""
    return {
        "checkins": [
            {"occasion": c.occasion, "submitted_at": c.submitted_at,
             "satisfaction": c.satisfaction, "progress": c.progress, "working": c.working,
             "text": c.text}
            for c in CheckIn.objects.filter(person=person).order_by("submitted_at")
        ],
        "feedback_notes": [
            {"going_well": f.going_well, "could_be_better": f.could_be_better,
             "created_at": f.created_at}
            for f in FeedbackNote.objects.filter(author=person).order_by("created_at")
        ],
        "thank_you_notes": [
            {"from": t.author.full_name, "to": t.recipient.full_name, "message": t.message,
             "created_at": t.created_at, "on_profile": t.on_profile}
            for t in ThankYouNote.objects.filter(Q(author=person) | Q(recipient=person))
            .select_related("author", "recipient").order_by("created_at")
        ],
        "introductions": [
            {"by": i.by.full_name, "mentee": i.mentee.full_name,
             "colleague": i.colleague.full_name, "note": i.note, "status": i.status,
             "created_at": i.created_at}
            for i in Introduction.objects.filter(
                Q(by=person) | Q(colleague=person) | Q(mentee=person)
            ).select_related("by", "colleague", "mentee").order_by("created_at")
        ],
        "closing_surveys": [
            {"goals_reached": c.goals_reached, "what_helped": c.what_helped,
             "would_recommend": c.would_recommend, "overall": c.overall,
             "stay_in_touch": c.stay_in_touch, "submitted_at": c.submitted_at}
            for c in ClosureSurvey.objects.filter(person=person).order_by("submitted_at")
        ],
        "reach_outs_to_you": [
            {"subject": r.subject, "message": r.message, "sent_at": r.sent_at}
            for r in ReachOut.objects.filter(to=person).order_by("sent_at")
        ],
    }  # fmt: skip


def export(person: Any) -> dict[str, Any]:
    """Mentorships with their workspaces, the person's private notes and calendar feed."""
    return {
        "mentorships": _mentorships(person),
        **_keeping_alive(person),
        "private_notes": [
            {
                "meeting_starts_at": note.meeting.starts_at,
                "text": text,
                "updated_at": note.updated_at,
            }
            for note, text in own_private_notes(person)
        ],
        "calendar_feed": CalendarFeed.objects.filter(person=person).exists(),
    }


def erase(erasure: Erasure) -> dict[str, int]:
    """The person's private notes and calendar feed are deleted. Mentorships and their
    meetings stay (counts, dates, lengths and statuses add up) but the workspace's words go.

    - In a mentorship of two, agreement versions, goals, goal reviews, agendas, shared notes
      and action items are the pair's own, so they are deleted for both people, with
      feedback notes; meeting places and notes, check-in and closing-survey comments (their
      ratings stay) and why the mentorship ended are blanked.
    - In a group mentorship the other members keep their workspace: only what the person
      wrote goes (their agenda items, shared notes, goals and goal reviews, action items they
      created or own, feedback notes), and their own check-in and closing-survey comments
      are blanked. The agreement every member confirmed stays: it is the group's.

    Thank-you notes to or from the person, introductions they made or were made to, and the
    program team's reach-outs to them are deleted everywhere. The other people's private
    notes are theirs and stay."""
    person_id = erasure.person_id
    private, _ = PrivateNote.objects.filter(author_id=person_id).delete()
    feeds, _ = CalendarFeed.objects.filter(person_id=person_id).delete()
    involved = Mentorship.objects.filter(
        Q(mentee_id=person_id) | Q(mentor_id=person_id) | Q(members__person_id=person_id)
    ).distinct()
    groups = involved.filter(members__isnull=False).distinct()
    pairs = involved.exclude(pk__in=groups.values("pk"))
    deleted = 0
    for records in (
        Goal.objects.filter(mentorship__in=pairs),
        GoalReview.objects.filter(mentorship__in=pairs),
        AgreementVersion.objects.filter(mentorship__in=pairs),
        AgendaItem.objects.filter(meeting__mentorship__in=pairs),
        SharedNote.objects.filter(meeting__mentorship__in=pairs),
        ActionItem.objects.filter(mentorship__in=pairs),
        FeedbackNote.objects.filter(mentorship__in=pairs),
        AgendaItem.objects.filter(meeting__mentorship__in=groups, author_id=person_id),
        SharedNote.objects.filter(meeting__mentorship__in=groups, author_id=person_id),
        ActionItem.objects.filter(
            Q(created_by_id=person_id) | Q(owner_id=person_id), mentorship__in=groups
        ),
        GoalReview.objects.filter(mentorship__in=groups, by_id=person_id),
        Goal.objects.filter(mentorship__in=groups, created_by_id=person_id),
        FeedbackNote.objects.filter(mentorship__in=groups, author_id=person_id),
        ThankYouNote.objects.filter(Q(author_id=person_id) | Q(recipient_id=person_id)),
        Introduction.objects.filter(
            Q(by_id=person_id) | Q(colleague_id=person_id) | Q(mentee_id=person_id)
        ),
        ReachOut.objects.filter(to_id=person_id),
    ):
        deleted += records.delete()[0]
    meetings = Meeting.objects.filter(mentorship__in=pairs).update(
        place="", video_link="", status_note=""
    )
    reasons = pairs.exclude(end_reason="").update(end_reason="")
    # Check-ins and closing surveys keep their ratings (program health and statistics add
    # up) without the words.
    words = Q(mentorship__in=pairs) | Q(mentorship__in=groups, person_id=person_id)
    CheckIn.objects.filter(words).exclude(text="").update(text="")
    ClosureSurvey.objects.filter(words).exclude(what_helped="").update(what_helped="")
    return {
        "private_notes_deleted": private,
        "calendar_feeds_deleted": feeds,
        "workspace_records_deleted": deleted,
        "meetings_kept_without_details": meetings,
        "end_reasons_cleared": reasons,
    }
