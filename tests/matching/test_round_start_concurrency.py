"""Starting the same round twice at once (a double click, two admins), with real PostgreSQL
row locks."""

from __future__ import annotations

from mentorbridge.matching.models import MatchingRound
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_a_round_started_twice_at_once_makes_one_preview_and_tells_the_other_request(
    cohort: Program,
    program_admin: Person,
    site_admin: Person,
) -> None:
    def start(by: Person) -> str:
        return svc.round_start(program=cohort, by=by).status

    outcomes = at_once([lambda: start(program_admin), lambda: start(site_admin)])
    assert "ready" in outcomes, outcomes
    [told] = [o for o in outcomes if o != "ready"]
    assert told.startswith("This round was already started by"), outcomes
    assert MatchingRound.objects.filter(program=cohort).count() == 1
