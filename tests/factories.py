"""factory_boy factories for the models tests need."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.hashers import make_password

from mentorbridge.accounts.models import User
from mentorbridge.people.models import Department, Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = "Engineering"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    employee_id = factory.Sequence(lambda n: f"T{n:05d}")
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = "Example"
    job_title = "Software Engineer"
    department = factory.SubFactory(DepartmentFactory)
    location = "Berlin"
    timezone = "Europe/Berlin"
    languages = factory.LazyFunction(lambda: ["en"])
    level = 3
    hire_date = datetime.date(2020, 1, 15)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Growth Program {n}")
    slug = factory.Sequence(lambda n: f"growth-program-{n}")
    description = "Grow with a mentor."
    kind = "traditional"
    status = "enrolling"
    max_mentees_per_mentor = 3
    max_mentors_per_mentee = 2


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(PersonFactory)
    role = "mentee"
    status = "active"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    enrollment = factory.SubFactory(EnrollmentFactory)
    title = "Grow into a tech lead"
