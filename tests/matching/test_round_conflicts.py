"""A round's proposals against the mentees' own open requests: shown, decided, published."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mentorbridge.matching.models import MatchingRound, MentorRequest, Proposal
from mentorbridge.matching.services import round_conflicts as conflicts
from mentorbridge.matching.services import rounds as svc
from mentorbridge.matching.services.requests import request_create
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import message_deliver
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(
    program: Program, mentee: Person, skilled_mentor: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> MentorRequest:  # fmt: skip
    """Mia asked Mo about her focus area; Max (System design 5/5) fits her better. Nia waits
    too, without any request."""
    FocusAreaFactory(
        enrollment=EnrollmentFactory(
            program=program, role="mentee", person=PersonFactory(first_name="Nia")
        ),
        title="Run better retros",
    )
    return request_create(
        mentee=mentee, mentor=second_mentor, focus_area=focus_area, message="Could you help?"
    )


@pytest.fixture
def preview(asked: MentorRequest, program: Program, program_admin: Person) -> MatchingRound:
    matching_round = svc.round_start(program=program, by=program_admin)
    assert matching_round.proposals.get(focus_area=asked.focus_area).mentor.first_name == "Max"
    return matching_round


def kinds(messages: Any) -> list[str]:
    """The kinds of the stored outbox emails (one per recipient), sorted."""
    return sorted(m.key.split(":")[0] for m in messages)


def deliver(kind: str) -> None:
    for message in OutboxMessage.objects.filter(key__startswith=f"{kind}:").order_by("pk"):
        message_deliver(message_id=message.pk)


def test_the_preview_lists_a_proposal_that_crosses_an_open_request_to_another_mentor(
    preview: MatchingRound, asked: MentorRequest
) -> None:
    [conflict] = conflicts.round_conflicts(preview)
    assert conflict.proposal.mentor.first_name == "Max"
    assert conflict.requests == [asked]
    assert conflict.choice == ""


def test_a_request_to_the_proposed_mentor_is_no_conflict(
    program: Program, program_admin: Person, mentee: Person, skilled_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    request_create(mentee=mentee, mentor=skilled_mentor, focus_area=focus_area, message="Hi")
    matching_round = svc.round_start(program=program, by=program_admin)
    assert conflicts.round_conflicts(matching_round) == []
    assert svc.round_publish(matching_round=matching_round, by=program_admin).sent == 1


def test_leaving_out_every_waiting_focus_area_fails_the_round_and_says_why(
    program: Program, program_admin: Person, mentee: Person, second_mentor: Person,
    skilled_mentor: Person, focus_area: FocusArea,
) -> None:  # fmt: skip
    request_create(mentee=mentee, mentor=second_mentor, focus_area=focus_area, message="Hi")
    first = svc.round_start(program=program, by=program_admin)
    without = svc.round_leave_out(matching_round=first, by=program_admin, focus_area=focus_area)
    assert without.status == "failed"
    assert "Every focus area still waiting" in without.error


def test_publishing_refuses_an_undecided_conflict_and_writes_nothing(
    preview: MatchingRound, asked: MentorRequest, program_admin: Person
) -> None:
    with pytest.raises(ValidationError, match="Mia Mentee asked Mo Second about"):
        svc.round_publish(matching_round=preview, by=program_admin)
    preview.refresh_from_db()
    asked.refresh_from_db()
    assert preview.status == "ready"
    assert asked.status == "open"
    assert set(preview.proposals.values_list("status", flat=True)) == {"preview"}


def test_withdraw_sends_the_proposal_withdraws_the_request_and_tells_both_people(
    preview: MatchingRound, asked: MentorRequest, program_admin: Person, focus_area: FocusArea,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    conflicts.round_decide_conflicts(
        matching_round=preview, by=program_admin, choices={focus_area.pk: "withdraw"}
    )
    preview.refresh_from_db()
    before = OutboxMessage.objects.count()
    published = svc.round_publish(matching_round=preview, by=program_admin)
    assert published == svc.Published(sent=2, dropped=0, requests_withdrawn=1)
    asked.refresh_from_db()
    assert asked.status == "withdrawn"
    assert asked.closed_note == "the program team proposed Max Mentor for this focus area"
    assert kinds(OutboxMessage.objects.order_by("pk")[before:]) == [
        *["proposal_published"] * 4,  # both people of each of the two proposals
        "request_replaced_mentee",
        "request_replaced_mentor",
    ]
    deliver("request_replaced_mentor")
    deliver("request_replaced_mentee")
    to_mo, to_mia = mail.outbox
    assert to_mo.to == ["mo@example.com"]
    assert "withdrawn by the Engineering Growth team, not by Mia" in to_mo.body
    assert to_mia.to == ["mia@example.com"]
    assert "the program team proposed Max Mentor" in to_mia.body


def test_keep_sends_the_proposal_leaves_the_request_open_and_says_so_in_the_email(
    preview: MatchingRound, asked: MentorRequest, program_admin: Person, focus_area: FocusArea,
) -> None:  # fmt: skip
    conflicts.round_decide_conflicts(
        matching_round=preview, by=program_admin, choices={focus_area.pk: "keep"}
    )
    preview.refresh_from_db()
    published = svc.round_publish(matching_round=preview, by=program_admin)
    assert (published.sent, published.requests_withdrawn) == (2, 0)
    asked.refresh_from_db()
    assert asked.status == "open"
    proposal = Proposal.objects.get(focus_area=focus_area, status="sent")
    deliver(f"proposal_published:{proposal.pk}")
    to_mia = next(m for m in mail.outbox if m.to == ["mia@example.com"])
    assert "Your request to Mo Second about this focus area is still open" in to_mia.body
    to_max = next(m for m in mail.outbox if m.to == ["max@example.com"])
    assert "Mia also has an open request to another mentor" in to_max.body


def test_leaving_a_focus_area_out_re_solves_without_it_and_keeps_the_request(
    preview: MatchingRound, asked: MentorRequest, program_admin: Person, focus_area: FocusArea
) -> None:
    without = svc.round_leave_out(matching_round=preview, by=program_admin, focus_area=focus_area)
    assert without.parent == preview and without.status == "ready"
    assert without.left_out == [str(focus_area.pk)]
    assert not without.proposals.filter(focus_area=focus_area).exists()
    assert str(focus_area.pk) not in {u["focus_area"] for u in without.unmatched}
    assert conflicts.round_conflicts(without) == []
    svc.round_publish(matching_round=without, by=program_admin)
    asked.refresh_from_db()
    assert asked.status == "open"


def test_a_left_out_focus_area_can_be_put_back(
    preview: MatchingRound, program_admin: Person, focus_area: FocusArea
) -> None:
    without = svc.round_leave_out(matching_round=preview, by=program_admin, focus_area=focus_area)
    back = svc.round_leave_out(
        matching_round=without, by=program_admin, focus_area=focus_area, out=False
    )
    assert back.left_out == []
    assert back.proposals.filter(focus_area=focus_area).exists()


def test_a_bad_choice_or_a_focus_area_without_conflict_is_refused_and_nothing_is_saved(
    preview: MatchingRound, program_admin: Person, focus_area: FocusArea, program: Program
) -> None:
    with pytest.raises(ValidationError, match="Choose “withdraw” or “keep”"):
        conflicts.round_decide_conflicts(
            matching_round=preview, by=program_admin, choices={focus_area.pk: "maybe"}
        )
    calm = FocusAreaFactory(enrollment=EnrollmentFactory(program=program, role="mentee"))
    with pytest.raises(ValidationError, match="has no open request to another mentor"):
        conflicts.round_decide_conflicts(
            matching_round=preview, by=program_admin,
            choices={focus_area.pk: "keep", calm.pk: "keep"},
        )  # fmt: skip
    preview.refresh_from_db()
    assert preview.request_choices == {}


def test_a_conflict_that_appears_after_the_preview_also_blocks_publishing(
    program: Program, program_admin: Person, mentee: Person, skilled_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    matching_round = svc.round_start(program=program, by=program_admin)
    late = PersonFactory(first_name="Lea", last_name="Late")
    EnrollmentFactory(program=program, person=late, role="mentor", mentor_capacity=1)
    request_create(mentee=mentee, mentor=late, focus_area=focus_area, message="Hello")
    with pytest.raises(ValidationError, match="Mia Mentee asked Lea Late"):
        svc.round_publish(matching_round=matching_round, by=program_admin)


def test_decisions_and_left_out_focus_areas_carry_over_to_re_solves(
    preview: MatchingRound, program_admin: Person, focus_area: FocusArea
) -> None:
    conflicts.round_decide_conflicts(
        matching_round=preview, by=program_admin, choices={focus_area.pk: "keep"}
    )
    preview.refresh_from_db()
    again = svc.round_resolve(
        matching_round=preview, by=program_admin, objective="fair", weights={}
    )
    assert again.request_choices == {str(focus_area.pk): "keep"}
    assert [c.choice for c in conflicts.round_conflicts(again)] == ["keep"]


def test_the_proposal_page_tells_both_people_about_a_request_kept_open(
    preview: MatchingRound, asked: MentorRequest, program_admin: Person, focus_area: FocusArea,
    client_for: Any, mentee: Person, skilled_mentor: Person,
) -> None:  # fmt: skip
    conflicts.round_decide_conflicts(
        matching_round=preview, by=program_admin, choices={focus_area.pk: "keep"}
    )
    preview.refresh_from_db()
    svc.round_publish(matching_round=preview, by=program_admin)
    proposal = Proposal.objects.get(focus_area=focus_area, status="sent")
    url = f"/mentoring/proposals/{proposal.pk}/"
    for_mia = client_for(mentee).get(url).content.decode()
    assert "Your request to Mo Second about “Grow into a tech lead” is still open." in for_mia
    for_max = client_for(skilled_mentor).get(url).content.decode()
    assert "Mia also has an open request to another mentor" in for_max


def test_the_proposal_page_says_nothing_once_the_request_was_withdrawn(
    preview: MatchingRound, asked: MentorRequest, program_admin: Person, focus_area: FocusArea,
    client_for: Any, mentee: Person,
) -> None:  # fmt: skip
    conflicts.round_decide_conflicts(
        matching_round=preview, by=program_admin, choices={focus_area.pk: "withdraw"}
    )
    preview.refresh_from_db()
    svc.round_publish(matching_round=preview, by=program_admin)
    proposal = Proposal.objects.get(focus_area=focus_area, status="sent")
    page = client_for(mentee).get(f"/mentoring/proposals/{proposal.pk}/").content.decode()
    assert "is still open" not in page
