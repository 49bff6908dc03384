"""Publishing two previews of one program at once, with real PostgreSQL row locks."""

from __future__ import annotations

from mentorbridge.matching.models import MatchingRound, Proposal
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_two_previews_published_at_once_send_one_and_refuse_the_other_in_words(
    program: Program,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
    program_admin: Person,
) -> None:
    previews = [svc.round_start(program=program, by=program_admin) for _ in range(2)]
    assert [p.status for p in previews] == ["ready", "ready"]

    def publish(preview: MatchingRound) -> str:
        svc.round_publish(matching_round=preview, by=program_admin)
        return "published"

    outcomes = at_once([lambda p=p: publish(p) for p in previews])  # type: ignore[misc]
    assert sorted(outcomes)[0].startswith("Only a finished preview"), outcomes
    assert sorted(outcomes)[1] == "published", outcomes
    sent = Proposal.objects.filter(status="sent")
    assert sent.count() == sent.values("focus_area").distinct().count() == 1
