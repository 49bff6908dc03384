"""The retrieval benchmark's padded check: right answers as long as everyone, with skills."""

from __future__ import annotations

from typing import Any

import pytest

from bench.retrieval import load_cases, padded


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    return load_cases(200, seed=7)


def test_padding_gives_each_written_right_answer_a_company_bio_and_skill_names(
    cases: dict[str, Any],
) -> None:
    out = padded(cases)
    company = {m["id"]: m for m in cases["mentors"] if m["skills"]}
    before = {m["id"]: m for m in cases["mentors"]}
    written = [m for m in out["mentors"] if m["id"] not in company]
    assert written
    for m in written:
        original = before[m["id"]]["text"]
        assert m["text"].startswith(original)
        added = m["text"][len(original) :]
        assert any(
            cases["bios"][c] in added and all(skill in added for skill in company[c]["skills"])
            for c in company
        )


def test_padding_appends_the_company_profiles_skill_names_as_the_engine_reads_them(
    cases: dict[str, Any],
) -> None:
    out = {m["id"]: m for m in padded(cases)["mentors"]}
    for mentor_id, m in ((m["id"], m) for m in cases["mentors"] if m["skills"]):
        assert out[mentor_id]["text"] == " ".join([m["text"], *m["skills"]])


def test_padding_leaves_the_goals_and_the_cases_as_they_were(cases: dict[str, Any]) -> None:
    texts = [m["text"] for m in cases["mentors"]]
    out = padded(cases)
    assert out["goals"] == cases["goals"]
    assert [m["text"] for m in cases["mentors"]] == texts
    assert padded(cases) == out  # the same seed pads the same way
