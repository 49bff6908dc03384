"""Matching rounds: preview, pin, forbid, re-solve, publish, answer, next-best offers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorbridge.matching.models import MatchingRound, PairExclusion, Proposal
from mentorbridge.matching.services import rounds as svc
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program: Program, mentee: Person, skilled_mentor: Person, second_mentor: Person,
           focus_area: FocusArea) -> Program:  # fmt: skip
    """Mia plus two more mentees; Max (2 places) and Mo (1 place)."""
    for name in ("Nia", "Omar"):
        enrollment = EnrollmentFactory(
            program=program, role="mentee", person=PersonFactory(first_name=name)
        )
        FocusAreaFactory(enrollment=enrollment, title=f"{name}'s goal")
    return program


def test_a_round_previews_an_optimal_assignment_without_sending_anything(
    cohort: Program, program_admin: Person
) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    assert matching_round.status == "ready"
    proposals = list(matching_round.proposals.all())
    assert len(proposals) == 3  # three focus areas, three places
    assert {p.status for p in proposals} == {"preview"}
    assert matching_round.stats["coverage"] == 1.0
    assert matching_round.stats["gap"] == pytest.approx(0.0, abs=1e-9)
    load = {}
    for p in proposals:
        load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
    assert max(load.values()) <= 2


def test_a_round_records_how_the_engine_solved_it(cohort: Program, program_admin: Person) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    stats = matching_round.stats
    assert stats["certified"] is True
    assert stats["rounds"] >= 1
    assert {"features", "score", "solve", "certify"} <= set(stats["engine_stages"])
    assert stats["seconds"] == pytest.approx(sum(stats["engine_stages"].values()), abs=0.01)


def test_a_rounds_progress_follows_the_solve_step_by_step_to_the_saved_preview(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, str]] = []
    real_set = svc._Progress.set

    def recording(self: Any, percent: int, text: str, *, force: bool = False) -> None:
        seen.append((percent, text))
        real_set(self, percent, text, force=force)

    monkeypatch.setattr(svc._Progress, "set", recording)
    matching_round = svc.round_start(program=cohort, by=program_admin)
    assert matching_round.status == "ready"
    texts = [text for _, text in seen]
    solving = texts.index("Solving")
    assert texts[solving + 1 :] == [
        "Solving: round 1, proven best",
        "Explaining the proposals",
        "Saving the preview",
    ]
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents)  # the bar never goes back


def test_the_progress_words_each_step_of_a_long_solve(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, str]] = []
    monkeypatch.setattr(
        svc._Progress, "set", lambda self, p, text, force=False: seen.append((p, text))
    )
    progress = svc._Progress(MatchingRound())
    progress.solving("prices", 0, None)
    progress.solving("round", 1, 0.0123)
    progress.solving("round", 2, 3e-5)
    progress.solving("round", 9, 0.0)
    progress.solving("explain", 9, None)
    assert seen == [
        (76, "Solving: a first matching to price the mentors"),
        (81, "Solving: round 1, within 1.23% of the best"),
        (84, "Solving: round 2, within 0.01% of the best"),
        (90, "Solving: round 9, proven best"),
        (91, "Explaining the proposals"),
    ]


def test_a_mentor_in_the_mentees_reporting_line_is_never_proposed(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    mentee.manager = mentor
    mentee.save()
    matching_round = svc.round_start(program=cohort, by=program_admin)
    assert not matching_round.proposals.filter(mentee=mentee, mentor=mentor).exists()


def test_pinning_makes_a_new_preview_that_contains_the_pair(
    cohort: Program,
    program_admin: Person,
    mentee: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    pinned = svc.round_pin(
        matching_round=first,
        by=program_admin,
        mentee=mentee,
        focus_area=focus_area,
        mentor=second_mentor,
    )
    assert pinned.parent == first and pinned.status == "ready"
    assert pinned.proposals.get(focus_area=focus_area).mentor == second_mentor
    assert pinned.proposals.get(focus_area=focus_area).pinned


def test_forbidding_removes_the_pair_and_can_last(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    second = svc.round_forbid(
        matching_round=first, by=program_admin, mentee=mentee, mentor=mentor, permanent=True
    )
    assert not second.proposals.filter(mentee=mentee, mentor=mentor).exists()
    assert PairExclusion.objects.filter(mentee=mentee, mentor=mentor).exists()


def test_resolving_with_other_weights_keeps_pins(
    cohort: Program,
    program_admin: Person,
    mentee: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    pinned = svc.round_pin(
        matching_round=first,
        by=program_admin,
        mentee=mentee,
        focus_area=focus_area,
        mentor=second_mentor,
    )
    again = svc.round_resolve(
        matching_round=pinned, by=program_admin, objective="fair", weights={"language": 1}
    )
    assert again.objective == "fair" and again.weights["language"] == 1.0
    assert again.proposals.get(focus_area=focus_area).mentor == second_mentor


def test_bad_weights_and_objectives_are_refused(cohort: Program, program_admin: Person) -> None:
    with pytest.raises(ValidationError):
        svc.round_start(program=cohort, by=program_admin, weights={"language": 7})
    with pytest.raises(ValidationError):
        svc.round_start(program=cohort, by=program_admin, objective="chaos")


def test_a_round_with_nobody_waiting_fails_with_a_reason(
    program: Program, program_admin: Person
) -> None:
    matching_round = svc.round_start(program=program, by=program_admin)
    assert matching_round.status == "failed"
    assert "Nobody is waiting" in matching_round.error


def test_publishing_sends_proposals_and_both_yeses_start_the_mentorship(
    cohort: Program, program_admin: Person, django_capture_on_commit_callbacks
) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent, dropped, _ = svc.round_publish(matching_round=matching_round, by=program_admin)
    assert (sent, dropped) == (3, 0)
    assert len(callbacks) == 6  # one email per person: both people of each of 3 proposals
    proposal = matching_round.proposals.first()
    assert proposal is not None
    svc.proposal_answer(proposal=proposal, by=proposal.mentee, accept=True)
    assert not Mentorship.objects.exists()
    svc.proposal_answer(proposal=proposal, by=proposal.mentor, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert Mentorship.objects.get().source == "proposal"


def test_a_preview_cannot_be_published_twice(cohort: Program, program_admin: Person) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    svc.round_publish(matching_round=matching_round, by=program_admin)
    with pytest.raises(ValidationError, match="Only a finished preview"):
        svc.round_publish(matching_round=matching_round, by=program_admin)


def test_a_decline_frees_the_place_and_offers_the_next_best_mentor(
    cohort: Program, program_admin: Person, mentee: Person, focus_area: FocusArea
) -> None:
    # two places, so one is free after the round whichever mentors the other mentees' goals
    # (which no mentor is relevant to: their pairs tie) were given
    extra = PersonFactory(first_name="Extra", level=6)
    EnrollmentFactory(program=cohort, person=extra, role="mentor", mentor_capacity=2)
    person_set_skills(person=extra, skills=[SkillEntry("System design", 4)])
    matching_round = svc.round_start(program=cohort, by=program_admin)
    svc.round_publish(matching_round=matching_round, by=program_admin)
    proposal = matching_round.proposals.get(focus_area=focus_area)
    declined_mentor = proposal.mentor
    svc.proposal_answer(proposal=proposal, by=mentee, accept=False, note="We work together daily")
    offers = Proposal.objects.filter(focus_area=focus_area, status="sent")
    assert offers.count() == 1
    assert offers.get().mentor != declined_mentor
    assert PairExclusion.objects.filter(mentee=mentee, mentor=declined_mentor).exists()


def test_only_the_two_people_answer_a_proposal(
    cohort: Program, program_admin: Person, outsider: Person
) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    svc.round_publish(matching_round=matching_round, by=program_admin)
    proposal = matching_round.proposals.first()
    assert proposal is not None
    with pytest.raises(PermissionDenied):
        svc.proposal_answer(proposal=proposal, by=outsider, accept=True)
    svc.proposal_answer(proposal=proposal, by=proposal.mentee, accept=True)
    with pytest.raises(ValidationError, match="already answered"):
        svc.proposal_answer(proposal=proposal, by=proposal.mentee, accept=False)


def test_pending_proposals_hold_places_in_the_next_round(
    cohort: Program, program_admin: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    svc.round_publish(matching_round=first, by=program_admin)
    second = svc.round_start(program=cohort, by=program_admin)
    assert second.status == "failed"  # everyone already has a pending proposal


def test_publishing_a_second_preview_never_offers_a_focus_area_twice(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    second = svc.round_forbid(matching_round=first, by=program_admin, mentee=mentee, mentor=mentor)
    svc.round_publish(matching_round=second, by=program_admin)
    first.refresh_from_db()
    assert first.status == "superseded"
    with pytest.raises(ValidationError):
        svc.round_publish(matching_round=first, by=program_admin)
    sent = Proposal.objects.filter(status="sent")
    assert sent.count() == sent.values("focus_area").distinct().count()


def test_a_pin_that_breaks_a_rule_is_refused_in_words(
    cohort: Program, program_admin: Person, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    mentee.manager = mentor
    mentee.save()
    first = svc.round_start(program=cohort, by=program_admin)
    with pytest.raises(
        ValidationError,
        match="Can't pin Max Mentor for Mia Mentee: Max Mentor is in Mia Mentee's reporting line",
    ):
        svc.round_pin(
            matching_round=first,
            by=program_admin,
            mentee=mentee,
            focus_area=focus_area,
            mentor=mentor,
        )


def test_a_closed_program_runs_no_rounds(cohort: Program, program_admin: Person) -> None:
    cohort.status = "closed"
    cohort.save()
    with pytest.raises(ValidationError, match="isn't matching people right now"):
        svc.round_start(program=cohort, by=program_admin)


def test_a_site_admin_without_a_profile_runs_and_publishes_rounds(cohort: Program) -> None:
    matching_round = svc.round_start(program=cohort, by=None)
    assert matching_round.status == "ready"
    assert svc.round_publish(matching_round=matching_round, by=None)[0] == 3


def test_a_proposal_that_can_no_longer_start_is_withdrawn_not_left_pending(
    cohort: Program, program_admin: Person, focus_area: FocusArea
) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    svc.round_publish(matching_round=matching_round, by=program_admin)
    proposal = matching_round.proposals.get(focus_area=focus_area)
    enrollment = proposal.mentor.enrollments.get(program=cohort)
    enrollment.mentor_capacity = 0
    enrollment.save()
    svc.proposal_answer(proposal=proposal, by=proposal.mentee, accept=True)
    svc.proposal_answer(proposal=proposal, by=proposal.mentor, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert "no mentee places left" in proposal.decline_note
    assert not Mentorship.objects.exists()


def test_a_big_cohort_runs_in_the_background_with_progress(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch,
    client_for, django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    from mentorbridge.matching.models import MatchingRound

    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        matching_round = svc.round_start(program=cohort, by=program_admin)
    assert matching_round.status == "queued" and len(callbacks) == 1
    page = client_for(program_admin).get(
        f"/programs/engineering-growth/rounds/{matching_round.pk}/"
    )
    assert b"<progress" in page.content and b"every 1s" in page.content
    assert svc.run_round_task.call(round_id=matching_round.pk) == "ready"
    assert MatchingRound.objects.get(pk=matching_round.pk).proposals.count() == 3
    done = client_for(program_admin).get(
        f"/programs/engineering-growth/rounds/{matching_round.pk}/", HTTP_HX_REQUEST="true"
    )
    assert done["HX-Redirect"] == f"/programs/engineering-growth/rounds/{matching_round.pk}/"


def test_a_group_program_gives_each_mentor_mentees_who_share_a_focus_area(
    program_admin: Person,
) -> None:
    from mentorbridge.people.services import skill_for_name
    from tests.factories import ProgramFactory

    program = ProgramFactory(kind="group", max_mentees_per_mentor=4)
    program.admins.add(program_admin)
    for _ in range(2):
        EnrollmentFactory(
            program=program, person=PersonFactory(level=6), role="mentor", mentor_capacity=3
        )
    for topic in ("Public speaking", "Public speaking", "SQL", "SQL"):
        area = FocusAreaFactory(
            enrollment=EnrollmentFactory(program=program, role="mentee"), title=topic
        )
        area.skills.set([skill_for_name(topic)])
    matching_round = svc.round_start(program=program, by=program_admin)
    assert matching_round.status == "ready", matching_round.error
    groups: dict[int, set[str]] = {}
    for proposal in matching_round.proposals.select_related("focus_area"):
        groups.setdefault(proposal.mentor_id, set()).add(proposal.focus_area.title)
    assert groups and all(len(titles) == 1 for titles in groups.values())


def test_publishing_drops_a_pair_ruled_out_after_the_preview(
    cohort: Program, program_admin: Person, mentee: Person, focus_area: FocusArea
) -> None:
    matching_round = svc.round_start(program=cohort, by=program_admin)
    mentor = matching_round.proposals.get(focus_area=focus_area).mentor
    PairExclusion.objects.create(program=cohort, mentee=mentee, mentor=mentor)
    sent, dropped, _ = svc.round_publish(matching_round=matching_round, by=program_admin)
    assert (sent, dropped) == (2, 1)
    assert matching_round.proposals.get(focus_area=focus_area).status == "withdrawn"


def test_a_mentor_who_leaves_the_company_frees_their_pending_proposals(
    cohort: Program, program_admin: Person, focus_area: FocusArea
) -> None:
    from mentorbridge.people.importing import import_people

    matching_round = svc.round_start(program=cohort, by=program_admin)
    svc.round_publish(matching_round=matching_round, by=program_admin)
    proposal = matching_round.proposals.get(focus_area=focus_area)
    mentor = proposal.mentor
    report = import_people(
        f"employee_id,email,first_name,last_name,active\n{mentor.employee_id},{mentor.user.email},{mentor.first_name},{mentor.last_name},no\n".encode()
    )
    assert report.ok
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    offers = Proposal.objects.filter(focus_area=focus_area, status="sent")
    assert all(p.mentor != mentor for p in offers)


def _stuck_round(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> MatchingRound:
    """A background round left ``running`` by a worker that was killed."""
    from mentorbridge.matching.models import MatchingRound
    from mentorbridge.outbox.models import WorkerHeartbeat

    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)
    matching_round = svc.round_start(program=cohort, by=program_admin)
    WorkerHeartbeat.objects.create(worker_id="killed", hostname="elsewhere", pid=1)
    MatchingRound.objects.filter(pk=matching_round.pk).update(
        status="running", worker_id="killed", heartbeat_at=timezone.now()
    )
    return matching_round


def test_a_round_whose_worker_was_killed_is_failed_on_recovery_and_rounds_run_again(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorbridge.outbox import workers
    from mentorbridge.outbox.models import WorkerHeartbeat

    stuck = _stuck_round(cohort, program_admin, monkeypatch)
    with pytest.raises(ValidationError, match="still running"):
        svc.round_start(program=cohort, by=program_admin)
    WorkerHeartbeat.objects.filter(worker_id="killed").update(
        last_seen=timezone.now() - workers.WORKER_TIMEOUT - datetime.timedelta(seconds=1)
    )
    workers.work_recover()
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.error == svc.WORKER_STOPPED
    assert svc.run_round_task.call(round_id=stuck.pk) == "failed"  # a re-run task leaves it
    assert svc.round_start(program=cohort, by=program_admin).status == "queued"


def test_a_round_without_a_known_worker_and_no_sign_of_life_is_failed_by_the_sweep(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorbridge.matching.models import MatchingRound
    from mentorbridge.outbox import workers

    stuck = _stuck_round(cohort, program_admin, monkeypatch)
    MatchingRound.objects.filter(pk=stuck.pk).update(
        worker_id="", heartbeat_at=timezone.now() - svc.ROUND_STALE
    )
    workers.work_recover(alive="killed")
    stuck.refresh_from_db()
    assert stuck.status == "failed"


def test_a_program_admin_cancels_a_stuck_round_from_its_page(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch, client_for
) -> None:
    stuck = _stuck_round(cohort, program_admin, monkeypatch)
    client = client_for(program_admin)
    url = f"/programs/engineering-growth/rounds/{stuck.pk}/"
    assert b"Cancel this round" in client.get(url).content
    page = client.post(url + "cancel/", follow=True)
    assert b"Round cancelled. You can start a new round now." in page.content
    assert b"Cancelled by Ada Admin." in page.content
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert svc.round_start(program=cohort, by=program_admin).status == "queued"
    again = client.post(url + "cancel/", follow=True)
    assert b"Only a queued or running round can be cancelled; this one is failed." in again.content


def test_a_worker_finishing_a_cancelled_round_discards_its_preview(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)
    matching_round = svc.round_start(program=cohort, by=program_admin)
    real_store = svc._store

    def cancel_then_store(*args: object) -> None:
        svc.round_cancel(matching_round=matching_round, by=program_admin)
        real_store(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(svc, "_store", cancel_then_store)
    assert svc.run_round_task.call(round_id=matching_round.pk) == "failed"
    assert not matching_round.proposals.exists()


def test_a_round_cancelled_just_as_its_worker_picked_it_up_stays_cancelled(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)
    matching_round = svc.round_start(program=cohort, by=program_admin)
    real_run = svc.round_run

    def cancel_then_run(as_the_worker_read_it: MatchingRound, **kwargs: str) -> MatchingRound:
        svc.round_cancel(matching_round=matching_round, by=program_admin)
        return real_run(as_the_worker_read_it, **kwargs)

    monkeypatch.setattr(svc, "round_run", cancel_then_run)
    assert svc.run_round_task.call(round_id=matching_round.pk) == "failed"
    matching_round.refresh_from_db()
    assert matching_round.error == "Cancelled by Ada Admin."
    assert not matching_round.proposals.exists()


def test_a_round_cancelled_while_its_worker_reads_the_cohort_keeps_saying_cancelled(
    cohort: Program, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "INLINE_FOCUS_AREAS", 0)
    matching_round = svc.round_start(program=cohort, by=program_admin)
    real_build = svc._build

    def cancel_then_build(*args: Any) -> object:
        svc.round_cancel(matching_round=matching_round, by=program_admin)
        return real_build(*args)

    monkeypatch.setattr(svc, "_build", cancel_then_build)
    assert svc.run_round_task.call(round_id=matching_round.pk) == "failed"
    matching_round.refresh_from_db()
    assert (matching_round.progress, matching_round.progress_text) == (100, "Cancelled")


def test_starting_the_same_round_again_answers_with_the_preview_already_made(
    cohort: Program, program_admin: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    with pytest.raises(svc.RoundAlreadyStarted, match="already started") as already:
        svc.round_start(program=cohort, by=program_admin)
    assert already.value.existing == first
    assert MatchingRound.objects.filter(program=cohort).count() == 1


def test_the_same_round_started_by_another_admin_names_who_started_it(
    cohort: Program, program_admin: Person, site_admin: Person
) -> None:
    svc.round_start(program=cohort, by=program_admin)
    with pytest.raises(svc.RoundAlreadyStarted, match="already started by Ada Admin"):
        svc.round_start(program=cohort, by=site_admin)


def test_the_same_pin_made_twice_makes_one_preview(
    cohort: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    first = svc.round_start(program=cohort, by=program_admin)
    pinned = svc.round_pin(
        matching_round=first, by=program_admin, mentee=mentee, focus_area=focus_area,
        mentor=second_mentor,
    )  # fmt: skip
    with pytest.raises(svc.RoundAlreadyStarted) as already:
        svc.round_pin(
            matching_round=first, by=program_admin, mentee=mentee, focus_area=focus_area,
            mentor=second_mentor,
        )  # fmt: skip
    assert already.value.existing == pinned
    assert MatchingRound.objects.filter(program=cohort).count() == 2


def test_a_round_started_again_with_other_settings_or_after_the_cohort_changed_is_new(
    cohort: Program, program_admin: Person
) -> None:
    first = svc.round_start(program=cohort, by=program_admin)
    fairest = svc.round_start(program=cohort, by=program_admin, objective="fair")
    FocusAreaFactory(
        enrollment=EnrollmentFactory(program=cohort, role="mentee"), title="A newcomer's goal"
    )
    again = svc.round_start(program=cohort, by=program_admin)
    assert len({first.pk, fairest.pk, again.pk}) == 3
    assert again.status == "ready"
