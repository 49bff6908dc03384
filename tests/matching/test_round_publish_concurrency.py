"""Publishing two previews of one program at once, with real PostgreSQL row locks."""

from __future__ import annotations

from mentorbridge.matching.models import MatchingRound, Proposal
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_two_previews_published_at_once_send_one_and_refuse_the_other_in_words(
    cohort: Program,
    program_admin: Person,
) -> None:
    previews = [
        svc.round_start(program=cohort, by=program_admin, objective=objective)
        for objective in ("total", "fair")  # the same settings twice would be one preview
    ]
    assert [p.status for p in previews] == ["ready", "ready"]

    def publish(preview: MatchingRound) -> str:
        svc.round_publish(matching_round=preview, by=program_admin)
        return "published"

    outcomes = at_once([lambda p=p: publish(p) for p in previews])  # type: ignore[misc]
    assert sorted(outcomes)[0].startswith("Only a finished preview"), outcomes
    assert sorted(outcomes)[1] == "published", outcomes
    sent = Proposal.objects.filter(status="sent")
    assert sent.count() == sent.values("focus_area").distinct().count() == 1


def test_deciding_one_previews_conflicts_while_another_is_published_never_deadlocks(
    cohort: Program,
    mentee: Person,
    second_mentor: Person,
    focus_area: FocusArea,
    program_admin: Person,
) -> None:
    """The suspected deadlock (deciding preview A's conflicts against publishing preview B):
    each holds one round at most while the other waits, so one waits and both finish."""
    from mentorbridge.matching.services import round_conflicts
    from mentorbridge.matching.services.requests import request_create

    request_create(mentee=mentee, mentor=second_mentor, focus_area=focus_area, message="Hi?")
    for attempt in range(5):
        first = svc.round_start(program=cohort, by=program_admin)
        second = svc.round_start(program=cohort, by=program_admin, objective="fair")
        [area] = [c.focus_area_id for c in round_conflicts.round_conflicts(first)]

        def decide(area: int = area, preview: MatchingRound = first) -> str:
            round_conflicts.round_decide_conflicts(
                matching_round=preview, by=program_admin, choices={area: "keep"}
            )
            return "decided"

        def publish(area: int = area, preview: MatchingRound = second) -> str:
            round_conflicts.round_decide_conflicts(
                matching_round=preview, by=program_admin, choices={area: "keep"}
            )
            svc.round_publish(matching_round=preview, by=program_admin)
            return "published"

        outcomes = at_once([decide, publish])
        assert not [o for o in outcomes if o.startswith("ERROR")], (attempt, outcomes)
        Proposal.objects.filter(status="sent").update(status="withdrawn")
