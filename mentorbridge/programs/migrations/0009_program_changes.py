"""The program change log (``ProgramChange``) and the triggers that write it.

PostgreSQL: one statement-level trigger per table and event, reading the statement's
transition tables, so a bulk write of thousands of rows adds one row per program it touched.
SQLite (development and the test suite): row-level triggers, one row per row written.

A focus area's program is its enrollment's; a focus-area skill's, its focus area's. When the
parent row is gone already (deleted earlier in the same transaction), its own delete was
logged for that program.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

LOG = "programs_programchange"

# table -> SQL selecting the program ids of the rows in the transition table / row ``{r}``
PROGRAM_OF = {
    "programs_enrollment": "SELECT {r}.program_id FROM {rows}",
    "programs_focusarea": (
        "SELECT e.program_id FROM {rows} JOIN programs_enrollment e ON e.id = {r}.enrollment_id"
    ),
    "programs_focusarea_skills": (
        "SELECT e.program_id FROM {rows} JOIN programs_focusarea f ON f.id = {r}.focusarea_id "
        "JOIN programs_enrollment e ON e.id = f.enrollment_id"
    ),
}


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    def select(rows: str) -> str:
        return PROGRAM_OF[table].format(rows=f"{rows} r", r="r")

    function = f"{table}_changed"
    body = {
        "INSERT": f"INSERT INTO {LOG} (program_id) SELECT DISTINCT p.program_id FROM "
        f"({select('new_rows')}) p;",
        "UPDATE": f"INSERT INTO {LOG} (program_id) SELECT program_id FROM "
        f"({select('new_rows')} UNION {select('old_rows')}) p;",
        "DELETE": f"INSERT INTO {LOG} (program_id) SELECT DISTINCT p.program_id FROM "
        f"({select('old_rows')}) p;",
    }
    referencing = {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
    }
    forward, backward = [], []
    for event, statement in body.items():
        name = f"{function}_{event.lower()}"
        forward.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {statement} RETURN NULL; END $$;"
        )
        forward.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {referencing[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        backward.append(f"DROP FUNCTION IF EXISTS {name}();")
    return forward, backward


# the same for one row (``NEW`` or ``OLD``) of a row-level trigger
SQLITE_PROGRAM_OF = {
    "programs_enrollment": "SELECT {r}.program_id",
    "programs_focusarea": "SELECT e.program_id FROM programs_enrollment e WHERE e.id = {r}.enrollment_id",
    "programs_focusarea_skills": (
        "SELECT e.program_id FROM programs_focusarea f "
        "JOIN programs_enrollment e ON e.id = f.enrollment_id WHERE f.id = {r}.focusarea_id"
    ),
}


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    forward, backward = [], []
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
        name = f"{table}_changed_{event.lower()}"
        inserts = " ".join(
            f"INSERT INTO {LOG} (program_id) {SQLITE_PROGRAM_OF[table].format(r=r)};" for r in rows
        )
        forward.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {inserts} END;"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {name};")
    return forward, backward


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    make = _postgresql if vendor == "postgresql" else _sqlite
    forward: list[str] = []
    backward: list[str] = []
    for table in PROGRAM_OF:
        more, less = make(table)
        forward += more
        backward += less
    return forward, backward


def add_triggers(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_semantic_matching"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("program_id", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["program_id", "id"], name="programs_change_program_id")
                ],
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
