"""What `.ci/run` runs: schemathesis against the live API, bounded in time, and a PostgreSQL
step that repeats only the tests the database can change."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import is_fuzz_module

ROOT = Path(__file__).resolve().parents[2]


def test_ci_runs_schemathesis_against_the_live_api_in_bounded_time() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci
    # its failure fails the run: nothing after the command swallows its exit status
    (line,) = [line for line in ci.splitlines() if "make schema-check" in line]
    assert line.rstrip().endswith("make schema-check"), line
    follows = ci.split(line, 1)[1].lstrip().splitlines()[0]
    assert not follows.lstrip().startswith(("||", "&&", "|")), follows
    script = ROOT / "bin" / "schema-check"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert "bin/serve" in text and "openapi.json" in text
    assert "--max-time" in text and "timeout " in text
    assert "--generation-database none" in text
    # one schemathesis worker: its threads race in CPython 3.11's ast module (hypothesis
    # parses lambda sources), a "runtime error" of the tool, not of the API
    assert "--workers 1" in text


def test_schemathesis_caches_are_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".schemathesis/" in ignored and "schemathesis-report/" in ignored


def test_the_postgresql_step_keeps_only_the_tests_that_touch_the_database() -> None:
    files = [
        "tests/matching_engine/test_text.py",  # pure code: no database
        "tests/people/test_import_fuzz.py",  # fuzz: once, under SQLite
        "tests/programs/test_join_form.py",  # the database
    ]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--collect-only", "-p", "no:randomly", *files],
        cwd=ROOT, env={**os.environ, "MB_TESTS": "database"}, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert {line.split("::")[0] for line in out.splitlines() if "::" in line} == {files[2]}


def _marks(decorators: list[ast.expr]) -> set[str]:
    return {ast.unparse(d).split("(")[0] for d in decorators}


def test_the_modules_the_postgresql_step_does_not_collect_hold_only_fuzz_tests() -> None:
    modules = [path for path in (ROOT / "tests").rglob("test_*.py") if is_fuzz_module(path)]
    assert {path.name for path in modules} >= {"test_schema_fuzz.py", "test_import_fuzz.py"}
    for path in modules:
        tree = ast.parse(path.read_text())
        module_marks = " ".join(
            ast.unparse(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "pytestmark"
        )
        tests = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ]
        assert tests, path
        for test in tests:
            marked = "pytest.mark.fuzz" in module_marks or "pytest.mark.fuzz" in _marks(
                test.decorator_list
            )
            assert marked, f"{path.name}::{test.name} is not marked fuzz"


def test_every_ci_step_fails_the_run_when_it_fails_or_runs_no_test() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci
    steps = [
        line.strip()
        for line in ci.splitlines()
        if "make " in line and not line.lstrip().startswith(("#", "step "))
    ]
    assert len(steps) >= 5  # semantic, test, postgres-test, schema-check, browser-test
    for line in steps:
        assert line.split()[-1] in {"semantic", "test", "postgres-test", "schema-check",
                                    "browser-test"}, line  # fmt: skip
    makefile = (ROOT / "Makefile").read_text()
    for line in makefile.splitlines():
        if "pytest" in line and "$(PY)" in line:
            # pytest's exit status 5 ("no tests ran") reaches make: nothing swallows it
            assert "||" not in line and "suppress-no-test-exit-code" not in line, line
            assert not line.lstrip().startswith("-"), line
    empty = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-k", "no_such_test",
         "tests/core/test_ci_run.py"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert empty.returncode == 5, empty.stdout


def test_make_run_shows_pips_progress_and_a_line_per_step() -> None:
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs and all("--progress-bar on" in line for line in installs)
    assert not any("-q" in line.split() or "--quiet" in line for line in installs)
    run = (ROOT / "bin" / "run").read_text()
    assert run.count('step "') >= 4  # migrate, seed, warm-up, start


def test_the_suite_runs_on_every_core_in_both_database_steps() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "PARALLEL := -n $(TEST_WORKERS)" in makefile
    for target in ("unit:", "postgres-test:"):
        recipe = makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0]
        assert "$(PARALLEL)" in recipe, target
    assert "pytest-xdist" in (ROOT / "pyproject.toml").read_text()
