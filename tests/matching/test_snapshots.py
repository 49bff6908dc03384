"""A new process builds its suggester from the snapshot an earlier one kept, and only while
nothing the suggester reads has changed since."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import override_settings

from mentorbridge.matching import adapter, selectors, snapshots, text_analysis, vectors
from mentorbridge.matching.selectors import program_suggester, suggestions_for
from mentorbridge.matching_engine import text
from mentorbridge.matching_engine.hybrid import HybridIndex
from mentorbridge.matching_engine.suggest import Suggester
from mentorbridge.people.models import Person
from mentorbridge.people.services import person_update_profile
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, PersonFactory
from tests.matching.test_vectors import CountingEmbedder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_folder(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    settings.SUGGESTER_SNAPSHOTS = True
    return tmp_path / "cache"


class Reads:
    """Counts the builds that read the program's instance from the database."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = selectors.program_instance

        def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(selectors, "program_instance", counted)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def as_a_new_process() -> None:
    selectors.clear_suggesters()
    adapter.clear_people_cache()
    vectors.clear_vectors_cache()
    text._SHARED.clear()
    text_analysis.forget_loaded()


def ranked(area: FocusArea) -> list[tuple[str, float, str, list[str]]]:
    area = FocusArea.objects.select_related("enrollment__program", "enrollment__person").get(
        pk=area.pk
    )
    return [
        (c.person.first_name, c.score, c.summary, [r.text for r in c.reasons])
        for c in suggestions_for(area)
    ]


def kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{snapshots.PREFIX}*.npz"))


def test_a_new_process_ranks_the_same_from_the_snapshot_without_reading_the_instance(
    own_folder: Path, reads: Reads, focus_area: FocusArea, skilled_mentor: Person,
    second_mentor: Person,
) -> None:  # fmt: skip
    first = ranked(focus_area)
    assert reads.count == 1 and len(kept_files(own_folder)) == 1
    as_a_new_process()
    assert ranked(focus_area) == first
    assert reads.count == 1  # the snapshot, not the database
    assert selectors.mentor_locations(focus_area.enrollment.program) == sorted(
        {skilled_mentor.location, second_mentor.location} - {""}
    )


def _edit_bio(person: Person, bio: str) -> None:
    person_update_profile(
        person=person, bio=bio, career_goals="", timezone="Europe/Berlin", languages=["en"],
        expertise=list(person.expertise), mentoring_hours_per_month=2,
    )  # fmt: skip


def _new_mentor(program: Program) -> None:
    newcomer = PersonFactory(first_name="Nia", user__email="nia@example.com", level=6)
    EnrollmentFactory(program=program, person=newcomer, role="mentor", mentor_capacity=1)


def _pause_first_mentor(program: Program) -> None:
    from mentorbridge.programs.services import enrollment_set_mentoring

    enrollment = program.enrollments.filter(role="mentor").order_by("pk").first()
    assert enrollment is not None
    enrollment_set_mentoring(
        enrollment=enrollment, capacity=enrollment.mentor_capacity, accepting_requests=False
    )


def _goal_edit(program: Program) -> None:
    area = FocusArea.objects.get(enrollment__program=program, enrollment__role="mentee")
    area.description = "I want to learn Kubernetes and system design"
    area.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p, mentor: _edit_bio(mentor, "I design distributed systems"),
                     id="a profile"),
        pytest.param(lambda p, mentor: _new_mentor(p), id="an enrollment"),
        pytest.param(lambda p, mentor: _pause_first_mentor(p), id="a mentor's pause"),
        pytest.param(lambda p, mentor: _goal_edit(p), id="a goal"),
        pytest.param(lambda p, mentor: Program.objects.filter(pk=p.pk).update(kind="peer"),
                     id="the program's kind"),
    ],
)  # fmt: skip
def test_after_a_change_a_new_process_reads_the_database_and_ranks_as_a_fresh_build(
    change: Callable[[Program, Person], Any], own_folder: Path, reads: Reads,
    focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person, settings: Any,
) -> None:  # fmt: skip
    program = focus_area.enrollment.program
    ranked(focus_area)
    (before,) = kept_files(own_folder)
    change(program, skilled_mentor)
    as_a_new_process()
    after = ranked(focus_area)
    assert reads.count == 2  # built from the database again
    assert kept_files(own_folder) != [before]  # and kept anew, the old one removed
    assert len(kept_files(own_folder)) == 1
    settings.SUGGESTER_SNAPSHOTS = False
    as_a_new_process()
    assert ranked(focus_area) == after  # the same as a build that keeps nothing


@override_settings(SEMANTIC_MATCHING=True)
def test_a_changed_vector_makes_the_next_build_read_the_vectors_again(
    own_folder: Path, reads: Reads, focus_area: FocusArea, skilled_mentor: Person,
    second_mentor: Person,
) -> None:  # fmt: skip
    vectors.vectors_compute(embedder=CountingEmbedder())
    first = program_suggester(focus_area.enrollment.program)
    assert first is not None
    as_a_new_process()
    kept = program_suggester(focus_area.enrollment.program)
    assert kept is not None and reads.count == 1
    assert np.array_equal(_meaning(kept), _meaning(first))

    class Other(CountingEmbedder):
        def __call__(self, texts: Any) -> np.ndarray:
            return super().__call__(texts)[:, ::-1].copy()

    from mentorbridge.matching.models import PersonVector

    PersonVector.objects.filter(person=second_mentor).delete()
    vectors.vectors_compute(embedder=Other())  # one mentor's vector is new
    as_a_new_process()
    fresh = program_suggester(focus_area.enrollment.program)
    assert fresh is not None and reads.count == 2
    assert not np.array_equal(_meaning(fresh), _meaning(first))


def _meaning(suggester: Suggester) -> np.ndarray:
    """The mentors' unit vectors a suggester blends into the text factor."""
    index = suggester.features.text
    assert isinstance(index, HybridIndex)
    return index.meaning.documents_t


def test_semantic_matching_switched_on_makes_the_next_build_fresh(
    own_folder: Path, reads: Reads, focus_area: FocusArea, skilled_mentor: Person
) -> None:
    vectors.vectors_compute(embedder=CountingEmbedder())
    program = focus_area.enrollment.program
    words = program_suggester(program)
    assert words is not None and not isinstance(words.features.text, HybridIndex)
    Program.objects.filter(pk=program.pk).update(semantic_matching="on")
    program.refresh_from_db()
    as_a_new_process()
    both = program_suggester(program)
    assert both is not None and isinstance(both.features.text, HybridIndex)
    assert reads.count == 2


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b'"instance"') + 40  # inside the instance: only the CRC can tell
    data[at] = ord("Q") if data[at] != ord("Q") else ord("R")
    path.write_bytes(bytes(data))


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a zip at all")


def _not_an_instance(path: Path) -> None:
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = bytes(arrays["meta"]).replace(b'"mentees":[', b'"mentees":[7,')
    arrays["meta"] = np.frombuffer(meta, np.uint8)
    with path.open("wb") as out:
        np.savez(out, **arrays)


def _pickled(path: Path) -> None:
    with path.open("wb") as out:
        np.savez(out, meta=np.array([{"format": snapshots.FORMAT}], dtype=object))


@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte, _garbage, _not_an_instance, _pickled])
def test_a_damaged_snapshot_is_ignored_and_the_build_reads_the_database(
    damage: Callable[[Path], None], own_folder: Path, reads: Reads, focus_area: FocusArea,
    skilled_mentor: Person, second_mentor: Person,
) -> None:  # fmt: skip
    first = ranked(focus_area)
    (kept,) = kept_files(own_folder)
    damage(kept)
    damaged = kept.read_bytes()
    as_a_new_process()
    assert ranked(focus_area) == first
    assert reads.count == 2
    assert kept.read_bytes() != damaged  # replaced by a whole one
    as_a_new_process()
    assert ranked(focus_area) == first
    assert reads.count == 2  # which the next process reads


def test_erasing_a_persons_texts_deletes_the_snapshots(
    own_folder: Path, focus_area: FocusArea, skilled_mentor: Person
) -> None:
    ranked(focus_area)
    assert kept_files(own_folder)
    text_analysis.forget_all()
    assert not kept_files(own_folder)


def test_without_snapshots_nothing_is_kept(
    settings: Any, own_folder: Path, reads: Reads, focus_area: FocusArea, skilled_mentor: Person
) -> None:
    settings.SUGGESTER_SNAPSHOTS = False
    ranked(focus_area)
    as_a_new_process()
    ranked(focus_area)
    assert reads.count == 2 and not kept_files(own_folder)


def test_a_snapshot_is_only_read_under_its_own_key(own_folder: Path, program: Program) -> None:
    path = snapshots.store(program.pk, "a" * 40, {"mentees": []}, None, [])
    path.rename(path.with_name(f"{snapshots.PREFIX}{program.pk}-{'b' * 40}.npz"))
    assert snapshots.load(program.pk, "b" * 40) is None
    assert snapshots.load(program.pk, "a" * 40) is None
    snapshots.store(program.pk, "a" * 40, {"mentees": []}, None, ["Berlin"])
    kept = snapshots.load(program.pk, "a" * 40)
    assert kept is not None and kept.locations == ["Berlin"] and kept.vectors is None
    assert len(kept_files(own_folder)) == 1  # the other key's file is gone


def test_a_snapshot_another_process_wrote_meanwhile_is_not_written_again(
    own_folder: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch, focus_area: FocusArea,
    skilled_mentor: Person,
) -> None:  # fmt: skip
    stores: list[str] = []
    real_store = snapshots.store

    def counted_store(program_pk: int, key: str, *rest: Any) -> Path:
        stores.append(key)
        return real_store(program_pk, key, *rest)

    monkeypatch.setattr(snapshots, "store", counted_store)
    first = ranked(focus_area)
    (kept,) = kept_files(own_folder)
    written = kept.read_bytes()
    kept.unlink()
    real_read = selectors.program_instance

    def read_while_another_process_keeps_it(*args: Any, **kwargs: Any) -> dict[str, Any]:
        kept.write_bytes(written)  # the other process was quicker
        return real_read(*args, **kwargs)

    monkeypatch.setattr(selectors, "program_instance", read_while_another_process_keeps_it)
    as_a_new_process()
    assert ranked(focus_area) == first
    assert len(stores) == 1  # only the first build wrote it
    assert kept.read_bytes() == written


def test_without_the_source_files_to_name_the_code_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(snapshots, "__file__", str(tmp_path / "matching" / "snapshots.py"))
    snapshots.code_digest.cache_clear()
    try:
        assert snapshots.code_digest() == ""
        assert not snapshots.enabled()
    finally:
        monkeypatch.undo()
        snapshots.code_digest.cache_clear()
    assert snapshots.enabled()
