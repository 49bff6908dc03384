"""What a suggester build reads from the database, kept on disk for the next process.

A new web process's first suggestions page builds the program's suggester: the program's
open demand and supply as an engine instance (``adapter.program_instance``: a dozen queries
and the people of 10,000 mentors' reporting chains), and, when the program matches by meaning,
the stored vectors of its goals and mentors. All of that depends only on the database rows
the program's stamp covers (``adapter.program_stamp``: the people tables, the program's change
log written by the database's triggers, mentorships, proposals, declined requests, exclusions
and the stored vectors) and on the code that reads them. This module keeps it as one file per
program in ``VAR_DIR/cache``, named by a key made of that stamp, the code's own hash, the
database and the sentence model, so a process whose stamp differs in anything never reads it:
it builds from the database and keeps a new file instead.

One uncompressed ``.npz`` (numpy's zip of arrays, read with ``allow_pickle=False``): the
instance and the vector keys as UTF-8 JSON bytes, the two vector matrices as float32. Written
to a temporary file and renamed (a reader sees a whole file or none); the zip's CRC-32 of every
member is checked on reading, so a damaged file is ignored (and the build reads the database).
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson
from django.conf import settings
from django.db import connection

from mentorbridge.core.files import write_atomically
from mentorbridge.matching_engine.hybrid import TextVectors

log = logging.getLogger(__name__)
PREFIX = "suggester-"
FORMAT = "mentorbridge-suggester-snapshot/1"
# The code a snapshot's contents depend on: what reads the instance and the vectors from the
# database (the engine compiles the instance anew in every process, so its code is not here).
_PACKAGES = ("matching", "people", "programs", "mentorships")
_DATA_FILES = ("people/catalogue_data.json",)


@dataclass(frozen=True)
class Kept:
    """A build's inputs read back: the instance dictionary, the vectors, the locations."""

    data: dict[str, Any]
    vectors: TextVectors | None
    locations: list[str]


def snapshot_dir() -> Path:
    """Where the snapshots live (``VAR_DIR/cache``, beside the kept text analysis)."""
    return Path(settings.VAR_DIR) / "cache"


def enabled() -> bool:
    """Whether builds keep and read snapshots (``SUGGESTER_SNAPSHOTS``, on by default; never
    when the code's source files are not there to name it, see :func:`code_digest`)."""
    return bool(getattr(settings, "SUGGESTER_SNAPSHOTS", True)) and bool(code_digest())


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of the app code that turns database rows into an instance and vectors (empty
    when its ``.py`` files are missing, as in an install of compiled files only: a snapshot
    could then outlive the code that wrote it)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(FORMAT.encode())
    files = sorted(p for package in _PACKAGES for p in (root / package).rglob("*.py"))
    if not files:
        return ""
    for path in [*files, *(root / name for name in _DATA_FILES)]:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def snapshot_key(program_pk: int, stamp: tuple[object, ...], *extra: object) -> str:
    """The name of what a build of this program at this stamp reads: the stamp, the code, the
    database (name, host, port) and ``extra`` (whether the program matches by meaning, the
    sentence model's name)."""
    db = connection.settings_dict
    where = (connection.vendor, db.get("NAME"), db.get("HOST"), db.get("PORT"))
    material = repr((FORMAT, code_digest(), where, program_pk, extra, stamp))
    return hashlib.sha256(material.encode()).hexdigest()[:40]


def _path(program_pk: int, key: str) -> Path:
    return snapshot_dir() / f"{PREFIX}{program_pk}-{key}.npz"


def exists(program_pk: int, key: str) -> bool:
    """Whether a file is kept for this program under ``key`` (readable or not)."""
    return _path(program_pk, key).exists()


def load(program_pk: int, key: str) -> Kept | None:
    """The snapshot of this program kept under ``key``, or None (no such file, or one that
    cannot be read whole: logged and ignored)."""
    path = _path(program_pk, key)
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = orjson.loads(archive["meta"].tobytes())
            goals = archive["goal_matrix"]
            mentors = archive["mentor_matrix"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("suggester snapshot %s not read: %s", path, exc)
        return None
    try:
        if meta["format"] != FORMAT or meta["key"] != key:
            raise ValueError("made for another key")
        data, locations, keys = meta["instance"], meta["locations"], meta["vectors"]
        if not isinstance(data, dict) or not isinstance(locations, list):
            raise TypeError("not an instance")
        vectors = None
        if keys is not None:
            goal_keys, mentor_keys = keys["goals"], keys["mentors"]
            if goals.dtype != np.float32 or mentors.dtype != np.float32:
                raise TypeError("vectors are not float32")
            if len(goal_keys) != len(goals) or len(mentor_keys) != len(mentors):
                raise ValueError("vector keys and rows disagree")
            vectors = TextVectors(goal_keys, goals, mentor_keys, mentors)
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("suggester snapshot %s not used: %s", path, exc)
        return None
    return Kept(data, vectors, locations)


def store(
    program_pk: int,
    key: str,
    data: dict[str, Any],
    vectors: TextVectors | None,
    locations: list[str],
) -> Path:
    """Keep a build's inputs under ``key`` (atomically) and remove the program's older ones."""
    folder = snapshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    keys = None
    empty = np.zeros((0, 0), np.float32)
    goals = mentors = empty
    if vectors is not None:
        keys = {"goals": list(vectors.goal_keys), "mentors": list(vectors.mentor_keys)}
        goals = np.ascontiguousarray(vectors.goal_matrix, np.float32)
        mentors = np.ascontiguousarray(vectors.mentor_matrix, np.float32)
    meta = orjson.dumps(
        {"format": FORMAT, "key": key, "instance": data, "locations": locations, "vectors": keys}
    )
    path = _path(program_pk, key)

    def write(out: BinaryIO) -> None:
        np.savez(out, meta=np.frombuffer(meta, np.uint8), goal_matrix=goals, mentor_matrix=mentors)

    write_atomically(path, write, supersedes=f"{PREFIX}{program_pk}-*.npz")
    return path


def forget_all() -> int:
    """Delete every kept snapshot (they hold profile and goal texts: a person's texts were
    erased); returns how many files were deleted."""
    deleted = 0
    folder = snapshot_dir()
    if folder.is_dir():
        for kept in folder.glob(f"{PREFIX}*.npz"):
            kept.unlink(missing_ok=True)
            deleted += 1
    return deleted
