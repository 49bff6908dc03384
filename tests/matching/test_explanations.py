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


def test_words_the_engine_read_as_a_synonym_read_as_the_catalogue_skill_unquoted() -> None:
    found = reasons(
        [_text_item("goal and mentor profile share: "
                    "Product design (goal “design critique”; profile “wireframes”)")],
        mentee=Person(), mentor=Person(bio="Wireframes all day"), goal_text="Lead design reviews",
    )  # fmt: skip
    assert found[0].text == (
        "your goal’s Design critique matches their “Wireframes” (Product design)"
    )


def test_a_concept_the_mentor_named_as_a_skill_reads_as_the_skill_they_listed() -> None:
    # the demo's Sam: "services" matched a mentor whose profile says nothing of Django but
    # who lists Django (the engine reads skills with the profile); it read "their django"
    found = reasons(
        [_text_item("goal and mentor profile share: kubernetes, "
                    "Backend development (goal “services”; profile “django”)")],
        mentee=Person(), mentor=Person(expertise=["Getting started with Kubernetes"]),
        goal_text="Run services on Kubernetes", mentor_skills={"django": 3},
    )  # fmt: skip
    assert found[0].text == (
        "their profile mentions Kubernetes; your goal’s “services” matches their “Django” "
        "(Backend development)"
    )


def test_a_skill_phrase_the_engine_wrote_out_twice_reads_once_as_written() -> None:
    # "CI/CD" is read as "ci cd ci cd" ("CI" and "CD" are both synonyms of the skill)
    found = reasons(
        [_text_item("goal and mentor profile share: "
                    "DevOps and platform (goal “kubernetes”; profile “ci cd ci cd”)")],
        mentee=Person(), mentor=Person(expertise=["Setting up CI/CD pipelines from scratch"]),
        goal_text="Run services on Kubernetes",
    )  # fmt: skip
    assert found[0].text == "your goal’s “Kubernetes” matches their “CI/CD” (DevOps and platform)"


def test_a_catalogue_skill_not_written_anywhere_reads_by_its_catalogue_name() -> None:
    found = reasons(
        [_text_item("goal and mentor profile share: "
                    "Backend development (goal “services”; profile “postgresql”)")],
        mentee=Person(), mentor=Person(bio="Databases."), goal_text="Run services",
    )  # fmt: skip
    assert found[0].text == "your goal’s “services” matches their PostgreSQL (Backend development)"


def test_everyday_words_the_goal_and_profile_share_are_not_named_as_reasons() -> None:
    mentor = Person(bio="Twelve years running API platforms; I make teams move faster.")
    found = reasons(
        [_text_item("goal and mentor profile share: api, years, running, make")],
        mentee=Person(), mentor=mentor, goal_text="Make our API move: years of running it",
    )  # fmt: skip
    assert found[0].text == "their profile mentions API"


def test_a_reason_with_only_everyday_words_shared_reads_as_weak_overlap() -> None:
    found = reasons(
        [{"factor": "text", "value": 0.1, "contribution": 0.03,
          "text": "goal and mentor profile share: years, move"}],
        mentee=Person(), mentor=Person(bio="Years on the move"), goal_text="move in years",
    )  # fmt: skip
    assert found[0].text == "a little of their background is close to the goal"
