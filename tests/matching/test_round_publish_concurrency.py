"""Publishing two previews of one program at once, with real PostgreSQL row locks."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mentorbridge.matching.models import MatchingRound, Proposal
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
]


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
    barrier = threading.Barrier(len(previews))
    outcomes: list[str] = []

    def publish(preview: MatchingRound) -> None:
        try:
            barrier.wait()
            svc.round_publish(matching_round=preview, by=program_admin)
            outcomes.append("published")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # a deadlock, say: what the person would see as a 500
            outcomes.append(f"crashed: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(p,)) for p in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[0].startswith("Only a finished preview"), outcomes
    assert sorted(outcomes)[1] == "published", outcomes
    sent = Proposal.objects.filter(status="sent")
    assert sent.count() == sent.values("focus_area").distinct().count() == 1
