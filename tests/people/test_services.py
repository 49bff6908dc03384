"""Profile edits, skills and manager links."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mentorbridge.people import services
from mentorbridge.people.models import Person, Skill
from mentorbridge.people.services import SkillEntry, person_set_skills, skill_for_name
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_synonyms_and_spelling_variants_resolve_to_one_skill() -> None:
    assert skill_for_name("JS") == skill_for_name("  javascript ") == skill_for_name("JavaScript")
    assert skill_for_name("k8s").name == "Kubernetes"


def test_unknown_skills_become_tidy_new_tags() -> None:
    skill = skill_for_name("  underwater   basket weaving ")
    assert skill.slug == "underwater basket weaving"
    assert skill_for_name("Underwater Basket Weaving") == skill
    assert Skill.objects.filter(slug="underwater basket weaving").count() == 1


def test_setting_skills_keeps_the_highest_level_of_duplicates(outsider: Person) -> None:
    person_set_skills(
        person=outsider,
        skills=[SkillEntry("JS", 2), SkillEntry("JavaScript", 4), SkillEntry("SQL", 3)],
    )
    assert {ps.skill.name: ps.proficiency for ps in outsider.person_skills.all()} == {
        "JavaScript": 4,
        "SQL": 3,
    }
    person_set_skills(person=outsider, skills=[SkillEntry("SQL", 5)])
    assert {ps.skill.name: ps.proficiency for ps in outsider.person_skills.all()} == {"SQL": 5}


def test_proficiency_outside_one_to_five_is_refused(outsider: Person) -> None:
    with pytest.raises(ValidationError, match="1 to 5"):
        person_set_skills(person=outsider, skills=[SkillEntry("SQL", 6)])


def test_a_profile_update_normalises_languages_and_expertise(outsider: Person) -> None:
    services.person_update_profile(
        person=outsider, bio=" Hi ", career_goals="Lead", timezone="Asia/Kolkata",
        languages=["German", "en", "DE"], expertise=["Payments", "payments", " Hiring "],
        mentoring_hours_per_month=4,
    )  # fmt: skip
    outsider.refresh_from_db()
    assert outsider.languages == ["de", "en"]
    assert outsider.expertise == ["Payments", "Hiring"]
    assert outsider.bio == "Hi"


def test_a_profile_update_refuses_an_unknown_timezone_and_language(outsider: Person) -> None:
    kwargs = dict(person=outsider, bio="", career_goals="", languages=[], expertise=[],
                  mentoring_hours_per_month=2)  # fmt: skip
    with pytest.raises(ValidationError, match="IANA timezone"):
        services.person_update_profile(timezone="Europe/Atlantis", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not a known language"):
        services.person_update_profile(
            timezone="UTC",
            **{**kwargs, "languages": ["Klingon"]},  # type: ignore[arg-type]
        )


def test_a_manager_link_that_would_make_a_cycle_is_refused() -> None:
    boss = PersonFactory()
    middle = PersonFactory(manager=boss)
    report = PersonFactory(manager=middle)
    with pytest.raises(ValidationError) as error:
        services.person_set_manager(person=boss, manager=report)
    assert "already reports to" in error.value.message_dict["manager"][0]
    with pytest.raises(ValidationError, match="own manager"):
        services.person_set_manager(person=boss, manager=boss)
    services.person_set_manager(person=report, manager=boss)
    assert report.manager == boss
