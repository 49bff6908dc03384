"""Agreement pages: draft, change, confirm, versions and the comparison."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.mentorships.agreements.models import AgreementVersion
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db

TERMS = {
    "mentee_hopes": "Get better at system design", "mentor_hopes": "Practise coaching",
    "cadence": "biweekly", "meeting_minutes": "45", "channel": "video",
    "video_link": "https://meet.example.com/mia-max", "duration_weeks": "26",
    "confidentiality": "Between us.", "feedback": "Five minutes at the end.",
    "points": "Come prepared\nCancel a day ahead", "change_note": "Filled in",
}  # fmt: skip


def test_draft_edit_and_confirm_by_both_shows_the_agreement_in_force(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    mia, max_ = client_for(mentee), client_for(mentor)
    response = mia.post(base + "/agreement/draft/")
    assert response["Location"] == base + "/agreement/edit/"
    form = mia.get(base + "/agreement/edit/").content.decode()
    assert "What Mia wants from it" in form and "Save as version 2" in form
    assert max_.post(base + "/agreement/edit/", TERMS).status_code == 302
    page = max_.post(base + "/agreement/confirm/", {"number": 2}, follow=True).content.decode()
    assert "It is in force once Mia confirms too." in page
    assert "Version 2 waits for Mia" in page
    page = mia.post(base + "/agreement/confirm/", {"number": 2}, follow=True).content.decode()
    assert "Confirmed by both of you: the agreement is in force." in page
    assert "In force · version 2" in page
    assert "Cancel a day ahead" in page and "meet.example.com/mia-max" in page


def test_a_bad_change_keeps_what_you_typed_and_names_the_field(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    client = client_for(mentee)
    client.post(base + "/agreement/draft/")
    response = client.post(base + "/agreement/edit/", {**TERMS, "ends_on": "2001-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end date must be after the mentorship started" in body
    assert "Practise coaching" in body
    assert AgreementVersion.objects.count() == 1


def test_confirming_a_stale_version_says_which_to_read(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    client_for(mentee).post(base + "/agreement/draft/")
    client_for(mentor).post(base + "/agreement/edit/", TERMS)
    page = client_for(mentee).post(base + "/agreement/confirm/", {"number": 1}, follow=True)
    assert "read version 2 and confirm that one" in page.content.decode()


def test_versions_are_listed_and_any_two_compared_word_by_word(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    client = client_for(mentee)
    client.post(base + "/agreement/draft/")
    client.post(base + "/agreement/edit/", TERMS)
    client.post(base + "/agreement/edit/", {**TERMS, "cadence": "weekly", "change_note": "More"})
    listing = client.get(base + "/agreement/versions/").content.decode()
    assert "Version 3" in listing and "“More”" in listing
    compare = client.get(base + "/agreement/compare/?from=1&to=3").content.decode()
    assert "<ins>Come prepared\nCancel a day ahead</ins>" in compare
    compare = client.get(base + "/agreement/compare/?from=2&to=3").content.decode()
    assert "<del>Every two weeks</del><ins>Weekly</ins>" in compare
    assert "Come prepared" not in compare  # unchanged fields are not repeated
    assert client.get(base + "/agreement/compare/?from=2&to=9").status_code == 404
    assert client.get(base + "/agreement/versions/1/").status_code == 200


def test_program_admins_set_the_template_new_agreements_start_from(
    client_for: Callable[[Person | None], Client],
    program: Program,
    program_admin: Person,
    mentorship: Mentorship,
    mentee: Person,
) -> None:
    admin = client_for(program_admin)
    edit = admin.get("/programs/engineering-growth/edit/").content.decode()
    assert "Agreement template" in edit
    data = {
        "points": "Meet at least monthly", "meeting_minutes": "30", "channel": "phone",
        "confidentiality": "Private.", "feedback": "Ask each time.",
    }  # fmt: skip
    response = admin.post("/programs/engineering-growth/agreement-template/", data)
    assert response.status_code == 302
    bad = admin.post(
        "/programs/engineering-growth/agreement-template/", {**data, "meeting_minutes": "5"}
    )
    assert bad.status_code == 400
    assert "Ensure this value is greater than or equal to 15." in bad.content.decode()
    client_for(mentee).post(f"/mentorships/{mentorship.pk}/agreement/draft/")
    version = AgreementVersion.objects.get()
    assert (version.points, version.meeting_minutes, version.channel) == (
        "Meet at least monthly", 30, "phone",
    )  # fmt: skip


@pytest.mark.parametrize("persona", ["outsider", "mentee", "mentor"])
def test_only_program_admins_set_the_template(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    persona: str,
) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.post("/programs/engineering-growth/agreement-template/", {"points": "x"})
    assert response.status_code in (403, 404)


def test_each_reader_sees_when_a_version_was_written_on_their_own_clock_named(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    client_for(mentee).post(base + "/agreement/draft/")
    written = datetime.datetime(2026, 12, 4, 14, 5, tzinfo=datetime.UTC)
    AgreementVersion.objects.filter(mentorship=mentorship).update(created_at=written)
    mentee.timezone = "Europe/Berlin"
    mentee.save()
    mentor.timezone = "America/New_York"
    mentor.save()
    for person, clock in ((mentee, "4 Dec 2026, 15:05 CET"), (mentor, "4 Dec 2026, 09:05 EST")):
        listing = client_for(person).get(base + "/agreement/versions/").content.decode()
        version = client_for(person).get(base + "/agreement/versions/1/").content.decode()
        assert clock in listing and clock in version, (person, clock)
