"""Skills read from prose: catalogue names and synonyms, on word boundaries, by word form."""

from __future__ import annotations

import pytest

from mentorbridge.people.skill_reading import read_skills, shown_read_skills, used_read_skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Getting started with Kubernetes", ["kubernetes"]),
        ("I run our k8s clusters", ["kubernetes"]),
        ("Site reliability engineer for the payments platform", ["site reliability engineering"]),
        ("SRE and on-call", ["site reliability engineering", "incident management"]),
        ("Machine-learning models in Python", ["machine learning", "python"]),
        ("Writing better OKRs", ["okrs"]),
        ("C++, C# and .NET; Node.js and CI/CD", ["c++", "c#", ".net", "node.js", "ci/cd"]),
        ("Docker/Kubernetes in production", ["docker", "kubernetes"]),
    ],
)
def test_names_synonyms_and_word_forms_are_read(text: str, skills: list[str]) -> None:
    assert read_skills(text) == skills


@pytest.mark.parametrize(
    "text",
    [
        "I want to go further and grow in my role",  # "go" written small is not the language
        "Support the team and build a culture of feedback",  # everyday words
        "I manage a program of work",  # "programming" is never read by its stem
        "Javanese cooking",  # word boundaries: not Java
    ],
)
def test_everyday_words_and_parts_of_words_are_not_skills(text: str) -> None:
    assert read_skills(text) == []


def test_short_abbreviations_count_only_as_the_catalogue_writes_them() -> None:
    assert read_skills("Learning Go and R") == ["go", "r"]
    assert read_skills("learning go and r") == []


def test_a_phrase_never_spans_two_sentences() -> None:
    assert read_skills("Stakeholder management. Managing stakeholders") == [
        "stakeholder management"
    ]


def test_several_texts_give_each_skill_once_in_order_of_first_mention() -> None:
    assert read_skills("Python and SQL", "More Python, then Kubernetes") == [
        "python", "sql", "kubernetes",
    ]  # fmt: skip


def test_removed_and_picked_skills_are_not_shown_and_removed_ones_are_not_used() -> None:
    read = ["kubernetes", "python", "sql"]
    assert shown_read_skills(read, ["sql"], ["python"]) == [("kubernetes", "Kubernetes")]
    assert used_read_skills(read, ["sql"]) == ["kubernetes", "python"]
