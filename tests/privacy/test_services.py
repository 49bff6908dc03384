"""Exporting and erasing a person through every app's registered personal data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorbridge.accounts.models import User
from mentorbridge.audit.models import AuditAction, AuditEvent
from mentorbridge.core.personal_data import personal_data_sources
from mentorbridge.matching.models import MentorRequest, RequestStatus
from mentorbridge.mentorships.meetings.services import meeting_plan
from mentorbridge.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Goal,
    Meeting,
    Mentorship,
    PrivateNote,
    SharedNote,
    ThankYouNote,
)
from mentorbridge.mentorships.notes.services import private_note_save, shared_note_add
from mentorbridge.outbox.models import MessageStatus, OutboxMessage
from mentorbridge.people.models import Person
from mentorbridge.privacy.models import ErasureRecord
from mentorbridge.privacy.services import (
    ALREADY_ERASED,
    NOT_YOURSELF,
    person_erase,
    personal_data_download,
    personal_data_export,
)
from mentorbridge.programs.models import Enrollment, FocusArea
from tests.privacy.world import World

pytestmark = pytest.mark.django_db


def test_every_app_with_personal_data_registers_it() -> None:
    assert [s.name for s in personal_data_sources()] == [
        "profile", "requests_and_proposals", "mentorships", "enrollments", "notifications",
        "account", "emails", "audit_log",
    ]  # fmt: skip


def test_the_export_holds_every_section_with_what_the_person_wrote(world: World) -> None:
    document = personal_data_export(person=world.mentee)
    sections = document["sections"]
    assert sections["profile"]["data"]["bio"] == "I love sailing on Lake Constance."
    assert sections["account"]["data"]["email"] == "mia@example.com"
    assert sections["account"]["data"]["api_tokens"][0]["name"] == "my script"
    messages = [r["message"] for r in sections["requests_and_proposals"]["data"]["requests"]]
    assert messages == ["Mia here: please mentor me", "Mia again"]
    (mentorship,) = sections["mentorships"]["data"]["mentorships"]
    assert mentorship["goals"][0]["description"] == "Lead the design review"
    assert mentorship["agreement_versions"][0]["number"] == 1
    titles = [a["title"] for e in sections["enrollments"]["data"] for a in e["focus_areas"]]
    assert "Become a staff engineer at Larkfield" in titles
    assert sections["emails"]["data"], "the emails to Mia are part of her data"


def test_the_download_is_json_and_is_audited(world: World) -> None:
    document = json.loads(personal_data_download(person=world.mentee))
    assert document["format"] == "mentorbridge-personal-data/1"
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_DOWNLOADED).count() == 1


def test_the_export_holds_nothing_of_other_peoples_private_notes(world: World) -> None:
    text = personal_data_download(person=world.mentor).decode()
    assert "my script" not in text  # Mia's token
    assert "Mia again" not in text  # Mia's request to someone else


def erase(world: World, by: Person) -> ErasureRecord:
    return person_erase(person=world.mentee, by=by.user, confirm="Mia Mentee")


def test_erasing_anonymises_the_profile_and_switches_off_the_account(
    world: World, site_admin: Person
) -> None:
    erase(world, site_admin)
    mia = Person.objects.get(pk=world.mentee.pk)
    assert mia.full_name == f"Erased person #{mia.pk}"
    assert mia.employee_id == f"erased-{mia.pk}"
    assert (mia.bio, mia.career_goals, mia.expertise, mia.job_title) == ("", "", [], "")
    assert not mia.person_skills.exists() and not mia.is_active
    user = User.objects.get(pk=mia.user_id)
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert not user.is_active and not user.has_usable_password()
    assert not user.api_tokens.exists()


def test_erasing_keeps_the_figures_that_include_the_person(
    world: World, site_admin: Person
) -> None:
    before = (
        Mentorship.objects.count(), MentorRequest.objects.count(), Enrollment.objects.count(),
        FocusArea.all_objects.count(),
    )  # fmt: skip
    erase(world, site_admin)
    after = (
        Mentorship.objects.count(), MentorRequest.objects.count(), Enrollment.objects.count(),
        FocusArea.all_objects.count(),
    )  # fmt: skip
    assert before == after
    mentorship = Mentorship.objects.get(pk=world.mentorship.pk)
    assert mentorship.status == "ended" and mentorship.end_reason == ""
    assert MentorRequest.objects.get(pk=world.open_request.pk).status == RequestStatus.WITHDRAWN


def test_erasing_deletes_private_content_and_the_words_of_requests(
    world: World, site_admin: Person
) -> None:
    erase(world, site_admin)
    assert not Goal.objects.filter(mentorship=world.mentorship).exists()
    assert not AgreementVersion.objects.filter(mentorship=world.mentorship).exists()
    assert set(MentorRequest.objects.values_list("message", flat=True)) == {""}
    assert set(
        FocusArea.all_objects.filter(enrollment__person=world.mentee).values_list(
            "title", flat=True
        )
    ) == {"Erased focus area"}


def test_erasing_redacts_the_person_from_stored_emails(world: World, site_admin: Person) -> None:
    erase(world, site_admin)
    assert not OutboxMessage.objects.filter(to="mia@example.com").exists()
    for message in OutboxMessage.objects.all():
        assert "Mia Mentee" not in message.subject + message.body + message.html_body
        assert "mia@example.com" not in message.body
    unsent = OutboxMessage.objects.filter(to__startswith="erased-")
    assert unsent.exists()
    assert not unsent.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING]).exists()


def test_erasing_is_audited_and_the_log_no_longer_names_the_person(
    world: World, site_admin: Person
) -> None:
    erase(world, site_admin)
    event = AuditEvent.objects.get(action=AuditAction.PERSON_ERASED)
    assert event.actor == site_admin.user
    assert event.details["employee_id"].startswith("T")  # the ID HR knew them by
    for other in AuditEvent.objects.all():
        assert "mia@example.com" not in other.summary + other.actor_label + other.target_label
        assert "Mia Mentee" not in other.summary + other.target_label


def test_erasing_needs_the_persons_name_or_employee_id(world: World, site_admin: Person) -> None:
    with pytest.raises(ValidationError) as refused:
        person_erase(person=world.mentee, by=site_admin.user, confirm="Mia")
    assert "confirm" in refused.value.message_dict
    person_erase(person=world.mentee, by=site_admin.user, confirm=world.mentee.employee_id.lower())
    assert ErasureRecord.objects.filter(person=world.mentee).exists()


def test_a_person_is_erased_once(world: World, site_admin: Person) -> None:
    erase(world, site_admin)
    mia = Person.objects.get(pk=world.mentee.pk)
    with pytest.raises(ValidationError, match="was already erased on"):
        person_erase(person=mia, by=site_admin.user, confirm=mia.full_name)
    assert ALREADY_ERASED.startswith("{label}")


def test_nobody_erases_themselves_and_only_site_admins_erase(
    world: World, site_admin: Person, program_admin: Person
) -> None:
    with pytest.raises(ValidationError, match=NOT_YOURSELF):
        person_erase(person=site_admin, by=site_admin.user, confirm="Sid Superuser")
    with pytest.raises(PermissionDenied):
        person_erase(person=world.mentee, by=program_admin.user, confirm="Mia Mentee")
    assert not ErasureRecord.objects.exists()


def test_a_failing_step_erases_nothing(
    world: World, site_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorbridge.outbox import personal_data

    def broken(erasure: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        "mentorbridge.core.personal_data._SOURCES",
        {
            **{s.name: s for s in personal_data_sources()},
            "emails": personal_data_sources()[0].__class__(
                "emails", "Emails", personal_data.export, broken, 60
            ),
        },
    )
    with pytest.raises(RuntimeError):
        erase(world, site_admin)
    mia = Person.objects.get(pk=world.mentee.pk)
    assert mia.full_name == "Mia Mentee" and mia.is_active
    assert Goal.objects.filter(mentorship=world.mentorship).exists()
    assert not ErasureRecord.objects.exists()


def test_private_notes_are_exported_to_their_author_only(world: World) -> None:
    meeting = plan_meeting(world)
    private_note_save(meeting=meeting, by=world.mentee, text="Max talks too fast")
    private_note_save(meeting=meeting, by=world.mentor, text="Mia seems tired")
    mine = personal_data_export(person=world.mentee)["sections"]["mentorships"]["data"]
    assert [n["text"] for n in mine["private_notes"]] == ["Max talks too fast"]
    assert "Mia seems tired" not in personal_data_download(person=world.mentee).decode()


def test_erasing_deletes_the_persons_private_notes_and_the_shared_ones_keeping_meetings(
    world: World, site_admin: Person
) -> None:
    meeting = plan_meeting(world)
    private_note_save(meeting=meeting, by=world.mentee, text="Max talks too fast")
    private_note_save(meeting=meeting, by=world.mentor, text="My own reminder")
    shared_note_add(meeting=meeting, by=world.mentee, text="We agreed on a reading list")
    erase(world, site_admin)
    assert not PrivateNote.objects.filter(author=world.mentee).exists()
    assert PrivateNote.objects.filter(author=world.mentor).count() == 1  # the mentor's own
    assert not SharedNote.objects.filter(meeting=meeting).exists()
    kept = Meeting.objects.get(pk=meeting.pk)
    assert kept.minutes == meeting.minutes and kept.place == ""


def plan_meeting(world: World) -> Meeting:
    return meeting_plan(
        mentorship=world.mentorship, by=world.mentee,
        starts_at=timezone.now() + timedelta(days=3), channel="in_person", place="Room 4",
    )  # fmt: skip


def test_erasing_keeps_check_in_ratings_without_words_and_deletes_thanks(
    world: World, site_admin: Person
) -> None:
    checkin = CheckIn.objects.create(
        mentorship=world.mentorship, person=world.mentee, occasion="scheduled-1",
        satisfaction=4, progress=3, working="yes", text="Max is great",
    )  # fmt: skip
    ThankYouNote.objects.create(
        mentorship=world.mentorship, author=world.mentor, recipient=world.mentee,
        message="Thanks Mia",
    )  # fmt: skip
    exported = personal_data_export(person=world.mentee)["sections"]["mentorships"]["data"]
    assert exported["checkins"][0]["text"] == "Max is great"
    assert exported["thank_you_notes"][0]["message"] == "Thanks Mia"
    erase(world, site_admin)
    checkin.refresh_from_db()
    assert (checkin.satisfaction, checkin.text) == (4, "")
    assert not ThankYouNote.objects.exists()
