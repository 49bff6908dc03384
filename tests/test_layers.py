"""The house's layers point one way: an app never imports an app above it, not even inside a
function. A lower app announces what happened with a signal; the higher one listens."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mentorbridge"

#: Bottom to top. Apps on the same level may use each other.
LEVELS: dict[str, int] = {
    "core": 0,
    "outbox": 0,  # stored emails and the worker: imports nothing of ours
    "audit": 0,  # the audit log: every app records into it
    "accounts": 1,
    "people": 1,
    "programs": 2,
    "notifications": 2,  # in-app notifications, choices, emails about them, daily runs
    "mentorships": 3,
    "matching": 4,
    "home": 5,
    "privacy": 5,  # a person's data, through the registry in core
    "demo": 6,
}

#: Known crossings still to remove, each with where it is. The list only shrinks.
KNOWN_CROSSINGS = {("programs", "mentorships", "views.py")}


def runtime_nodes(node: ast.AST) -> list[ast.AST]:
    """Every node of a module except those under ``if TYPE_CHECKING:`` (types only)."""
    found: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
            for orelse in child.orelse:
                found += [orelse, *runtime_nodes(orelse)]
            continue
        found += [child, *runtime_nodes(child)]
    return found


def imported_apps(path: Path) -> set[str]:
    """The ``mentorbridge`` apps a module imports at run time, at any depth of the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {
        name.split(".")[1]
        for name in names
        if name.startswith("mentorbridge.") and name.count(".") >= 1
    }


def crossings() -> set[tuple[str, str, str]]:
    found = set()
    for app, level in LEVELS.items():
        for path in (PACKAGE / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for other in imported_apps(path):
                if other in LEVELS and LEVELS[other] > level:
                    found.add((app, other, str(path.relative_to(PACKAGE / app))))
    return found


def test_every_app_has_a_level() -> None:
    apps = {
        path.parent.name
        for path in PACKAGE.glob("*/apps.py")
        if path.parent.name != "matching_engine"
    }
    assert apps <= set(LEVELS), f"give these apps a level in LEVELS: {apps - set(LEVELS)}"


def test_no_app_imports_an_app_above_it() -> None:
    new = crossings() - KNOWN_CROSSINGS
    assert not new, "lower app imports a higher one (use a signal instead): " + ", ".join(
        f"{low} → {high} in {where}" for low, high, where in sorted(new)
    )


@pytest.mark.parametrize("crossing", sorted(KNOWN_CROSSINGS))
def test_known_crossings_are_still_there_until_removed(crossing: tuple[str, str, str]) -> None:
    # When a known crossing is removed, take it off the list so it cannot come back.
    assert crossing in crossings()
