"""The demo organisation: a believable company with a proper reporting tree."""

from __future__ import annotations

import re
import string
import zoneinfo
from collections import Counter, defaultdict
from datetime import date

import pytest

from mentorbridge.demo.content import (
    BIO_TEMPLATES,
    COMPANY_DOMAIN,
    COMPANY_NAME,
    DEPARTMENTS,
    EXECUTIVE,
    FOCUS_GOALS,
    GOAL_TEMPLATES,
    LANGUAGE_NAMES,
    NAME_ORIGINS,
    OFFICES,
    REFERENCE_DATE,
    DemoPerson,
    all_departments,
    department_named,
    email_local_part,
    focus_area_goals_for,
    generate_people,
)
from mentorbridge.people.catalogue import load_catalogue

# The ISO 639-1 codes the people app accepts (mentorbridge.people.validators).
ACCEPTED_LANGUAGES = {
    "ar", "bn", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hu", "id", "it", "ja", "kn", "ko", "ml", "mr", "ms", "nl", "no", "pl", "pt", "ro", "ru", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "yo", "zh",
}  # fmt: skip

FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|[Mm]y|me)\b")


@pytest.fixture(scope="module")
def people() -> list[DemoPerson]:
    return generate_people(400)


def _by_id(people: list[DemoPerson]) -> dict[str, DemoPerson]:
    return {p.employee_id: p for p in people}


def _reports(people: list[DemoPerson]) -> dict[str, list[DemoPerson]]:
    reports: dict[str, list[DemoPerson]] = defaultdict(list)
    for person in people:
        if person.manager_employee_id is not None:
            reports[person.manager_employee_id].append(person)
    return reports


# -- the reporting tree ---------------------------------------------------------------------


def test_generates_exactly_the_requested_number_of_people(people: list[DemoPerson]) -> None:
    assert len(people) == 400


def test_reporting_tree_has_one_root_and_no_cycles(people: list[DemoPerson]) -> None:
    by_id = _by_id(people)
    roots = [p for p in people if p.manager_employee_id is None]
    assert len(roots) == 1
    for person in people:
        seen = {person.employee_id}
        current = person
        while current.manager_employee_id is not None:
            assert current.manager_employee_id in by_id, "manager must exist"
            current = by_id[current.manager_employee_id]
            assert current.employee_id not in seen, "cycle"
            seen.add(current.employee_id)
        assert current is roots[0]


def test_the_root_is_a_level_eight_ceo(people: list[DemoPerson]) -> None:
    ceo = people[0]
    assert ceo.manager_employee_id is None
    assert ceo.employee_id == "E00001"
    assert ceo.level == 8
    assert ceo.job_title == "Chief Executive Officer"
    assert [p for p in people if p.level == 8] == [ceo]


def test_every_department_head_reports_to_the_ceo(people: list[DemoPerson]) -> None:
    by_id = _by_id(people)
    heads = {}
    for person in people:
        manager = by_id.get(person.manager_employee_id or "")
        if manager is not None and manager.department != person.department:
            assert manager.employee_id == "E00001", f"{person.job_title} crosses departments"
            heads[person.department] = person
    assert {d.name for d in DEPARTMENTS} <= set(heads)
    for department in DEPARTMENTS:
        assert heads[department.name].job_title.startswith("VP ")


def test_managers_are_senior_to_their_reports(people: list[DemoPerson]) -> None:
    by_id = _by_id(people)
    for person in people:
        if person.manager_employee_id is not None:
            assert by_id[person.manager_employee_id].level > person.level


def test_span_of_control_is_between_three_and_ten(people: list[DemoPerson]) -> None:
    for manager_id, reports in _reports(people).items():
        assert 3 <= len(reports) <= 10, manager_id


def test_department_is_consistent_below_the_department_head(people: list[DemoPerson]) -> None:
    by_id = _by_id(people)
    for person in people:
        manager = by_id.get(person.manager_employee_id or "")
        if manager is not None and manager.employee_id != "E00001":
            assert manager.department == person.department


def test_managers_have_manager_titles_and_is_manager_matches_the_tree(
    people: list[DemoPerson],
) -> None:
    reports = _reports(people)
    for person in people:
        assert person.is_manager == (person.employee_id in reports)
    titles = {p.job_title for p in people if p.is_manager}
    assert "Engineering Manager" in titles
    assert "Software Engineer" not in titles


@pytest.mark.parametrize("count", [1, 4, 5, 9, 10, 11, 12, 17, 25, 39, 40, 41, 75, 150, 1000])
def test_the_tree_is_proper_for_many_company_sizes(count: int) -> None:
    people = generate_people(count, seed=count)
    by_id = _by_id(people)
    assert len(people) == count
    assert sum(p.manager_employee_id is None for p in people) == 1
    for manager_id, reports in _reports(people).items():
        assert 3 <= len(reports) <= 10, (count, manager_id, len(reports))
        assert all(by_id[manager_id].level > r.level for r in reports)


def test_zero_people_is_refused() -> None:
    with pytest.raises(ValueError):
        generate_people(0)


# -- identity -------------------------------------------------------------------------------


def test_no_duplicate_emails_or_employee_ids(people: list[DemoPerson]) -> None:
    assert len({p.employee_id for p in people}) == len(people)
    assert len({p.email for p in people}) == len(people)
    assert [p.employee_id for p in people[:3]] == ["E00001", "E00002", "E00003"]
    assert all(re.fullmatch(r"E\d{5}", p.employee_id) for p in people)


def test_emails_are_firstname_lastname_at_the_reserved_example_domain(
    people: list[DemoPerson],
) -> None:
    assert COMPANY_DOMAIN.endswith(".example")
    for person in people:
        local, _, domain = person.email.partition("@")
        assert domain == COMPANY_DOMAIN
        assert re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+\d*", local), person.email
        assert local.startswith(email_local_part(person.first_name, person.last_name))


def test_email_local_part_strips_accents_and_punctuation() -> None:
    assert email_local_part("João", "Nguyễn") == "joao.nguyen"
    assert email_local_part("Mei Ling", "O'Brien") == "meiling.obrien"
    assert email_local_part("Paweł", "Yılmaz") == "pawel.yilmaz"
    assert email_local_part("Sanne", "de Vries") == "sanne.devries"


def test_names_are_diverse(people: list[DemoPerson]) -> None:
    assert len({p.full_name for p in people}) >= 395
    assert len({p.last_name for p in people}) >= 150
    combinations = sum(len(o.first_names) * len(o.last_names) for o in NAME_ORIGINS.values())
    assert combinations >= 300
    assert len(NAME_ORIGINS) >= 15


def test_generation_is_deterministic_for_a_seed(people: list[DemoPerson]) -> None:
    assert generate_people(400) == people
    assert generate_people(400, seed=7) == people
    other = generate_people(400, seed=8)
    assert [p.email for p in other] != [p.email for p in people]


# -- attributes -----------------------------------------------------------------------------


def test_every_demo_skill_exists_in_the_catalogue(people: list[DemoPerson]) -> None:
    catalogue = load_catalogue()
    names = set(catalogue.names())
    for department in all_departments():
        assert set(department.skills) <= names, department.name
    for goal in FOCUS_GOALS:
        assert set(goal.skills) <= names, goal.title
    for person in people:
        for skill, proficiency in person.skills:
            assert skill in names, skill
            assert 1 <= proficiency <= 5


def test_people_have_a_handful_of_distinct_skills_strongest_first(
    people: list[DemoPerson],
) -> None:
    for person in people:
        names = [name for name, _ in person.skills]
        assert 3 <= len(names) <= 14
        assert len(names) == len(set(names))
        levels = [level for _, level in person.skills]
        assert levels == sorted(levels, reverse=True)


def test_seniors_are_more_proficient_than_juniors_on_average(people: list[DemoPerson]) -> None:
    def mean(level_range: range) -> float:
        values = [lv for p in people if p.level in level_range for _, lv in p.skills]
        return sum(values) / len(values)

    assert mean(range(5, 9)) > mean(range(1, 3)) + 1


def test_locations_timezones_and_languages_are_valid(people: list[DemoPerson]) -> None:
    zones = zoneinfo.available_timezones()
    office_names = {o.name for o in OFFICES}
    for person in people:
        assert person.location in office_names
        assert person.timezone in zones
        assert person.languages and "en" in person.languages
        assert set(person.languages) <= ACCEPTED_LANGUAGES
        assert len(person.languages) == len(set(person.languages))
    assert len({p.location for p in people}) >= 6
    assert len({p.timezone for p in people}) >= 10


def test_offices_have_iana_timezones_and_known_languages() -> None:
    zones = zoneinfo.available_timezones()
    assert 6 <= len(OFFICES) <= 8
    for office in OFFICES:
        assert office.timezones and set(office.timezones) <= zones
        assert {code for code, _ in office.languages} <= ACCEPTED_LANGUAGES
        assert {origin for origin, _ in office.origins} <= set(NAME_ORIGINS)
        assert len(office.cities) == len(office.timezones)
    assert set(LANGUAGE_NAMES) <= ACCEPTED_LANGUAGES
    for origin in NAME_ORIGINS.values():
        assert set(origin.languages) <= ACCEPTED_LANGUAGES


def test_hire_dates_are_deterministic_and_in_the_past(people: list[DemoPerson]) -> None:
    for person in people:
        assert isinstance(person.hire_date, date)
        assert date(2014, 1, 1) <= person.hire_date <= REFERENCE_DATE
    assert people[0].hire_date == min(p.hire_date for p in people)


def test_hours_per_month_and_expertise_are_sensible(people: list[DemoPerson]) -> None:
    for person in people:
        assert 1 <= person.hours_per_month <= 8
        assert 1 <= len(person.expertise) <= 4
        assert all(phrase[:1].isupper() for phrase in person.expertise)
        assert len(set(person.expertise)) == len(person.expertise)
        assert not any(";" in phrase for phrase in person.expertise)  # HRIS list separator


def test_bios_and_goals_read_like_first_person_prose(people: list[DemoPerson]) -> None:
    for person in people:
        for text in (person.bio, person.career_goals):
            assert text[:1].isupper()
            assert text.endswith((".", "!"))
            assert "{" not in text and "}" not in text
            assert "  " not in text
            assert FIRST_PERSON.search(text), text
            assert not re.search(r"\b[Aa] (?!Euro|one\b|one-)[aeioAEIO]", text), (
                text
            )  # "a engineer"
            assert not re.search(r"\b[Aa]n [b-df-hj-np-tv-z]", text), text  # "an senior"
    assert len({p.bio for p in people}) == len(people)


# -- departments, templates, focus goals ----------------------------------------------------


def test_there_are_eight_to_ten_departments_with_full_ladders() -> None:
    assert 8 <= len(all_departments()) <= 10
    for department in DEPARTMENTS:
        assert department.levels == (1, 2, 3, 4, 5, 6, 7)
        assert department.title(5, manages=True) != department.title(5, manages=False)
        assert department.title(7, manages=True).startswith("VP ")
        assert len(department.skills) >= 12
        assert len(department.career_goals) >= 5
        assert len(department.expertise) >= 6
        assert sum(w for _, w in department.locations) > 0
    assert EXECUTIVE.title(8) == "Chief Executive Officer"


def test_engineering_ladder_reads_like_a_real_one() -> None:
    engineering = department_named("engineering")
    assert engineering is department_named("Engineering")
    assert engineering.title(1) == "Associate Software Engineer"
    assert engineering.title(4) == "Senior Software Engineer"
    assert engineering.title(5, manages=True) == "Engineering Manager"
    assert engineering.title(6) == "Principal Engineer"
    assert engineering.title(7, manages=True) == "VP Engineering"


def test_there_are_enough_templates_and_every_slot_is_filled() -> None:
    assert len(BIO_TEMPLATES) >= 25
    assert len(GOAL_TEMPLATES) >= 25
    assert len(set(BIO_TEMPLATES)) == len(BIO_TEMPLATES)
    assert len(set(GOAL_TEMPLATES)) == len(GOAL_TEMPLATES)
    bio_slots = {
        "first_name", "company", "a_role", "dept", "team", "years", "years_cap", "hire_year",
        "where", "city", "domain", "project", "skill", "skill2", "skill3", "expertise",
        "hobby", "weekend", "prev", "old_field", "lesson", "lesson_cap", "languages",
    }  # fmt: skip
    goal_slots = {
        "next_role_a", "target_skill", "target_skill2", "goal_area", "timeframe",
        "timeframe_cap", "other_dept", "dept", "company",
    }  # fmt: skip
    formatter = string.Formatter()
    for templates, slots in ((BIO_TEMPLATES, bio_slots), (GOAL_TEMPLATES, goal_slots)):
        for template in templates:
            used = {name for _, name, _, _ in formatter.parse(template) if name}
            assert used <= slots, template


def test_every_template_is_used_across_a_large_company() -> None:
    people = generate_people(1000, seed=3)
    bios = " ".join(p.bio for p in people)
    for template in BIO_TEMPLATES:
        fixed = max(re.split(r"\{[a-z0-9_]+\}", template), key=len).strip()
        assert fixed in bios, template


def test_focus_goals_cover_every_department() -> None:
    assert len(FOCUS_GOALS) >= 30
    assert len({g.title for g in FOCUS_GOALS}) == len(FOCUS_GOALS)
    per_department = Counter(g.department for g in FOCUS_GOALS)
    for department in DEPARTMENTS:
        assert per_department[department.key] >= 3, department.key
    assert per_department[None] >= 5
    for goal in FOCUS_GOALS:
        assert 2 <= len(goal.skills) <= 4
        assert goal.text[:1].isupper() and goal.text.endswith(".")
        assert FIRST_PERSON.search(goal.text), goal.title


def test_focus_area_goals_for_a_department_put_its_own_goals_first() -> None:
    goals = focus_area_goals_for("Engineering")
    assert goals[0].department == "engineering"
    assert {g.department for g in goals} == {"engineering", None}
    assert any(g.title == "Grow into a tech lead" for g in goals)
    assert focus_area_goals_for("customer_success")[0].department == "customer_success"
    general = focus_area_goals_for("Underwater Basket Weaving")
    assert general and all(g.department is None for g in general)
    assert focus_area_goals_for("Executive") == general


@pytest.mark.slow
def test_a_fifty_thousand_person_company_has_a_proper_tree() -> None:
    people = generate_people(50_000, seed=11)
    by_id = {p.employee_id: p for p in people}
    assert len(by_id) == 50_000 and len({p.email for p in people}) == 50_000
    assert sum(1 for p in people if p.manager_employee_id is None) == 1
    for person in people:
        if person.manager_employee_id is not None:
            assert by_id[person.manager_employee_id].level > person.level


# -- bios name only their own person --------------------------------------------------------

# A self-introduction: "I'm Sam", "I am Sam", "my name is Sam", "call me Sam", "Sam here".
SELF_INTRODUCTION = re.compile(
    r"\b(?:I'm|I’m|I am|[Mm]y name is|[Mm]y name's|[Cc]all me)\s+([A-Z][a-z][\w'’-]*)"
    r"|(?:^|[.!?]\s+)([A-Z][a-z][\w'’-]*) here\b"
)
EVERY_FIRST_NAME = {name for origin in NAME_ORIGINS.values() for name in origin.first_names}


def _demo_companies() -> list[list[DemoPerson]]:
    from mentorbridge.demo.seed import demo_people

    return [demo_people(), generate_people(1000, seed=3)]


@pytest.fixture(scope="module")
def companies() -> list[list[DemoPerson]]:
    return _demo_companies()


def _names_in(text: str, names: set[str]) -> set[str]:
    return {name for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)}


def test_every_bio_and_goal_names_only_its_own_person(
    companies: list[list[DemoPerson]],
) -> None:
    # Any first name the generator can give, and any first name in the company (the README's
    # personas are renamed), is somebody else's unless it is the person's own.
    for people in companies:
        names = EVERY_FIRST_NAME | {p.first_name for p in people}
        for person in people:
            others = names - {person.first_name, *person.first_name.split()}
            found = _names_in(f"{person.bio} {person.career_goals}", others)
            assert not found, f"{person.full_name}'s bio names {found}: {person.bio}"


def test_self_introductions_use_the_persons_own_first_name(
    companies: list[list[DemoPerson]],
) -> None:
    introductions = 0
    for people in companies:
        for person in people:
            for match in SELF_INTRODUCTION.finditer(person.bio):
                named = match.group(1) or match.group(2)
                if named != COMPANY_NAME:
                    assert named == person.first_name.split()[0], (person.full_name, person.bio)
                    introductions += 1
    assert introductions >= 20  # the check has something to check


def test_the_documented_personas_bios_introduce_them_by_their_own_names() -> None:
    from mentorbridge.demo.seed import demo_people

    for person in demo_people():
        if person.email.split("@")[0] in {"sam.okafor", "maria.keller", "priya.raman"}:
            assert not _names_in(person.bio, EVERY_FIRST_NAME - {person.first_name}), person.bio
