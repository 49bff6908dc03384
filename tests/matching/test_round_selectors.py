"""Reads for the round preview page at any cohort size."""

from __future__ import annotations

import pytest

from mentorbridge.matching import round_selectors
from mentorbridge.matching.models import MatchingRound
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_round(program: Program) -> MatchingRound:
    """Five focus areas left unmatched (Ann … Eve) and one whose area has since gone."""
    unmatched = []
    for name in ("Ann", "Bea", "Cid", "Dan", "Eve"):
        person = PersonFactory(first_name=name, last_name="Waits")
        enrollment = EnrollmentFactory(program=program, person=person, role="mentee")
        FocusAreaFactory(enrollment=enrollment, title=f"{name}'s goal")
        area = FocusArea.objects.get(title=f"{name}'s goal")
        unmatched.append({"mentee": person.employee_id, "focus_area": str(area.pk), "text": "no"})
    unmatched.append({"mentee": "E-GONE", "focus_area": "999999", "text": "no"})
    return MatchingRound.objects.create(program=program, unmatched=unmatched)


@pytest.mark.parametrize("few_ids", [500, 0])  # looked up by id, or read with the program's
def test_unmatched_rows_show_the_first_few_and_count_them_all(
    waiting_round: MatchingRound, monkeypatch: pytest.MonkeyPatch, few_ids: int
) -> None:
    monkeypatch.setattr(round_selectors, "FEW_IDS", few_ids)
    rows, total = round_selectors.unmatched_rows(waiting_round, "", limit=2)
    assert total == 6
    assert [(r["name"], r["area"]["title"]) for r in rows] == [
        ("Ann Waits", "Ann's goal"),
        ("Bea Waits", "Bea's goal"),
    ]


@pytest.mark.parametrize("few_ids", [500, 0])
def test_unmatched_rows_filter_every_row_by_name_or_goal_then_keep_the_first_few(
    waiting_round: MatchingRound, monkeypatch: pytest.MonkeyPatch, few_ids: int
) -> None:
    monkeypatch.setattr(round_selectors, "FEW_IDS", few_ids)
    rows, total = round_selectors.unmatched_rows(waiting_round, "eve GOAL", limit=1)
    assert (total, [r["name"] for r in rows]) == (1, ["Eve Waits"])
    gone, total = round_selectors.unmatched_rows(waiting_round, "e-gone")
    assert (total, gone[0]["name"], gone[0]["area"]) == (1, "E-GONE", None)
