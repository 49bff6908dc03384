"""The virtual users of bench/load.py (run it, not this file: it builds the data, starts the
production server and passes the personas in ``LOAD_PERSONAS``).

Each user signs in through the sign-in page (or, for API clients, uses a personal token) and
then browses its own pages with 1–4 s of thought between them. The mix, by weight:

- employees (6): home, the directory searched by name, someone's profile, programs, notifications
- mentees (5) and mentors (4) of the running program (10,000 mentorships): home, my
  mentoring, the mentorship page, its meetings, notifications, own profile; mentors their inbox
- people finding a mentor (3) in the enrolling program (10,000 mentors): the program, the
  Find-a-mentor page for one of their focus areas, their requests
- API clients (3): me, people search, a profile, programs, their mentorship and its meetings,
  notifications
- a program admin (1): the program, its enrollments, overview, mentorship health, rounds
- a site admin (1): the audit log, the directory, programs

Every answer must be a 200 (redirects are not followed: a redirect to the sign-in page is a
failure). Requests go to 127.0.0.1 only, marked as coming through the TLS proxy
(``X-Forwarded-Proto: https``) as in production, so the session cookie is Secure: the cookie
header is kept by hand because the client will not send a Secure cookie over plain HTTP.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

PERSONAS: dict[str, Any] = json.loads(open(os.environ["LOAD_PERSONAS"]).read())  # noqa: SIM115
RANDOM = random.Random(int(os.environ.get("LOAD_SEED", "14")))
_NEXT: dict[str, itertools.count[int]] = {}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Endpoint names bench/load.py --exclude leaves out (the user thinks instead).
EXCLUDED = {name for name in os.environ.get("LOAD_EXCLUDE", "").split(",") if name}


def next_persona(role: str) -> dict[str, Any]:
    """The role's personas in turn, so concurrent users are different people."""
    counter = _NEXT.setdefault(role, itertools.count())
    people = PERSONAS[role]
    return dict(people[next(counter) % len(people)])


class Visitor(FastHttpUser):
    """A signed-in person in a browser."""

    abstract = True
    wait_time = between(1, 4)
    role = ""

    def on_start(self) -> None:
        self.me = next_persona(self.role)
        self.cookies: dict[str, str] = {}
        origin = self.host.replace("http://", "https://")
        page = self.page("/accounts/login/", name="/accounts/login/ (page)")
        token = CSRF.search(page)
        with self.client.post(
            "/accounts/login/",
            data=urlencode({
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.me["email"], "password": PERSONAS["password"],
            }),
            headers={**self.request_headers(), "Content-Type": "application/x-www-form-urlencoded",
                     "Origin": origin, "Referer": origin + "/accounts/login/"},
            allow_redirects=False, name="/accounts/login/ (sign in)", catch_response=True,
        ) as response:  # fmt: skip
            self.keep_cookies(response)
            if response.status_code != 302 or "sessionid" not in self.cookies:
                response.failure(f"sign-in failed for {self.me['email']}: {response.status_code}")

    def request_headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}

    def keep_cookies(self, response: Any) -> None:
        for header, value in response.headers.items():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value

    def page(self, path: str, name: str | None = None) -> str:
        if (name or path) in EXCLUDED:
            return ""
        with self.client.get(
            path, headers=self.request_headers(), allow_redirects=False, name=name or path,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            self.keep_cookies(response)
            return response.text or ""

    def search(self) -> None:
        query = RANDOM.choice(PERSONAS["queries"])
        self.page(f"/people/?{urlencode({'q': query})}", name="/people/?q=[name]")

    def someone(self) -> None:
        self.page(f"/people/{RANDOM.choice(PERSONAS['profiles'])}/", name="/people/[employee_id]/")


class Employee(Visitor):
    weight = 6
    role = "employees"

    @task(3)
    def home(self) -> None:
        self.page("/")

    @task(3)
    def directory(self) -> None:
        self.search()

    @task(3)
    def profile(self) -> None:
        self.someone()

    @task(1)
    def own_profile(self) -> None:
        self.page(f"/people/{self.me['employee_id']}/", name="/people/[employee_id]/ (own)")

    @task(1)
    def programs(self) -> None:
        self.page("/programs/")

    @task(1)
    def notifications(self) -> None:
        self.page("/notifications/")


class Participant(Visitor):
    abstract = True

    @task(3)
    def home(self) -> None:
        self.page("/")

    @task(2)
    def my_mentoring(self) -> None:
        self.page("/mentoring/mine/")

    @task(4)
    def mentorship(self) -> None:
        self.page(f"/mentorships/{self.me['mentorship']}/", name="/mentorships/[pk]/")

    @task(2)
    def meetings(self) -> None:
        self.page(
            f"/mentorships/{self.me['mentorship']}/meetings/", name="/mentorships/[pk]/meetings/"
        )

    @task(1)
    def agreement(self) -> None:
        self.page(
            f"/mentorships/{self.me['mentorship']}/agreement/versions/",
            name="/mentorships/[pk]/agreement/versions/",
        )

    @task(2)
    def notifications(self) -> None:
        self.page("/notifications/")

    @task(1)
    def profile(self) -> None:
        self.someone()


class Mentee(Participant):
    weight = 5
    role = "mentees"


class Mentor(Participant):
    weight = 4
    role = "mentors"

    @task(2)
    def inbox(self) -> None:
        self.page("/mentoring/inbox/")


class Seeker(Visitor):
    """A mentee of the enrolling program looking for a mentor among 10,000."""

    weight = 3
    role = "seekers"

    @task(2)
    def home(self) -> None:
        self.page("/")

    @task(1)
    def program(self) -> None:
        self.page(f"/programs/{self.me['program']}/", name="/programs/[slug]/")

    @task(4)
    def find(self) -> None:
        self.page(
            f"/programs/{self.me['program']}/find/{self.me['focus_area']}/",
            name="/programs/[slug]/find/[focus_area]/",
        )

    @task(1)
    def requests(self) -> None:
        self.page(f"/programs/{self.me['program']}/requests/", name="/programs/[slug]/requests/")

    @task(1)
    def profile(self) -> None:
        self.someone()


class ProgramAdmin(Visitor):
    weight = 1
    role = "program_admins"

    def program(self) -> str:
        return str(RANDOM.choice(self.me["programs"]))

    @task(2)
    def detail(self) -> None:
        self.page(f"/programs/{self.program()}/", name="/programs/[slug]/")

    @task(2)
    def enrollments(self) -> None:
        self.page(f"/programs/{self.program()}/enrollments/", name="/programs/[slug]/enrollments/")

    @task(1)
    def overview(self) -> None:
        self.page(f"/programs/{self.program()}/overview/", name="/programs/[slug]/overview/")

    @task(1)
    def health(self) -> None:
        self.page(f"/programs/{self.program()}/health/", name="/programs/[slug]/health/")

    @task(1)
    def rounds(self) -> None:
        self.page(f"/programs/{self.program()}/rounds/", name="/programs/[slug]/rounds/")


class SiteAdmin(Visitor):
    weight = 1
    role = "site_admins"

    @task(2)
    def audit(self) -> None:
        self.page("/audit/")

    @task(2)
    def directory(self) -> None:
        self.search()

    @task(1)
    def programs(self) -> None:
        self.page("/programs/")


class ApiClient(FastHttpUser):
    """A script with a personal token."""

    weight = 3
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.me = next_persona("api_clients")
        self.auth = {"Authorization": f"Bearer {self.me['token']}", "X-Forwarded-Proto": "https"}

    def page(self, path: str, name: str) -> None:
        if name in EXCLUDED:
            return
        with self.client.get(
            path, headers=self.auth, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    @task(2)
    def me(self) -> None:
        self.page("/api/v1/me", "/api/v1/me")

    @task(3)
    def people(self) -> None:
        query = RANDOM.choice(PERSONAS["queries"])
        self.page(f"/api/v1/people?{urlencode({'q': query})}", "/api/v1/people?q=[name]")

    @task(2)
    def person(self) -> None:
        self.page(f"/api/v1/people/{RANDOM.choice(PERSONAS['profiles'])}", "/api/v1/people/[id]")

    @task(1)
    def programs(self) -> None:
        self.page("/api/v1/programs", "/api/v1/programs")

    @task(2)
    def mentorship(self) -> None:
        self.page(f"/api/v1/mentorships/{self.me['mentorship']}", "/api/v1/mentorships/[pk]")

    @task(2)
    def meetings(self) -> None:
        self.page(
            f"/api/v1/mentorships/{self.me['mentorship']}/meetings",
            "/api/v1/mentorships/[pk]/meetings",
        )

    @task(1)
    def notifications(self) -> None:
        self.page("/api/v1/notifications", "/api/v1/notifications")
