"""What the programs app holds about a person: enrollments (with what they told the program
team) and the focus areas they asked a mentor for."""

from __future__ import annotations

from typing import Any

from mentorbridge.core.personal_data import Erasure
from mentorbridge.programs.models import Enrollment, FocusArea

ERASED_FOCUS_AREA = "Erased focus area"

DESCRIPTION = (
    "Programs you joined, your answers (motivation, capacity, preferences) and your focus areas."
)


def export(person: Any) -> list[dict[str, Any]]:
    """Each enrollment with its answers and focus areas (retired ones too)."""
    enrollments = (
        Enrollment.objects.filter(person=person)
        .select_related("program", "invited_by")
        .order_by("created_at")
    )
    areas: dict[int, list[FocusArea]] = {}
    for area in (
        FocusArea.all_objects.filter(enrollment__person=person)
        .prefetch_related("skills")
        .order_by("position", "pk")
    ):
        areas.setdefault(area.enrollment_id, []).append(area)
    return [
        {
            "program": e.program.name,
            "role": e.role,
            "status": e.status,
            "accepting_requests": e.accepting_requests,
            "mentor_capacity": e.mentor_capacity,
            "department_preference": e.department_preference,
            "meeting_preference": e.meeting_preference,
            "motivation": e.motivation,
            "invited_by": e.invited_by.full_name if e.invited_by else None,
            "joined_at": e.created_at,
            "decided_at": e.decided_at,
            "focus_areas": [
                {
                    "title": a.title,
                    "description": a.description,
                    "skills": [s.name for s in a.skills.all()],
                    "active": a.is_active,
                }
                for a in areas.get(e.pk, [])
            ],
        }
        for e in enrollments
    ]


def erase(erasure: Erasure) -> dict[str, int]:
    """Enrollments stay (head counts and rounds keep adding up) without what the person wrote:
    motivation, focus-area titles, descriptions and skills."""
    motivations = Enrollment.objects.filter(person_id=erasure.person_id).update(motivation="")
    areas = FocusArea.all_objects.filter(enrollment__person_id=erasure.person_id)
    for area in areas:
        area.skills.clear()
    cleared = areas.update(title=ERASED_FOCUS_AREA, description="")
    return {"enrollments_cleared": motivations, "focus_areas_cleared": cleared}
