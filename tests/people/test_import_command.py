"""``manage.py import_people``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_command_imports_a_file_and_says_what_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("employee_id,email,first_name,last_name\nC1,c1@acme.example,Cleo,One\n")
    call_command("import_people", str(path))
    assert "Imported 1 rows" in capsys.readouterr().out
    assert Person.objects.filter(employee_id="C1").exists()


def test_the_command_fails_with_row_errors_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(
        "employee_id,email,first_name,last_name,timezone\nC1,c1@acme.example,Cleo,One,Moon/Base\n"
    )
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_people", str(path))
    assert "hr.csv: row 2, timezone:" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_the_command_explains_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_people", str(tmp_path / "missing.csv"))
