"""Text similarity: own TF-IDF by default, sentence embeddings when the extra is installed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine import text as text_module
from mentorbridge.matching_engine.text import (
    BM25_K1,
    STOP_WORDS,
    Analyzer,
    EmbeddingIndex,
    WordIndex,
    _concept_key,
    synonym_phrases,
    tokenize,
)
from tests.semantic import needs_semantic_model


def test_terms_are_stems_without_stop_or_template_words() -> None:
    assert tokenize("I want to grow into a Tech Lead, C++ and C#!") == ["tech", "lead", "c++", "c#"]
    assert tokenize("Growing in my role, learning at work, career goals") == []


def test_plurals_and_word_forms_meet() -> None:
    assert tokenize("engineers") == tokenize("engineering") == tokenize("engineer")
    assert tokenize("managing managers") == tokenize("management manager")


def test_british_spellings_meet_american_ones() -> None:
    for british, american in [
        ("organisation", "organization"),
        ("behaviour", "behavior"),
        ("centre", "center"),
        ("programme", "program"),
        ("modelling", "modeling"),
        ("analyse", "analyze"),
        ("optimising", "optimizing"),
        ("catalogue", "catalog"),
    ]:
        assert tokenize(british) == tokenize(american), british


def test_words_ending_in_ise_that_are_not_british_spellings_stay() -> None:
    assert tokenize("expertise enterprise advise") != tokenize("expertize enterprize advize")


def test_abbreviations_and_catalogue_synonyms_read_as_the_skill() -> None:
    analyzer = Analyzer(
        synonym_phrases({"Kubernetes": ["k8s", "kube"], "Customer support": ["support"]})
    )
    assert analyzer.terms("K8s") == analyzer.terms("Kubernetes")
    assert analyzer.terms("SRE") == analyzer.terms("site reliability engineering")
    # an ordinary word that is also a synonym keeps its own meaning
    assert analyzer.terms("support") == ["support"]


def test_word_similarity_is_zero_for_disjoint_text_and_at_most_one() -> None:
    index = WordIndex(["grow into a tech lead"], ["tech lead coaching", "accounting tax", ""])
    values = index.block(np.array([0]))[0]
    assert values[0] > 0 and values[1] == 0 and values[2] == 0
    assert set(index.shared_terms(0, 0)) == {"lead", "tech"}
    same = WordIndex(["kubernetes operators"], ["kubernetes operators " * 20])
    # each term 20 times in a profile of average length: BM25's saturation tf / (tf + k1)
    value = same.block(np.array([0]))[0, 0]
    assert value == pytest.approx(20 / (20 + BM25_K1), rel=1e-5) and value <= 1.0


def test_template_words_reward_nobody() -> None:
    index = WordIndex(
        ["I want to grow in my role and learn at work"],
        ["I love helping people grow in their role and learn at work", "Kubernetes"],
    )
    assert index.block(np.array([0]))[0].tolist() == [0.0, 0.0]


def test_shared_terms_are_shown_as_people_wrote_them() -> None:
    index = WordIndex(["Kubernetes operators"], ["runs Kubernetes clusters and operators"])
    assert set(index.shared_terms(0, 0)) == {"kubernetes", "operators"}


def test_a_term_is_shown_as_most_people_wrote_it_when_the_analysis_is_remembered() -> None:
    texts = ["Organising teams", "organizing a team", "organizing events", "Organizing"]
    first = WordIndex(["organizing"], texts)
    again = WordIndex(["organizing"], texts)  # every text analysed before: from the cache
    assert first.terms == again.terms
    assert "organizing" in again.terms and "organising" not in again.terms


def test_a_goal_many_mentees_wrote_counts_each_time_for_how_its_terms_are_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # each distinct text is analysed once, even when the analyzer keeps few texts (100k goals)
    monkeypatch.setattr(text_module, "ANALYSED_MAX", 2)
    goals = ["Organising teams", "hiring", "Organising teams", "Organising teams"]
    index = WordIndex(goals, ["organizing a team", "organizing events"])
    assert "organising" in index.terms and "organizing" not in index.terms
    rows = [index.queries[k].toarray() for k in range(len(goals))]
    assert np.array_equal(rows[0], rows[2]) and np.array_equal(rows[0], rows[3])


def test_analyzers_with_different_synonyms_do_not_share_analysed_texts() -> None:
    plain = Analyzer(synonym_phrases({}))
    with_kube = Analyzer(synonym_phrases({"Kubernetes": ["Kube"]}))
    assert plain.terms("kube operators") == ["kube", "oper"]
    assert with_kube.terms("kube operators") == with_kube.terms("kubernetes operators")
    assert plain.terms("kube operators") == ["kube", "oper"]


def test_precomputed_embeddings_give_cosine_similarity() -> None:
    index = EmbeddingIndex(np.array([[1.0, 0.0]]), np.array([[2.0, 0.0], [0.0, 1.0], [-1.0, 0]]))
    assert index.block(np.array([0])).tolist() == [[1.0, 0.0, 0.0]]
    assert index.pairs(np.array([0, 0]), np.array([0, 1])).tolist() == [1.0, 0.0]


@needs_semantic_model
def test_sentence_embeddings_rank_related_text_higher() -> None:
    from mentorbridge.matching_engine.text import sentence_embedder

    embed = sentence_embedder()
    vectors = embed(
        [
            "I want to become a better engineering manager",
            "Experienced engineering leader who coaches new managers",
            "Pastry chef specialising in sourdough bread",
        ]
    )
    index = EmbeddingIndex(vectors[:1], vectors[1:])
    related, unrelated = index.block(np.array([0]))[0]
    assert related > unrelated


def _letter_counts(texts: list[str]) -> np.ndarray:
    """A toy embedder: letter histograms (deterministic, no model needed)."""
    out = np.zeros((len(texts), 26), np.float32)
    for k, text in enumerate(texts):
        for ch in text.lower():
            if "a" <= ch <= "z":
                out[k, ord(ch) - 97] += 1
    return out


def test_a_pluggable_embedder_and_precomputed_vectors_give_the_same_result() -> None:
    from mentorbridge.matching_engine import Instance, solve
    from mentorbridge.matching_engine.model import compile_model
    from tests.matching_engine.synthetic import make_instance

    data = make_instance(12, 5, seed=8)
    plugged = solve(Instance.from_dict(data), embedder=_letter_counts)
    model = compile_model(Instance.from_dict(data))
    people = {p["id"]: p for p in data["people"]}
    goals = {
        f"{m['id']}/{a['id']}": a["text"] or " ".join(a["skills"])
        for m in data["mentees"]
        for a in m["focus_areas"]
    }
    vectors = {key: _letter_counts([text])[0].tolist() for key, text in goals.items()}
    for mentor in model.mentor_ids:
        vectors[mentor] = _letter_counts([people[mentor]["text"]])[0].tolist()
    cached = solve(Instance.from_dict({**data, "embeddings": vectors}))
    assert plugged.pairs() == cached.pairs()
    # Meaning is blended with words (hybrid), so the shared words still explain the factor.
    text_factor = next(f for f in plugged.assignments[0].factors if f["factor"] == "text")
    assert text_factor["text"].startswith(("goal and mentor profile share", "text similarity"))


def test_the_documented_token_pattern_is_the_one_the_code_uses() -> None:
    from pathlib import Path

    from mentorbridge.matching_engine.text import TOKEN

    docs = (Path(__file__).parents[2] / "docs" / "matching_engine.md").read_text()
    assert f"tokens `{TOKEN.pattern}`" in docs


# Concepts: the words people use for a kind of work, matched when goal and profile share none.

ON_CALL = {"Site reliability": ["outage", "on call", "paged", "incident response"]}


def test_a_goal_and_profile_sharing_only_a_concept_are_similar_and_the_concept_is_shown() -> None:
    index = WordIndex(
        ["I want to be the one who gets paged at night"],
        ["Staff engineer: on-call rotations and incident response", "Chief accountant: ledgers"],
        Analyzer(concepts=ON_CALL),
    )
    scores = index.block(np.array([0]))[0]
    assert scores[0] > 0.0 == scores[1]
    assert index.shared_terms(0, 0) == ["Site reliability (goal “paged”; profile “on call”)"]


def test_without_concepts_the_same_pair_shares_nothing() -> None:
    index = WordIndex(
        ["I want to be the one who gets paged at night"],
        ["Staff engineer: on-call rotations and incident response"],
        Analyzer(concepts={}),
    )
    assert index.block(np.array([0]))[0].tolist() == [0.0]


def test_a_shared_word_counts_more_than_a_shared_concept() -> None:
    index = WordIndex(
        ["handling an outage calmly"],
        ["I handle every outage", "I lead incident response"],
        Analyzer(concepts=ON_CALL),
    )
    word, concept = index.block(np.array([0]))[0].tolist()
    assert word > concept > 0.0


def test_a_shared_concept_counts_the_concept_weight_times_a_shared_word_as_rare() -> None:
    from mentorbridge.matching_engine.text import CONCEPT_WEIGHT

    # "banana" and the concept are each in the goal and one profile (the same IDF); both
    # profiles are three words long (the same length damping)
    index = WordIndex(
        ["banana outage"],
        ["I lead incident response", "banana apple pear"],
        Analyzer(concepts=ON_CALL),
    )
    concept, word = index.block(np.array([0]))[0].tolist()
    assert CONCEPT_WEIGHT > 1.0
    assert concept == pytest.approx(CONCEPT_WEIGHT * word, rel=1e-5)


@pytest.mark.parametrize(
    "goal",
    [
        "How do teams make sure their systems stay up and recover quickly when something fails?",
        "I want to be the person who keeps the site running when things break at night",
    ],
)
def test_a_goal_describing_reliability_work_ranks_the_reliability_engineer_first(
    goal: str,
) -> None:
    profiles = [
        "Site Reliability Engineer. On-call rotations, SLOs and error budgets",
        "Customer Success Manager. I make sure our customers renew and keep running smoothly",
        "Chief Accountant. I make sure the month-end close runs on time, every night if needed",
    ]
    scores = WordIndex([goal], profiles).block(np.array([0]))[0]
    assert int(np.argmax(scores)) == 0


def test_a_concept_named_by_the_same_words_on_both_sides_is_shown_as_those_words() -> None:
    index = WordIndex(["an outage"], ["every outage"], Analyzer(concepts=ON_CALL))
    assert index.shared_terms(0, 0) == ["outage"]


def test_concept_phrases_match_word_forms_and_keep_their_own_stop_words() -> None:
    analyzer = Analyzer(concepts=ON_CALL)
    assert analyzer.concepts("Two outages and being on call") == [
        ("Site reliability", "outages"),
        ("Site reliability", "on call"),
    ]
    assert analyzer.concepts("a call with sales") == []


def test_a_concept_word_does_not_match_another_word_the_stemmer_gives_the_same_stem() -> None:
    # Snowball stems "experience"/"experiment", "conversations"/"conversion" and
    # "observability"/"observe" alike; the concept phrase keeps its own word
    analyzer = Analyzer(
        concepts={"Data science": ["experiments"], "Performance marketing": ["conversion"],
                  "User research": ["observe"]}
    )  # fmt: skip
    said = "Ten years of experience, hard conversations and observability"
    assert analyzer.concepts(said) == []
    assert analyzer.concepts("Running experiments on conversion; observing users") == [
        ("Data science", "experiments"),
        ("Performance marketing", "conversion"),
        ("User research", "observing"),
    ]


def test_a_slash_between_single_letters_is_one_word_so_ab_testing_is_not_any_testing() -> None:
    from mentorbridge.matching_engine.text import synonym_phrases, words_of

    assert words_of("A/B testing, CI/CD and I/O") == ["ab", "testing", "ci", "cd", "and", "io"]
    phrases = synonym_phrases({"Experimentation": ["A/B testing", "split testing"]})
    assert phrases == {"ab testing": "Experimentation", "split testing": "Experimentation"}
    assert Analyzer(phrases).words("manual testing") == ["manual", "testing"]


def test_talk_as_in_talk_to_me_names_no_public_speaking() -> None:
    analyzer = Analyzer()
    assert analyzer.concepts("a good person to talk to") == []
    assert analyzer.concepts("I give conference talks") == [("Public speaking", "conference talks")]


def test_staff_as_in_a_job_level_names_no_hr_concept() -> None:
    assert Analyzer().concepts("Staff Data Scientist") == [("Data science", "data scientist")]


@pytest.mark.parametrize(
    ("goal", "concept"),
    [
        ("How do teams make sure their systems stay up and recover quickly?", "Site reliability"),
        ("I want to learn how to watch people use our product", "User research"),
        ("How do you spot that a client is unhappy and about to leave?", "Customer success"),
        ("How does the company pay what it owes to governments abroad?", "Tax"),
        ("How do you keep every poster looking like the same company?", "Brand design"),
        ("How do I structure the code behind a complex web interface?", "Frontend development"),
        ("How do you respond when customer data was exposed by a break-in or a leak?", "Security"),
        ("Help teams work in short cycles and plan together", "Agile"),
        ("Check that a website works for someone who cannot use a mouse", "Accessibility"),
        ("Build systems that learn from past data", "Machine learning"),
    ],
)
def test_goals_that_describe_the_work_without_its_title_name_its_concept(
    goal: str, concept: str
) -> None:
    assert concept in {name for name, _ in Analyzer().concepts(goal)}


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I build the web pages people click on", "Site reliability"),  # pages, not paged
        ("I want to stay up to date with the latest trends", "Site reliability"),
        ("I want to break into product management", "Security"),
        ("We use blue green deployments", "Sustainability"),
    ],
)
def test_everyday_words_in_another_sense_name_no_concept(text: str, concept: str) -> None:
    assert concept not in {name for name, _ in Analyzer().concepts(text)}


def test_getting_paged_still_names_site_reliability() -> None:
    assert ("Site reliability", "got paged") in Analyzer().concepts("I got paged at 3am again")


def test_phrases_of_template_words_name_no_concept() -> None:
    analyzer = Analyzer(concepts={"Learning and development": ["learning", "workshops"]})
    assert analyzer.concepts("I want to keep learning at work") == []
    assert analyzer.concepts("running workshops") == [("Learning and development", "workshops")]


def test_the_shipped_lexicon_names_each_concept_with_phrases() -> None:
    from mentorbridge.matching_engine.text import default_concepts

    concepts = default_concepts()
    assert len(concepts) >= 30
    for name, phrases in concepts.items():
        assert phrases, name
        assert len(set(phrases)) == len(phrases), name


# Concept finding searches many texts at once (a trie of stems walked with numpy); it must
# find what the plain reading of the rule finds: from left to right, the longest phrase that
# starts at a word wins, and the words it covers start no other.

OVERLAPPING = {
    "Data": ["data engineering", "data", "engineering data pipelines"],
    "Management": ["engineering management", "management", "day to day operations"],
    "Operations": ["operations", "day to day", "on call", "call center"],
    "Nothing": ["on", "learning"],  # stop and template words alone: never a phrase
}


def reference_concepts(analyzer: Analyzer, text: str) -> list[tuple[str, str]]:
    """The rule read plainly, word by word, from the analyzer's phrase table."""
    counted = [
        (word, _concept_key(word))
        for word in analyzer.words(text)
        if word not in STOP_WORDS or word in analyzer.trigger_stops
    ]
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(counted):
        for size in range(len(counted) - i, 0, -1):
            names = analyzer.triggers.get(tuple(stem for _, stem in counted[i : i + size]))
            if names is not None:
                said = " ".join(word for word, _ in counted[i : i + size])
                found.extend((name, said) for name in names)
                i += size
                break
        else:
            i += 1
    return found


def _lexicon() -> tuple[list[str], list[str]]:
    """The phrases of both lexicons, and single words: theirs, template and stop words,
    word forms, abbreviations and words of no phrase."""
    from mentorbridge.matching_engine.text import TEMPLATE_WORDS, default_concepts, words_of

    phrases = {
        p for c in (default_concepts(), OVERLAPPING) for n, ps in c.items() for p in (n, *ps)
    }
    words = {w for p in phrases for w in words_of(p)} | set(TEMPLATE_WORDS)
    words |= {"on", "to", "the", "and", "of", "my", "a", "i", "get", "move", "up", "in", "for"}
    words |= {"outages", "paged", "calls", "managing", "engineers", "SRE", "k8s", "banana", "x"}
    return sorted(phrases), sorted(words)


LEXICON_PHRASES, LEXICON_WORDS = _lexicon()
# whole phrases as often as single words, so phrases meet, overlap and nest
texts_of_lexicon_words = st.lists(
    st.tuples(
        st.sampled_from(LEXICON_PHRASES) | st.sampled_from(LEXICON_WORDS),
        st.sampled_from([" ", "-", ", ", ". ", " my "]),
    ),
    max_size=12,
).map(lambda pairs: "".join(word + gap for word, gap in pairs))


@pytest.mark.parametrize("concepts", [None, OVERLAPPING], ids=["shipped", "overlapping"])
@settings(max_examples=200, deadline=None)
@given(texts=st.lists(texts_of_lexicon_words, min_size=1, max_size=8))
def test_concepts_found_in_many_texts_at_once_are_those_of_the_plain_rule(
    concepts: dict[str, list[str]] | None, texts: list[str]
) -> None:
    analyzer = Analyzer(concepts=concepts)
    expected = [reference_concepts(analyzer, text) for text in texts]
    words = [analyzer.words(text) for text in texts]
    assert [list(f) for f in analyzer._finder.find_many(words)] == expected
    assert [list(analyzer._finder.find_one(w)) for w in words] == expected
    assert [analyzer.concepts(text) for text in texts] == expected


def test_the_longest_phrase_from_the_left_wins_and_covers_its_words() -> None:
    analyzer = Analyzer(concepts=OVERLAPPING)
    assert analyzer.concepts("data engineering management") == [
        ("Data", "data engineering"),
        ("Management", "management"),
    ]
    assert analyzer.concepts("engineering data pipelines, day to day operations") == [
        ("Data", "engineering data pipelines"),
        ("Management", "day to day operations"),
    ]
    assert analyzer.concepts("on my call center") == [("Operations", "on call")]


def test_a_shared_term_of_very_low_weight_counts_but_is_not_named() -> None:
    # "team" is in every goal (an IDF near 0): shared, counted, but not worth naming
    goals = ["kubernetes team"] + [f"team topic{k}" for k in range(20)]
    index = WordIndex(goals, ["kubernetes team", "team"])
    values = index.block(np.array([0]))[0]
    assert values[1] > 0  # "team" alone still counts in the score
    assert index.shared_terms(0, 0) == ["kubernetes"]
