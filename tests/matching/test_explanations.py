"""Reasons shown to people: a concept match is named as a concept, with each side's words."""

from __future__ import annotations

from mentorbridge.matching.explanations import reasons
from mentorbridge.people.models import Person


def _text_item(engine_text: str) -> dict:
    return {"factor": "text", "value": 0.3, "contribution": 0.1, "text": engine_text}


def test_a_shared_concept_reads_as_the_goals_words_matching_the_mentors() -> None:
    mentor = Person(job_title="Staff SRE", bio="I keep services up.", expertise=["On-call"])
    found = reasons(
        [_text_item("goal and mentor profile share: kubernetes, "
                    "Site reliability (goal “paged”; profile “on call”)")],
        mentee=Person(), mentor=mentor, goal_text="Kubernetes, and getting paged at night",
    )  # fmt: skip
    assert found[0].text == (
        "their profile mentions Kubernetes; your goal’s “paged” matches their “On-call” "
        "(Site reliability)"
    )


def test_a_concept_alone_is_named_for_an_admin_as_the_goals() -> None:
    found = reasons(
        [_text_item("goal and mentor profile share: Procurement (goal “suppliers”; profile “vendors”)")],
        mentee=Person(), mentor=Person(expertise=["Managing vendors"]), goal_text="suppliers",
        you="the mentee",
    )  # fmt: skip
    assert found[0].text == "the goal’s “suppliers” matches their “vendors” (Procurement)"


def test_words_the_engine_read_as_a_synonym_are_not_quoted_as_the_goals() -> None:
    found = reasons(
        [_text_item("goal and mentor profile share: "
                    "Product design (goal “design critique”; profile “wireframes”)")],
        mentee=Person(), mentor=Person(bio="Wireframes all day"), goal_text="Lead design reviews",
    )  # fmt: skip
    assert found[0].text == (
        "your goal’s design critique matches their “Wireframes” (Product design)"
    )
