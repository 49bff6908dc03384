"""The engine is framework-free: importing it never imports Django."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_without_django() -> None:
    code = (
        "import sys, mentorbridge.matching_engine, mentorbridge.matching_engine.cli; "
        "print('django' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert out.stdout.strip() == "False"


def test_module_entry_point_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mentorbridge.matching_engine", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0
    assert "why-not" in out.stdout
