"""HRIS files that passed "Check only", kept on the server so "Import" needs no second upload.

The file is stored under ``VAR_DIR/import-checks/`` named by its SHA-256; the session holds
that hash (and the file's name), so only the person who checked it can import it, and a file
that changed on disk since (or was cleared away) is refused rather than imported. Files are
bounded in size and removed after an import or after a day.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

SESSION_KEY = "people_import_checked"
MAX_KEPT_BYTES = 50 * 1024 * 1024
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CheckedUpload:
    """A checked file the session may import: its hash (the token), name and size."""

    token: str
    name: str
    size: int
    overwrite_profiles: bool


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "import-checks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path | None:
    if len(token) != 64 or any(c not in "0123456789abcdef" for c in token):
        return None
    return _folder() / f"{token}.csv"


def _sweep(folder: Path) -> None:
    """Remove kept files older than a day (imports nobody finished)."""
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.csv"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:
            pass


def keep_checked(
    session: Any, *, data: bytes, name: str, overwrite_profiles: bool
) -> CheckedUpload | None:
    """Keep a file that passed the check for this session; ``None`` when it is too big to
    keep (the person then uploads it again to import)."""
    if len(data) > MAX_KEPT_BYTES:
        return None
    token = hashlib.sha256(data).hexdigest()
    path = _path(token)
    assert path is not None
    _sweep(path.parent)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
    checked = CheckedUpload(token, name[:200], len(data), overwrite_profiles)
    session[SESSION_KEY] = {
        "token": token, "name": checked.name, "size": checked.size,
        "overwrite_profiles": overwrite_profiles,
    }  # fmt: skip
    return checked


def checked_upload(session: Any, token: str) -> tuple[CheckedUpload, bytes] | None:
    """The file this session checked under ``token``, read back and verified against its
    hash; ``None`` if the session checked no such file or the file is gone or changed."""
    kept = session.get(SESSION_KEY) or {}
    path = _path(token)
    if path is None or kept.get("token") != token:
        return None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(data).hexdigest() != token:
        return None
    return CheckedUpload(token, kept["name"], kept["size"], kept["overwrite_profiles"]), data


def forget_checked(session: Any) -> None:
    """Drop the session's checked file (after it was imported, or it no longer checks)."""
    kept = session.pop(SESSION_KEY, None) or {}
    path = _path(kept.get("token", ""))
    if path is not None:
        path.unlink(missing_ok=True)
