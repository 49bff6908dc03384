"""Who may see and do what in the mentorship workspace, page by page and operation by
operation: its two people everything; program admins and site admins the state and dates,
never the content (403 that says so); anyone else nothing (404)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.mentorships.access import CONTENT_IS_PRIVATE
from mentorbridge.mentorships.agreements import services as agreement_services
from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.goals import services as goal_services
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "mentee", "mentor", "program_admin", "site_admin"]
LOGIN = "login"
M = "/mentorships/{m}"
A = "/api/v1/mentorships/{m}"
# Content: participants only; admins are told why (403); others learn nothing (404).
CONTENT = {"anonymous": LOGIN, "mentee": 200, "mentor": 200, "outsider": 404, "*": 403}
CONTENT_POST = {**CONTENT, "mentee": 302, "mentor": 302}
API = {"anonymous": 401, "mentee": 200, "mentor": 200, "outsider": 404, "*": 403}
API_CREATED = {**API, "mentee": 201, "mentor": 201}
TERMS = {
    "mentee_hopes": "Grow", "mentor_hopes": "Learn", "cadence": "weekly", "meeting_minutes": 30,
    "channel": "phone", "duration_weeks": 20,
}  # fmt: skip
REVIEW = {"decisions": [{"goal_id": "{g}", "decision": "kept", "note": "Fine"}]}

CASES: list[tuple[str, str, dict[str, object], dict[str, object] | None]] = [
    ("get", M + "/", {"anonymous": LOGIN, "outsider": 404, "*": 200}, None),
    ("post", M + "/agreement/draft/", CONTENT_POST, None),
    ("get", M + "/agreement/edit/", CONTENT, None),
    ("post", M + "/agreement/edit/", CONTENT_POST, {**TERMS, "change_note": "x"}),
    ("post", M + "/agreement/confirm/", CONTENT_POST, {"number": 2}),
    ("get", M + "/agreement/versions/", CONTENT, None),
    ("get", M + "/agreement/versions/1/", CONTENT, None),
    ("get", M + "/agreement/compare/?from=1&to=2", CONTENT, None),
    ("get", M + "/goals/new/", CONTENT, None),
    ("post", M + "/goals/new/", CONTENT_POST, {"description": "Speak up in planning"}),
    ("get", M + "/goals/{g}/", CONTENT, None),
    ("get", M + "/goals/{g}/edit/", CONTENT, None),
    ("post", M + "/goals/{g}/edit/", CONTENT_POST, {"description": "Lead two reviews", "status": "in_progress"}),
    ("post", M + "/goals/{g}/milestones/", CONTENT_POST, {"title": "Book a room"}),
    ("post", M + "/goals/{g}/milestones/{open}/tick/", CONTENT_POST, {}),
    ("post", M + "/goals/{g}/milestones/{done}/reopen/", CONTENT_POST, {}),
    ("get", M + "/goals/review/", CONTENT, None),
    ("post", M + "/goals/review/", CONTENT_POST, {"decision_{g}": "kept", "note_{g}": "Fine"}),
    ("get", A, {"anonymous": 401, "outsider": 404, "*": 200}, None),
    ("get", A + "/agreement", API, None),
    ("post", A + "/agreement", {**API, "mentee": 422, "mentor": 422}, {}),
    ("put", A + "/agreement", API, TERMS),
    ("post", A + "/agreement/confirm", API, {"number": 2}),
    ("get", A + "/agreement/versions", API, None),
    ("get", A + "/agreement/versions/1", API, None),
    ("get", A + "/agreement/compare?from=1&to=2", API, None),
    ("get", A + "/goals", API, None),
    ("post", A + "/goals", API_CREATED, {"description": "Speak up", "milestones": ["Once"]}),
    ("get", A + "/goals/{g}", API, None),
    ("put", A + "/goals/{g}", API, {"description": "Lead two reviews", "status": "in_progress"}),
    ("get", A + "/goals/{g}/history", API, None),
    ("post", A + "/goals/{g}/milestones", API_CREATED, {"title": "Book a room"}),
    ("post", A + "/goals/{g}/milestones/{open}/tick", API, {}),
    ("post", A + "/goals/{g}/milestones/{done}/reopen", API, {}),
    ("get", A + "/goal-reviews", API, None),
    ("post", A + "/goal-reviews", API_CREATED, REVIEW),
]  # fmt: skip


@pytest.fixture
def world(mentorship: Mentorship, mentee: Person, mentor: Person) -> dict[str, int]:
    agreement_services.agreement_draft(mentorship=mentorship, by=mentee)
    latest = agreement_state(mentorship).latest
    assert latest is not None
    terms = dataclasses.replace(
        agreement_services.AgreementTerms.of(latest), video_link="https://meet.example.com/x"
    )
    agreement_services.agreement_change(mentorship=mentorship, by=mentor, terms=terms)
    goal = goal_services.goal_create(
        mentorship=mentorship, by=mentee, description="Lead a design review",
        milestones=["Shadow one", "Co-lead one"],
    )  # fmt: skip
    done, still_open = goal.milestones.order_by("pk")
    goal_services.milestone_tick(milestone=done, by=mentee)
    return {"m": mentorship.pk, "g": goal.pk, "open": still_open.pk, "done": done.pk}


def _fill(value: object, world: dict[str, int]) -> object:
    """Put the world's ids into a payload (keys and string values)."""
    text = json.dumps(value)
    for key, pk in world.items():
        text = text.replace("{" + key + "}", str(pk))
    return json.loads(text.replace(f'"{world["g"]}"', str(world["g"])))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "url", "rule", "payload"), CASES, ids=[f"{m} {u}" for m, u, _, _ in CASES]
)
def test_each_persona_gets_exactly_the_access_it_should(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    world: dict[str, int],
    persona: str,
    method: str,
    url: str,
    rule: dict[str, object],
    payload: dict[str, object] | None,
) -> None:
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(person)
    url = url.format(**world)
    data = _fill(payload or {}, world)
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = getattr(client, method)(url, data, content_type="application/json")
    else:
        response = client.post(url, data)
    expected = rule.get(persona, rule["*"])
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:400]


@pytest.mark.parametrize("persona", ["program_admin", "site_admin"])
def test_admins_see_state_and_dates_and_are_told_they_never_see_content(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    world: dict[str, int],
    persona: str,
) -> None:
    client = client_for(request.getfixturevalue(persona))
    page = client.get(f"/mentorships/{world['m']}/").content.decode()
    assert "is never shown to program admins or site admins" in page
    assert "Drafted, waiting for confirmation (2 versions)" in page
    assert "1 set, 0 achieved" in page
    for content in ("Lead a design review", "Shadow one", "meet.example.com", "stays between us"):
        assert content not in page
    body = client.get(f"/api/v1/mentorships/{world['m']}").json()
    assert (body["access"], body["next_step"], body["goals_set"]) == ("state_only", None, 1)
    assert "Lead a design review" not in json.dumps(body)
    refused = client.get(f"/api/v1/mentorships/{world['m']}/goals")
    assert refused.json() == {"detail": CONTENT_IS_PRIVATE, "errors": {}}


def test_the_other_participant_sees_the_same_workspace(
    client_for: Callable[[Person | None], Client], world: dict[str, int], mentor: Person
) -> None:
    page = client_for(mentor).get(f"/mentorships/{world['m']}/").content.decode()
    assert "Mentoring Mia Mentee" in page
    assert "Lead a design review" in page and "meet.example.com/x" in page


def test_an_admin_of_another_program_is_an_outsider(
    client_for: Callable[[Person | None], Client], world: dict[str, int]
) -> None:
    from tests.factories import PersonFactory, ProgramFactory

    other_admin = PersonFactory()
    ProgramFactory(slug="other").admins.add(other_admin)
    assert client_for(other_admin).get(f"/mentorships/{world['m']}/").status_code == 404
    assert client_for(other_admin).get(f"/api/v1/mentorships/{world['m']}").status_code == 404
