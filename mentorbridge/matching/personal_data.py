"""What the matching app holds about a person: requests they sent and received (with the
messages), proposals made to them, and pairs ruled out for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mentorbridge.core.personal_data import Erasure
from mentorbridge.matching import text_analysis
from mentorbridge.matching.models import FocusAreaVector, MentorRequest, PersonVector, Proposal

DESCRIPTION = (
    "Requests you sent and received, with their messages, and proposals from matching rounds."
)


def export(person: Any) -> dict[str, Any]:
    """Requests both ways and proposals both ways, with everything written in them."""
    requests = (
        MentorRequest.objects.filter(Q(mentee=person) | Q(mentor=person))
        .select_related("program", "mentee", "mentor", "focus_area")
        .order_by("created_at")
    )
    proposals = (
        Proposal.objects.filter(Q(mentee=person) | Q(mentor=person))
        .exclude(status="preview")
        .select_related("round__program", "mentee", "mentor", "focus_area")
        .order_by("pk")
    )
    return {
        "requests": [
            {
                "program": r.program.name,
                "as": "mentee" if r.mentee_id == person.pk else "mentor",
                "mentee": r.mentee.full_name,
                "mentor": r.mentor.full_name,
                "focus_area": r.focus_area.title,
                "message": r.message,
                "status": r.status,
                "decline_reason": r.decline_reason,
                "decline_note": r.decline_note,
                "question": r.info_question,
                "answer": r.info_answer,
                "closed_note": r.closed_note,
                "sent_at": r.created_at,
            }
            for r in requests
        ],
        "proposals": [
            {
                "program": p.round.program.name,
                "as": "mentee" if p.mentee_id == person.pk else "mentor",
                "mentee": p.mentee.full_name,
                "mentor": p.mentor.full_name,
                "focus_area": p.focus_area.title,
                "score": p.score,
                "status": p.status,
                "mentee_accepted": p.mentee_accepted,
                "mentor_accepted": p.mentor_accepted,
                "decline_note": p.decline_note,
            }
            for p in proposals
        ],
        # Sentence vectors computed from the profile and focus areas for matching: numbers,
        # not text, so only whether they exist.
        "profile_vector": PersonVector.objects.filter(person=person).exists(),
        "focus_area_vectors": FocusAreaVector.objects.filter(
            focus_area__enrollment__person=person
        ).count(),
    }


def erase(erasure: Erasure) -> dict[str, int]:
    """Requests and proposals stay (their statuses make the figures) without their words:
    the messages, notes, questions and answers of every request either way are blanked."""
    involved = Q(mentee_id=erasure.person_id) | Q(mentor_id=erasure.person_id)
    requests = MentorRequest.objects.filter(involved).update(
        message="", decline_note="", info_question="", info_answer=""
    )
    proposals = Proposal.objects.filter(involved).exclude(decline_note="").update(decline_note="")
    vectors = PersonVector.objects.filter(person_id=erasure.person_id).delete()[0]
    vectors += FocusAreaVector.objects.filter(
        focus_area__enrollment__person_id=erasure.person_id
    ).delete()[0]
    # The suggesters' kept text analysis holds profile and goal texts word for word.
    analysis_files = text_analysis.forget_all()
    return {
        "requests_cleared": requests,
        "proposal_notes_cleared": proposals,
        "vectors_deleted": vectors,
        "text_analysis_files_deleted": analysis_files,
    }
