"""heap.trim: the C heap's free memory goes back to the system before a forked solve."""

from __future__ import annotations

import sys

import pytest

from mentorbridge.matching_engine import heap


def _resident_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc")
def test_trim_returns_freed_heap_memory_to_the_system() -> None:
    heap.trim()
    # 200,000 small blocks (too small for their own mappings) fill the heap, then all but the
    # last are freed: without a trim the heap keeps the pages, as its top is still in use
    blocks = [bytearray(1000) for _ in range(200_000)]
    last = blocks.pop()
    filled = _resident_kb()
    del blocks
    kept = _resident_kb()
    assert heap.trim() is True
    trimmed = _resident_kb()
    assert filled - kept < 50_000
    assert kept - trimmed > 100_000
    del last


def test_trim_does_nothing_without_a_c_library_that_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heap, "_malloc_trim", lambda: None)
    assert heap.trim() is False
