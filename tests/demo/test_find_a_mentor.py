"""The issue's demo case: Sam asks for Kubernetes and Find a mentor puts the Kubernetes
experts first, each with a first reason that names Kubernetes, matching by words and, with
semantic matching on, by meaning and words."""

from __future__ import annotations

import pytest

from mentorbridge.demo.content import COMPANY_DOMAIN
from mentorbridge.matching.selectors import program_suggester, suggestions_for
from mentorbridge.matching.vectors import vectors_compute
from mentorbridge.matching_engine.hybrid import HybridIndex
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from mentorbridge.programs.services import FocusAreaInput, enrollment_join
from tests.semantic import needs_semantic_model

pytestmark = pytest.mark.django_db


def _knows_kubernetes(person: Person) -> bool:
    skilled = person.person_skills.filter(skill__slug="kubernetes").exists()
    return skilled or any("kubernetes" in e.casefold() for e in person.expertise)


@pytest.mark.parametrize(
    "semantic",
    [
        pytest.param(False, id="words"),
        pytest.param(True, id="semantic", marks=needs_semantic_model),
    ],
)
def test_sams_kubernetes_goal_ranks_kubernetes_experts_first_with_reasons_naming_it(
    semantic: bool, demo_organisation: None
) -> None:
    sam = Person.objects.get(user__email=f"sam.okafor@{COMPANY_DOMAIN}")
    program = Program.objects.get(slug="engineering-growth")
    Program.objects.filter(pk=program.pk).update(semantic_matching="on" if semantic else "off")
    program.refresh_from_db()
    enrollment = enrollment_join(
        program=program, person=sam, role="mentee",
        focus_areas=[FocusAreaInput(
            "Run services on Kubernetes",
            "I'd like to get confident deploying and operating our services on k8s.",
            ["Kubernetes"],
        )],
    )  # fmt: skip
    if semantic:
        assert vectors_compute().computed > 0  # what the background task does after a change
    suggester = program_suggester(program)
    assert suggester is not None
    assert isinstance(suggester.features.text, HybridIndex) is semantic  # meaning is read
    cards = suggestions_for(enrollment.focus_areas.get(), limit=20)
    experts = [c for c in cards if _knows_kubernetes(c.person)]
    assert experts, "the demo has Kubernetes mentors in Engineering Growth"
    # every Kubernetes expert ranks above every mentor with no relevance to Kubernetes
    first_other = next((k for k, c in enumerate(cards) if not _knows_kubernetes(c.person)), None)
    if first_other is not None:
        assert all(cards.index(c) < first_other for c in experts)
    for card in experts:
        assert "Kubernetes" in card.reasons[0].text, (card.person, card.reasons[0])
        assert "Kubernetes" in card.summary
