"""The systemd units in deploy/ are valid, run what exists, and each has its job."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def test_there_is_a_unit_for_the_web_server_the_worker_and_the_scheduler() -> None:
    commands = {unit.name: re.search(r"^ExecStart=(.*)$", unit.read_text(), re.M) for unit in UNITS}
    assert {name: m.group(1) if m else None for name, m in commands.items()} == {
        "mentorbridge-scheduler.service": "/opt/mentorbridge/.venv/bin/python manage.py run_scheduler --every 300",
        "mentorbridge-web.service": "/opt/mentorbridge/bin/serve",
        "mentorbridge-worker.service": "/opt/mentorbridge/.venv/bin/python manage.py run_worker --interval 1",
    }
    web = (ROOT / "deploy" / "systemd" / "mentorbridge-web.service").read_text()
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in web
    assert "manage.py migrate --noinput" in web


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_analyze_verifies_the_units_installed_at_this_checkout(tmp_path: Path) -> None:
    python = Path(sys.executable)
    for unit in UNITS:
        text = unit.read_text().replace("/opt/mentorbridge/.venv/bin/python", str(python))
        (tmp_path / unit.name).write_text(text.replace("/opt/mentorbridge", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == ""
