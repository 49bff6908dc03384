"""The suggester ranks best score first and breaks ties by mentor id as written."""

from __future__ import annotations

from mentorbridge.matching_engine import Instance
from mentorbridge.matching_engine.suggest import Suggester

# Listed in neither id order nor a numeric order: "m10" < "m2" < "m9" < "n1" as strings.
IDS = ["m9", "n1", "m10", "m2"]


def _instance(strong: set[str]) -> Instance:
    alike = {"level": 4, "timezone": "UTC", "languages": ["en"], "department": "Engineering"}
    people = [{"id": "ME", **alike, "level": 1}] + [
        {"id": i, **alike, "skills": {"python": 5 if i in strong else 2}} for i in IDS
    ]
    return Instance.from_dict(
        {
            "people": people,
            "mentees": [{"id": "ME", "focus_areas": [{"id": "f", "skills": ["python"]}]}],
            "mentors": [{"id": i, "capacity": 1} for i in IDS],
        }
    )


def test_mentors_with_equal_scores_are_ranked_by_id_as_a_string() -> None:
    ranked = Suggester(_instance(set())).rank("ME", "f", limit=None)
    assert [r["mentor"] for r in ranked] == sorted(IDS)
    assert len({r["score"] for r in ranked}) == 1


def test_a_better_score_comes_before_a_smaller_id_and_ties_below_it_keep_id_order() -> None:
    ranked = Suggester(_instance({"n1", "m9"})).rank("ME", "f", limit=3)
    assert [r["mentor"] for r in ranked] == ["m9", "n1", "m10"]


def test_only_keeps_the_named_mentors_in_the_same_order() -> None:
    ranked = Suggester(_instance({"m2"})).rank("ME", "f", only={"m2", "m10", "x"})
    assert [r["mentor"] for r in ranked] == ["m2", "m10"]
