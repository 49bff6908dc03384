"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_variables(tmp_path: Path) -> None:
    env = {
        **os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 20 + "-production-secret-key-for-tests-only-0123456789",
        "ALLOWED_HOSTS": "mentoring.example.com", "SITE_URL": "https://mentoring.example.com",
        "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings",
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**os.environ, "DEBUG": "0", "VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "SECRET_KEY must be set" in result.stderr
