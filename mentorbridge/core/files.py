"""Files written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(
    path: Path, write: Callable[[BinaryIO], object], *, supersedes: str | None = None
) -> Path:
    """Write ``path`` through a temporary file in its folder renamed into place, so a reader
    sees the old file or the new one, never a part; then remove the other files of the folder
    matching the glob ``supersedes`` (earlier versions the new file replaces)."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if supersedes is not None:
        for old in folder.glob(supersedes):
            if old != path:
                old.unlink(missing_ok=True)
    return path
