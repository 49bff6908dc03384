"""Sentence vectors in the database: computed only for changed texts, loaded for the engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from mentorbridge.matching import vectors
from mentorbridge.matching.models import FocusAreaVector, PersonVector
from mentorbridge.matching.selectors import program_suggester
from mentorbridge.matching_engine.hybrid import HybridIndex
from mentorbridge.people import services as people_services
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.semantic import needs_semantic_model

pytestmark = pytest.mark.django_db


class CountingEmbedder:
    """Letter histograms (deterministic, no model) that count the texts they are given."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        out = np.zeros((len(texts), 26), np.float32)
        for k, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    out[k, ord(ch) - 97] += 1
        return out


def _edit_bio(person: Person, bio: str) -> None:
    people_services.person_update_profile(
        person=person, bio=bio, career_goals="", timezone="Europe/Berlin", languages=["en"],
        expertise=list(person.expertise), mentoring_hours_per_month=2,
    )  # fmt: skip


def test_vectors_are_computed_for_mentors_and_goals_and_again_only_for_changed_texts(
    program: Program, mentee: Person, mentor: Person
) -> None:
    embed = CountingEmbedder()
    first = vectors.vectors_compute(embedder=embed)
    assert (first.computed, first.unchanged) == (2, 0)
    assert PersonVector.objects.filter(person=mentor).exists()
    assert not PersonVector.objects.filter(person=mentee).exists()  # mentees need no profile
    assert FocusAreaVector.objects.count() == 1
    again = vectors.vectors_compute(embedder=embed)
    assert (again.computed, again.unchanged) == (0, 2)
    _edit_bio(mentor, "I run Kubernetes clusters")
    third = vectors.vectors_compute(embedder=embed)
    assert (third.computed, third.unchanged) == (1, 1)
    assert embed.texts[-1].endswith("I run Kubernetes clusters")


def test_equal_texts_are_computed_once_across_batches(
    program: Program, mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "BATCH", 1)  # every text in a batch of its own
    area = FocusArea.objects.get(enrollment__person=mentee)
    FocusArea.objects.create(
        enrollment=area.enrollment, title=area.title, description=area.description, position=1
    )
    embed = CountingEmbedder()
    report = vectors.vectors_compute(embedder=embed)
    assert report.computed == 3  # the mentor's profile and both goals are stored
    assert len(embed.texts) == 2 == len(set(embed.texts))  # the two equal goals computed once
    stored = FocusAreaVector.objects.filter(focus_area__enrollment=area.enrollment)
    assert len({bytes(v) for v in stored.values_list("vector", flat=True)}) == 1


def test_a_new_model_recomputes_every_vector(
    program: Program, mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    vectors.vectors_compute(embedder=CountingEmbedder())
    monkeypatch.setattr(vectors, "model_name", lambda: "another/model")
    report = vectors.vectors_compute(embedder=CountingEmbedder())
    assert report.computed == 2
    assert set(PersonVector.objects.values_list("model_name", flat=True)) == {"another/model"}


def test_a_program_uses_the_site_setting_unless_it_says_otherwise(program: Program) -> None:
    with override_settings(SEMANTIC_MATCHING=True):
        assert vectors.semantic_enabled(program)
        program.semantic_matching = "off"
        assert not vectors.semantic_enabled(program)
    with override_settings(SEMANTIC_MATCHING=False):
        program.semantic_matching = "on"
        assert vectors.semantic_enabled(program)
        program.semantic_matching = ""
        assert not vectors.semantic_enabled(program)


@override_settings(SEMANTIC_MATCHING=True)
def test_the_suggester_loads_stored_vectors_and_leaves_out_stale_ones(
    program: Program, mentee: Person, mentor: Person, second_mentor: Person
) -> None:
    vectors.vectors_compute(embedder=CountingEmbedder())
    suggester = program_suggester(program)
    assert suggester is not None
    text = suggester.features.text
    assert isinstance(text, HybridIndex)
    assert text.goal_known.tolist() == [True]
    assert text.mentor_known.tolist() == [True, True]
    _edit_bio(mentor, "A new bio, not computed yet")
    suggester = program_suggester(program)
    assert suggester is not None
    text = suggester.features.text
    assert isinstance(text, HybridIndex)
    known = dict(zip(suggester.model.mentor_ids, text.mentor_known.tolist(), strict=True))
    # Max's text changed: scored on words until the worker recomputes his vector.
    assert known == {mentor.employee_id: False, second_mentor.employee_id: True}


def test_without_semantic_matching_the_suggester_reads_words_only(
    program: Program, mentee: Person, mentor: Person
) -> None:
    vectors.vectors_compute(embedder=CountingEmbedder())
    suggester = program_suggester(program)
    assert suggester is not None
    assert not isinstance(suggester.features.text, HybridIndex)


def test_a_profile_edit_queues_one_vectors_task_when_semantic_matching_is_on(
    program: Program, mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:  # fmt: skip
    from mentorbridge.matching import receivers

    monkeypatch.setattr(receivers, "is_available", lambda: True)
    path = "mentorbridge.matching.tasks.compute_vectors"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _edit_bio(mentor, "Off: nothing queued")
    assert not DBTaskResult.objects.filter(task_path=path).exists()
    program.semantic_matching = "on"
    program.save()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _edit_bio(mentor, "On: queued once")
        FocusArea.objects.filter(enrollment__person=mentee).get().save()
    assert DBTaskResult.objects.filter(task_path=path).count() == 1


@needs_semantic_model
def test_the_command_computes_vectors_with_the_sentence_model(
    program: Program, mentee: Person, mentor: Person
) -> None:
    out = StringIO()
    call_command("compute_vectors", stdout=out)
    assert out.getvalue().startswith("Computed 2 vectors, 0 unchanged")
    blob = bytes(PersonVector.objects.get(person=mentor).vector)
    vector = np.frombuffer(blob, "<f4")
    assert vector.shape == (384,)
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-4)


def test_the_instance_asks_for_meaning_exactly_when_the_program_matches_by_meaning(
    program: Program, mentee: Person, mentor: Person
) -> None:
    from mentorbridge.matching.adapter import program_instance

    assert program_instance(program)["options"]["text_embeddings"] is False
    program.semantic_matching = "on"
    assert program_instance(program)["options"]["text_embeddings"] is True


@override_settings(SEMANTIC_MATCHING=True)
def test_stored_vectors_are_read_again_only_when_they_change(
    program: Program, mentee: Person, mentor: Person
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentorbridge.matching.adapter import program_instance

    vectors.clear_vectors_cache()
    vectors.vectors_compute(embedder=CountingEmbedder())
    data = program_instance(program)
    first = vectors.program_vectors(program, data)
    with CaptureQueriesContext(connection) as queries:
        again = vectors.program_vectors(program, data)
    # Only the stamp's aggregates run: no query reads a vector column again.
    assert not any('."vector"' in q["sql"] for q in queries.captured_queries)
    assert first is not None and again is not None
    assert list(again.mentor_keys) == list(first.mentor_keys) == [mentor.employee_id]
    _edit_bio(mentor, "Changed: computed again, then read again")
    vectors.vectors_compute(embedder=CountingEmbedder())
    fresh = vectors.program_vectors(program, program_instance(program))
    assert fresh is not None and list(fresh.mentor_keys) == [mentor.employee_id]
    assert not np.array_equal(fresh.mentor_matrix, first.mentor_matrix)


@override_settings(SEMANTIC_MATCHING=True)
def test_a_mentor_joining_with_a_vector_stored_for_another_program_is_scored_on_meaning(
    program: Program, mentee: Person, mentor: Person
) -> None:
    from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory

    vectors.clear_vectors_cache()
    elsewhere = ProgramFactory()
    newcomer = PersonFactory(first_name="Nia", user__email="nia@example.com", level=6)
    EnrollmentFactory(program=elsewhere, person=newcomer, role="mentor", mentor_capacity=1)
    vectors.vectors_compute(embedder=CountingEmbedder())  # Nia's vector, for the other program
    assert program_suggester(program) is not None  # the vectors of this program are kept
    EnrollmentFactory(program=program, person=newcomer, role="mentor", mentor_capacity=1)
    assert vectors.vectors_compute(embedder=CountingEmbedder()).computed == 0  # nothing new
    suggester = program_suggester(program)
    assert suggester is not None
    text = suggester.features.text
    assert isinstance(text, HybridIndex)
    known = dict(zip(suggester.model.mentor_ids, text.mentor_known.tolist(), strict=True))
    assert known == {mentor.employee_id: True, newcomer.employee_id: True}


VECTORS_TASK = "mentorbridge.matching.tasks.compute_vectors"


def test_switching_a_programs_semantic_matching_on_queues_the_vectors_task(
    program: Program, mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:  # fmt: skip
    from mentorbridge.matching import receivers
    from mentorbridge.programs.services import program_update

    monkeypatch.setattr(receivers, "is_available", lambda: True)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        program_update(program=program, max_open_requests=4)
    assert not DBTaskResult.objects.filter(task_path=VECTORS_TASK).exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        program_update(program=program, semantic_matching="on")
    assert DBTaskResult.objects.filter(task_path=VECTORS_TASK).count() == 1


def test_the_scheduler_queues_the_vectors_task_when_the_site_setting_is_on_and_some_are_missing(
    program: Program, mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorbridge.matching import receivers
    from mentorbridge.matching.management.commands.run_scheduler import batch

    monkeypatch.setattr(receivers, "is_available", lambda: True)
    batch()  # semantic matching off: nothing to compute
    assert not DBTaskResult.objects.filter(task_path=VECTORS_TASK).exists()
    with override_settings(SEMANTIC_MATCHING=True):
        assert vectors.vectors_missing(program) == 2
        batch()
        batch()
        assert DBTaskResult.objects.filter(task_path=VECTORS_TASK).count() == 1
        DBTaskResult.objects.filter(task_path=VECTORS_TASK).delete()
        vectors.vectors_compute(embedder=CountingEmbedder())
        assert vectors.vectors_missing(program) == 0
        batch()  # every vector is there: nothing queued
    assert not DBTaskResult.objects.filter(task_path=VECTORS_TASK).exists()


def test_the_program_pages_say_meaning_is_being_computed_until_every_vector_is_there(
    client_for: Callable[[Person | None], Client], program: Program, program_admin: Person,
    mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from mentorbridge.matching.templatetags import meaning

    monkeypatch.setattr(meaning, "is_available", lambda: True)
    client = client_for(program_admin)
    assert "meaning-status" not in client.get("/programs/engineering-growth/").content.decode()
    program.semantic_matching = "on"
    program.save()
    waiting = "meaning is computed in the background for 2 profiles and goals"
    assert waiting in client.get("/programs/engineering-growth/").content.decode()
    assert waiting in client.get("/programs/engineering-growth/edit/").content.decode()
    vectors.vectors_compute(embedder=CountingEmbedder())
    page = client.get("/programs/engineering-growth/").content.decode()
    assert "meaning is computed for every profile and goal" in page
