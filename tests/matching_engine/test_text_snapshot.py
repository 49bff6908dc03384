"""The text analysis kept between processes gives exactly what analysing again gives."""

from __future__ import annotations

import numpy as np
import orjson

from mentorbridge.matching_engine import text
from mentorbridge.matching_engine.text import Analyzer, WordIndex

GOALS = ["I want to get paged less and run calmer on-call rotations", "Grow into k8s work"]
PROFILES = [
    "Site reliability engineer; incident response, postmortems and Kubernetes clusters",
    "Product designer: design critiques, user research and accessibility",
    "Organisation behaviour and the colours of centre stage",
]


def analyse_in_a_new_process(snapshot: bytes | None) -> WordIndex:
    """What a fresh process builds: nothing kept, then (maybe) the snapshot read back."""
    text._SHARED.clear()
    analyzer = Analyzer({"k8s": "Kubernetes"})
    if snapshot is not None:
        assert analyzer.preload(orjson.loads(snapshot)) == len(GOALS) + len(PROFILES)
    return WordIndex(GOALS, PROFILES, Analyzer({"k8s": "Kubernetes"}))


def test_an_index_from_a_preloaded_snapshot_equals_one_analysed_from_scratch() -> None:
    fresh = analyse_in_a_new_process(None)
    snapshot = orjson.dumps(fresh.analyzer.snapshot())
    loaded = analyse_in_a_new_process(snapshot)
    assert loaded.stems == fresh.stems
    assert loaded.terms == fresh.terms
    assert np.array_equal(loaded.queries.toarray(), fresh.queries.toarray())
    assert np.array_equal(loaded.documents.toarray(), fresh.documents.toarray())
    rows, cols = np.array([0, 0, 1]), np.array([0, 1, 2])
    assert loaded.shared_terms_many(rows, cols) == fresh.shared_terms_many(rows, cols)


def test_a_snapshot_of_another_analyzer_is_not_taken() -> None:
    analyse_in_a_new_process(None)
    snapshot = Analyzer({"k8s": "Kubernetes"}).snapshot()
    other = Analyzer({"sre": "Site reliability"})
    assert other.digest != snapshot["digest"]
    assert other.preload(snapshot) == 0
    assert other.analysed_count == 0


def test_the_digest_names_the_analysing_code(monkeypatch) -> None:
    analyzer = Analyzer()
    before = analyzer.digest
    monkeypatch.setattr(text, "_code_digest", lambda: "another version of the code")
    assert analyzer.digest != before
