"""Group mentorships: who may add a mentee, the mentor's places, and every member as a full
participant of the one workspace (agreement, meetings, emails, calendar), with private notes
still their author's alone."""

from __future__ import annotations

import dataclasses
import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorbridge.mentorships.access import access_to, mentorships_of, participants
from mentorbridge.mentorships.agreements import services as agreements
from mentorbridge.mentorships.agreements.selectors import AgreementStage, agreement_state
from mentorbridge.mentorships.calendar.ics import feed_ics
from mentorbridge.mentorships.calendar.selectors import feed_meetings
from mentorbridge.mentorships.groups.services import (
    group_member_add,
    group_member_remove,
    person_named,
)
from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.models import Mentorship, MentorshipMember
from mentorbridge.mentorships.notes import services as notes
from mentorbridge.mentorships.notes.selectors import private_note_text
from mentorbridge.mentorships.services import places_taken
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _enrolled_mentee(program: Program, first_name: str) -> Person:
    person = PersonFactory(first_name=first_name, last_name="Extra")
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=person, role="mentee"))
    return person


def test_a_member_is_a_participant_listed_after_the_first_mentee(
    group: Mentorship, mentee: Person, member: Person, mentor: Person
) -> None:
    assert [p.pk for p in participants(group)] == [mentee.pk, member.pk, mentor.pk]
    assert group.is_group
    assert list(mentorships_of(member)) == [group]


def test_the_mentor_adds_a_mentee_who_then_takes_one_of_the_mentors_places(
    mentorship: Mentorship, member: Person, mentor: Person, program: Program
) -> None:
    assert places_taken(program, mentor) == 1
    group_member_add(mentorship=mentorship, person=member, by=mentor.user)
    assert places_taken(program, mentor) == 2


def test_a_full_mentor_takes_no_one_more_and_nothing_is_written(
    group: Mentorship, mentor: Person, program: Program
) -> None:
    third = _enrolled_mentee(program, "Tia")
    with pytest.raises(ValidationError) as caught:  # capacity 2: Mia and Gus
        group_member_add(mentorship=group, person=third, by=mentor.user)
    assert "no mentee places left" in str(caught.value)
    assert MentorshipMember.objects.filter(person=third).count() == 0


def test_a_program_admin_and_a_site_admin_add_members(
    mentorship: Mentorship, program: Program, program_admin: Person, site_admin: Person,
    mentor: Person,
) -> None:  # fmt: skip
    from mentorbridge.programs.models import Enrollment

    Enrollment.objects.filter(person=mentor, program=program).update(mentor_capacity=3)
    group_member_add(
        mentorship=mentorship, person=_enrolled_mentee(program, "Ana"), by=program_admin.user
    )
    group_member_add(
        mentorship=mentorship, person=_enrolled_mentee(program, "Ben"), by=site_admin.user
    )
    assert mentorship.members.count() == 2


def test_mentees_and_outsiders_cannot_add_anyone(
    mentorship: Mentorship, mentee: Person, member: Person, outsider: Person
) -> None:
    for user in (mentee.user, outsider.user):
        with pytest.raises(PermissionDenied):
            group_member_add(mentorship=mentorship, person=member, by=user)
    assert not mentorship.members.exists()


def test_someone_not_enrolled_as_a_mentee_is_refused_with_the_reason(
    mentorship: Mentorship, mentor: Person, outsider: Person
) -> None:
    with pytest.raises(ValidationError) as caught:
        group_member_add(mentorship=mentorship, person=outsider, by=mentor.user)
    assert caught.value.message_dict["person"] == [
        "Olga Outsider is not an enrolled mentee in Engineering Growth: invite them to the "
        "program first."
    ]


def test_the_mentors_own_report_cannot_join(
    mentorship: Mentorship, mentor: Person, program: Program
) -> None:
    report = _enrolled_mentee(program, "Rae")
    report.manager = mentor
    report.save()
    with pytest.raises(ValidationError, match="same reporting line"):
        group_member_add(mentorship=mentorship, person=report, by=mentor.user)


def test_nobody_joins_twice_or_an_ended_mentorship(
    group: Mentorship, member: Person, mentor: Person, mentee: Person
) -> None:
    with pytest.raises(ValidationError, match="already in this mentorship"):
        group_member_add(mentorship=group, person=member, by=mentor.user)
    with pytest.raises(ValidationError, match="already in this mentorship"):
        group_member_add(mentorship=group, person=mentee, by=mentor.user)
    Mentorship.objects.filter(pk=group.pk).update(status="ended")
    group_member_remove(mentorship=group, person=member, by=member.user)
    with pytest.raises(ValidationError, match="has ended"):
        group_member_add(mentorship=group, person=member, by=mentor.user)


def test_people_are_found_by_work_email_or_employee_id_and_unknown_ones_are_named(
    member: Person,
) -> None:
    assert person_named(" GUS@example.com ") == member
    assert person_named(member.employee_id) == member
    with pytest.raises(ValidationError) as caught:
        person_named("nobody@example.com")
    assert "“nobody@example.com”" in caught.value.message_dict["person"][0]


def test_a_member_leaves_and_loses_access_and_the_place_frees_up(
    group: Mentorship, member: Person, mentor: Person, program: Program
) -> None:
    group_member_remove(mentorship=group, person=member, by=member.user)
    fresh = Mentorship.objects.get(pk=group.pk)
    assert access_to(member.user, fresh) is None
    assert places_taken(program, mentor) == 1


def test_only_the_mentor_and_admins_take_someone_else_out_and_never_the_first_mentee(
    group: Mentorship, member: Person, mentee: Person, mentor: Person
) -> None:
    with pytest.raises(PermissionDenied):
        group_member_remove(mentorship=group, person=member, by=mentee.user)
    with pytest.raises(ValidationError, match="started with"):
        group_member_remove(mentorship=group, person=mentee, by=mentor.user)
    group_member_remove(mentorship=group, person=member, by=mentor.user)
    assert not group.members.exists()


def test_the_agreement_is_in_force_only_once_every_member_confirmed(
    group: Mentorship, mentee: Person, member: Person, mentor: Person
) -> None:
    version = agreements.agreement_draft(mentorship=group, by=mentor)
    version = agreements.agreement_change(
        mentorship=group, by=mentor,
        terms=dataclasses.replace(
            agreements.AgreementTerms.of(version),
            video_link="https://meet.example.com/group", place="Room 4",
        ),
    )  # fmt: skip
    for person in (mentor, mentee):
        agreements.agreement_confirm(mentorship=group, by=person, number=version.number)
    state = agreement_state(group)
    assert state.stage is AgreementStage.AWAITING
    assert [p.pk for p in state.waiting_for] == [member.pk]
    agreements.agreement_confirm(mentorship=group, by=member, number=version.number)
    assert agreement_state(group).stage is AgreementStage.CONFIRMED


def test_every_other_member_is_emailed_a_planned_meeting_with_its_invitation(
    group: Mentorship, mentee: Person, member: Person, mentor: Person
) -> None:
    meetings.meeting_plan(
        mentorship=group, by=mentor, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    sent = OutboxMessage.objects.filter(subject__contains="planned a mentoring meeting")
    assert sorted(m.to for m in sent) == sorted([mentee.email, member.email])
    assert all(m.attachments[0]["filename"] == "invite.ics" for m in sent)


def test_the_feed_of_every_member_shows_the_groups_meetings_with_everyone_attending(
    group: Mentorship, mentee: Person, member: Person, mentor: Person
) -> None:
    planned = meetings.meeting_plan(
        mentorship=group, by=member, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    for person in (mentee, member, mentor):
        calendar = icalendar.Calendar.from_ical(feed_ics(person, feed_meetings(person)))
        (event,) = calendar.walk("VEVENT")
        assert str(event["uid"]).startswith(f"meeting-{planned.pk}@")
        attendees = {str(a).removeprefix("mailto:") for a in event.get("attendee")}
        assert attendees == {mentee.email, member.email, mentor.email}
        others = [p.full_name for p in (mentee, member, mentor) if p.pk != person.pk]
        assert str(event["summary"]) == f"Mentoring meeting with {others[0]} and {others[1]}"


def test_a_members_private_note_is_read_by_its_author_alone(
    group: Mentorship, mentee: Person, member: Person, mentor: Person
) -> None:
    held = meetings.meeting_log(
        mentorship=group, by=member, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    notes.private_note_save(meeting=held, by=member, text="Gus's own worry")
    assert private_note_text(held, member) == "Gus's own worry"
    assert private_note_text(held, mentee) == ""
    assert private_note_text(held, mentor) == ""


def test_a_members_data_export_holds_the_group_without_the_others_private_notes(
    group: Mentorship, mentee: Person, member: Person
) -> None:
    from mentorbridge.mentorships.personal_data import export

    held = meetings.meeting_log(
        mentorship=group, by=mentee, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    notes.private_note_save(meeting=held, by=mentee, text="Mia's own worry")
    data = export(member)
    (row,) = data["mentorships"]
    assert row["as"] == "mentee" and row["group_members"] == ["Gus Member"]
    assert "Mia's own worry" not in str(data)


def test_matching_counts_group_members_in_the_mentors_places(
    group: Mentorship, mentor: Person, program: Program
) -> None:
    from mentorbridge.matching.adapter import program_instance
    from mentorbridge.matching.selectors import mentor_places

    (places,) = mentor_places(mentor)
    assert (places.used, places.capacity) == (2, 2)
    instance = program_instance(program)
    assert mentor.employee_id not in {str(m["id"]) for m in instance["mentors"]}
    gus = group.group_members[0].person
    group_member_remove(mentorship=group, person=gus, by=mentor.user)
    freed = {str(m["id"]): m["capacity"] for m in program_instance(program)["mentors"]}
    assert freed[mentor.employee_id] == 1


@pytest.mark.parametrize("erased", ["member", "mentee", "mentor"])
def test_erasing_one_person_of_a_group_deletes_only_their_words_and_keeps_the_others(
    group: Mentorship,
    mentee: Person,
    member: Person,
    mentor: Person,
    site_admin: Person,
    erased: str,
) -> None:
    from mentorbridge.mentorships.models import AgendaItem, SharedNote
    from mentorbridge.privacy.services import person_erase

    people = {"member": member, "mentee": mentee, "mentor": mentor}
    planned = meetings.meeting_plan(
        mentorship=group, by=mentor, starts_at=timezone.now() + datetime.timedelta(days=2),
        place="Room 4",
    )  # fmt: skip
    for person in people.values():
        meetings.agenda_item_add(meeting=planned, by=person, text=f"{person.first_name}'s topic")
    held = meetings.meeting_log(
        mentorship=group, by=mentor, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    for person in people.values():
        notes.shared_note_add(meeting=held, by=person, text=f"{person.first_name}'s note")
        notes.private_note_save(meeting=held, by=person, text=f"{person.first_name}'s secret")
    gone = people[erased]
    person_erase(person=gone, by=site_admin.user, confirm=gone.full_name)

    kept = {p.first_name for key, p in people.items() if key != erased}
    agenda = AgendaItem.objects.filter(meeting=planned).values_list("text", flat=True)
    assert sorted(agenda) == sorted(f"{name}'s topic" for name in kept)
    shared = SharedNote.objects.filter(meeting=held).values_list("text", flat=True)
    assert sorted(shared) == sorted(f"{name}'s note" for name in kept)
    for key, person in people.items():
        expected = "" if key == erased else f"{person.first_name}'s secret"
        assert private_note_text(held, person) == expected
    planned.refresh_from_db()
    assert planned.place == "Room 4"  # the group's logistics stay for the others


def test_a_member_who_left_still_downloads_their_private_notes(
    group: Mentorship, member: Person
) -> None:
    from mentorbridge.privacy.services import personal_data_export

    held = meetings.meeting_log(
        mentorship=group, by=member, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    notes.private_note_save(meeting=held, by=member, text="Gus's own worry")
    group_member_remove(mentorship=group, person=member, by=member.user)
    sections = personal_data_export(person=member)["sections"]
    texts = [n["text"] for n in sections["mentorships"]["data"]["private_notes"]]
    assert texts == ["Gus's own worry"]
