"""Kept engine sessions: a pin or forbid on a fresh preview re-solves the session the preview
was made with, and anything that changed the program since builds it from the database."""

from __future__ import annotations

from typing import Any

import pytest

from mentorbridge.matching import sessions
from mentorbridge.matching.models import MatchingRound
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program: Program, mentee: Person, skilled_mentor: Person, second_mentor: Person,
           focus_area: FocusArea) -> Program:  # fmt: skip
    """Mia plus three more mentees; Max (2 places) and Mo (1 place): one focus area waits."""
    for name in ("Nia", "Omar", "Pia"):
        enrollment = EnrollmentFactory(
            program=program, role="mentee", person=PersonFactory(first_name=name)
        )
        FocusAreaFactory(enrollment=enrollment, title=f"{name}'s goal")
    return program


def _pairs(matching_round: MatchingRound) -> set[tuple[int, int, bool]]:
    return set(matching_round.proposals.values_list("focus_area_id", "mentor_id", "pinned"))


def _pin(
    first: MatchingRound, by: Person, mentee: Person, area: FocusArea, mentor: Person
) -> MatchingRound:
    return svc.round_pin(matching_round=first, by=by, mentee=mentee, focus_area=area, mentor=mentor)


def test_a_preview_keeps_its_engine_session_in_the_process(
    cohort: Program, program_admin: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    assert sessions.kept_rounds() == [first.pk]
    assert first.stats["engine_session"] == "built"
    assert set(first.stats["stages"]) == {"read", "build", "solve", "store"}


def test_a_pin_on_the_preview_re_solves_its_kept_session(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    pinned = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert pinned.status == "ready"
    assert pinned.stats["engine_session"] == "reused"
    assert set(pinned.stats["stages"]) == {"reuse", "solve", "store"}
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(pinned)
    assert sessions.kept_rounds() == [pinned.pk]  # the session now describes the new preview


def test_the_kept_session_gives_the_same_preview_as_reading_the_database_again(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    reused = _pin(first, program_admin, mentee, focus_area, second_mentor)
    sessions.forget_all()  # as after a restart
    rebuilt = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert (reused.stats["engine_session"], rebuilt.stats["engine_session"]) == (
        "reused",
        "built",
    )
    assert _pairs(reused) == _pairs(rebuilt)
    assert reused.stats["objective"] == pytest.approx(rebuilt.stats["objective"])
    assert reused.unmatched == rebuilt.unmatched


def test_a_lasting_forbid_re_solves_the_kept_session_without_the_pair(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    assert first.proposals.filter(mentee=mentee, mentor=mentor).exists()
    second = svc.round_forbid(
        matching_round=first, by=program_admin, mentee=mentee, mentor=mentor, permanent=True
    )
    assert second.stats["engine_session"] == "reused"
    assert not second.proposals.filter(mentee=mentee, mentor=mentor).exists()
    assert sessions.kept_rounds() == [second.pk]


def test_a_new_mentee_since_the_preview_makes_the_pin_read_the_database_again(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    late = EnrollmentFactory(program=cohort, role="mentee", person=PersonFactory())
    FocusAreaFactory(enrollment=late, title="Late goal")
    pinned = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert pinned.stats["engine_session"] == "built"
    assert pinned.stats["focus_areas"] == first.stats["focus_areas"] + 1


def test_a_profile_edit_since_the_preview_makes_the_forbid_read_the_database_again(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    person_set_skills(person=mentor, skills=[SkillEntry("Go", 1)])
    second = svc.round_forbid(matching_round=first, by=program_admin, mentee=mentee, mentor=mentor)
    assert second.stats["engine_session"] == "built"


def test_other_weights_build_the_session_again(cohort: Program, program_admin: Person) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    again = svc.round_resolve(
        matching_round=first, by=program_admin, objective="total", weights={"language": 1}
    )
    assert again.stats["engine_session"] == "built"


def test_a_pin_from_an_older_preview_builds_the_session_again(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person,
    second_mentor: Person, focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    svc.round_forbid(matching_round=first, by=program_admin, mentee=mentee, mentor=mentor)
    older = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert older.stats["engine_session"] == "built"
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(older)


def test_a_process_keeps_only_its_latest_sessions(
    cohort: Program, program_admin: Person, settings: Any
) -> None:
    settings.MATCHING_KEPT_SESSIONS = 1
    first = svc.round_start(program=cohort, by=program_admin)
    second = svc.round_resolve(
        matching_round=first, by=program_admin, objective="coverage", weights={}
    )
    assert sessions.kept_rounds() == [second.pk]
    settings.MATCHING_KEPT_SESSIONS = 0
    sessions.forget_all()
    third = svc.round_resolve(
        matching_round=second, by=program_admin, objective="total", weights={}
    )
    assert third.status == "ready" and sessions.kept_rounds() == []
