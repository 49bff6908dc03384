"""A round preview's figures in words, for the program admin who has to decide on it.

The raw certificate (objective, bound, gap) stays available on the page; these sentences say
what it means: "142 of 150 focus areas matched; every pair is the best possible: no other
assignment scores higher". "Best possible" is said only when the gap is within ``TOLERANCE``.
"""

from __future__ import annotations

from typing import Any

from mentorbridge.matching.explanations import fit

TOLERANCE = 1e-6  # scores are integers inside the engine, so a proven optimum has gap 0

PROVEN = {
    "total": "This is the best possible assignment: no other assignment has a higher total fit.",
    "coverage": (
        "No other assignment matches more focus areas, and none matching as many has a higher "
        "total fit."
    ),
    "fair": (
        "Every pair has a fit of at least {threshold} out of 100, and no other assignment that "
        "keeps every pair at or above that fit has a higher total fit."
    ),
}
WITHIN = {
    "total": "Within {gap} of the best possible total fit: no other assignment scores more "
    "than {gap} higher.",
    "coverage": "Within {gap} of the best possible: no other assignment does more than {gap} "
    "better on focus areas matched and total fit.",
    "fair": "Within {gap} of the best possible total fit among assignments whose every pair "
    "has a fit of at least {threshold} out of 100.",
}


def _percent(share: float) -> str:
    value = share * 100
    return f"{value:.0f}%" if value >= 10 or value == 0 else f"{value:.1f}%"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def certificate_sentence(stats: dict[str, Any], objective: str) -> str:
    """What the optimality certificate proves, in one sentence."""
    gap = stats.get("gap")
    if gap is None:
        return "The engine gave no optimality certificate for this preview."
    threshold = str(fit(stats.get("fair_threshold") or stats.get("min_score") or 0))
    if gap <= TOLERANCE:
        return PROVEN.get(objective, PROVEN["total"]).format(threshold=threshold)
    shown = f"{gap * 100:.2f}%" if gap < 0.01 else _percent(gap)
    return WITHIN.get(objective, WITHIN["total"]).format(gap=shown, threshold=threshold)


def summary_sentences(
    stats: dict[str, Any],
    objective: str,
    *,
    previous: dict[str, Any] | None = None,
    previous_id: int | None = None,
    left_out: int = 0,
) -> list[str]:
    """The preview's figures as a few sentences, and how they changed since the previous."""
    if not stats:
        return []
    matched, areas = stats.get("matched", 0), stats.get("focus_areas", 0)
    waiting = areas - matched
    first = f"{matched} of {_plural(areas, 'focus area')} matched"
    if waiting:
        verb = "waits" if waiting == 1 else "wait"
        first += f"; {waiting} {verb} without a mentor (see why below)"
    if left_out:
        first += f"; {left_out} left out of this round for their open requests"
    sentences = [first + ".", certificate_sentence(stats, objective)]
    if matched:
        sentences.append(
            f"Fit {fit(stats.get('mean_score', 0))} out of 100 on average, the weakest pair "
            f"{fit(stats.get('min_score', 0))}; {_percent(stats.get('cross_department', 0))} of "
            "pairs cross departments."
        )
        sentences.append(
            f"{stats.get('mentors_used', 0)} of {_plural(stats.get('mentors', 0), 'mentor')} "
            f"with free places get mentees, using {_percent(stats.get('capacity_used', 0))} of "
            f"the places; the busiest takes {_plural(stats.get('max_load', 0), 'mentee')}."
        )
    if previous:
        changes = []
        delta = matched - previous.get("matched", 0)
        if delta:
            changes.append(f"{abs(delta)} {'more' if delta > 0 else 'fewer'} matched")
        mean = fit(stats.get("mean_score", 0)) - fit(previous.get("mean_score", 0))
        if mean:
            changes.append(f"average fit {'+' if mean > 0 else '−'}{abs(mean)}")
        low = fit(stats.get("min_score", 0)) - fit(previous.get("min_score", 0))
        if low:
            changes.append(f"weakest pair {'+' if low > 0 else '−'}{abs(low)}")
        sentences.append(
            f"Compared with #{previous_id}: "
            + (
                ", ".join(changes)
                if changes
                else "the same number matched and the same fit (pairs may differ: compare them)"
            )
            + "."
        )
    return sentences
