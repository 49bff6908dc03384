"""The round preview's summary in words (round_text.summary_sentences)."""

from __future__ import annotations

from mentorbridge.matching.round_text import summary_sentences

STATS = {"matched": 10, "focus_areas": 12, "mean_score": 0.61, "min_score": 0.2, "gap": 0.0,
         "mentors_used": 4, "mentors": 5, "capacity_used": 0.8, "max_load": 3,
         "cross_department": 0.5}  # fmt: skip


def test_a_preview_with_the_same_figures_does_not_claim_nothing_changed() -> None:
    # a pin swaps one pair's mentor for one who fits as well: the figures stay, a pair moved
    last = summary_sentences(STATS, "total", previous=dict(STATS), previous_id=7)[-1]
    assert last == (
        "Compared with #7: the same number matched and the same fit "
        "(pairs may differ: compare them)."
    )
    assert "no change" not in last


def test_a_preview_says_what_changed_in_its_figures() -> None:
    before = {**STATS, "matched": 9, "mean_score": 0.58}
    last = summary_sentences(STATS, "total", previous=before, previous_id=7)[-1]
    assert last.startswith("Compared with #7: 1 more matched, average fit +")
