"""Requests, rounds, proposals, ruled-out pairs and mentorships in Django admin: site admins
look them up (search, filters); nobody adds, edits or deletes them there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mentorbridge.matching.models import (
    MatchingRound,
    MentorRequest,
    PairExclusion,
    Proposal,
    RoundStatus,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
MODELS = ["matching/mentorrequest", "matching/matchinground", "matching/proposal",
          "matching/pairexclusion", "mentorships/mentorship"]  # fmt: skip


@pytest.fixture
def rows(program: Program, mentee: Person, mentor: Person) -> dict[str, int]:
    area = mentee.enrollments.get().focus_areas.get()
    request = MentorRequest.objects.create(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, message="Hello",
        expires_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    matching_round = MatchingRound.objects.create(program=program, status=RoundStatus.READY)
    proposal = Proposal.objects.create(
        round=matching_round, focus_area=area, mentee=mentee, mentor=mentor, score=0.7
    )
    exclusion = PairExclusion.objects.create(program=program, mentee=mentee, mentor=mentor)
    mentorship = Mentorship.objects.create(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )
    return {
        "matching/mentorrequest": request.pk, "matching/matchinground": matching_round.pk,
        "matching/proposal": proposal.pk, "matching/pairexclusion": exclusion.pk,
        "mentorships/mentorship": mentorship.pk,
    }  # fmt: skip


@pytest.mark.parametrize("model", MODELS)
def test_site_admins_search_and_filter_but_cannot_change_anything(
    client_for: Clients, site_admin: Person, rows: dict[str, int], model: str, program: Program
) -> None:
    client = client_for(site_admin)
    query = "Engineering" if model == "matching/matchinground" else "mia@example.com"
    link = f'href="/admin/{model}/{rows[model]}/change/'.encode()
    listing = client.get(f"/admin/{model}/?q={query}")
    assert listing.status_code == 200
    assert link in listing.content
    assert link not in client.get(f"/admin/{model}/?q=nobody-by-this-name").content
    detail = client.get(f"/admin/{model}/{rows[model]}/change/")
    assert detail.status_code == 200
    assert b'type="submit" value="Save"' not in detail.content
    assert client.get(f"/admin/{model}/add/").status_code == 403
    assert client.post(f"/admin/{model}/{rows[model]}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_program_admins_do_not_reach_django_admin(
    client_for: Clients, program_admin: Person, rows: dict[str, int], model: str
) -> None:
    response = client_for(program_admin).get(f"/admin/{model}/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_rounds_filter_by_program(
    client_for: Clients, site_admin: Person, rows: dict[str, int], program: Program
) -> None:
    page = client_for(site_admin).get(
        f"/admin/matching/matchinground/?program__id__exact={program.pk}"
    )
    assert f"Round {rows['matching/matchinground']} of Engineering Growth".encode() in page.content
