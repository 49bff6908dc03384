"""A new process reads the profiles' analysis an earlier one kept, and ranks the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorbridge.matching import selectors, text_analysis
from mentorbridge.matching.selectors import suggestions_for
from mentorbridge.matching_engine import text
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea

pytestmark = pytest.mark.django_db


def ranked(area: FocusArea) -> list[tuple[str, float, str]]:
    area = FocusArea.objects.select_related("enrollment__program", "enrollment__person").get(
        pk=area.pk
    )
    return [(c.person.first_name, c.score, c.summary) for c in suggestions_for(area)]


def as_a_new_process() -> None:
    selectors.clear_suggesters()
    text._SHARED.clear()
    text_analysis.forget_loaded()


def test_a_new_process_ranks_the_same_from_the_kept_analysis(
    settings, tmp_path: Path, monkeypatch, focus_area: FocusArea, skilled_mentor: Person,
    second_mentor: Person,
) -> None:  # fmt: skip
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(text_analysis, "STORE_AFTER_NEW", 1)
    as_a_new_process()
    first = ranked(focus_area)
    (kept,) = (tmp_path / "cache").glob("text-analysis-*.json")
    as_a_new_process()
    analyzer = text_analysis.shared_analyzer(
        selectors.program_instance(focus_area.enrollment.program)["synonyms"]
    )
    assert text_analysis.preload(analyzer) > 0
    text_analysis.forget_loaded()
    selectors.clear_suggesters()
    assert ranked(focus_area) == first
    assert kept.exists()


def test_a_file_that_is_not_an_analysis_is_ignored(
    settings, tmp_path: Path, focus_area: FocusArea, skilled_mentor: Person
) -> None:
    settings.VAR_DIR = tmp_path
    as_a_new_process()
    analyzer = text_analysis.shared_analyzer({})
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / f"text-analysis-{analyzer.digest}.json").write_text("{not json")
    assert text_analysis.preload(analyzer) == 0
    assert ranked(focus_area)[0][0] == "Max"


def test_erasing_a_person_deletes_the_kept_analysis_and_what_this_process_kept(
    settings, tmp_path: Path, monkeypatch, focus_area: FocusArea, skilled_mentor: Person,
    site_admin: Person,
) -> None:  # fmt: skip
    from mentorbridge.privacy.services import person_erase

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(text_analysis, "STORE_AFTER_NEW", 1)
    bio = "Twelve years keeping the payments platform up, on call and calm"
    Person.objects.filter(pk=skilled_mentor.pk).update(bio=bio)
    as_a_new_process()
    ranked(focus_area)
    assert list((tmp_path / "cache").glob("text-analysis-*.json"))
    assert any(bio in kept for shared in text._SHARED.values() for kept in shared.texts)

    person_erase(person=skilled_mentor, by=site_admin.user, confirm=skilled_mentor.full_name)

    assert not list((tmp_path / "cache").glob("text-analysis-*.json"))
    assert not any(bio in kept for shared in text._SHARED.values() for kept in shared.texts)
