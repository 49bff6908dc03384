"""The import page keeps a file that passed "Check only", so "Import" needs no second upload."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentorbridge.people import checked_uploads
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
GOOD = b"employee_id,email,first_name,last_name\nN1,new@acme.example,New,Person\n"


@pytest.fixture(autouse=True)
def var_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def check(client: Client, data: bytes = GOOD, **extra: str) -> tuple[str, str]:
    """Run "Check only"; the page and the token of the kept file."""
    page = client.post(
        "/people/import/", {"file": SimpleUploadedFile("hr.csv", data), "mode": "check", **extra}
    ).content.decode()
    found = re.search(r'name="checked" value="([0-9a-f]{64})"', page)
    return page, found.group(1) if found else ""


def test_a_checked_file_is_imported_without_choosing_it_again(
    client_for: Clients, program_admin: Person
) -> None:
    client = client_for(program_admin)
    page, token = check(client)
    assert "Import hr.csv" in page and token
    assert not Person.objects.filter(employee_id="N1").exists()
    done = client.post("/people/import/", {"checked": token, "mode": "import"})
    assert b"Import complete" in done.content
    assert b"Imported hr.csv: 1 created" in done.content
    assert Person.objects.filter(employee_id="N1").exists()
    again = client.post("/people/import/", {"checked": token, "mode": "import"})
    assert b"no longer on the server" in again.content  # used once


def test_a_file_that_failed_the_check_is_not_kept(
    client_for: Clients, program_admin: Person
) -> None:
    page, token = check(client_for(program_admin), b"employee_id,email\nN1,broken\n")
    assert "Nothing was imported" in page and token == ""


def test_another_session_cannot_import_someone_elses_checked_file(
    client_for: Clients, program_admin: Person, site_admin: Person
) -> None:
    _, token = check(client_for(program_admin))
    page = client_for(site_admin).post("/people/import/", {"checked": token, "mode": "import"})
    assert b"no longer on the server" in page.content
    assert not Person.objects.filter(employee_id="N1").exists()


def test_a_kept_file_that_changed_on_disk_is_refused(
    client_for: Clients, program_admin: Person, var_dir: Path
) -> None:
    client = client_for(program_admin)
    _, token = check(client)
    (var_dir / "import-checks" / f"{token}.csv").write_bytes(GOOD.replace(b"N1", b"N2"))
    page = client.post("/people/import/", {"checked": token, "mode": "import"})
    assert b"no longer on the server" in page.content
    assert not Person.objects.filter(employee_id__in=["N1", "N2"]).exists()


def test_a_file_that_no_longer_checks_at_import_writes_nothing(
    client_for: Clients, program_admin: Person
) -> None:
    client = client_for(program_admin)
    _, token = check(client)
    # Between the check and the import someone else takes the email.
    Person.objects.create(
        employee_id="X9", first_name="Other", last_name="Owner",
        user=type(program_admin.user).objects.create_user(email="new@acme.example"),
    )  # fmt: skip
    page = client.post("/people/import/", {"checked": token, "mode": "import"})
    assert b"Nothing was imported" in page.content
    assert not Person.objects.filter(employee_id="N1").exists()


def test_the_checked_option_to_overwrite_profiles_is_carried_to_the_import(
    client_for: Clients, program_admin: Person
) -> None:
    page, _ = check(client_for(program_admin), overwrite_profiles="on")
    assert 'name="overwrite_profiles" value="on"' in page
    assert "overwriting what people wrote on their profiles" in page


def test_too_big_a_file_is_not_kept_and_the_page_says_so(
    client_for: Clients, program_admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checked_uploads, "MAX_KEPT_BYTES", 10)
    page, token = check(client_for(program_admin))
    assert token == ""
    assert "too big to keep between steps" in page


def test_importing_with_neither_a_file_nor_a_checked_one_asks_for_a_file(
    client_for: Clients, program_admin: Person
) -> None:
    page = client_for(program_admin).post("/people/import/", {"mode": "import"})
    assert b"Choose a CSV file to check or import." in page.content


def test_people_who_may_not_import_cannot_use_a_checked_file(
    client_for: Clients, program_admin: Person, mentee: Person
) -> None:
    _, token = check(client_for(program_admin))
    response = client_for(mentee).post("/people/import/", {"checked": token, "mode": "import"})
    assert response.status_code == 403


def test_the_import_page_has_no_inline_script(client_for: Clients, program_admin: Person) -> None:
    page = client_for(program_admin).get("/people/import/").content.decode()
    assert "onsubmit" not in page and "/static/js/import.js" in page
