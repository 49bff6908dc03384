"""The HRIS import under generated files: never a server error, never a partial write.

Files mix well-formed rows with hostile cells (NUL and control characters, huge and folding
text, bad dates, levels, emails, timezones, duplicate IDs, cycles, stray quotes, other
encodings). Whatever comes in, the import answers with a report; when the report has errors,
the database is exactly as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbridge.accounts.models import User
from mentorbridge.people.models import Department, Person, PersonSkill, Skill

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

COLUMNS = [
    "employee_id", "email", "first_name", "last_name", "job_title", "department", "location",
    "timezone", "languages", "level", "manager_id", "hire_date", "left_on", "skills",
    "expertise", "bio", "career_goals", "mentoring_hours_per_month", "active",
]  # fmt: skip

HOSTILE = st.sampled_from(
    [
        "", " ", "a\x00b", "\x00", "Eve\nBcc: x@example.com", "\r", "\t", '"', '""x', "ß" * 60,
        "ﷺ" * 30, "x" * 5000, "🙂", "Ｐｙｔｈｏｎ:4", "Python:9", "Python:-1", ";;;", "k8s:5; JS",
        "2024-02-30", "0000-00-00", "9999-12-31", "-1", "21", "1e9", "NaN", "yes", "no", "maybe",
        "Mars/Olympus", "Europe/Berlin", "UTC", "en;de;xx", "=1+1", "<script>x</script>",
    ]
)  # fmt: skip


def _ids(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.sampled_from([f"E{n}" for n in range(count + 3)] + ["", "E1 ", "e1"]),
        min_size=count,
        max_size=count,
    )


@st.composite
def hris_files(draw: st.DrawFn) -> bytes:
    columns = draw(
        st.one_of(
            st.just(COLUMNS),
            st.lists(st.sampled_from([*COLUMNS, "unknown", ""]), min_size=1, max_size=25),
        )
    )
    rows = draw(st.integers(min_value=0, max_value=6))
    ids = draw(_ids(rows))
    lines: list[list[str]] = []
    for number in range(rows):
        line = []
        for column in columns:
            if column == "employee_id":
                value = ids[number]
            elif column == "manager_id":
                value = draw(st.sampled_from(["", *ids, "E999"]))
            elif column == "email":
                value = draw(
                    st.sampled_from(
                        [f"p{number}@example.com", "P0@Example.com", "not-an-email", "", "a@b"]
                    )
                )
            elif column in ("first_name", "last_name"):
                value = draw(st.one_of(st.sampled_from(["Ana", "Bo", "Ünal"]), HOSTILE))
            else:
                value = draw(st.one_of(st.just(""), HOSTILE, st.text(max_size=20)))
            line.append(value)
        lines.append(line)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(lines)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:cut]
    return data


def _snapshot() -> str:
    """A fingerprint of everything an import may write."""
    digest = hashlib.sha256()
    for model in (User, Person, PersonSkill, Department, Skill):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def hr_client(client_for: Callable[[Person | None], Client], program_admin: Person) -> Client:
    return client_for(program_admin)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=hris_files(), dry_run=st.booleans())
def test_any_file_gets_a_report_and_a_failed_import_writes_nothing(
    hr_client: Client, data: bytes, dry_run: bool
) -> None:
    before = _snapshot()
    response = hr_client.post(
        f"/api/v1/people/import?dry_run={'true' if dry_run else 'false'}",
        {"file": io.BytesIO(data)},
    )
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert _snapshot() == before
        return
    report = response.json()
    if report["error_count"] or dry_run:
        assert not report["applied"]
        assert _snapshot() == before, report["errors"][:3]
    else:
        assert report["applied"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=hris_files())
def test_the_import_page_never_fails_on_any_file(hr_client: Client, data: bytes) -> None:
    before = _snapshot()
    upload = io.BytesIO(data)
    upload.name = "people.csv"
    response = hr_client.post("/people/import/", {"file": upload, "mode": "check"})
    assert response.status_code < 500, response.content[:500]
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["ß" * 60, "ﷺ" * 6, "ﬃ" * 40])
def test_a_skill_name_that_grows_when_folded_is_a_row_error_not_a_server_error(
    hr_client: Client, name: str
) -> None:
    data = f"employee_id,email,first_name,last_name,skills\nE1,e1@example.com,Ana,Bo,{name}:3\n"
    response = hr_client.post(
        "/api/v1/people/import?dry_run=true", {"file": io.BytesIO(data.encode())}
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["column"] == "skills"


@pytest.mark.parametrize("name", ["ß" * 60, "ﷺ" * 6])
def test_a_profile_skill_that_grows_when_folded_is_refused_with_422(
    client_for: Callable[[Person | None], Client], outsider: Person, name: str
) -> None:
    response = client_for(outsider).patch(
        "/api/v1/me",
        {"skills": [{"name": name, "proficiency": 3}]},
        content_type="application/json",
    )
    assert response.status_code == 422
