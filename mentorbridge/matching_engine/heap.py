"""Memory housekeeping: the C heap's free memory back to the operating system before a solve
is forked (`trim`), and Python's cycle collector paused while a solve or a build allocates
(`collector_paused`).

numpy frees a large array back to the operating system at once (glibc serves it from its own
mapping), but after the first such free glibc raises its mapping threshold to that size, so
later arrays of up to 32 MB come from the heap, and freed heap memory stays with the process
(resident) until the top of the heap is free. A flow solve runs in a forked child (see
`solvers.flow`), and the child's resident set starts as all of the parent's: at 100,000 x
30,000 the parent held about 2.4 GB when round 2 forked and the child grew to 3.2 GB, the
process's peak. `trim` asks glibc to hand its free pages back (``malloc_trim``) first; on
other C libraries it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


@cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """glibc's ``malloc_trim``, or None where the C library has none."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        function = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    return function


def trim() -> bool:
    """Return the heap's free memory to the operating system; whether any was returned
    (False also where the C library cannot)."""
    function = _malloc_trim()
    return bool(function(0)) if function is not None else False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run without Python's cyclic garbage collector, then restore it as it was.

    A solve, or a build of its instance, allocates millions of small objects (the parsed
    instance, the explanations, the rows read from the database) that live to its end; the
    collector would walk the growing heap again and again for nothing: about a tenth of the
    CLI's CPU at 20,000 x 6,000, a third of a cold suggester build's at 10,000 mentors, a
    second of the app's round at 20,000 x 6,000 (docs, Performance, dec06d). The engine makes
    no reference cycles worth collecting, and reference counting still frees everything
    dropped, so the peak memory is the same. Nested or concurrent pauses are fine: only the
    one that found the collector on turns it on again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
