"""The text factor's analysis of profiles and goals, kept between processes.

Analysing 10,000 mentor profiles (words, spelling, stems, synonyms, concepts) is most of a
suggester's first build in a new process, and it depends only on the texts and on the
analysing code: ``matching_engine.text.Analyzer.snapshot`` gives it as plain data, keyed by
the analyzer's ``digest`` (its phrase table, concepts and the code's own hash), and this module
keeps it as one JSON file per digest in ``VAR_DIR/cache``. Texts are looked up by their exact
content, so a changed profile is simply analysed again; a file of another digest is never
read. JSON, not pickle: reading the file can only ever give back strings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import orjson
from django.conf import settings

from mentorbridge.core.files import write_atomically
from mentorbridge.matching_engine.text import Analyzer, forget_texts, synonym_phrases

log = logging.getLogger(__name__)
#: Store again when a build analysed at least this many texts that were not kept yet (one
#: edited profile does not rewrite the file; a new program or a process's first build does).
STORE_AFTER_NEW = 200
PREFIX = "text-analysis-"

_loaded: set[str] = set()  # digests this process has read its file for
_lock = threading.Lock()


def analysis_dir() -> Path:
    """Where the analysis files live (``VAR_DIR/cache``)."""
    return Path(settings.VAR_DIR) / "cache"


def shared_analyzer(synonyms: Mapping[str, Sequence[str]]) -> Analyzer:
    """An analyzer of the table the engine's text factor uses for these synonyms (it shares
    its analysis with the one a suggester builds)."""
    return Analyzer(synonym_phrases(synonyms))


def preload(analyzer: Analyzer) -> int:
    """Read the kept analysis of this analyzer's digest, once per process; returns how many
    texts it brought (0 when there is no file, or it was read already)."""
    digest = analyzer.digest
    with _lock:
        if digest in _loaded:
            return 0
        _loaded.add(digest)
    path = analysis_dir() / f"{PREFIX}{digest}.json"
    try:
        snapshot = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return 0
    except (OSError, orjson.JSONDecodeError) as exc:
        log.warning("text analysis %s not read: %s", path, exc)
        return 0
    try:
        return analyzer.preload(snapshot)
    except (KeyError, TypeError, ValueError) as exc:  # a file of an unexpected shape
        log.warning("text analysis %s not used: %s", path, exc)
        return 0


def store(analyzer: Analyzer) -> Path:
    """Write everything the analyzers of this table keep to the digest's file (atomically:
    a reader sees the old file or the new one), and remove files of other digests."""
    folder = analysis_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = analyzer.digest
    path = folder / f"{PREFIX}{digest}.json"
    data = orjson.dumps(analyzer.snapshot())
    write_atomically(path, lambda out: out.write(data), supersedes=f"{PREFIX}*.json")
    with _lock:
        _loaded.add(digest)
    return path


def forget_all() -> int:
    """A person's texts were erased: delete every kept analysis file and suggester snapshot
    (``matching.snapshots``; both hold profile and goal texts) and drop what this process's
    analyzers keep; the next build analyses the texts as they are now. Returns how many files
    were deleted."""
    from mentorbridge.matching import snapshots

    forget_texts()
    deleted = snapshots.forget_all()
    folder = analysis_dir()
    if folder.is_dir():
        for kept in folder.glob(f"{PREFIX}*.json"):
            kept.unlink(missing_ok=True)
            deleted += 1
    forget_loaded()
    return deleted


def forget_loaded() -> None:
    """Let this process read the files again (tests; a new process starts this way)."""
    with _lock:
        _loaded.clear()
