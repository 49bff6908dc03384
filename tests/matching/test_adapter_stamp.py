"""The program's change stamp is read in two queries and moves with every change it covers.

Each test takes the stamp, changes one thing the suggestions depend on the way the product
does (or a bulk write does), and checks that the stamp moved; and that it holds still when
nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorbridge.matching.adapter import program_stamp
from mentorbridge.matching.models import MatchingRound, MentorRequest, PairExclusion, Proposal
from mentorbridge.matching.vectors import vectors_compute
from mentorbridge.people.models import Department, Person, Skill
from mentorbridge.people.services import skill_for_name
from mentorbridge.programs.models import Enrollment, FocusArea, Program

pytestmark = pytest.mark.django_db


def moves(program: Program, change: Callable[[], object]) -> bool:
    before = program_stamp(program)
    change()
    return program_stamp(program) != before


def test_the_stamp_is_read_in_two_queries(program: Program, focus_area: FocusArea) -> None:
    with CaptureQueriesContext(connection) as captured:
        program_stamp(program)
    assert len(captured.captured_queries) == 2


def test_the_stamp_holds_still_while_nothing_changes(
    program: Program, focus_area: FocusArea, mentor: Person
) -> None:
    assert not moves(program, lambda: None)


def test_a_skill_added_to_a_focus_area_moves_the_stamp(
    program: Program, focus_area: FocusArea
) -> None:
    assert moves(program, lambda: focus_area.skills.add(skill_for_name("Kubernetes")))


def test_a_focus_area_edited_in_bulk_moves_the_stamp(
    program: Program, focus_area: FocusArea
) -> None:
    from django.utils import timezone

    assert moves(
        program,
        lambda: FocusArea.objects.filter(pk=focus_area.pk).update(updated_at=timezone.now()),
    )


def test_a_skill_swapped_for_another_on_a_focus_area_moves_the_stamp(
    program: Program, focus_area: FocusArea
) -> None:
    kubernetes, terraform = skill_for_name("Kubernetes"), skill_for_name("Terraform")
    focus_area.skills.set([kubernetes])
    # as many skills as before: a count of the program's focus-area skills would not move
    assert moves(program, lambda: focus_area.skills.set([terraform]))


def test_a_focus_area_deleted_outright_moves_the_stamp(
    program: Program, focus_area: FocusArea
) -> None:
    assert moves(program, lambda: FocusArea.all_objects.filter(pk=focus_area.pk).delete())


def test_focus_areas_created_in_bulk_move_the_stamp(
    program: Program, focus_area: FocusArea
) -> None:
    assert moves(
        program,
        lambda: FocusArea.objects.bulk_create(
            [FocusArea(enrollment=focus_area.enrollment, title=f"Goal {i}") for i in range(3)]
        ),
    )


def test_an_enrollment_written_in_raw_sql_moves_the_stamp(program: Program, mentor: Person) -> None:
    enrollment = Enrollment.objects.get(program=program, person=mentor)

    def change() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE programs_enrollment SET mentor_capacity = mentor_capacity + 1 "
                "WHERE id = %s",
                [enrollment.pk],
            )

    assert moves(program, change)


def test_an_enrollment_deleted_moves_the_stamp(program: Program, mentor: Person) -> None:
    assert moves(
        program, lambda: Enrollment.objects.filter(program=program, person=mentor).delete()
    )


def test_a_skill_removed_from_a_focus_area_moves_the_stamp(
    program: Program, focus_area: FocusArea
) -> None:
    focus_area.skills.add(skill_for_name("Kubernetes"))
    assert moves(program, lambda: focus_area.skills.clear())


def test_a_change_in_another_program_leaves_the_stamp_still(
    program: Program, focus_area: FocusArea, mentor: Person
) -> None:
    from tests.factories import PersonFactory, ProgramFactory

    ProgramFactory(name="Sales Growth", slug="sales-growth")
    PersonFactory(first_name="Sam", user__email="sam@example.com")
    other = Program.objects.get(slug="sales-growth")
    person = Person.objects.get(first_name="Sam")
    negotiation = skill_for_name("Negotiation")  # a new skill moves the names' part

    def change() -> None:
        enrollment = Enrollment.objects.create(program=other, person=person, role="mentee")
        area = FocusArea.objects.create(enrollment=enrollment, title="Negotiation")
        area.skills.add(negotiation)
        FocusArea.objects.filter(pk=area.pk).update(title="Negotiating")

    assert not moves(program, change)


def test_a_capacity_changed_moves_the_stamp(program: Program, mentor: Person) -> None:
    enrollment = Enrollment.objects.get(program=program, person=mentor)

    def change() -> None:
        enrollment.mentor_capacity += 1
        enrollment.save()

    assert moves(program, change)


def test_a_declined_request_moves_the_stamp(
    program: Program, focus_area: FocusArea, mentee: Person, mentor: Person
) -> None:
    from mentorbridge.matching.services.requests import request_create

    asked = request_create(mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi")
    assert moves(
        program, lambda: MentorRequest.objects.filter(pk=asked.pk).update(status="declined")
    )


def test_an_excluded_pair_moves_the_stamp(program: Program, mentee: Person, mentor: Person) -> None:
    assert moves(
        program, lambda: PairExclusion.objects.create(program=program, mentee=mentee, mentor=mentor)
    )


def test_a_renamed_skill_or_department_moves_the_stamp(program: Program, mentor: Person) -> None:
    skill = skill_for_name("Go")
    assert moves(program, lambda: Skill.objects.filter(pk=skill.pk).update(slug="golang"))
    department = Department.objects.create(name="Platform")
    assert moves(
        program, lambda: Department.objects.filter(pk=department.pk).update(name="Platforms")
    )


def test_a_person_removed_moves_the_stamp(program: Program, mentor: Person) -> None:
    from tests.factories import PersonFactory

    other = PersonFactory(first_name="Zed", user__email="zed@example.com")
    assert moves(program, lambda: Person.objects.filter(pk=other.pk).delete())


def test_a_vector_computed_moves_the_stamp_of_a_program_matching_by_meaning(
    program: Program, focus_area: FocusArea, mentor: Person
) -> None:
    Program.objects.filter(pk=program.pk).update(semantic_matching="on")
    program.refresh_from_db()

    def embed(texts: list[str]) -> list[list[float]]:
        return [[1.0] + [0.0] * 383 for _ in texts]

    assert moves(program, lambda: vectors_compute(embedder=embed))


def test_a_rounds_preview_leaves_the_stamp_still_and_publishing_or_answering_moves_it(
    program: Program, focus_area: FocusArea, mentor: Person
) -> None:
    # a preview holds nothing: rounds, pins and forbids write thousands of preview rows that
    # the stamp (read on every suggestions page) never reads
    matching_round = MatchingRound.objects.create(program=program, status="done")

    def preview() -> Proposal:
        return Proposal.objects.create(
            round=matching_round, focus_area=focus_area, mentee=focus_area.enrollment.person,
            mentor=mentor, score=0.5,
        )  # fmt: skip

    assert not moves(program, preview)
    proposal = preview()
    assert moves(program, lambda: Proposal.objects.filter(pk=proposal.pk).update(status="sent"))
    # another published while this one is answered: the sent count is the same, not the stamp
    other = preview()

    def publish_one_answer_another() -> None:
        Proposal.objects.filter(pk=other.pk).update(status="sent")
        Proposal.objects.filter(pk=proposal.pk).update(
            status="declined", answered_at=timezone.now()
        )

    assert moves(program, publish_one_answer_another)
