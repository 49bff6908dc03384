"""Files written whole or not at all (`core.files.write_atomically`)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from mentorbridge.core.files import write_atomically


def test_the_new_file_replaces_its_earlier_versions_and_leaves_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "kept-1.json").write_bytes(b"old")
    (folder / "other.txt").write_bytes(b"other")
    path = write_atomically(
        folder / "kept-2.json", lambda out: out.write(b"new"), supersedes="kept-*.json"
    )
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in folder.iterdir()) == ["kept-2.json", "other.txt"]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "data.npz"
    write_atomically(path, lambda out: out.write(b"first"))

    def half_then_fail(out: BinaryIO) -> None:
        out.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, half_then_fail, supersedes="*.npz")
    assert path.read_bytes() == b"first"
    assert [p.name for p in path.parent.iterdir()] == ["data.npz"]
