"""The curated skills catalogue: folding, synonyms, search, and the integrity of the data."""

from __future__ import annotations

import json

import pytest

from mentorbridge.people.catalogue import (
    DATA_FILE,
    Catalogue,
    CatalogueError,
    CatalogueSkill,
    fold,
    load_catalogue,
    tidy,
)

EXPECTED_AREAS = {
    "engineering",
    "product",
    "design",
    "data",
    "sales",
    "marketing",
    "finance",
    "people",
    "operations",
    "legal",
    "customer_success",
    "leadership",
    "communication",
    "career_growth",
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


# -- fold -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Machine-Learning ", "machine learning"),
        ("machine_learning", "machine learning"),
        ("  Machine \t  Learning\n", "machine learning"),
        ("MACHINE LEARNING", "machine learning"),
        ("front\u2013end", "front end"),
        ("Data\u00a0science", "data science"),
        ("ﬁnance", "finance"),  # NFKC expands the ligature
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold, not lower
        ("C++", "c++"),
        ("C#", "c#"),
        (".NET", ".net"),
        ("Node.JS", "node.js"),
        ("CI / CD", "ci/cd"),
        ("FP&A", "fp&a"),
        ("Mergers & Acquisitions", "mergers and acquisitions"),
        ("Don\u2019t panic", "don't panic"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold_normalises_case_spacing_and_separators_but_keeps_meaningful_symbols(
    typed: str, folded: str
) -> None:
    assert fold(typed) == folded


def test_fold_is_idempotent_on_every_catalogue_name_and_synonym(catalogue: Catalogue) -> None:
    for skill in catalogue:
        for text in (skill.name, *skill.synonyms):
            assert fold(fold(text)) == fold(text)


def test_tidy_collapses_whitespace_and_capitalises_all_lowercase_input() -> None:
    assert tidy("  basket   weaving ") == "Basket weaving"
    assert tidy("iOS widgets") == "iOS widgets"
    assert tidy("gRPC") == "gRPC"
    assert tidy("") == ""


# -- the shipped data -----------------------------------------------------------------------


def test_catalogue_has_between_300_and_400_skills_in_the_expected_areas(
    catalogue: Catalogue,
) -> None:
    assert 300 <= len(catalogue) <= 400
    assert {area.key for area in catalogue.areas()} == EXPECTED_AREAS
    for area in catalogue.areas():
        assert len(area) >= 15, area.key


def test_no_two_skills_share_a_folded_name_or_synonym() -> None:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    seen: dict[str, str] = {}
    for area in data["areas"]:
        for skill in area["skills"]:
            for text in [skill["name"], *skill["synonyms"]]:
                key = fold(text)
                assert key, f"empty name or synonym in {skill['name']!r}"
                assert key not in seen, f"{text!r} clashes with {seen[key]!r}"
                seen[key] = skill["name"]


def test_every_skill_has_a_tidy_display_name_and_a_slug_that_is_its_folded_name(
    catalogue: Catalogue,
) -> None:
    for skill in catalogue:
        assert skill.name == skill.name.strip()
        assert "  " not in skill.name
        assert len(skill.name) <= 100
        assert skill.slug == fold(skill.name)
        assert skill.area_name == catalogue.area(skill.area).name  # type: ignore[union-attr]


def test_no_name_or_synonym_contains_the_hris_list_separator(catalogue: Catalogue) -> None:
    # HRIS CSV cells list skills as "Python:4; SQL:3".
    for skill in catalogue:
        for text in (skill.name, *skill.synonyms):
            assert ";" not in text and ":" not in text.replace("1:1", ""), text


def test_data_file_is_the_documented_json_shape() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"areas"}
    for area in data["areas"]:
        assert set(area) == {"key", "name", "skills"}
        for skill in area["skills"]:
            assert set(skill) == {"name", "synonyms"}
            assert isinstance(skill["synonyms"], list)


def test_load_catalogue_is_cached(catalogue: Catalogue) -> None:
    assert load_catalogue() is catalogue


# -- canonical / normalise ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("JS", "JavaScript"),
        ("k8s", "Kubernetes"),
        ("ML", "Machine learning"),
        ("machine-learning", "Machine learning"),
        ("people management", "People management"),
        ("Managing People", "People management"),
        ("golang", "Go"),
        ("Postgres", "PostgreSQL"),
        ("A/B testing", "Experimentation"),
        ("FP&A", "Financial planning and analysis"),
        ("mergers & acquisitions", "Mergers and acquisitions"),
        ("dotnet", ".NET"),
        ("cpp", "C++"),
        ("GDPR", "Data privacy"),
        ("1:1s", "Running effective one-to-ones"),
        ("impostor syndrome", "Confidence building"),
    ],
)
def test_synonyms_resolve_to_the_canonical_skill(
    catalogue: Catalogue, typed: str, canonical: str
) -> None:
    skill = catalogue.canonical(typed)
    assert skill is not None
    assert skill.name == canonical
    assert catalogue.normalise(typed) == canonical


def test_names_the_brief_mentions_are_in_the_catalogue(catalogue: Catalogue) -> None:
    for name in [
        "Python",
        "System design",
        "Financial modelling",
        "Negotiating a promotion",
        "Public speaking",
        "Giving feedback",
        "Managing up",
        "Stakeholder management",
        "Career change into data",
    ]:
        skill = catalogue.canonical(name)
        assert skill is not None and skill.name == name


def test_catalogue_keeps_display_names_exactly_as_curated(catalogue: Catalogue) -> None:
    assert catalogue.normalise("DBT") == "dbt"
    assert catalogue.normalise("Pandas") == "pandas"
    assert catalogue.normalise("postgresql") == "PostgreSQL"


def test_unknown_tags_are_not_canonical_but_are_tidied(catalogue: Catalogue) -> None:
    assert catalogue.canonical("basket weaving") is None
    assert "basket weaving" not in catalogue
    assert "k8s" in catalogue
    assert catalogue.normalise("  basket   weaving ") == "Basket weaving"
    assert catalogue.normalise("gRPC streaming") == "gRPC streaming"


def test_get_finds_skills_by_slug_but_not_by_synonym(catalogue: Catalogue) -> None:
    skill = catalogue.get("kubernetes")
    assert skill is not None and skill.name == "Kubernetes"
    assert catalogue.get("k8s") is None


# -- search ---------------------------------------------------------------------------------


def test_search_puts_prefix_matches_before_word_prefix_and_substring_matches(
    catalogue: Catalogue,
) -> None:
    names = [s.name for s in catalogue.search("data", limit=50)]
    starts = [fold(n).startswith("data") for n in names]
    assert starts[0]
    assert starts == sorted(starts, reverse=True)  # all prefix matches come first
    # "data" is a later word of this name: a word-prefix match, after every prefix match.
    assert "Career change into data" in names[starts.count(True) :]


def test_search_ranks_an_exact_match_first(catalogue: Catalogue) -> None:
    assert catalogue.search("Java")[0].name == "Java"
    assert catalogue.search("js")[0].name == "JavaScript"
    assert catalogue.search("go")[0].name == "Go"


def test_search_orders_ties_by_name(catalogue: Catalogue) -> None:
    results = catalogue.search("man", limit=100)
    prefix = [s for s in results if s.slug.startswith("man")]
    assert [s.slug for s in prefix] == sorted(s.slug for s in prefix)


def test_search_finds_substrings_and_synonyms_and_respects_the_limit(
    catalogue: Catalogue,
) -> None:
    assert [s.name for s in catalogue.search("ernet")] == ["Kubernetes"]
    assert catalogue.search("k8")[0].name == "Kubernetes"
    assert len(catalogue.search("e", limit=7)) == 7
    assert catalogue.search("") == []
    assert catalogue.search("zzzz") == []


def test_search_returns_each_skill_once(catalogue: Catalogue) -> None:
    results = catalogue.search("learning", limit=100)
    assert len(results) == len({s.slug for s in results})


# -- construction ---------------------------------------------------------------------------


def test_catalogue_refuses_two_skills_with_the_same_folded_synonym() -> None:
    data = {
        "areas": [
            {
                "key": "a",
                "name": "A",
                "skills": [
                    {"name": "Python", "synonyms": ["py"]},
                    {"name": "PyPy", "synonyms": ["PY"]},
                ],
            }
        ]
    }
    with pytest.raises(CatalogueError, match="py"):
        Catalogue.from_dict(data)


def test_catalogue_refuses_a_synonym_that_folds_to_another_skills_name() -> None:
    data = {
        "areas": [
            {"key": "a", "name": "A", "skills": [{"name": "Machine learning", "synonyms": []}]},
            {"key": "b", "name": "B", "skills": [{"name": "ML", "synonyms": ["machine-learning"]}]},
        ]
    }
    with pytest.raises(CatalogueError):
        Catalogue.from_dict(data)


def test_catalogue_refuses_malformed_data() -> None:
    with pytest.raises(CatalogueError):
        Catalogue.from_dict({"areas": [{"key": "a", "skills": []}]})


def test_iteration_yields_skills_in_catalogue_order(catalogue: Catalogue) -> None:
    skills = list(catalogue)
    assert len(skills) == len(catalogue)
    assert all(isinstance(s, CatalogueSkill) for s in skills)
    assert skills == [s for area in catalogue.areas() for s in area.skills]
    assert catalogue.names()[0] == skills[0].name
