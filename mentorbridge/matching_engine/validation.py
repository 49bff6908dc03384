"""Turn a raw instance dictionary into a validated `Instance` (see docs/matching_engine.md)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any, TypeVar

from mentorbridge.matching_engine.instance import (
    DEFAULT_RELEVANCE_GATE,
    DEFAULT_SHORTLIST_K,
    DEFAULT_WEIGHTS,
    DEPARTMENT_PREFERENCES,
    ERR_CAPACITY,
    ERR_CHOICE,
    ERR_CYCLE,
    ERR_DUPLICATE,
    ERR_FORMAT,
    ERR_MISSING,
    ERR_NO_FOCUS,
    ERR_NOT_OBJECT,
    ERR_TYPE,
    ERR_UNKNOWN_PERSON,
    ERR_UNKNOWN_REF,
    ERR_WEIGHT,
    ERR_WEIGHTS_OVERFLOW,
    ERR_WEIGHTS_ZERO,
    FACTORS,
    FORMAT,
    MEETING_MODES,
    OBJECTIVES,
    PROGRAM_KINDS,
    FocusArea,
    Instance,
    InstanceError,
    Mentee,
    Mentor,
    Options,
    PairRule,
    Person,
    Rules,
)

T = TypeVar("T")


def _where(section: str, index: int, record: Any) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return f'{section}[{index}] (id "{record["id"]}")'
    return f"{section}[{index}]"


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InstanceError(ERR_NOT_OBJECT.format(where=where, got=type(value).__name__))
    return value


def _get(
    record: dict[str, Any],
    where: str,
    name: str,
    check: Callable[[Any], bool],
    expected: str,
    default: Any = ...,
) -> Any:
    if name not in record or (record[name] is None and default is not ...):
        if default is ...:
            raise InstanceError(ERR_MISSING.format(where=where, field=name))
        return default
    value = record[name]
    if not check(value):
        raise InstanceError(ERR_TYPE.format(where=where, field=name, expected=expected, got=value))
    return value


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


MAX_CAPACITY = 1_000_000
MAX_LEVEL = 1_000_000
MAX_HOURS = 10_000


def _is_num(v: Any) -> bool:
    """A finite number (NaN, infinities and ints too large for a float are not)."""
    if not isinstance(v, int | float) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def _in_range(low: float, high: float) -> Callable[[Any], bool]:
    return lambda v: _is_num(v) and low <= v <= high


def _is_date(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        return False
    return len(v) == 10


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_skill_map(v: Any) -> bool:
    return isinstance(v, dict) and all(
        isinstance(k, str) and _is_num(x) and 0 <= x <= 5 for k, x in v.items()
    )


def _choice(record: dict[str, Any], where: str, name: str, choices: tuple[str, ...], default: str):
    value = record.get(name, default)
    if value is None:
        value = default
    if value not in choices:
        raise InstanceError(ERR_CHOICE.format(where=where, field=name, choices=choices, got=value))
    return str(value)


def _list(data: dict[str, Any], name: str, required: bool = True) -> list[Any]:
    if name not in data:
        if required:
            raise InstanceError(ERR_MISSING.format(where="instance", field=name))
        return []
    value = data[name]
    if not isinstance(value, list):
        raise InstanceError(
            ERR_TYPE.format(where="instance", field=name, expected="a list", got=value)
        )
    return value


# Fast paths: most instances are well formed, so each record is first read with plain type
# checks; a record they do not accept goes through the careful parse, which names the record and
# field that is wrong (the fast path never accepts what the careful parse refuses).


def _fast_str(rec: dict[str, Any], name: str, default: str | None) -> Any:
    value = rec.get(name)
    if value is None:
        return default
    return value if type(value) is str else _REFUSED


def _fast_num(rec: dict[str, Any], name: str, low: float, high: float) -> Any:
    value = rec.get(name)
    if value is None:
        return 0
    kind = type(value)
    if (kind is int or kind is float) and low <= value <= high:  # NaN fails the comparison
        return value
    return _REFUSED


def _fast_str_list(rec: dict[str, Any], name: str) -> Any:
    value = rec.get(name)
    if value is None:
        return ()
    if type(value) is not list:
        return _REFUSED
    for item in value:
        if type(item) is not str:
            return _REFUSED
    return tuple(value)


_REFUSED = object()


def _fast_person(raw: Any) -> Person | None:
    """The person of a well-formed record, or None (the careful parse says what is wrong)."""
    if type(raw) is not dict:
        return None
    person_id = raw.get("id")
    if type(person_id) is not str:
        return None
    skills = raw.get("skills")
    if skills is None:
        skills = {}
    elif type(skills) is not dict:
        return None
    for key, level in skills.items():
        kind = type(level)
        if type(key) is not str or not ((kind is int or kind is float) and 0 <= level <= 5):
            return None
    values = (
        _fast_num(raw, "level", -MAX_LEVEL, MAX_LEVEL),
        _fast_str(raw, "department", ""),
        _fast_str(raw, "location", ""),
        _fast_str(raw, "timezone", "UTC"),
        _fast_str_list(raw, "languages"),
        _fast_str(raw, "manager", None),
        _fast_str(raw, "text", ""),
        _fast_num(raw, "hours_per_month", 0, MAX_HOURS),
    )
    if _REFUSED in values:
        return None
    level, department, location, timezone, languages, manager, text, hours = values
    return Person(
        id=person_id,
        level=int(level),
        department=department,
        location=location,
        timezone=timezone,
        languages=languages,
        manager=manager,
        skills={k: int(v) for k, v in skills.items()},
        text=text,
        hours_per_month=float(hours),
    )


def _fast_mentee(raw: Any) -> Mentee | None:
    """The mentee of a well-formed record, or None (the careful parse says what is wrong)."""
    if type(raw) is not dict:
        return None
    mentee_id = raw.get("id")
    raw_areas = raw.get("focus_areas")
    if type(mentee_id) is not str or type(raw_areas) is not list or not raw_areas:
        return None
    areas: list[FocusArea] = []
    seen: set[str] = set()
    for area in raw_areas:
        if type(area) is not dict:
            return None
        area_id = area.get("id")
        if type(area_id) is not str or area_id in seen:
            return None
        seen.add(area_id)
        skills = _fast_str_list(area, "skills")
        text = _fast_str(area, "text", "")
        group = _fast_str(area, "group", "")
        if skills is _REFUSED or text is _REFUSED or group is _REFUSED:
            return None
        areas.append(
            FocusArea(
                id=area_id,
                skills=skills,
                text=text,
                group=group or (skills[0] if skills else area_id),
            )
        )
    preference = raw.get("department_preference")
    meeting = raw.get("meeting")
    preference = "any" if preference is None else preference
    meeting = "either" if meeting is None else meeting
    ranked = _fast_str_list(raw, "ranked_mentors")
    opt_out = _fast_str_list(raw, "opt_out_mentors")
    if (
        preference not in DEPARTMENT_PREFERENCES
        or meeting not in MEETING_MODES
        or ranked is _REFUSED
        or opt_out is _REFUSED
    ):
        return None
    return Mentee(
        id=mentee_id,
        focus_areas=tuple(areas),
        department_preference=str(preference),
        meeting=str(meeting),
        ranked_mentors=ranked,
        opt_out_mentors=opt_out,
    )


def _parse_person(raw: Any, where: str) -> Person:
    rec = _obj(raw, where)
    skills = _get(rec, where, "skills", _is_skill_map, "an object of skill -> level 0..5", {})
    return Person(
        id=_get(rec, where, "id", _is_str, "a string"),
        level=int(
            _get(
                rec,
                where,
                "level",
                _in_range(-MAX_LEVEL, MAX_LEVEL),
                f"a finite number within +-{MAX_LEVEL}",
                0,
            )
        ),
        department=_get(rec, where, "department", _is_str, "a string", ""),
        location=_get(rec, where, "location", _is_str, "a string", ""),
        timezone=_get(rec, where, "timezone", _is_str, "an IANA timezone name", "UTC"),
        languages=tuple(_get(rec, where, "languages", _is_str_list, "a list of strings", [])),
        manager=_get(rec, where, "manager", _is_str, "a person id or null", None),
        skills={str(k): int(v) for k, v in skills.items()},
        text=_get(rec, where, "text", _is_str, "a string", ""),
        hours_per_month=float(
            _get(
                rec,
                where,
                "hours_per_month",
                _in_range(0, MAX_HOURS),
                f"a finite number 0..{MAX_HOURS}",
                0.0,
            )
        ),
    )


def _parse_mentee(raw: Any, where: str) -> Mentee:
    rec = _obj(raw, where)
    mentee_id = _get(rec, where, "id", _is_str, "a string")
    raw_areas = _get(rec, where, "focus_areas", lambda v: isinstance(v, list), "a list")
    if not raw_areas:
        raise InstanceError(ERR_NO_FOCUS.format(where=where))
    areas: list[FocusArea] = []
    seen: dict[str, int] = {}
    for k, raw_area in enumerate(raw_areas):
        fwhere = f"{where}.focus_areas[{k}]"
        area = _obj(raw_area, fwhere)
        area_id = _get(area, fwhere, "id", _is_str, "a string")
        if area_id in seen:
            first = f"{where}.focus_areas[{seen[area_id]}]"
            raise InstanceError(ERR_DUPLICATE.format(where=fwhere, id=area_id, first=first))
        seen[area_id] = k
        skills = tuple(_get(area, fwhere, "skills", _is_str_list, "a list of strings", []))
        areas.append(
            FocusArea(
                id=area_id,
                skills=skills,
                text=_get(area, fwhere, "text", _is_str, "a string", ""),
                group=_get(area, fwhere, "group", _is_str, "a string", "")
                or (skills[0] if skills else area_id),
            )
        )
    return Mentee(
        id=mentee_id,
        focus_areas=tuple(areas),
        department_preference=_choice(
            rec, where, "department_preference", DEPARTMENT_PREFERENCES, "any"
        ),
        meeting=_choice(rec, where, "meeting", MEETING_MODES, "either"),
        ranked_mentors=tuple(
            _get(rec, where, "ranked_mentors", _is_str_list, "a list of mentor ids", [])
        ),
        opt_out_mentors=tuple(
            _get(rec, where, "opt_out_mentors", _is_str_list, "a list of mentor ids", [])
        ),
    )


def _parse_mentor(raw: Any, where: str) -> Mentor:
    rec = _obj(raw, where)
    capacity = _get(rec, where, "capacity", _is_int, "an integer", 1)
    if not 0 <= capacity <= MAX_CAPACITY:
        raise InstanceError(ERR_CAPACITY.format(where=where, got=capacity, most=MAX_CAPACITY))
    return Mentor(
        id=_get(rec, where, "id", _is_str, "a string"),
        capacity=capacity,
        prefer_mentees=tuple(
            _get(rec, where, "prefer_mentees", _is_str_list, "a list of mentee ids", [])
        ),
        avoid_mentees=tuple(
            _get(rec, where, "avoid_mentees", _is_str_list, "a list of mentee ids", [])
        ),
        opt_out=bool(
            _get(rec, where, "opt_out", lambda v: isinstance(v, bool), "a boolean", False)
        ),
    )


def _parse_rules(raw: Any, pinned_needs_area: bool = True) -> Rules:
    rec = _obj(raw, "rules")
    parsed: dict[str, tuple[PairRule, ...]] = {}
    for name in ("forbidden", "ended_early", "pinned"):
        items = _get(rec, "rules", name, lambda v: isinstance(v, list), "a list", [])
        rules: list[PairRule] = []
        for k, item in enumerate(items):
            where = f"rules.{name}[{k}]"
            pair = _obj(item, where)
            area = ""
            if name == "pinned" and pinned_needs_area:
                area = _get(pair, where, "focus_area", _is_str, "a focus area id", "")
            rules.append(
                PairRule(
                    mentee=_get(pair, where, "mentee", _is_str, "a mentee id"),
                    mentor=_get(pair, where, "mentor", _is_str, "a mentor id"),
                    focus_area=area,
                )
            )
        parsed[name] = tuple(rules)
    return Rules(**parsed)


def _parse_weights(raw: Any) -> dict[str, float]:
    rec = _obj(raw, "weights")
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in rec.items():
        if name not in FACTORS:
            raise InstanceError(
                ERR_CHOICE.format(where="weights", field="factor name", choices=FACTORS, got=name)
            )
        if not _is_num(value) or value < 0:
            raise InstanceError(ERR_WEIGHT.format(where="weights", field=name, got=value))
        weights[name] = float(value)
    total = sum(weights.values())
    if not math.isfinite(total):
        raise InstanceError(ERR_WEIGHTS_OVERFLOW.format(got=total))
    if total <= 0:
        raise InstanceError(ERR_WEIGHTS_ZERO)
    return {name: weights[name] / total for name in FACTORS}


def _parse_options(raw: Any) -> Options:
    rec = _obj(raw, "options")
    k = _get(
        rec,
        "options",
        "shortlist_k",
        lambda v: _is_int(v) and v >= 1,
        "an integer >= 1",
        DEFAULT_SHORTLIST_K,
    )
    return Options(
        shortlist_k=k,
        return_pair_scores=bool(
            _get(
                rec,
                "options",
                "return_pair_scores",
                lambda v: isinstance(v, bool),
                "a boolean",
                False,
            )
        ),
        reference_date=_get(
            rec, "options", "reference_date", _is_date, "a YYYY-MM-DD date", "2025-01-15"
        ),
        max_rounds=_get(
            rec, "options", "max_rounds", lambda v: _is_int(v) and v >= 1, "an integer >= 1", 8
        ),
        text_embeddings=bool(
            _get(
                rec, "options", "text_embeddings", lambda v: isinstance(v, bool), "a boolean", False
            )
        ),
        relevance_gate=float(
            _get(
                rec,
                "options",
                "relevance_gate",
                lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1,
                "a number from 0 to 1",
                DEFAULT_RELEVANCE_GATE,
            )
        ),
    )


def _index(records: list[T], section: str, ids: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    for k, rid in enumerate(ids):
        if rid in seen:
            raise InstanceError(
                ERR_DUPLICATE.format(
                    where=f'{section}[{k}] (id "{rid}")', id=rid, first=f"{section}[{seen[rid]}]"
                )
            )
        seen[rid] = k
    return seen


def _check_references(
    people: dict[str, int], mentees: list[Mentee], mentors: list[Mentor], rules: Rules
) -> None:
    mentee_ids = {m.id: m for m in mentees}
    mentor_ids = {m.id for m in mentors}
    for k, mentee in enumerate(mentees):
        where = f'mentees[{k}] (id "{mentee.id}")'
        if mentee.id not in people:
            raise InstanceError(ERR_UNKNOWN_PERSON.format(where=where, field="id", id=mentee.id))
        for name in ("ranked_mentors", "opt_out_mentors"):
            for ref in getattr(mentee, name):
                if ref not in mentor_ids:
                    raise InstanceError(
                        ERR_UNKNOWN_REF.format(where=where, field=name, kind="mentor", id=ref)
                    )
    for k, mentor in enumerate(mentors):
        where = f'mentors[{k}] (id "{mentor.id}")'
        if mentor.id not in people:
            raise InstanceError(ERR_UNKNOWN_PERSON.format(where=where, field="id", id=mentor.id))
        for name in ("prefer_mentees", "avoid_mentees"):
            for ref in getattr(mentor, name):
                if ref not in mentee_ids:
                    raise InstanceError(
                        ERR_UNKNOWN_REF.format(where=where, field=name, kind="mentee", id=ref)
                    )
    for name in ("forbidden", "ended_early", "pinned"):
        for k, rule in enumerate(getattr(rules, name)):
            where = f"rules.{name}[{k}]"
            if rule.mentee not in mentee_ids:
                raise InstanceError(
                    ERR_UNKNOWN_REF.format(
                        where=where, field="mentee", kind="mentee", id=rule.mentee
                    )
                )
            if rule.mentor not in mentor_ids:
                raise InstanceError(
                    ERR_UNKNOWN_REF.format(
                        where=where, field="mentor", kind="mentor", id=rule.mentor
                    )
                )
            if name == "pinned":
                areas = [a.id for a in mentee_ids[rule.mentee].focus_areas]
                if not rule.focus_area and len(areas) == 1:
                    continue
                if rule.focus_area not in areas:
                    raise InstanceError(
                        ERR_UNKNOWN_REF.format(
                            where=where, field="focus_area", kind="focus area", id=rule.focus_area
                        )
                    )


def _check_reporting_chain(people: list[Person], index: dict[str, int]) -> None:
    for k, person in enumerate(people):
        if person.manager is not None and person.manager not in index:
            where = f'people[{k}] (id "{person.id}")'
            raise InstanceError(
                ERR_UNKNOWN_PERSON.format(where=where, field="manager", id=person.manager)
            )
    state = [0] * len(people)  # 0 unvisited, 1 on current path, 2 done
    for start in range(len(people)):
        path: list[int] = []
        node: int | None = start
        while node is not None and state[node] == 0:
            state[node] = 1
            path.append(node)
            manager = people[node].manager
            node = index[manager] if manager is not None else None
        if node is not None and state[node] == 1:
            cycle = [*path[path.index(node) :], node]
            raise InstanceError(ERR_CYCLE.format(cycle=" -> ".join(people[i].id for i in cycle)))
        for visited in path:
            state[visited] = 2


def parse_instance(data: Any) -> Instance:
    """Validate a raw instance dictionary and build an `Instance`; raises InstanceError."""
    data = _obj(data, "instance")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InstanceError(ERR_FORMAT.format(expected=FORMAT, got=fmt))
    kind = _choice(data, "instance", "program_kind", PROGRAM_KINDS, "traditional")
    objective = _choice(data, "instance", "objective", OBJECTIVES, "total")
    raw_people, raw_mentees, raw_mentors = (
        _list(data, "people"),
        _list(data, "mentees"),
        _list(data, "mentors"),
    )
    people = [
        _fast_person(r) or _parse_person(r, _where("people", k, r))
        for k, r in enumerate(raw_people)
    ]
    mentees = [
        _fast_mentee(r) or _parse_mentee(r, _where("mentees", k, r))
        for k, r in enumerate(raw_mentees)
    ]
    mentors = [_parse_mentor(r, _where("mentors", k, r)) for k, r in enumerate(raw_mentors)]
    people_index = _index(people, "people", [p.id for p in people])
    _index(mentees, "mentees", [m.id for m in mentees])
    _index(mentors, "mentors", [m.id for m in mentors])
    _check_reporting_chain(people, people_index)
    rules = _parse_rules(data.get("rules") or {})
    _check_references(people_index, mentees, mentors, rules)
    embeddings_raw = data.get("embeddings") or {}
    embeddings = {
        str(key): [float(x) for x in vec]
        for key, vec in _obj(embeddings_raw, "embeddings").items()
        if isinstance(vec, list)
    }
    return Instance(
        program_kind=kind,
        objective=objective,
        weights=_parse_weights(data.get("weights") or {}),
        people=tuple(people),
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        rules=rules,
        options=_parse_options(data.get("options") or {}),
        embeddings=embeddings,
        synonyms=_parse_synonyms(data.get("synonyms") or {}),
    )


def _parse_synonyms(raw: Any) -> dict[str, tuple[str, ...]]:
    """``{"Kubernetes": ["k8s", "kube"], ...}``: skill name -> synonyms (strings)."""
    out: dict[str, tuple[str, ...]] = {}
    for name, values in _obj(raw, "synonyms").items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise InstanceError(
                ERR_TYPE.format(
                    where="synonyms", field=repr(name), expected="a list of strings", got=values
                )
            )
        out[str(name)] = tuple(values)
    return out


def built_instance(data: dict[str, Any]) -> Instance:
    """The `Instance` of a dictionary this program built itself (``matching.adapter``'s
    ``program_instance``, or a copy of one kept on disk): the same records `parse_instance`
    makes of it, without checking each record's fields again (0.2 s of a 20,000-mentee
    round). What ties records together is checked as `parse_instance` checks it, with the
    same errors: unique ids, managers that exist and no reporting cycle, and rules (a round's
    pins and forbids) that name the instance's mentees, mentors and focus areas. Input from
    outside (files, the API) goes through `parse_instance`. A record of the wrong shape still
    fails, as KeyError, TypeError or ValueError."""
    no_skills: dict[str, int] = {}
    people = tuple(
        Person(
            id=p["id"],
            level=int(p.get("level") or 0),
            department=p.get("department") or "",
            location=p.get("location") or "",
            timezone="UTC" if (zone := p.get("timezone")) is None else zone,
            languages=tuple(p.get("languages") or ()),
            manager=p.get("manager"),
            skills={k: int(v) for k, v in (p.get("skills") or no_skills).items()},
            text=p.get("text") or "",
            hours_per_month=float(p.get("hours_per_month") or 0.0),
        )
        for p in data["people"]
    )
    mentees = tuple(
        Mentee(
            id=m["id"],
            focus_areas=tuple(
                FocusArea(
                    id=a["id"],
                    skills=(skills := tuple(a.get("skills") or ())),
                    text=a.get("text") or "",
                    group=a.get("group") or (skills[0] if skills else a["id"]),
                )
                for a in m["focus_areas"]
            ),
            department_preference=m.get("department_preference") or "any",
            meeting=m.get("meeting") or "either",
            ranked_mentors=tuple(m.get("ranked_mentors") or ()),
            opt_out_mentors=tuple(m.get("opt_out_mentors") or ()),
        )
        for m in data["mentees"]
    )
    mentors = tuple(
        Mentor(
            id=m["id"],
            capacity=1 if (capacity := m.get("capacity")) is None else capacity,
            prefer_mentees=tuple(m.get("prefer_mentees") or ()),
            avoid_mentees=tuple(m.get("avoid_mentees") or ()),
            opt_out=bool(m.get("opt_out", False)),
        )
        for m in data["mentors"]
    )
    people_index = _index(list(people), "people", [p.id for p in people])
    _index(list(mentees), "mentees", [m.id for m in mentees])
    _index(list(mentors), "mentors", [m.id for m in mentors])
    _check_reporting_chain(list(people), people_index)
    rules = _parse_rules(data.get("rules") or {})
    _check_references(people_index, list(mentees), list(mentors), rules)
    return Instance(
        program_kind=data.get("program_kind") or "traditional",
        objective=data.get("objective") or "total",
        weights=_parse_weights(data.get("weights") or {}),
        people=people,
        mentees=mentees,
        mentors=mentors,
        rules=rules,
        options=_parse_options(data.get("options") or {}),
        embeddings={
            str(key): [float(x) for x in vec]
            for key, vec in (data.get("embeddings") or {}).items()
            if isinstance(vec, list)
        },
        synonyms=_parse_synonyms(data.get("synonyms") or {}),
    )
