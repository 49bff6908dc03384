"""HRIS import: all or nothing, row-level errors, idempotent, managers in any order."""

from __future__ import annotations

import pytest

from mentorbridge.accounts.models import User
from mentorbridge.people import importing
from mentorbridge.people.importing import import_people
from mentorbridge.people.models import Department, Person, PersonSkill
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "employee_id,email,first_name,last_name,job_title,department,timezone,level,manager_id,skills,languages\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


GOOD = csv(
    "E3,carol@acme.example,Carol,Chen,Engineer,Engineering,Europe/Berlin,3,E2,Python:4; JS:2,en;German",
    "E1,alice@acme.example,Alice,Able,CEO,Leadership,America/New_York,8,,Leadership:5,en",
    "E2,bob@acme.example,Bob,Brown,VP Engineering,Engineering,Europe/London,7,E1,k8s:3,en",
)


def test_it_creates_people_with_managers_in_any_row_order() -> None:
    report = import_people(GOOD)
    assert report.ok and report.applied
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    carol = Person.objects.get(employee_id="E3")
    assert carol.manager.employee_id == "E2"
    assert carol.manager.manager.employee_id == "E1"
    assert carol.user.email == "carol@acme.example"
    assert carol.languages == ["en", "de"]
    assert carol.department.name == "Engineering"


def test_it_merges_skill_synonyms_into_catalogue_skills() -> None:
    import_people(GOOD)
    carol = Person.objects.get(employee_id="E3")
    names = {ps.skill.name: ps.proficiency for ps in carol.person_skills.all()}
    assert names == {"Python": 4, "JavaScript": 2}
    bob = Person.objects.get(employee_id="E2")
    assert [ps.skill.name for ps in bob.person_skills.all()] == ["Kubernetes"]


def test_reimporting_the_same_file_changes_nothing() -> None:
    import_people(GOOD)
    before = list(Person.objects.order_by("pk").values())
    report = import_people(GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert list(Person.objects.order_by("pk").values()) == before


def test_it_updates_changed_rows_only() -> None:
    import_people(GOOD)
    changed = GOOD.replace(b"Carol,Chen,Engineer", b"Carol,Chen,Senior Engineer")
    report = import_people(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Person.objects.get(employee_id="E3").job_title == "Senior Engineer"


def test_a_file_with_one_bad_row_changes_nothing() -> None:
    bad = GOOD + b"E4,dave@acme.example,Dave,Doe,Engineer,Engineering,Mars/Olympus,3,E2,,en\n"
    report = import_people(bad)
    assert not report.ok and not report.applied
    assert Person.objects.count() == 0
    assert User.objects.count() == 0
    assert Department.objects.count() == 0
    [error] = report.errors
    assert (error.row, error.column) == (5, "timezone")
    assert error.message == importing.BAD_TIMEZONE.format(value="Mars/Olympus")


def test_it_reports_an_unknown_manager_with_row_and_column() -> None:
    report = import_people(csv("E1,a@x.example,A,A,,,UTC,1,E99,,en"))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "manager_id", importing.UNKNOWN_MANAGER.format(value="E99"))
    ]


def test_it_refuses_a_bad_email() -> None:
    report = import_people(csv("E1,not-an-email,A,A,,,UTC,1,,,en"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "email")]


def test_it_refuses_duplicate_employee_ids_and_emails() -> None:
    report = import_people(
        csv("E1,a@x.example,A,A,,,UTC,1,,,en", "E1,A@X.example,B,B,,,UTC,1,,,en")
    )
    assert {(e.row, e.column) for e in report.errors} == {(3, "employee_id"), (3, "email")}
    assert "also appears in row 2" in report.errors[0].message


def test_it_refuses_manager_cycles() -> None:
    report = import_people(
        csv(
            "E1,a@x.example,A,A,,,UTC,1,E3,,en",
            "E2,b@x.example,B,B,,,UTC,1,E1,,en",
            "E3,c@x.example,C,C,,,UTC,1,E2,,en",
        )
    )
    assert not report.ok
    [error] = report.errors
    assert error.column == "manager_id"
    assert error.message.startswith("Reporting cycle: ")
    assert Person.objects.count() == 0


def test_it_refuses_a_cycle_through_people_already_stored() -> None:
    import_people(GOOD)
    report = import_people(csv("E1,alice@acme.example,Alice,Able,CEO,Leadership,UTC,8,E3,,en"))
    assert [e.column for e in report.errors] == ["manager_id"]
    assert Person.objects.get(employee_id="E1").manager is None


def test_it_refuses_someone_managing_themselves() -> None:
    report = import_people(csv("E1,a@x.example,A,A,,,UTC,1,E1,,en"))
    assert [e.message for e in report.errors] == [importing.SELF_MANAGER]


def test_it_names_missing_columns() -> None:
    report = import_people(b"employee_id,first_name\nE1,A\n")
    assert report.errors[0].message == importing.MISSING_COLUMNS.format(columns="email, last_name")


def test_it_refuses_unknown_columns_rather_than_dropping_them() -> None:
    report = import_people(
        b"employee_id,email,first_name,last_name,shoe_size\nE1,a@x.example,A,A,42\n"
    )
    assert "Unknown column(s): shoe_size" in report.errors[0].message


def test_it_explains_a_file_that_is_not_utf8() -> None:
    report = import_people(
        "employee_id,email,first_name,last_name\nE1,a@x.example,Zoë,A\n".encode("latin-1")
    )
    assert not report.ok
    assert "not UTF-8" in report.errors[0].message
    assert "0xeb" in report.errors[0].message


def test_it_accepts_a_byte_order_mark() -> None:
    report = import_people(b"\xef\xbb\xbf" + GOOD)
    assert report.ok


def test_it_reports_an_empty_file() -> None:
    assert import_people(b"").errors[0].message == importing.EMPTY_FILE
    assert import_people(HEADER.encode()).errors[0].message == importing.EMPTY_FILE


def test_it_refuses_an_email_that_belongs_to_someone_else() -> None:
    PersonFactory(employee_id="X1", user__email="taken@acme.example")
    report = import_people(csv("E1,Taken@acme.example,A,A,,,UTC,1,,,en"))
    assert report.errors[0].message == importing.EMAIL_TAKEN.format(
        value="taken@acme.example", employee_id="X1"
    )


def test_it_reports_bad_levels_dates_skills_and_languages() -> None:
    header = "employee_id,email,first_name,last_name,level,hire_date,skills,languages\n"
    report = import_people(
        csv("E1,a@x.example,A,A,zero,2020-13-01,Python:9,Klingon", header=header)
    )
    assert [e.column for e in report.errors] == ["level", "hire_date", "skills", "languages"]


def test_a_colon_inside_a_skill_name_is_not_a_level() -> None:
    header = "employee_id,email,first_name,last_name,skills\n"
    report = import_people(csv("E1,a@x.example,A,A,1:1 meetings; Python:5", header=header))
    assert report.ok
    skills = {ps.skill.name: ps.proficiency for ps in Person.objects.get().person_skills.all()}
    assert skills == {"Running effective one-to-ones": 3, "Python": 5}


def test_a_dry_run_checks_without_writing() -> None:
    report = import_people(GOOD, dry_run=True)
    assert report.ok and not report.applied
    assert report.created == 3
    assert Person.objects.count() == 0


def test_columns_left_out_keep_their_values() -> None:
    import_people(GOOD)
    report = import_people(
        b"employee_id,email,first_name,last_name\nE3,carol@acme.example,Carol,Chen\n"
    )
    assert report.unchanged == 1
    carol = Person.objects.get(employee_id="E3")
    assert carol.manager.employee_id == "E2"
    assert PersonSkill.objects.filter(person=carol).count() == 2


def test_it_marks_people_who_left() -> None:
    import_people(GOOD)
    report = import_people(
        b"employee_id,email,first_name,last_name,active,left_on\n"
        b"E3,carol@acme.example,Carol,Chen,no,2026-01-31\n"
    )
    assert report.updated == 1
    carol = Person.objects.get(employee_id="E3")
    assert not carol.is_active and str(carol.left_on) == "2026-01-31"


@pytest.mark.slow
def test_it_imports_fifty_thousand_rows_and_reimports_them_unchanged() -> None:
    lines = [HEADER.strip()]
    for n in range(1, 50_001):
        manager = "" if n == 1 else f"E{(n - 2) // 8 + 1}"
        lines.append(
            f"E{n},p{n}@big.example,First{n},Last{n},Engineer,Dept{n % 12},Europe/Berlin,"
            f"{1 + n % 8},{manager},Python:3; SQL:2,en"
        )
    data = ("\n".join(reversed(lines[1:])) + "\n").encode()
    data = (lines[0] + "\n").encode() + data
    report = import_people(data)
    assert report.ok, report.errors[:3]
    assert report.created == 50_000
    assert Person.objects.filter(manager__isnull=True).count() == 1
    again = import_people(data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 50_000)


def test_reimporting_keeps_what_people_wrote_on_their_profiles() -> None:
    import_people(GOOD)
    carol = Person.objects.get(employee_id="E3")
    carol.timezone = "Asia/Tokyo"
    carol.save()
    from mentorbridge.people.services import SkillEntry, person_set_skills

    person_set_skills(person=carol, skills=[SkillEntry("Rust", 5)])
    report = import_people(GOOD)
    assert report.unchanged == 3
    carol.refresh_from_db()
    assert carol.timezone == "Asia/Tokyo"
    assert [ps.skill.name for ps in carol.person_skills.all()] == ["Rust"]
    overwrite = import_people(GOOD, overwrite_profiles=True)
    assert overwrite.updated == 1
    carol.refresh_from_db()
    assert carol.timezone == "Europe/Berlin"
    assert {ps.skill.name for ps in carol.person_skills.all()} == {"Python", "JavaScript"}


def test_people_who_left_can_no_longer_sign_in() -> None:
    import_people(GOOD)
    import_people(
        b"employee_id,email,first_name,last_name,active\nE3,carol@acme.example,Carol,Chen,no\n"
    )
    assert not Person.objects.get(employee_id="E3").user.is_active
    import_people(
        b"employee_id,email,first_name,last_name,active\nE3,carol@acme.example,Carol,Chen,yes\n"
    )
    assert Person.objects.get(employee_id="E3").user.is_active


def test_a_cell_too_long_for_csv_is_a_row_error_not_a_crash() -> None:
    data = b'employee_id,email,first_name,last_name\nX1,x@l.example,"' + b"a" * 200_000 + b'",B\n'
    report = import_people(data)
    assert not report.ok
    assert report.errors[0].row == 2 and "can't be read as CSV" in report.errors[0].message


def test_emails_longer_than_254_characters_are_refused() -> None:
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"
    report = import_people(csv(f"E1,{email},A,A,,,UTC,1,,,en"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "email")]
    assert "At most 254 characters" in report.errors[0].message


def test_employee_ids_must_be_usable_in_addresses() -> None:
    report = import_people(csv("ENG/42,a@x.example,A,A,,,UTC,1,,,en"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "employee_id")]


def test_a_nul_byte_is_a_row_error() -> None:
    report = import_people(b"employee_id,email,first_name,last_name\nE1,a@x.example,A\x00b,L\n")
    assert [(e.row, e.column) for e in report.errors] == [(2, "first_name")]
    assert Person.objects.count() == 0


def test_a_line_break_in_a_name_is_refused_so_it_never_reaches_an_email_header() -> None:
    report = import_people(
        b'employee_id,email,first_name,last_name\nE1,a@x.example,"Eve\nBcc: all@x.example",L\n'
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "first_name", "This cell must not contain line breaks.")
    ]
    assert Person.objects.count() == 0


def test_control_characters_are_refused_but_a_bio_keeps_its_paragraphs() -> None:
    header = "employee_id,email,first_name,last_name,job_title,bio\n"
    refused = import_people(csv("E1,a@x.example,A,B,Eng\x1bineer,", header=header))
    assert [(e.column, e.message) for e in refused.errors] == [
        ("job_title", "This cell must not contain control characters (\\x1b).")
    ]
    kept = import_people(csv('E1,a@x.example,A,B,Engineer,"One.\n\nTwo."', header=header))
    assert kept.ok, kept.errors
    assert Person.objects.get().bio == "One.\n\nTwo."


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    settings: pytest.FixtureRequest,
) -> None:
    settings.IMPORT_MAX_BYTES = 100
    report = import_people(GOOD)
    assert [e.message for e in report.errors] == [
        importing.FILE_TOO_BIG.format(size=len(GOOD) / 1024**2, limit=100 / 1024**2)
    ]
    assert Person.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_unread(
    settings: pytest.FixtureRequest,
) -> None:
    class Upload:
        size = 60 * 1024 * 1024  # what the upload handler measured

        def read(self) -> bytes:
            raise AssertionError("a file over the limit must not be read")

    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    report = importing.import_upload(Upload(), dry_run=True)
    assert "The file is 60.0 MB; at most 2 MB are read." in report.errors[0].message


def test_a_header_with_thousands_of_columns_is_refused_at_once() -> None:
    header = ",".join(f"c{i}" for i in range(5000)) + "\n"
    report = import_people(csv("1", header=header))
    assert [e.message for e in report.errors] == [
        importing.TOO_MANY_COLUMNS.format(count=5000, limit=40, known=len(importing.ALL_COLUMNS))
    ]


def test_duplicate_columns_are_named_once_each() -> None:
    header = "employee_id,email,first_name,last_name,email,email,level,level\n"
    report = import_people(csv("E1,a@x.example,A,B,a@x.example,a@x.example,1,1", header=header))
    assert [(e.row, e.column) for e in report.errors] == [(1, "email"), (1, "level")]


def test_a_file_with_more_rows_than_the_limit_changes_nothing(
    settings: pytest.FixtureRequest,
) -> None:
    settings.IMPORT_MAX_ROWS = 2
    report = import_people(GOOD)
    assert [e.message for e in report.errors] == [importing.TOO_MANY_ROWS.format(limit=2)]
    assert Person.objects.count() == 0
