"""heap.trim: the C heap's free memory goes back to the system before a forked solve; heap.
collector_paused: the cycle collector off while a solve allocates, then as it was."""

from __future__ import annotations

import gc
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


def test_the_collector_is_off_while_paused_and_on_again_after() -> None:
    assert gc.isenabled()
    with heap.collector_paused():
        assert not gc.isenabled()
        with heap.collector_paused():  # nested: the inner pause leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_that_found_the_collector_off_leaves_it_off() -> None:
    gc.disable()
    try:
        with heap.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_on_again_after_an_error_in_the_pause() -> None:
    with pytest.raises(ValueError), heap.collector_paused():
        raise ValueError("bad input")
    assert gc.isenabled()
