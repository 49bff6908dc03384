"""The mentor-match peer (UK Civil Service `mentor-match`, Munkres in repeated rounds).

Runs in its own virtualenv (`bench/.venv-peers`, made by `bench/setup_peers.sh`) because
mentor-match's top-level package is called `matching`, like daffidwilde/matching. Standard
library only on our side, so it needs nothing from the project venv:

    bench/.venv-peers/bin/python bench/peer_mentor_match.py --table pairs.json --out report.json

How our instance maps onto its model: every (mentee, focus area) unit is one mentor-match
`Mentee`; every mentor is a `Mentor`. One custom rule gives each pair the engine's score
(scaled to an integer, as mentor-match scores are integers) and disqualifies pairs that are
not eligible, mentors already at capacity, units already matched, and a mentor the same mentee
already has for another focus area. mentor-match then runs one Munkres round per unit of the
largest capacity (each round gives every mentor at most one more mentee), as it is designed to.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script, this file's folder (bench/) comes first on sys.path, and bench/matching.py
# would shadow mentor-match's `matching` package.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

SCORE_SCALE = 1_000_000


class PairScoreRule:
    """A mentor-match rule (`RuleProtocol`) that reads the score from the pair table."""

    def __init__(
        self,
        scores: dict[tuple[int, int], int],
        capacity: list[int],
        unit_mentee: list[str],
    ) -> None:
        self.scores = scores
        self.capacity = capacity
        self.unit_mentee = unit_mentee

    def evaluate(self, match_object: Any) -> bool:
        """True when the pair may be matched in this round."""
        unit = int(match_object.mentee.email)
        mentor = int(match_object.mentor.email)
        if (unit, mentor) not in self.scores or match_object.mentee.mentors:
            return False
        if len(match_object.mentor.mentees) >= self.capacity[mentor]:
            return False
        person = self.unit_mentee[unit]
        return all(self.unit_mentee[int(m.email)] != person for m in match_object.mentor.mentees)

    def apply(self, match_object: Any) -> int:
        """Score the pair, or disqualify it."""
        if not self.evaluate(match_object):
            match_object.disallowed = True
            return 0
        unit = int(match_object.mentee.email)
        return self.scores[(unit, int(match_object.mentor.email))]


def run(table: dict[str, list[Any]]) -> dict[str, Any]:
    """Match with mentor-match and return the report (assignment as unit/mentor indices)."""
    from matching.mentee import Mentee
    from matching.mentor import Mentor
    from matching.process import process_data

    started = time.perf_counter()
    capacity = [int(c) for c in table["capacity"]]
    scores = {
        (int(u), int(j)): max(1, round(float(s) * SCORE_SCALE))
        for u, j, s in zip(
            table["pair_unit"], table["pair_mentor"], table["pair_score"], strict=True
        )
    }
    rule = PairScoreRule(scores, capacity, [str(m) for m in table["unit_mentee"]])
    mentors = [Mentor(grade=0, email=str(j)) for j in range(len(capacity)) if capacity[j] > 0]
    mentees = [Mentee(grade=0, email=str(u)) for u in range(len(table["unit_mentee"]))]
    rounds = max(capacity, default=0)
    mentors, mentees = process_data(mentors, mentees, [[rule] for _ in range(rounds)])
    units: list[int] = []
    chosen: list[int] = []
    for mentor in mentors:
        for mentee in mentor.mentees:
            units.append(int(mentee.email))
            chosen.append(int(mentor.email))
    seconds = time.perf_counter() - started
    return {"status": "ok", "seconds": seconds, "units": units, "mentors": chosen, "rounds": rounds}


def main(argv: list[str] | None = None) -> int:
    """Command line: run mentor-match on a pair table (JSON) and write the report."""
    parser = argparse.ArgumentParser(description="Run the mentor-match benchmark peer.")
    parser.add_argument("--table", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        import matching.process  # noqa: F401
    except ImportError as exc:
        args.out.write_text(json.dumps({"status": "error", "reason": f"mentor-match: {exc}"}))
        return 0
    table = json.loads(args.table.read_text(encoding="utf-8"))
    args.out.write_text(json.dumps(run(table)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
