"""Every workspace action in a group mentorship, for every persona: the whole-system
permission matrix's mentorship routes run again on a mentorship that a second mentee (Gus)
joined. Gus gets exactly what the first mentee gets; the outsider, the other program's
people, anonymous visitors, the program admin and the site admin get what they got before.

One world for all routes: each call runs in a savepoint that is rolled back, so no call
sees what an earlier one changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from mentorbridge.mentorships.groups.services import group_member_add
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory
from tests.test_permission_matrix import ADMINS, RULES, _call, _fill, world  # noqa: F401

pytestmark = pytest.mark.django_db

GROUP_PERSONAS = [
    "anonymous", "employee", "other_participant", "mentee", "group_member", "mentor",
    "program_admin", "other_admin", "site_admin",
]  # fmt: skip

#: Routes about one person. Taking out a member names Gus, whom the first mentee may not take
#: out; the agenda item is the first mentee's (its author alone removes it); ending the whole
#: mentorship is for its first mentee and its mentor (a member leaves the group instead).
ABOUT_ONE_PERSON = {
    ("DELETE", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/agenda/{item_id}"): (
        "/api/v1/mentorships/{mentorship}/meetings/{meeting}/agenda/{agenda_item}",
        {"mentee"},
        None,
    ),
    ("POST", "mentoring/mentorships/<int:pk>/end/"): (
        "/mentoring/mentorships/{mentorship}/end/",
        {"mentee", "mentor"},
        {"reason": "Goals reached"},
    ),
    ("POST", "mentorships/<int:pk>/group/<int:person_id>/remove/"): (
        "/mentorships/{mentorship}/group/{member_pk}/remove/",
        {"group_member", "mentor"} | ADMINS,
        {},
    ),
    ("DELETE", "/api/v1/mentorships/{pk}/participants/{employee_id}"): (
        "/api/v1/mentorships/{mentorship}/participants/{member_id}",
        {"group_member", "mentor"} | ADMINS,
        None,
    ),
}


def _workspace_rules() -> dict[tuple[str, str], Any]:
    rules = {}
    for route, (url, allowed, body) in RULES.items():
        if "{mentorship}" not in url:
            continue
        if route in ABOUT_ONE_PERSON:
            rules[route] = ABOUT_ONE_PERSON[route]
        else:
            member = {"group_member"} if "mentee" in allowed else set()
            rules[route] = (url, allowed | member, body)
    return rules


def test_every_workspace_action_in_a_group_gives_each_persona_the_access_it_should(
    world: dict[str, Any],  # noqa: F811
    client_for: Callable[[Person | None], Client],
) -> None:
    program = world["program"]
    gus = PersonFactory(first_name="Gus", last_name="Member")
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=gus, role="mentee"))
    mentorship = Mentorship.objects.get(pk=world["ids"]["mentorship"])
    group_member_add(mentorship=mentorship, person=gus, by=world["people"]["mentor"].user)
    people = {**world["people"], "group_member": gus}
    ids = {**world["ids"], "member_pk": gus.pk, "member_id": gus.employee_id}
    clients = {p: client_for(None if p == "anonymous" else people[p]) for p in GROUP_PERSONAS}
    rules = _workspace_rules()
    assert len(rules) > 80  # every workspace route of the matrix, not a handful
    wrong = []
    for route, (url, allowed, body) in sorted(rules.items()):
        for persona in GROUP_PERSONAS:
            with transaction.atomic():
                response = _call(clients[persona], route[0], _fill(url, ids), _fill(body, ids))
                transaction.set_rollback(True)
            status = response.status_code
            to_login = status == 302 and "/accounts/login/" in response.get("Location", "")
            if persona in allowed:
                ok = (status < 400 or (route[0] != "GET" and status == 422)) and not to_login
            elif persona == "anonymous":
                ok = to_login or status == 401
            else:
                ok = status in (403, 404)
            if not ok:
                wrong.append(f"{route[0]} {url} as {persona}: {status}")
    assert not wrong, "\n".join(wrong)
