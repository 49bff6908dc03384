"""Kept engine sessions: a pin or forbid on a fresh preview re-solves the session the preview
was made with, and anything that changed the program since builds it from the database."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from mentorbridge.matching import sessions
from mentorbridge.matching.models import MatchingRound
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(cohort_of_four: Program) -> Program:
    """Mia plus three more mentees; Max (2 places) and Mo (1 place): one focus area waits."""
    return cohort_of_four


def _pairs(matching_round: MatchingRound) -> set[tuple[int, int, bool]]:
    return set(matching_round.proposals.values_list("focus_area_id", "mentor_id", "pinned"))


def _set_aside(preview: MatchingRound) -> None:
    """Supersede a preview, so the same change made again solves anew instead of answering
    with this preview (see rounds._twin)."""
    MatchingRound.objects.filter(pk=preview.pk).update(status="superseded")


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


def test_a_round_s_session_words_its_proposals_in_a_thread_and_never_forks(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.fork", lambda: pytest.fail("the worker's round forked"))
    first = svc.round_start(program=cohort, by=program_admin)
    assert first.status == "ready"
    kept = sessions.peek(first.pk)
    assert kept is not None
    assert kept.session.explain_in_thread and not kept.session.explain_while_solving


def test_a_round_is_built_and_solved_with_the_cycle_collector_paused(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    solve = svc.Session.solve

    def solve_and_look(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return solve(self, *args, **kwargs)

    monkeypatch.setattr(svc.Session, "solve", solve_and_look)
    assert gc.isenabled()
    first = svc.round_start(program=cohort, by=program_admin)
    assert first.status == "ready"
    assert seen == [False]
    assert gc.isenabled()  # on again after the round


def test_a_pin_on_the_preview_re_solves_its_kept_session(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    pinned = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert pinned.status == "ready"
    assert pinned.stats["engine_session"] == "reused"
    assert set(pinned.stats["stages"]) == {"reuse", "solve", "store"}
    assert pinned.stats["repaired_rounds"] == 1  # the parent's flow repaired, not solved afresh
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(pinned)
    assert sessions.kept_rounds() == [pinned.pk]  # the session now describes the new preview


def test_the_kept_session_gives_a_preview_as_good_and_as_close_as_reading_the_database_again(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    # Both keep the most of the parent's pairs among the optima; where two optima tie in score
    # and in kept pairs too (here: two focus areas alike for the place the pin frees), the
    # repaired flow and the fresh solve may take either (see `Session.prefer`)
    first = svc.round_start(program=cohort, by=program_admin)
    reused = _pin(first, program_admin, mentee, focus_area, second_mentor)
    sessions.forget_all()  # as after a restart
    _set_aside(reused)
    rebuilt = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert (reused.stats["engine_session"], rebuilt.stats["engine_session"]) == (
        "reused",
        "built",
    )
    assert reused.stats["objective"] == pytest.approx(rebuilt.stats["objective"])
    assert reused.stats["certified"] and rebuilt.stats["certified"]
    assert len(_pairs(reused)) == len(_pairs(rebuilt))
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(reused) & _pairs(rebuilt)
    kept = {(area, mentor) for area, mentor, _ in _pairs(first)}
    assert len({(a, m) for a, m, _ in _pairs(reused)} & kept) == len(
        {(a, m) for a, m, _ in _pairs(rebuilt)} & kept
    )
    assert len(reused.unmatched) == len(rebuilt.unmatched)


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


def test_a_pin_on_a_big_cohort_is_queued_by_the_page_and_the_worker_re_solves_its_session(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea, monkeypatch: pytest.MonkeyPatch, client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)  # every round goes to the worker
    with django_capture_on_commit_callbacks(execute=False):
        first = svc.round_start(program=cohort, by=program_admin)
    assert svc.run_round_task.call(round_id=first.pk) == "ready"
    rounds_url = f"/programs/{cohort.slug}/rounds/"
    admin = client_for(program_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin.post(
            f"{rounds_url}{first.pk}/pin/",
            {"focus_area": str(focus_area.pk), "mentor": second_mentor.employee_id},
        )
    pinned = MatchingRound.objects.get(parent=first)
    assert response["Location"].split("?")[0] == f"{rounds_url}{pinned.pk}/"  # + ?changed=1
    assert (pinned.status, len(queued)) == ("queued", 1)  # the request did not solve it
    assert b"<progress" in admin.get(f"{rounds_url}{pinned.pk}/").content
    assert svc.run_round_task.call(round_id=pinned.pk) == "ready"
    pinned.refresh_from_db()
    assert pinned.stats["engine_session"] == "reused"
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(pinned)
    done = admin.get(f"{rounds_url}{pinned.pk}/", HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == f"{rounds_url}{pinned.pk}/"


def test_a_restarted_worker_builds_the_session_from_the_database_and_keeps_it_again(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person,
    second_mentor: Person, focus_area: FocusArea, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)

    def in_worker(change: Any, **kwargs: Any) -> MatchingRound:
        with django_capture_on_commit_callbacks(execute=False):
            queued = change(by=program_admin, **kwargs)
        svc.run_round_task.call(round_id=queued.pk)
        return MatchingRound.objects.get(pk=queued.pk)

    first = in_worker(svc.round_start, program=cohort)
    forbidden = in_worker(svc.round_forbid, matching_round=first, mentee=mentee, mentor=mentor)
    assert forbidden.stats["engine_session"] == "reused"
    sessions.forget_all()  # the worker process restarted: nothing kept
    pinned = in_worker(
        svc.round_pin, matching_round=forbidden, mentee=mentee, focus_area=focus_area,
        mentor=second_mentor,
    )  # fmt: skip
    assert pinned.stats["engine_session"] == "built"
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(pinned)
    assert not pinned.proposals.filter(mentee=mentee, mentor=mentor).exists()
    other = pinned.proposals.exclude(mentee=mentee).select_related("mentee", "mentor").first()
    assert other is not None
    again = in_worker(
        svc.round_forbid, matching_round=pinned, mentee=other.mentee, mentor=other.mentor
    )
    assert again.stats["engine_session"] == "reused"  # the rebuilt session was kept
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(again)
    assert not again.proposals.filter(mentee=other.mentee, mentor=other.mentor).exists()


def _stored(matching_round: MatchingRound) -> list[tuple[Any, ...]]:
    return sorted(
        matching_round.proposals.values_list(
            "focus_area_id", "mentee_id", "mentor_id", "score", "factors", "pinned", "status",
            "decline_note",
        )
    )  # fmt: skip


@pytest.mark.parametrize("copy_share", [1.0, 0.0])
def test_a_re_solved_preview_stores_the_same_proposals_as_one_built_from_the_database(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person,
    monkeypatch: pytest.MonkeyPatch, copy_share: float,
) -> None:  # fmt: skip
    monkeypatch.setattr(svc, "COPY_AT_MOST_CHANGED", copy_share)
    # the three waiting mentees a level apart: one optimum (where optima tie in score and in
    # pairs kept, the kept session and the rebuilt one may store either, see `Session.prefer`)
    for level, name in enumerate(("Nia", "Omar", "Pia"), start=2):
        Person.objects.filter(first_name=name).update(level=level)
    first = svc.round_start(program=cohort, by=program_admin)
    assert first.proposals.filter(mentee=mentee, mentor=mentor).exists()  # so the forbid moves it
    inserted: list[int] = []
    insert = svc._insert_proposals

    def counted(rows: list[tuple[Any, ...]]) -> None:
        inserted.append(len(rows))
        insert(rows)

    monkeypatch.setattr(svc, "_insert_proposals", counted)
    reused = svc.round_forbid(matching_round=first, by=program_admin, mentee=mentee, mentor=mentor)
    copied = connection.vendor == "postgresql" and copy_share == 1.0
    # the unchanged pairs were copied inside the database, or all were inserted
    assert (inserted[0] < reused.stats["matched"]) is copied
    sessions.forget_all()
    _set_aside(reused)
    rebuilt = svc.round_forbid(matching_round=first, by=program_admin, mentee=mentee, mentor=mentor)
    assert (reused.stats["engine_session"], rebuilt.stats["engine_session"]) == (
        "reused",
        "built",
    )
    assert _stored(reused) == _stored(rebuilt)
    assert len(_stored(reused)) == reused.stats["matched"]


def test_a_re_solve_whose_parent_lost_its_proposals_stores_them_all_again(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    first.proposals.all().delete()
    pinned = _pin(first, program_admin, mentee, focus_area, second_mentor)
    assert pinned.stats["engine_session"] == "reused"
    assert pinned.proposals.count() == pinned.stats["matched"] > 1
    assert (focus_area.pk, second_mentor.pk, True) in _pairs(pinned)


def test_a_kept_session_is_left_alone_by_the_garbage_collector_until_it_is_dropped(
    cohort: Program, program_admin: Person
) -> None:
    import gc

    sessions.forget_all()
    assert gc.get_freeze_count() == 0
    svc.round_start(program=cohort, by=program_admin)
    assert gc.get_freeze_count() > 0  # its objects are frozen: full collections skip them
    sessions.forget_all()
    assert gc.get_freeze_count() == 0


def test_a_round_keeps_the_texts_analysis_and_a_new_process_s_round_reads_it(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cohort: Program,
    program_admin: Person,
) -> None:  # fmt: skip
    from mentorbridge.matching import text_analysis
    from mentorbridge.matching.adapter import catalogue_synonyms
    from mentorbridge.matching_engine import text

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(text_analysis, "STORE_AFTER_NEW", 1)
    text._SHARED.clear()  # as a new process
    text_analysis.forget_loaded()
    first = svc.round_start(program=cohort, by=program_admin)
    (kept,) = (tmp_path / "cache").glob("text-analysis-*.json")
    # the round's text factor analysed its texts with the analyzer the file is kept for
    analyzer = text_analysis.shared_analyzer(catalogue_synonyms())
    text._SHARED.clear()
    text_analysis.forget_loaded()
    assert text_analysis.preload(analyzer) == analyzer.analysed_count > 0
    _set_aside(first)
    sessions.forget_all()
    again = svc.round_start(program=cohort, by=program_admin)
    assert _pairs(again) == _pairs(first)
    assert kept.exists()


def test_the_session_stamp_moves_with_an_answered_proposal_and_not_with_previews(
    cohort: Program, program_admin: Person
) -> None:
    from mentorbridge.matching.models import Proposal, ProposalStatus

    first = svc.round_start(program=cohort, by=program_admin)
    before = sessions.session_stamp(cohort, [])
    _set_aside(first)
    svc.round_start(program=cohort, by=program_admin)  # another preview: the same stamp
    assert sessions.session_stamp(cohort, []) == before
    one = first.proposals.values_list("pk", flat=True)[0]
    for status in (ProposalStatus.SENT, ProposalStatus.WITHDRAWN):
        Proposal.objects.filter(pk=one).update(status=status)
        assert sessions.session_stamp(cohort, []) != before
