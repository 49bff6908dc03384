"""A mentee (Mia) with a bit of everything: a profile, a request with a message, a live
mentorship with an agreement and a goal, emails, an API token and audit events."""

from __future__ import annotations

from dataclasses import dataclass

from mentorbridge.accounts.services import api_token_create
from mentorbridge.matching.models import MentorRequest
from mentorbridge.matching.services import requests as request_services
from mentorbridge.mentorships.agreements import services as agreements
from mentorbridge.mentorships.goals import services as goals
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory


@dataclass
class World:
    mentee: Person
    mentor: Person
    other_mentor: Person
    mentorship: Mentorship
    open_request: MentorRequest


def build_world(program: Program, mentee: Person, mentor: Person) -> World:
    mentee.bio = "I love sailing on Lake Constance."
    mentee.save(update_fields=["bio"])
    person_set_skills(person=mentee, skills=[SkillEntry("Python", 4)])
    area = mentee.enrollments.get().focus_areas.get()
    area.title = "Become a staff engineer at Larkfield"
    area.save()
    accepted = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=area, message="Mia here: please mentor me"
    )
    mentorship = request_services.request_accept(request=accepted, by=mentor)
    agreements.agreement_draft(mentorship=mentorship, by=mentee)
    goals.goal_create(mentorship=mentorship, by=mentee, description="Lead the design review")
    other_mentor = PersonFactory(first_name="Otis", last_name="Other", level=7)
    EnrollmentFactory(program=program, person=other_mentor, role="mentor", mentor_capacity=2)
    second_area = FocusAreaFactory(enrollment=mentee.enrollments.get(), title="Public speaking")
    open_request = request_services.request_create(
        mentee=mentee, mentor=other_mentor, focus_area=second_area, message="Mia again"
    )
    api_token_create(user=mentee.user, name="my script")
    assert OutboxMessage.objects.filter(to="mia@example.com").exists()
    return World(mentee, mentor, other_mentor, mentorship, open_request)
