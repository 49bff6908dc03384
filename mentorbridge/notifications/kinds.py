"""Every kind of notification, with the words the preferences page shows.

A kind is what a person can switch: email now, the weekly digest, in the app only, or off.
Apps higher up send notifications of these kinds; adding a kind here makes it appear on the
preferences page and in the API.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("meeting_tomorrow", "Meeting tomorrow", "The day before a meeting."),
        Kind("log_meeting", "Log yesterday's meeting", "The day after a meeting nobody logged."),
        Kind("prepare_agenda", "Prepare your agenda", "Two days before a meeting without one."),
        Kind("no_meeting", "No meeting for a while", "When you haven't met for weeks."),
        Kind("checkin_due", "Check-in due", "When your check-in on the mentorship is due."),
        Kind("goal_review_due", "Goal review due", "Past the middle of the mentorship."),
        Kind("action_items_overdue", "Action items overdue", "Action items past their date."),
        Kind("agreement_waiting", "Agreement waiting for you", "An agreement to confirm."),
        Kind("ending_soon", "Mentorship ending soon", "Two weeks before the end date."),
        Kind("pause_ending", "Pause ending", "The day before a paused mentorship resumes."),
        Kind(
            "resume_or_extend",
            "Resume or extend a pause",
            "On the resume date, to the person who paused (it resumes on its own a week later).",
        ),
        Kind("paused", "Paused or resumed", "When the other person pauses or resumes."),
        Kind("thank_you", "Thank-you notes", "When someone thanks you."),
        Kind("feedback", "Feedback notes", "When the other person sends feedback."),
        Kind("introduction", "Introductions", "Introductions to you or for you."),
        Kind("closure", "Closing a mentorship", "Closure survey and the mentorship's end."),
        Kind("pay_it_forward", "Become a mentor", "Invitations to mentor once yours ends."),
        Kind("program_team", "Messages from the program team", "A program admin reaches out."),
    ]
}


def kind_label(name: str) -> str:
    kind = KINDS.get(name)
    return kind.label if kind else name.replace("_", " ").capitalize()
