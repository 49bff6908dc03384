"""Invalid instances are refused with a message that names the record and the field."""

from __future__ import annotations

import copy
from pathlib import Path

import orjson
import pytest

from mentorbridge.matching_engine import Instance, InstanceError
from tests.matching_engine.synthetic import make_instance

BASE = make_instance(4, 3, seed=11)


def _broken(change: str) -> dict:
    data = copy.deepcopy(BASE)
    if change == "capacity":
        data["mentors"][1]["capacity"] = -1
    elif change == "unknown mentor":
        data["mentees"][0]["ranked_mentors"] = ["NOPE"]
    elif change == "unknown manager":
        data["people"][2]["manager"] = "GHOST"
    elif change == "cycle":
        data["people"][0]["manager"] = data["people"][1]["id"]
        data["people"][1]["manager"] = data["people"][0]["id"]
    elif change == "missing id":
        del data["mentors"][0]["id"]
    elif change == "wrong type":
        data["people"][3]["level"] = "senior"
    elif change == "kind":
        data["program_kind"] = "buddy"
    elif change == "timezone":
        data["people"][1]["timezone"] = "Mars/Olympus"
    elif change == "duplicate":
        data["mentors"].append(copy.deepcopy(data["mentors"][0]))
    elif change == "rule":
        data["rules"]["forbidden"] = [{"mentee": "NOPE", "mentor": data["mentors"][0]["id"]}]
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("capacity", 'mentors[1] (id "{m1}"): capacity must be an integer 0..1000000, got -1'),
        ("unknown mentor", 'mentees[0] (id "{e0}"): ranked_mentors refers to unknown mentor'),
        ("unknown manager", "people[2] (id \"P2\"): manager refers to unknown person 'GHOST'"),
        ("cycle", "people: reporting chain has a cycle: P0 -> P1 -> P0"),
        ("missing id", "mentors[0]: missing required field 'id'"),
        (
            "wrong type",
            "people[3] (id \"P3\"): level must be a finite number within +-1000000, got 'senior'",
        ),
        ("kind", "instance: program_kind must be one of"),
        ("timezone", "people[1] (id \"P1\"): timezone 'Mars/Olympus' is not a known IANA"),
        ("duplicate", 'mentors[3] (id "{m0}"): duplicate id'),
        ("rule", "rules.forbidden[0]: mentee refers to unknown mentee 'NOPE'"),
    ],
)
def test_invalid_input_names_the_record_and_the_field(change: str, expected: str) -> None:
    data = _broken(change)
    message = expected.format(
        m0=BASE["mentors"][0]["id"], m1=BASE["mentors"][1]["id"], e0=BASE["mentees"][0]["id"]
    )
    with pytest.raises(InstanceError) as error:
        from mentorbridge.matching_engine import solve

        solve(Instance.from_dict(data))
    assert message in str(error.value)


def test_malformed_json_names_the_file() -> None:
    with pytest.raises(InstanceError, match=r"in.json: malformed JSON"):
        Instance.from_json('{"people": [', source="in.json")


def test_weights_are_normalised_to_sum_one() -> None:
    data = copy.deepcopy(BASE)
    data["weights"] = {"language": 3, "goal_fit": 1}
    weights = Instance.from_dict(data).weights
    assert abs(sum(weights.values()) - 1) < 1e-9
    assert weights["language"] > weights["goal_fit"]


def test_a_pin_that_breaks_a_hard_rule_is_refused() -> None:
    data = copy.deepcopy(BASE)
    mentee = data["mentees"][0]
    data["people"][0]["manager"] = None
    mentee_person = next(p for p in data["people"] if p["id"] == mentee["id"])
    mentor_id = data["mentors"][0]["id"]
    mentee_person["manager"] = mentor_id
    next(p for p in data["people"] if p["id"] == mentor_id)["manager"] = None
    data["rules"]["pinned"] = [
        {"mentee": mentee["id"], "focus_area": mentee["focus_areas"][0]["id"], "mentor": mentor_id}
    ]
    with pytest.raises(InstanceError, match=r"rules.pinned\[0\].*reporting_chain"):
        from mentorbridge.matching_engine import solve

        solve(Instance.from_dict(data))


def test_records_read_by_the_fast_path_equal_those_the_careful_parse_builds() -> None:
    import pickle

    from mentorbridge.matching_engine import validation

    data = copy.deepcopy(make_instance(30, 10, seed=5))
    data["mentees"][0]["focus_areas"][0]["group"] = "backend"
    data["mentees"][1]["ranked_mentors"] = [data["mentors"][0]["id"]]
    for k, raw in enumerate(data["people"]):
        fast = validation._fast_person(raw)
        careful = validation._parse_person(raw, f"people[{k}]")
        assert fast is not None
        assert type(fast) is type(careful)
        assert fast == careful and repr(fast) == repr(careful)
        assert pickle.loads(pickle.dumps(fast)) == careful
    for k, raw in enumerate(data["mentees"]):
        fast_mentee = validation._fast_mentee(raw)
        careful_mentee = validation._parse_mentee(raw, f"mentees[{k}]")
        assert fast_mentee is not None
        assert fast_mentee == careful_mentee and repr(fast_mentee) == repr(careful_mentee)
        assert type(fast_mentee.focus_areas[0]) is type(careful_mentee.focus_areas[0])


INSTANCES = Path(__file__).parent / "instances"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(make_instance(40, 25, seed=3), id="synthetic"),
        pytest.param(
            make_instance(30, 20, seed=5, kind="group", overlap=0.3), id="synthetic group"
        ),
        *(
            pytest.param(orjson.loads(path.read_bytes()), id=path.stem)
            for path in sorted(INSTANCES.glob("*.json"))
        ),
    ],
)
def test_an_instance_the_app_built_reads_the_same_without_the_checks(data: dict) -> None:
    assert Instance.from_built(data) == Instance.from_dict(data)


def test_an_app_built_instance_of_the_wrong_shape_still_fails() -> None:
    data = copy.deepcopy(BASE)
    del data["mentors"][0]["id"]
    with pytest.raises(KeyError):
        Instance.from_built(data)
    data = copy.deepcopy(BASE)
    data["people"][0]["level"] = "senior"
    with pytest.raises(ValueError):
        Instance.from_built(data)


@pytest.mark.parametrize(
    "change", ["unknown mentor", "unknown manager", "cycle", "duplicate", "rule", "pinned area"]
)
def test_an_app_built_instance_whose_records_do_not_fit_together_fails_as_a_file_would(
    change: str,
) -> None:
    # what ties records together (ids, managers, the rules a round's pins and forbids add) is
    # checked on the app's instances too, with the error a file with the same records gets
    if change == "pinned area":
        data = copy.deepcopy(BASE)
        mentee, mentor = data["mentees"][0], data["mentors"][0]
        mentee["focus_areas"].append({"id": "second", "skills": [], "text": "another goal"})
        data["rules"]["pinned"] = [
            {"mentee": mentee["id"], "mentor": mentor["id"], "focus_area": "left-out area"}
        ]
    else:
        data = _broken(change)
    with pytest.raises(InstanceError) as from_file:
        Instance.from_dict(data)
    with pytest.raises(InstanceError) as built:
        Instance.from_built(data)
    assert str(built.value) == str(from_file.value)
