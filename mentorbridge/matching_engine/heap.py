"""Give the C heap's free memory back to the operating system before a solve is forked.

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
