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


def test_production_cookies_are_secure_http_only_and_same_site(tmp_path: Path) -> None:
    env = {
        **os.environ, "DEBUG": "0", "SECRET_KEY": "y" * 60, "VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "mentoring.example.com", "SITE_URL": "https://mentoring.example.com",
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    show = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.splitlines()[-1].split() == [
        "True", "True", "Lax", "True", "True", "Lax", "Argon2PasswordHasher"
    ]  # fmt: skip


def test_sqlite_from_database_url_waits_for_writers_like_the_default(tmp_path: Path) -> None:
    """DATABASE_URL=sqlite:////path used to drop WAL, the busy timeout and IMMEDIATE
    transactions: two writes at once failed with "database is locked" (a 500)."""
    show = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
        "print(o['timeout'], o['transaction_mode'], 'journal_mode=WAL' in o['init_command'])"
    )
    for url in (None, f"sqlite:///{tmp_path}/url.sqlite3"):
        env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", show],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert result.stdout.splitlines()[-1].split() == ["20", "IMMEDIATE", "True"], url
