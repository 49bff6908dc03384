"""Compiled kernels get a cache folder even when the code's folder and the home are read-only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from mentorbridge.matching_engine import jit_cache


@pytest.fixture
def unwritable(tmp_path: Path) -> Path:
    """A path nothing can be created under (its parent is a plain file)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    return blocker / "folder"


def test_a_read_only_install_without_a_writable_home_caches_in_the_temporary_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, unwritable: Path
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(unwritable))
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    folder = jit_cache.use_writable_cache(unwritable)
    assert folder is not None and folder.startswith(str(tmp_path))
    assert jit_cache._writable(Path(folder))
    assert os.environ["NUMBA_CACHE_DIR"] == folder


def test_a_writable_user_cache_leaves_numba_its_own_choice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, unwritable: Path
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert jit_cache.use_writable_cache(unwritable) is None
    assert jit_cache.user_cache_dir() == tmp_path / "cache" / "numba"


def test_a_cache_folder_set_by_the_caller_is_kept(
    monkeypatch: pytest.MonkeyPatch, unwritable: Path
) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/somewhere/else")
    monkeypatch.setenv("XDG_CACHE_HOME", str(unwritable))
    assert jit_cache.use_writable_cache(unwritable) is None
