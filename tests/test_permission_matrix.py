"""The whole-system permission matrix, built from the URL configuration and the OpenAPI schema.

Every page and every API operation must have a rule here: a new route without one fails
``test_every_route_has_a_rule``. Each rule names who may use the route; everyone else is
refused — anonymous visitors are sent to sign in (pages) or get 401 (API), the others get
403 or 404 — and everyone allowed gets through (any 2xx or 3xx that is not the sign-in page).

Personas: an ``employee`` with nothing to do with the program; the ``mentee`` and ``mentor``
whose request, proposal and mentorship the URLs name; an ``other_participant`` enrolled in the
same program; the ``program_admin`` of the program; the admin of another program
(``other_admin``, also in HR); and a ``site_admin``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from mentorbridge.core.setup import hr_group
from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import round_conflicts
from mentorbridge.matching.services import rounds as round_services
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory
from tests.kept_rows import KeptBuilds

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "employee",
    "mentee",
    "mentor",
    "other_participant",
    "program_admin",
    "other_admin",
    "site_admin",
]
SIGNED_IN = set(PERSONAS) - {"anonymous"}
ADMINS = {"program_admin", "site_admin"}
HR = {"program_admin", "other_admin", "site_admin"}
PARTIES = {"mentee", "mentor"}

P = "/programs/engineering-growth"
LOGOUT = ("POST", "accounts/logout/")

# (method, route as the URL configuration or OpenAPI spells it) → (concrete URL, allowed, body).
# Concrete URLs take {placeholders} from the world below.
Rule = tuple[str, set[str], dict[str, Any] | None]
RULES: dict[tuple[str, str], Rule] = {
    # Pages
    ("GET", ""): ("/", SIGNED_IN, None),
    ("GET", "healthz"): ("/healthz", set(PERSONAS), None),
    ("GET", "accounts/login/"): ("/accounts/login/", set(PERSONAS), None),
    ("POST", "accounts/logout/"): ("/accounts/logout/", set(PERSONAS), None),
    ("GET", "favicon.ico"): ("/favicon.ico", set(PERSONAS), None),
    ("GET", "accounts/first-sign-in/"): ("/accounts/first-sign-in/", set(PERSONAS), None),
    ("GET", "accounts/password/forgot/"): ("/accounts/password/forgot/", set(PERSONAS), None),
    ("GET", "accounts/password/link-sent/"): (
        "/accounts/password/link-sent/", set(PERSONAS), None,
    ),
    ("GET", "accounts/password/set/<uidb64>/<token>/"): (  # a bad link: "doesn't work" page
        "/accounts/password/set/MQ/bad-token/", set(PERSONAS), None,
    ),
    ("GET", "accounts/password/change/"): ("/accounts/password/change/", SIGNED_IN, None),
    ("GET", "accounts/tokens/"): ("/accounts/tokens/", SIGNED_IN, None),
    ("POST", "accounts/tokens/<int:token_id>/revoke/"): (
        "/accounts/tokens/{token}/revoke/", {"mentee"}, None,
    ),
    ("GET", "people/"): ("/people/", SIGNED_IN, None),
    ("GET", "people/me/edit/"): ("/people/me/edit/", SIGNED_IN, None),
    ("POST", "people/me/read-skills/"): (
        "/people/me/read-skills/", SIGNED_IN, {"skill": "kubernetes", "action": "remove"},
    ),
    ("GET", "people/import/"): ("/people/import/", HR, None),
    ("GET", "people/skills/autocomplete/"): ("/people/skills/autocomplete/?q=py", SIGNED_IN, None),
    ("GET", "people/skills/row/"): ("/people/skills/row/", SIGNED_IN, None),
    ("GET", "people/<str:employee_id>/"): ("/people/{mentee_id}/", SIGNED_IN, None),
    ("GET", "programs/"): ("/programs/", SIGNED_IN, None),
    ("GET", "programs/new/"): ("/programs/new/", HR, None),
    ("GET", "programs/<slug:slug>/"): (P + "/", SIGNED_IN, None),
    ("GET", "programs/<slug:slug>/edit/"): (P + "/edit/", ADMINS, None),
    ("POST", "programs/<slug:slug>/status/"): (P + "/status/", ADMINS, {"status": "matching"}),
    ("GET", "programs/<slug:slug>/join/"): (P + "/join/", SIGNED_IN, None),
    ("POST", "programs/<slug:slug>/withdraw/"): (
        P + "/withdraw/", {"mentee", "mentor", "other_participant"}, None,
    ),
    ("POST", "programs/<slug:slug>/mentoring/"): (
        P + "/mentoring/", {"mentee", "mentor", "other_participant"},
        {"mentor_capacity": "2", "accepting_requests": "on"},
    ),
    ("GET", "programs/<slug:slug>/enrollments/"): (P + "/enrollments/", ADMINS, None),
    ("GET", "programs/<slug:slug>/overview/"): (P + "/overview/", ADMINS, None),
    ("GET", "programs/<slug:slug>/enrollments.csv"): (P + "/enrollments.csv", ADMINS, None),
    ("GET", "programs/<slug:slug>/mentorships.csv"): (P + "/mentorships.csv", ADMINS, None),
    ("POST", "programs/<slug:slug>/enrollments/<int:enrollment_id>/decision/"): (
        P + "/enrollments/{other_enrollment}/decision/", ADMINS, {"decision": "approve"},
    ),
    ("POST", "programs/<slug:slug>/focus-areas/<int:focus_area_id>/read-skills/"): (
        P + "/focus-areas/{area}/read-skills/", {"mentee"}, {"skill": "go", "action": "remove"},
    ),
    ("GET", "programs/<slug:slug>/find/<int:focus_area_id>/"): (
        P + "/find/{area}/", {"mentee"}, None,
    ),
    ("POST", "programs/<slug:slug>/find/<int:focus_area_id>/ask/<str:employee_id>/"): (
        P + "/find/{spare_area}/ask/{third_mentor_id}/", {"mentee"}, {"message": "Hello"},
    ),
    ("GET", "programs/<slug:slug>/requests/"): (P + "/requests/", SIGNED_IN, None),
    ("GET", "programs/<slug:slug>/rounds/"): (P + "/rounds/", ADMINS, None),
    ("POST", "programs/<slug:slug>/rounds/new/"): (
        P + "/rounds/new/", ADMINS, {"objective": "total"},
    ),
    ("GET", "programs/<slug:slug>/rounds/<int:round_id>/"): (
        P + "/rounds/{round}/", ADMINS, None,
    ),
    ("GET", "programs/<slug:slug>/rounds/compare/"): (
        P + "/rounds/compare/?left={round}&right={published_round}", ADMINS, None,
    ),
    ("POST", "programs/<slug:slug>/rounds/<int:round_id>/publish/"): (
        P + "/rounds/{round}/publish/", ADMINS, None,
    ),
    # The round is finished, so an admin's cancel is refused with a message: 302 back.
    ("POST", "programs/<slug:slug>/rounds/<int:round_id>/cancel/"): (
        P + "/rounds/{round}/cancel/", ADMINS, None,
    ),
    ("GET", "programs/<slug:slug>/rounds/<int:round_id>/compare/<int:other_id>/"): (
        P + "/rounds/{round}/compare/{published_round}/", ADMINS, None,
    ),
    ("POST", "programs/<slug:slug>/rounds/<int:round_id>/<str:action>/"): (
        P + "/rounds/{round}/resolve/", ADMINS, {"objective": "total"},
    ),
    ("GET", "mentoring/mine/"): ("/mentoring/mine/", SIGNED_IN, None),
    ("GET", "mentoring/inbox/"): ("/mentoring/inbox/", SIGNED_IN, None),
    ("POST", "mentoring/requests/<int:pk>/<str:action>/"): (
        "/mentoring/requests/{request}/accept/", {"mentor"}, None,
    ),
    ("GET", "mentoring/proposals/<int:pk>/"): ("/mentoring/proposals/{proposal}/", PARTIES, None),
    ("POST", "mentoring/proposals/<int:pk>/answer/"): (
        "/mentoring/proposals/{proposal}/answer/", PARTIES, {"answer": "accept"},
    ),
    ("POST", "mentoring/mentorships/<int:pk>/end/"): (
        "/mentoring/mentorships/{mentorship}/end/", PARTIES, {"reason": "Goals reached"},
    ),
    # The mentorship workspace: its two people; program admins see the page's state only
    # (content routes refuse them with 403, tests/mentorships/test_permissions.py).
    ("GET", "mentorships/<int:pk>/"): ("/mentorships/{mentorship}/", PARTIES | ADMINS, None),
    ("POST", "mentorships/<int:pk>/agreement/draft/"): (
        "/mentorships/{mentorship}/agreement/draft/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/agreement/edit/"): (
        "/mentorships/{mentorship}/agreement/edit/", PARTIES, None,
    ),
    ("POST", "mentorships/<int:pk>/agreement/confirm/"): (
        "/mentorships/{mentorship}/agreement/confirm/", PARTIES, {"number": 2},
    ),
    ("GET", "mentorships/<int:pk>/agreement/versions/"): (
        "/mentorships/{mentorship}/agreement/versions/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/agreement/versions/<int:number>/"): (
        "/mentorships/{mentorship}/agreement/versions/1/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/agreement/compare/"): (
        "/mentorships/{mentorship}/agreement/compare/?from=1&to=2", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/goals/new/"): (
        "/mentorships/{mentorship}/goals/new/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/goals/review/"): (
        "/mentorships/{mentorship}/goals/review/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/goals/<int:goal_id>/"): (
        "/mentorships/{mentorship}/goals/{goal}/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/goals/<int:goal_id>/edit/"): (
        "/mentorships/{mentorship}/goals/{goal}/edit/", PARTIES, None,
    ),
    ("POST", "mentorships/<int:pk>/goals/<int:goal_id>/milestones/"): (
        "/mentorships/{mentorship}/goals/{goal}/milestones/", PARTIES, {"title": "Step"},
    ),
    ("POST", "mentorships/<int:pk>/goals/<int:goal_id>/milestones/<int:milestone_id>/tick/"): (
        "/mentorships/{mentorship}/goals/{goal}/milestones/{open_milestone}/tick/", PARTIES, {},
    ),
    ("POST", "mentorships/<int:pk>/goals/<int:goal_id>/milestones/<int:milestone_id>/reopen/"): (
        "/mentorships/{mentorship}/goals/{goal}/milestones/{done_milestone}/reopen/", PARTIES,
        {},
    ),
    ("GET", "mentorships/<int:pk>/check-in/"): ("/mentorships/{mentorship}/check-in/", PARTIES, None),
    ("GET", "mentorships/<int:pk>/feedback/"): ("/mentorships/{mentorship}/feedback/", PARTIES, None),
    ("GET", "mentorships/<int:pk>/thanks/"): ("/mentorships/{mentorship}/thanks/", PARTIES, None),
    ("POST", "mentorships/<int:pk>/thanks/<int:note_id>/display/"): (  # the person thanked
        "/mentorships/{mentorship}/thanks/{thanks}/display/", {"mentor"}, {"on_profile": "on"},
    ),
    ("GET", "mentorships/<int:pk>/meetings/"): (
        "/mentorships/{mentorship}/meetings/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/meetings/plan/"): (
        "/mentorships/{mentorship}/meetings/plan/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/meetings/log/"): (
        "/mentorships/{mentorship}/meetings/log/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/meetings/<int:meeting_id>/"): (
        "/mentorships/{mentorship}/meetings/{meeting}/", PARTIES, None,
    ),
    ("GET", "mentorships/<int:pk>/meetings/<int:meeting_id>/move/"): (
        "/mentorships/{mentorship}/meetings/{meeting}/move/", PARTIES, None,
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/cancel/"): (
        "/mentorships/{mentorship}/meetings/{meeting}/cancel/", PARTIES, {"note": "Ill"},
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/held/"): (
        "/mentorships/{mentorship}/meetings/{past_meeting}/held/", PARTIES, {},
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/missed/"): (
        "/mentorships/{mentorship}/meetings/{past_meeting}/missed/", PARTIES, {},
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/agenda/"): (
        "/mentorships/{mentorship}/meetings/{meeting}/agenda/", PARTIES,
        {"kind": "question", "text": "How?"},
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/agenda/<int:item_id>/remove/"): (
        "/mentorships/{mentorship}/meetings/{meeting}/agenda/{agenda_item}/remove/", PARTIES, {},
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/notes/"): (
        "/mentorships/{mentorship}/meetings/{past_meeting}/notes/", PARTIES, {"text": "We met"},
    ),
    ("POST", "mentorships/<int:pk>/meetings/<int:meeting_id>/notes/private/"): (
        "/mentorships/{mentorship}/meetings/{past_meeting}/notes/private/", PARTIES,
        {"text": "Mine"},
    ),
    # Group members: the mentor and the program team add a mentee (the one named here is not
    # enrolled: 200 with the form's error); a member leaves, or the mentor or team takes them
    # out (the first mentee cannot be taken out: refused with a message, 302).
    ("POST", "mentorships/<int:pk>/group/"): (
        "/mentorships/{mentorship}/group/", {"mentor"} | ADMINS, {"person": "{employee_id}"},
    ),
    ("POST", "mentorships/<int:pk>/group/<int:person_id>/remove/"): (
        "/mentorships/{mentorship}/group/{mentee_pk}/remove/", PARTIES | ADMINS, {},
    ),
    ("POST", "mentorships/<int:pk>/actions/"): (
        "/mentorships/{mentorship}/actions/", PARTIES, {"title": "Read", "owner": "{mentee_pk}"},
    ),
    ("POST", "mentorships/<int:pk>/actions/<int:item_id>/done/"): (
        "/mentorships/{mentorship}/actions/{action}/done/", PARTIES, {},
    ),
    ("POST", "mentorships/<int:pk>/actions/<int:item_id>/reopen/"): (
        "/mentorships/{mentorship}/actions/{done_action}/reopen/", PARTIES, {},
    ),
    ("GET", "calendar/"): ("/calendar/", SIGNED_IN, None),
    ("POST", "calendar/new-address/"): ("/calendar/new-address/", SIGNED_IN, {}),
    # The feed's token is the key: anyone holding the URL reads it (calendar apps don't sign in).
    ("GET", "calendar/<str:token>.ics"): ("/calendar/{feed_token}.ics", set(PERSONAS), None),
    ("GET", "mentorships/<int:pk>/introduce/"): (
        "/mentorships/{mentorship}/introduce/", {"mentor"}, None,
    ),
    # The colleague asked (the employee in the world) answers; nobody else sees it.
    ("GET", "mentorships/introductions/<int:introduction_id>/"): (
        "/mentorships/introductions/{introduction}/", {"employee"}, None,
    ),
    ("GET", "mentorships/<int:pk>/pause/"): ("/mentorships/{mentorship}/pause/", PARTIES, None),
    # Not paused: the participants' resume is refused with a message (302 back).
    ("POST", "mentorships/<int:pk>/resume/"): ("/mentorships/{mentorship}/resume/", PARTIES, {}),
    ("GET", "mentorships/<int:pk>/closure/"): ("/mentorships/{mentorship}/closure/", PARTIES, None),
    ("GET", "programs/<slug:slug>/health/"): (P + "/health/", ADMINS, None),
    ("GET", "programs/<slug:slug>/health/rules/"): (P + "/health/rules/", ADMINS, None),
    ("GET", "programs/<slug:slug>/closure/"): (P + "/closure/", ADMINS, None),
    ("GET", "programs/<slug:slug>/health/<int:mentorship_id>/reach-out/"): (
        P + "/health/{mentorship}/reach-out/", ADMINS, None,
    ),
    ("POST", "programs/<slug:slug>/agreement-template/"): (
        P + "/agreement-template/", ADMINS, {"meeting_minutes": "45", "channel": "phone"},
    ),
    ("GET", "audit/"): ("/audit/?action=data.exported", {"site_admin"}, None),
    ("GET", "privacy/"): ("/privacy/", SIGNED_IN, None),
    ("GET", "privacy/my-data.json"): ("/privacy/my-data.json", SIGNED_IN, None),
    # Erasing the applicant: a site admin's confirmation that does not match is refused (422)
    # after the permission check (the matrix must not erase anyone the other rows need).
    ("POST", "privacy/erase/<str:employee_id>/"): (
        "/privacy/erase/{employee_id}/", {"site_admin"}, {"confirm": "not their name"},
    ),
    # Notifications: everyone their own; the unsubscribe link is its own credential.
    ("GET", "notifications/"): ("/notifications/", SIGNED_IN, None),
    ("GET", "notifications/<int:pk>/"): ("/notifications/{notification}/", {"mentee"}, None),
    ("POST", "notifications/read/"): ("/notifications/read/", SIGNED_IN, None),
    ("GET", "notifications/preferences/"): ("/notifications/preferences/", SIGNED_IN, None),
    ("GET", "notifications/unsubscribe/<str:token>/"): (
        "/notifications/unsubscribe/{unsubscribe_token}/", set(PERSONAS), None,
    ),
    # The pause question's one-click link is its own credential too (it only shows the choice
    # on GET; this mentorship is not paused, so the page says the link is out of date).
    ("GET", "mentorships/pause-answer/<str:token>/"): ("{pause_answer}", set(PERSONAS), None),
    # API
    ("GET", "/api/v1/audit"): ("/api/v1/audit?since=2026-01-01", {"site_admin"}, None),
    ("GET", "/api/v1/me/export"): ("/api/v1/me/export", SIGNED_IN, None),
    ("POST", "/api/v1/people/{employee_id}/erase"): (
        "/api/v1/people/{employee_id}/erase", {"site_admin"}, {"confirm": "not their name"},
    ),
    ("GET", "/api/v1/me"): ("/api/v1/me", SIGNED_IN, None),
    ("PATCH", "/api/v1/me"): ("/api/v1/me", SIGNED_IN, {"bio": "Hello"}),
    ("GET", "/api/v1/people"): ("/api/v1/people", SIGNED_IN, None),
    ("GET", "/api/v1/people/skills"): ("/api/v1/people/skills?q=py", SIGNED_IN, None),
    ("POST", "/api/v1/people/import"): ("/api/v1/people/import?dry_run=true", HR, "csv"),
    ("GET", "/api/v1/people/{employee_id}"): ("/api/v1/people/{mentee_id}", SIGNED_IN, None),
    ("GET", "/api/v1/people/{employee_id}/reporting-chain"): (
        "/api/v1/people/{mentee_id}/reporting-chain", SIGNED_IN, None,
    ),
    ("GET", "/api/v1/programs"): ("/api/v1/programs", SIGNED_IN, None),
    ("POST", "/api/v1/programs"): ("/api/v1/programs", HR, {"name": "New Program"}),
    ("GET", "/api/v1/programs/{slug}"): ("/api/v1" + P, SIGNED_IN, None),
    ("PATCH", "/api/v1/programs/{slug}"): ("/api/v1" + P, ADMINS, {"description": "Updated"}),
    ("POST", "/api/v1/programs/{slug}/status"): (
        "/api/v1" + P + "/status", ADMINS, {"status": "matching"},
    ),
    ("GET", "/api/v1/programs/{slug}/counts"): ("/api/v1" + P + "/counts", ADMINS, None),
    ("GET", "/api/v1/programs/{slug}/enrollments"): ("/api/v1" + P + "/enrollments", ADMINS, None),
    ("GET", "/api/v1/programs/{slug}/enrollments.csv"): (
        "/api/v1" + P + "/enrollments.csv", ADMINS, None,
    ),
    ("GET", "/api/v1/programs/{slug}/mentorships.csv"): (
        "/api/v1" + P + "/mentorships.csv", ADMINS, None,
    ),
    ("POST", "/api/v1/programs/{slug}/enrollments"): (
        "/api/v1" + P + "/enrollments", SIGNED_IN, {"role": "mentor", "mentor_capacity": 1},
    ),
    ("GET", "/api/v1/programs/{slug}/enrollments/me"): (
        "/api/v1" + P + "/enrollments/me", {"mentee", "mentor", "other_participant"}, None,
    ),
    ("DELETE", "/api/v1/programs/{slug}/enrollments/me"): (
        "/api/v1" + P + "/enrollments/me", {"mentee", "mentor", "other_participant"}, None,
    ),
    ("POST", "/api/v1/programs/{slug}/invitations"): (
        "/api/v1" + P + "/invitations", ADMINS, {"employee_ids": ["{employee_id}"]},
    ),
    ("POST", "/api/v1/programs/{slug}/enrollments/{enrollment_id}/decision"): (
        "/api/v1" + P + "/enrollments/{other_enrollment}/decision", ADMINS,
        {"approve": True},
    ),
    ("GET", "/api/v1/programs/{slug}/focus-areas/{focus_area_id}/suggestions"): (
        "/api/v1" + P + "/focus-areas/{area}/suggestions", {"mentee"}, None,
    ),
    ("GET", "/api/v1/programs/{slug}/requests"): ("/api/v1" + P + "/requests", SIGNED_IN, None),
    ("POST", "/api/v1/programs/{slug}/requests"): (
        "/api/v1" + P + "/requests", {"mentee"},
        {"focus_area_id": "{spare_area}", "mentor": "{third_mentor_id}", "message": "Hello"},
    ),
    ("GET", "/api/v1/requests/received"): ("/api/v1/requests/received", SIGNED_IN, None),
    ("GET", "/api/v1/requests/{pk}"): ("/api/v1/requests/{request}", PARTIES, None),
    ("POST", "/api/v1/requests/{pk}/accept"): ("/api/v1/requests/{request}/accept", {"mentor"}, {}),
    ("POST", "/api/v1/requests/{pk}/decline"): (
        "/api/v1/requests/{request}/decline", {"mentor"}, {"reason": "no_time"},
    ),
    ("POST", "/api/v1/requests/{pk}/ask"): (
        "/api/v1/requests/{request}/ask", {"mentor"}, {"question": "What do you want to learn?"},
    ),
    ("POST", "/api/v1/requests/{pk}/reply"): (
        "/api/v1/requests/{asked_request}/reply", {"mentee"}, {"answer": "System design."},
    ),
    ("POST", "/api/v1/requests/{pk}/withdraw"): (
        "/api/v1/requests/{request}/withdraw", {"mentee"}, {},
    ),
    ("GET", "/api/v1/programs/{slug}/rounds"): ("/api/v1" + P + "/rounds", ADMINS, None),
    ("POST", "/api/v1/programs/{slug}/rounds"): ("/api/v1" + P + "/rounds", ADMINS, {}),
    ("GET", "/api/v1/rounds/{pk}"): ("/api/v1/rounds/{round}", ADMINS, None),
    ("POST", "/api/v1/rounds/{pk}/pin"): (
        "/api/v1/rounds/{round}/pin", ADMINS,
        {"focus_area_id": "{area}", "mentor": "{mentor_id}"},
    ),
    ("POST", "/api/v1/rounds/{pk}/forbid"): (
        "/api/v1/rounds/{round}/forbid", ADMINS, {"mentee": "{mentee_id}", "mentor": "{mentor_id}"},
    ),
    ("POST", "/api/v1/rounds/{pk}/resolve"): ("/api/v1/rounds/{round}/resolve", ADMINS, {}),
    ("POST", "/api/v1/rounds/{pk}/conflicts"): (
        "/api/v1/rounds/{round}/conflicts", ADMINS, {"choices": []},
    ),
    ("POST", "/api/v1/rounds/{pk}/leave-out"): (
        "/api/v1/rounds/{round}/leave-out", ADMINS, {"focus_area_id": "{spare_area}"},
    ),
    ("POST", "/api/v1/rounds/{pk}/publish"): ("/api/v1/rounds/{round}/publish", ADMINS, {}),
    ("GET", "/api/v1/proposals/{pk}"): ("/api/v1/proposals/{proposal}", PARTIES, None),
    ("POST", "/api/v1/proposals/{pk}/answer"): (
        "/api/v1/proposals/{proposal}/answer", PARTIES, {"accept": True},
    ),
    ("GET", "/api/v1/mentorships/{pk}"): (
        "/api/v1/mentorships/{mentorship}", PARTIES | ADMINS, None,
    ),
    ("GET", "/api/v1/mentorships/{pk}/agreement"): (
        "/api/v1/mentorships/{mentorship}/agreement", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/agreement"): (
        "/api/v1/mentorships/{mentorship}/agreement", PARTIES, {},
    ),
    ("PUT", "/api/v1/mentorships/{pk}/agreement"): (
        "/api/v1/mentorships/{mentorship}/agreement", PARTIES,
        {"cadence": "weekly", "meeting_minutes": 30, "channel": "phone", "duration_weeks": 20},
    ),
    ("POST", "/api/v1/mentorships/{pk}/agreement/confirm"): (
        "/api/v1/mentorships/{mentorship}/agreement/confirm", PARTIES, {"number": 2},
    ),
    ("GET", "/api/v1/mentorships/{pk}/agreement/versions"): (
        "/api/v1/mentorships/{mentorship}/agreement/versions", PARTIES, None,
    ),
    ("GET", "/api/v1/mentorships/{pk}/agreement/versions/{number}"): (
        "/api/v1/mentorships/{mentorship}/agreement/versions/1", PARTIES, None,
    ),
    ("GET", "/api/v1/mentorships/{pk}/agreement/compare"): (
        "/api/v1/mentorships/{mentorship}/agreement/compare?from=1&to=2", PARTIES, None,
    ),
    ("GET", "/api/v1/mentorships/{pk}/meetings"): (
        "/api/v1/mentorships/{mentorship}/meetings", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings"): (
        "/api/v1/mentorships/{mentorship}/meetings", PARTIES,
        {"starts_at": "2099-01-05T10:00:00+01:00"},
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings/log"): (
        "/api/v1/mentorships/{mentorship}/meetings/log", PARTIES,
        {"starts_at": "2020-01-05T10:00:00+01:00"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/meetings/{meeting_id}"): (
        "/api/v1/mentorships/{mentorship}/meetings/{meeting}", PARTIES, None,
    ),
    ("PUT", "/api/v1/mentorships/{pk}/meetings/{meeting_id}"): (
        "/api/v1/mentorships/{mentorship}/meetings/{meeting}", PARTIES,
        {"starts_at": "2099-01-06T10:00:00Z", "minutes": 30, "channel": "phone"},
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/cancel"): (
        "/api/v1/mentorships/{mentorship}/meetings/{meeting}/cancel", PARTIES, {},
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/held"): (
        "/api/v1/mentorships/{mentorship}/meetings/{past_meeting}/held", PARTIES, {},
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/missed"): (
        "/api/v1/mentorships/{mentorship}/meetings/{past_meeting}/missed", PARTIES, {},
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/agenda"): (
        "/api/v1/mentorships/{mentorship}/meetings/{meeting}/agenda", PARTIES, {"text": "How?"},
    ),
    ("DELETE", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/agenda/{item_id}"): (
        "/api/v1/mentorships/{mentorship}/meetings/{meeting}/agenda/{agenda_item}",
        {"mentee"}, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/notes"): (
        "/api/v1/mentorships/{mentorship}/meetings/{past_meeting}/notes", PARTIES,
        {"text": "We met"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/private-note"): (
        "/api/v1/mentorships/{mentorship}/meetings/{past_meeting}/private-note", PARTIES, None,
    ),
    ("PUT", "/api/v1/mentorships/{pk}/meetings/{meeting_id}/private-note"): (
        "/api/v1/mentorships/{mentorship}/meetings/{past_meeting}/private-note", PARTIES,
        {"text": "Mine"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/action-items"): (
        "/api/v1/mentorships/{mentorship}/action-items", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/action-items"): (
        "/api/v1/mentorships/{mentorship}/action-items", PARTIES,
        {"title": "Read", "owner": "{mentee_id}"},
    ),
    ("POST", "/api/v1/mentorships/{pk}/action-items/{item_id}/done"): (
        "/api/v1/mentorships/{mentorship}/action-items/{action}/done", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/action-items/{item_id}/reopen"): (
        "/api/v1/mentorships/{mentorship}/action-items/{done_action}/reopen", PARTIES, None,
    ),
    ("GET", "/api/v1/calendar"): ("/api/v1/calendar", SIGNED_IN, None),
    ("POST", "/api/v1/calendar/new-address"): ("/api/v1/calendar/new-address", SIGNED_IN, None),
    ("GET", "/api/v1/mentorships/{pk}/participants"): (
        "/api/v1/mentorships/{mentorship}/participants", PARTIES | ADMINS, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/participants"): (  # not enrolled: 422, let through
        "/api/v1/mentorships/{mentorship}/participants", {"mentor"} | ADMINS,
        {"person": "{employee_id}"},
    ),
    ("DELETE", "/api/v1/mentorships/{pk}/participants/{employee_id}"): (  # the first mentee: 422
        "/api/v1/mentorships/{mentorship}/participants/{mentee_id}", PARTIES | ADMINS, None,
    ),
    ("GET", "/api/v1/mentorships/{pk}/goals"): (
        "/api/v1/mentorships/{mentorship}/goals", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/goals"): (
        "/api/v1/mentorships/{mentorship}/goals", PARTIES, {"description": "Speak up"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/goals/{goal_id}"): (
        "/api/v1/mentorships/{mentorship}/goals/{goal}", PARTIES, None,
    ),
    ("PUT", "/api/v1/mentorships/{pk}/goals/{goal_id}"): (
        "/api/v1/mentorships/{mentorship}/goals/{goal}", PARTIES,
        {"description": "Speak up twice", "status": "in_progress"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/goals/{goal_id}/history"): (
        "/api/v1/mentorships/{mentorship}/goals/{goal}/history", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/goals/{goal_id}/milestones"): (
        "/api/v1/mentorships/{mentorship}/goals/{goal}/milestones", PARTIES, {"title": "Step"},
    ),
    ("POST", "/api/v1/mentorships/{pk}/goals/{goal_id}/milestones/{milestone_id}/tick"): (
        "/api/v1/mentorships/{mentorship}/goals/{goal}/milestones/{open_milestone}/tick",
        PARTIES, {},
    ),
    ("POST", "/api/v1/mentorships/{pk}/goals/{goal_id}/milestones/{milestone_id}/reopen"): (
        "/api/v1/mentorships/{mentorship}/goals/{goal}/milestones/{done_milestone}/reopen",
        PARTIES, {},
    ),
    ("GET", "/api/v1/mentorships/{pk}/goal-reviews"): (
        "/api/v1/mentorships/{mentorship}/goal-reviews", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/goal-reviews"): (
        "/api/v1/mentorships/{mentorship}/goal-reviews", PARTIES,
        {"decisions": [{"goal_id": "{goal}", "decision": "kept"}]},
    ),
    ("GET", "/api/v1/mentorships/{pk}/check-ins"): (
        "/api/v1/mentorships/{mentorship}/check-ins", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/check-ins"): (
        "/api/v1/mentorships/{mentorship}/check-ins", PARTIES,
        {"satisfaction": 4, "progress": 3, "working": "yes"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/feedback"): (
        "/api/v1/mentorships/{mentorship}/feedback", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/feedback"): (
        "/api/v1/mentorships/{mentorship}/feedback", PARTIES, {"going_well": "Clear advice"},
    ),
    ("GET", "/api/v1/mentorships/{pk}/thanks"): (
        "/api/v1/mentorships/{mentorship}/thanks", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/thanks"): (
        "/api/v1/mentorships/{mentorship}/thanks", PARTIES, {"message": "Thank you"},
    ),
    ("POST", "/api/v1/mentorships/{pk}/thanks/{note_id}/display"): (
        "/api/v1/mentorships/{mentorship}/thanks/{thanks}/display", {"mentor"},
        {"on_profile": True},
    ),
    ("GET", "/api/v1/mentorships/{pk}/health"): (
        "/api/v1/mentorships/{mentorship}/health", PARTIES | ADMINS, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/pause"): (
        "/api/v1/mentorships/{mentorship}/pause", PARTIES,
        {"reason": "Leave", "resume_on": "2099-01-01"},  # too far ahead: 422, let through
    ),
    ("POST", "/api/v1/mentorships/{pk}/resume"): (
        "/api/v1/mentorships/{mentorship}/resume", PARTIES, {},  # not paused: 422
    ),
    ("POST", "/api/v1/mentorships/{pk}/extend-pause"): (
        "/api/v1/mentorships/{mentorship}/extend-pause", PARTIES,
        {"resume_on": "2030-01-01"},  # not paused: 422
    ),
    ("POST", "/api/v1/mentorships/{pk}/closure-survey"): (
        "/api/v1/mentorships/{mentorship}/closure-survey", PARTIES,
        {"goals_reached": "partly", "would_recommend": "yes", "overall": 4},
    ),
    ("GET", "/api/v1/mentorships/{pk}/introductions"): (
        "/api/v1/mentorships/{mentorship}/introductions", PARTIES, None,
    ),
    ("POST", "/api/v1/mentorships/{pk}/introductions"): (
        "/api/v1/mentorships/{mentorship}/introductions", {"mentor"},
        {"colleague": "{third_mentor_id}", "note": "Talk about design"},
    ),
    ("POST", "/api/v1/mentorships/introductions/{introduction_id}/answer"): (
        "/api/v1/mentorships/introductions/{introduction}/answer", {"employee"},
        {"accept": True},
    ),
    ("POST", "/api/v1/mentorships/{pk}/reach-out"): (
        "/api/v1/mentorships/{mentorship}/reach-out", ADMINS,
        {"to": "both", "subject": "Hello", "message": "How is it going?"},
    ),
    ("GET", "/api/v1/programs/{slug}/health"): ("/api/v1" + P + "/health", ADMINS, None),
    ("GET", "/api/v1/programs/{slug}/closure-surveys"): (
        "/api/v1" + P + "/closure-surveys", ADMINS, None,
    ),
    ("GET", "/api/v1/programs/{slug}/health/rules"): (
        "/api/v1" + P + "/health/rules", ADMINS, None,
    ),
    ("PUT", "/api/v1/programs/{slug}/health/rules"): (
        "/api/v1" + P + "/health/rules", ADMINS, {"no_meeting_days": 30},
    ),
    ("GET", "/api/v1/notifications"): ("/api/v1/notifications", SIGNED_IN, None),
    ("POST", "/api/v1/notifications/{pk}/read"): (
        "/api/v1/notifications/{notification}/read", {"mentee"}, {},
    ),
    ("POST", "/api/v1/notifications/read-all"): ("/api/v1/notifications/read-all", SIGNED_IN, {}),
    ("GET", "/api/v1/notifications/preferences"): (
        "/api/v1/notifications/preferences", SIGNED_IN, None,
    ),
    ("PUT", "/api/v1/notifications/preferences"): (
        "/api/v1/notifications/preferences", SIGNED_IN, [{"kind": "thank_you", "channel": "off"}],
    ),
}  # fmt: skip

#: Routes that are not ours to rule: Django admin has its own permission system (site admins
#: only, checked in tests/core/test_permissions.py) and the API's own docs are public-read.
NOT_RULED = ("admin/", "api/v1/")


def page_routes() -> Iterator[tuple[str, str]]:
    """(method, route) of every page in the URL configuration; methods from the view's rules."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(NOT_RULED):
                    yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.callback

    for route, _view in walk(get_resolver().url_patterns, ""):
        for method in ("GET", "POST"):
            if (method, route) in RULES:
                yield method, route
                break
        else:
            yield "ANY", route


def api_operations() -> Iterator[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI schema."""
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield method.upper(), path


def test_every_route_has_a_rule() -> None:
    missing = [
        f"{method} {route}"
        for method, route in [*page_routes(), *api_operations()]
        if (method, route) not in RULES
    ]
    assert not missing, "give these routes a rule in RULES: " + ", ".join(missing)


def test_every_rule_names_a_route_that_exists() -> None:
    existing = {*page_routes(), *api_operations()}
    assert set(RULES) <= existing, set(RULES) - existing


@pytest.fixture
def world(db: None, kept_builds: KeptBuilds) -> dict[str, Any]:
    """One program with a request, a round with a published proposal and a mentorship: built
    once per test process, its rows written again for each test (``tests.kept_rows``)."""
    world: dict[str, Any] = kept_builds.get("permission matrix world", _build_world)
    return world


def _build_world() -> dict[str, Any]:
    program = ProgramFactory(name="Engineering Growth", slug="engineering-growth")
    other = ProgramFactory(name="Sales Academy", slug="sales-academy")
    people = {
        "employee": PersonFactory(first_name="Olga", last_name="Employee"),
        "mentee": PersonFactory(first_name="Mia", last_name="Mentee"),
        "mentor": PersonFactory(first_name="Max", last_name="Mentor", level=6),
        "second_mentor": PersonFactory(first_name="Mo", last_name="Second", level=5),
        "third_mentor": PersonFactory(first_name="Mae", last_name="Third", level=5),
        "other_participant": PersonFactory(first_name="Otto", last_name="Other"),
        "program_admin": PersonFactory(first_name="Ada", last_name="Admin"),
        "other_admin": PersonFactory(first_name="Quinn", last_name="Otheradmin"),
    }
    people["site_admin"] = PersonFactory(
        first_name="Sid", last_name="Superuser", user__is_staff=True, user__is_superuser=True
    )
    for admin, runs in (("program_admin", program), ("other_admin", other)):
        people[admin].user.groups.add(hr_group())
        runs.admins.add(people[admin])
    mentee_enrollment = EnrollmentFactory(program=program, person=people["mentee"], role="mentee")
    areas: list[FocusArea] = [
        FocusAreaFactory(enrollment=mentee_enrollment, position=i) for i in range(4)
    ]
    EnrollmentFactory(program=program, person=people["mentor"], role="mentor", mentor_capacity=3)
    for name in ("second_mentor", "third_mentor"):
        EnrollmentFactory(program=program, person=people[name], role="mentor", mentor_capacity=1)
    FocusAreaFactory(
        enrollment=EnrollmentFactory(
            program=program, person=people["other_participant"], role="mentee"
        )
    )
    applicant = EnrollmentFactory(
        program=program, person=PersonFactory(first_name="Abe"), role="mentor", status="pending"
    )

    request = request_services.request_create(
        mentee=people["mentee"], mentor=people["mentor"], focus_area=areas[0], message="Hello"
    )
    asked = request_services.request_create(
        mentee=people["mentee"], mentor=people["second_mentor"], focus_area=areas[2],
        message="Hi",
    )  # fmt: skip
    request_services.request_ask_info(request=asked, by=people["second_mentor"], question="Why me?")
    preview = round_services.round_start(program=program, by=people["program_admin"])
    published = round_services.round_resolve(
        matching_round=preview, by=people["program_admin"], objective="total", weights={}
    )
    # The round crosses Mia's open requests; keep them open (the rules below answer them).
    published = round_conflicts.round_decide_conflicts(
        matching_round=published, by=people["program_admin"],
        choices={c.focus_area_id: "keep" for c in round_conflicts.round_conflicts(published)},
    )  # fmt: skip
    round_services.round_publish(matching_round=published, by=people["program_admin"])
    proposal = published.proposals.filter(mentee=people["mentee"]).first()
    preview = round_services.round_start(program=program, by=people["program_admin"])
    mentorship = Mentorship.objects.create(
        program=program, mentee=people["mentee"], mentor=people["mentor"],
        focus_area=areas[1], source="request",
    )  # fmt: skip
    workspace = _workspace(mentorship)
    from mentorbridge.notifications.services import notify, unsubscribe_token

    notification = notify(
        user=people["mentee"].user, kind="checkin_due", key="matrix", title="Check-in due",
        url=f"/mentorships/{mentorship.pk}/",
    )  # fmt: skip
    assert notification is not None
    from mentorbridge.mentorships.appreciation.services import thank_you_send

    thanks = thank_you_send(mentorship=mentorship, by=people["mentee"], message="Thank you")
    from mentorbridge.mentorships.lifecycle.introductions import introduction_create

    introduction = introduction_create(
        mentorship=mentorship, by=people["mentor"], colleague=people["employee"], note="Talk"
    )
    from mentorbridge.accounts.services import api_token_create

    api_token_create(user=people["mentee"].user, name="script")
    from mentorbridge.mentorships.lifecycle.services import pause_answer_url

    token = people["mentee"].user.api_tokens.get()
    # Only the rows are kept for the next tests: every test meets the round's engine session
    # as after a restart (not kept in the process), the first one too.
    from mentorbridge.matching import sessions

    sessions.forget_all()
    return {
        "people": people,
        "program": program,
        "ids": {
            "area": areas[0].pk,
            "spare_area": areas[3].pk,
            "request": request.pk,
            "asked_request": asked.pk,
            "round": preview.pk,
            "published_round": published.pk,
            "proposal": proposal.pk if proposal else 0,
            "mentorship": mentorship.pk,
            "other_enrollment": applicant.pk,
            "token": token.pk,
            "mentee_id": people["mentee"].employee_id,
            "mentor_id": people["mentor"].employee_id,
            "third_mentor_id": people["third_mentor"].employee_id,
            "employee_id": people["employee"].employee_id,
            "notification": notification.pk,
            "thanks": thanks.pk,
            "introduction": introduction.pk,
            "unsubscribe_token": unsubscribe_token(people["mentee"].user.pk, "checkin_due"),
            "pause_answer": pause_answer_url(mentorship, people["mentee"], "resume"),
            **workspace,
        },
    }


def _workspace(mentorship: Mentorship) -> dict[str, Any]:
    """An agreement in two versions and a goal with one milestone reached, one open."""
    import dataclasses

    from mentorbridge.mentorships.agreements import services as agreements
    from mentorbridge.mentorships.goals import services as goals

    first = agreements.agreement_draft(mentorship=mentorship, by=mentorship.mentee)
    terms = dataclasses.replace(
        agreements.AgreementTerms.of(first), video_link="https://meet.example.com/x"
    )
    agreements.agreement_change(mentorship=mentorship, by=mentorship.mentor, terms=terms)
    goal = goals.goal_create(
        mentorship=mentorship, by=mentorship.mentee, description="Lead a review",
        milestones=["Shadow one", "Lead one"],
    )  # fmt: skip
    done, still_open = goal.milestones.order_by("pk")
    goals.milestone_tick(milestone=done, by=mentorship.mentee)
    return {
        "goal": goal.pk, "done_milestone": done.pk, "open_milestone": still_open.pk,
        **_meetings(mentorship),
    }  # fmt: skip


def _meetings(mentorship: Mentorship) -> dict[str, Any]:
    """A planned meeting with an agenda item, a past one, an open and a done action item,
    and the mentee's calendar feed."""
    import datetime

    from django.utils import timezone

    from mentorbridge.mentorships.actions import services as actions
    from mentorbridge.mentorships.calendar.services import calendar_feed_for
    from mentorbridge.mentorships.meetings import services as meetings

    mentee = mentorship.mentee
    now = timezone.now()
    planned = meetings.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=now + datetime.timedelta(days=3)
    )
    item = meetings.agenda_item_add(meeting=planned, by=mentee, text="Feedback")
    past = meetings.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=now + datetime.timedelta(days=1)
    )
    type(past).objects.filter(pk=past.pk).update(starts_at=now - datetime.timedelta(days=1))
    action = actions.action_item_add(mentorship=mentorship, by=mentee, title="Read", owner=mentee)
    done = actions.action_item_add(mentorship=mentorship, by=mentee, title="Ask", owner=mentee)
    actions.action_item_done(item=done, by=mentee)
    return {
        "meeting": planned.pk, "past_meeting": past.pk, "agenda_item": item.pk,
        "action": action.pk, "done_action": done.pk, "mentee_pk": mentee.pk,
        "feed_token": calendar_feed_for(person=mentee).token,
    }  # fmt: skip


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def _call(client: Client, method: str, url: str, body: Any) -> Any:
    if url.startswith("/api/"):
        if body == "csv":
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile(
                "people.csv", b"employee_id,email,first_name,last_name\n", "text/csv"
            )
            return client.post(url, {"file": upload})
        if method == "GET":
            return client.get(url)
        return getattr(client, method.lower())(url, body or {}, content_type="application/json")
    if method == "GET":
        return client.get(url)
    return client.post(url, body or {})


CASES = sorted(RULES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", CASES, ids=[f"{m} {r}" for m, r in CASES])
def test_each_persona_gets_exactly_the_access_it_should(
    world: dict[str, Any],
    client_for: Callable[[Person | None], Client],
    route: tuple[str, str],
    persona: str,
) -> None:
    url, allowed, body = RULES[route]
    ids = world["ids"]
    person = None if persona == "anonymous" else world["people"][persona]
    response = _call(client_for(person), route[0], _fill(url, ids), _fill(body, ids))
    status = response.status_code
    to_login = status == 302 and "/accounts/login/" in response.get("Location", "")
    shown = b"(streamed)" if getattr(response, "streaming", False) else response.content[:200]
    where = f"{route[0]} {url} as {persona}: {status} {shown!r}"
    if persona in allowed:
        # An allowed action may still be refused for what it asks now (422: already enrolled,
        # already mentored, not a preview any more): the permission check let it through.
        let_through = status < 400 or (route[0] != "GET" and status == 422)
        assert let_through and (not to_login or route == LOGOUT), where
    elif persona == "anonymous":
        assert to_login or status == 401, where
    else:
        assert status in (403, 404), where


def test_the_world_has_a_published_proposal_for_the_mentee(world: dict[str, Any]) -> None:
    # Without it the proposal rows above would test a missing object.
    assert world["ids"]["proposal"], "the round proposed nothing to the mentee"
