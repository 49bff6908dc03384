"""The issue's demo case: Sam asks for Kubernetes and Find a mentor puts the Kubernetes
experts first, each with a first reason that names Kubernetes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mentorbridge.demo.content import COMPANY_DOMAIN
from mentorbridge.matching.selectors import suggestions_for
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from mentorbridge.programs.services import FocusAreaInput, enrollment_join

pytestmark = pytest.mark.django_db


def _knows_kubernetes(person: Person) -> bool:
    skilled = person.person_skills.filter(skill__slug="kubernetes").exists()
    return skilled or any("kubernetes" in e.casefold() for e in person.expertise)


def test_sams_kubernetes_goal_ranks_kubernetes_experts_first_with_reasons_naming_it() -> None:
    call_command("seed_demo")
    sam = Person.objects.get(user__email=f"sam.okafor@{COMPANY_DOMAIN}")
    program = Program.objects.get(slug="engineering-growth")
    enrollment = enrollment_join(
        program=program, person=sam, role="mentee",
        focus_areas=[FocusAreaInput(
            "Run services on Kubernetes",
            "I'd like to get confident deploying and operating our services on k8s.",
            ["Kubernetes"],
        )],
    )  # fmt: skip
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
